/**
 * The default rule for which clone parents are the library's to remove.
 *
 * @module
 */

/**
 * Tells whether a file is a disposable clone parent by its name: it ends in `.snap` (the hidden parent made
 * when a volume is cloned) or `.ts` (a deleted snapshot's tombstone). Volume and snapshot names can never end
 * so, which is what makes the rule safe.
 *
 * @param path - A path or a bare file name.
 * @returns `true` when the last path component ends in `.snap` or `.ts`.
 * @example
 * ```ts
 * isDisposableByName('/gpfs0/volume-2.snap'); // true
 * isDisposableByName('/gpfs0/snapshot-7.ts'); // true
 * isDisposableByName('/gpfs0/images/9b1c'); // false
 * ```
 */
export function isDisposableByName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.endsWith('.snap') || name.endsWith('.ts');
}
