/**
 * Reading directories and clone relations: the listing (`find -printf '%i %s %b %m %y %p\0'`) and
 * `mmclone show` over the regular files listed, shared by the group, inventory, garbage-collection and
 * move operations. Pure helpers plus the command builders; the operations run them.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { CloneEntry } from '../clone-tree/index.js';
import type { ParseError } from '../errors.js';
import { parseFileListing, parseMmcloneShow, type FileListingEntry, type MmcloneShowRow } from '../parsers/index.js';
import type { CommandOutput } from '../runners/types.js';
import type { CommandFailedError } from './errors.js';
import type { StepCommand } from './undoable.js';

/**
 * The `-printf` format of every listing (inode, size, 512-byte blocks, mode, type, path; NUL-terminated).
 *
 * @example
 * ```ts
 * ['find', '/gpfs0/volumes', '-maxdepth', '1', '-printf', LISTING_FORMAT];
 * ```
 */
export const LISTING_FORMAT = '%i %s %b %m %y %p\\0';

/**
 * A listed file with its clone relations.
 *
 * @example
 * ```ts
 * const file: ScannedFile = { inode: 4101, sizeBytes: 1073741824, allocatedBytes: 0, mode: 0o660, type: 'f', path: '/gpfs0/volumes/v1', clone: null };
 * ```
 */
export interface ScannedFile extends FileListingEntry {
  /** Its `mmclone show` row, or `null` when it is not a clone or clone parent (or was not shown). */
  readonly clone: MmcloneShowRow | null;
}

/**
 * `find <paths> [-mindepth N] -maxdepth N [-path PATTERN] -printf FORMAT`.
 *
 * @param paths - Absolute start points.
 * @param options - `minDepth`, `maxDepth` and an optional `-path` glob (already escaped).
 * @param step - Step name.
 * @returns The listing step.
 * @example
 * ```ts
 * listStep(['/gpfs0/volumes'], { minDepth: 1, maxDepth: 1 }, 'list-base').argv;
 * // ['find', '/gpfs0/volumes', '-mindepth', '1', '-maxdepth', '1', '-printf', '%i %s %b %m %y %p\\0']
 * ```
 */
export function listStep(paths: readonly string[], options: { readonly minDepth?: number; readonly maxDepth: number; readonly pathPattern?: string }, step: string): StepCommand {
  const argv = ['find', ...paths];
  if (options.minDepth !== undefined) argv.push('-mindepth', String(options.minDepth));
  argv.push('-maxdepth', String(options.maxDepth));
  if (options.pathPattern !== undefined) argv.push('-path', options.pathPattern);
  argv.push('-printf', LISTING_FORMAT);
  return { step, argv, asRoot: true };
}

/**
 * Escapes a literal path for a `find -path` glob.
 *
 * @param path - A literal path.
 * @returns The path with `*`, `?`, `[`, `]` and `\` escaped.
 * @example
 * ```ts
 * escapeGlob('/gpfs0/a*b'); // '/gpfs0/a\\*b'
 * ```
 */
export function escapeGlob(path: string): string {
  return path.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Reads a listing's output. A start point that does not exist is not an error (nothing listed).
 *
 * @param output - The `find` output, if it ran.
 * @param operation - The driver operation, for errors.
 * @param step - Its step name.
 * @returns The entries, or the error (find failed for another reason, or its output cannot be read).
 * @example
 * ```ts
 * readListing(output, 'inventory', 'list-base').map((entries) => entries.length);
 * ```
 */
export function readListing(output: CommandOutput | undefined, operation: string, step: string): Result<FileListingEntry[], ParseError | CommandFailedError> {
  if (output === undefined) return err(failed(operation, step, output, 'the listing did not run'));
  if (output.exitCode !== 0 && !onlyMissing(output.stderr)) return err(failed(operation, step, output, 'could not list the directory'));
  return parseFileListing(output.stdout);
}

/**
 * `mmclone show` over `paths`, split into several commands of one batch when the argument list is long.
 *
 * @param paths - Files to show.
 * @returns Zero or more steps named `show-clones`.
 * @example
 * ```ts
 * cloneShowSteps(['/gpfs0/volumes/v1']).map((c) => c.argv); // [['mmclone', 'show', '/gpfs0/volumes/v1']]
 * ```
 */
export function cloneShowSteps(paths: readonly string[]): StepCommand[] {
  const chunks: string[][] = [];
  let characters = 0;
  for (const path of paths) {
    const current = chunks[chunks.length - 1];
    if (current === undefined || (current.length > 0 && characters + path.length + 1 > MAX_ARGUMENT_CHARACTERS)) {
      chunks.push([path]);
      characters = path.length + 1;
    } else {
      current.push(path);
      characters += path.length + 1;
    }
  }
  return chunks.map((chunk) => ({ step: 'show-clones', argv: ['mmclone', 'show', ...chunk], asRoot: true }));
}

/**
 * Reads the `show-clones` outputs of a round into rows by path. A file that vanished meanwhile has no
 * row (also when every file of a command vanished: each one reported `No such file or directory`); a
 * command that failed otherwise without printing any row is an error.
 *
 * @param commands - The round's commands.
 * @param outputs - Its outputs.
 * @param operation - The driver operation, for errors.
 * @returns Rows by file name.
 * @example
 * ```ts
 * readCloneRows(commands, outputs, 'inventory').map((rows) => rows.get('/gpfs0/volumes/v1')?.isParent);
 * ```
 */
export function readCloneRows(commands: readonly StepCommand[], outputs: readonly CommandOutput[], operation: string): Result<Map<string, MmcloneShowRow>, ParseError | CommandFailedError> {
  const rows = new Map<string, MmcloneShowRow>();
  for (const [index, command] of commands.entries()) {
    if (command.step !== 'show-clones') continue;
    const output = outputs[index];
    if (output === undefined) return err(failed(operation, 'show-clones', output, 'mmclone show did not run'));
    const parsed = parseMmcloneShow(output.stdout);
    if (parsed.isErr()) return err(parsed.error);
    if (output.exitCode !== 0 && parsed.value.length === 0 && !allVanished(command.argv.slice(2), output.stderr)) {
      return err(failed(operation, 'show-clones', output, 'mmclone show failed'));
    }
    for (const row of parsed.value) rows.set(row.fileName, row);
  }
  return ok(rows);
}

/**
 * Joins listed regular files with their clone rows.
 *
 * @param entries - Listing entries (any type; only regular files are kept, one path per inode).
 * @param rows - `mmclone show` rows by path.
 * @returns The files.
 * @example
 * ```ts
 * const files = scannedFiles(listing, rows);
 * ```
 */
export function scannedFiles(entries: readonly FileListingEntry[], rows: ReadonlyMap<string, MmcloneShowRow>): ScannedFile[] {
  const seen = new Set<number>();
  const files: ScannedFile[] = [];
  for (const entry of entries) {
    if (entry.type !== 'f' || seen.has(entry.inode)) continue;
    seen.add(entry.inode);
    const row = rows.get(entry.path) ?? null;
    files.push({ ...entry, clone: row !== null && (row.isParent || row.parentInode !== null) ? row : null });
  }
  return files;
}

/**
 * Clone-tree entries of scanned files.
 *
 * @param files - Scanned files.
 * @param detachParent - Files whose parent is a file in a fileset snapshot (group snapshot anchors): GPFS
 *   reports that parent by the inode number of the active file it was frozen from, so the link is cut
 *   here instead of pointing at an unrelated live file.
 * @returns One entry per file.
 * @example
 * ```ts
 * buildCloneForest(cloneEntriesOf(files, (path) => path.includes('/.group-snapshots/')));
 * ```
 */
export function cloneEntriesOf(files: readonly ScannedFile[], detachParent: (path: string) => boolean = () => false): CloneEntry[] {
  return files.map((file) => ({
    path: file.path,
    inode: file.inode,
    isParent: file.clone?.isParent ?? false,
    depth: file.clone?.depth ?? null,
    parentInode: detachParent(file.path) ? null : (file.clone?.parentInode ?? null),
  }));
}

/**
 * The last component of a path.
 *
 * @param path - A path.
 * @returns Its base name.
 * @example
 * ```ts
 * baseName('/gpfs0/volumes/v1'); // 'v1'
 * ```
 */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The directory of a path.
 *
 * @param path - An absolute path.
 * @returns Everything before the last `/` (`/` for top-level paths).
 * @example
 * ```ts
 * directoryOf('/gpfs0/volumes/v1'); // '/gpfs0/volumes'
 * ```
 */
export function directoryOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

// --- Internal helpers ---

/** Keeps each `mmclone show` argv well below the smallest common ARG_MAX. */
const MAX_ARGUMENT_CHARACTERS = 96 * 1024;

function onlyMissing(stderr: string): boolean {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .every((line) => line.includes('No such file or directory'));
}

/** Whether `stderr` reports every one of `paths` as missing (`<path>: No such file or directory`). */
function allVanished(paths: readonly string[], stderr: string): boolean {
  const missing = new Set(
    stderr
      .split('\n')
      .filter((line) => line.endsWith(': No such file or directory'))
      .map((line) => line.slice(0, -': No such file or directory'.length).replace(/^mmclone: /, '')),
  );
  return paths.length > 0 && paths.every((path) => missing.has(path));
}

function failed(operation: string, step: string, output: CommandOutput | undefined, what: string): CommandFailedError {
  const stderr = output?.stderr ?? '';
  const line = stderr.trim().split('\n')[0] ?? '';
  return {
    kind: 'CommandFailed',
    operation,
    step,
    argv: output?.argv ?? [],
    exitCode: output?.exitCode ?? null,
    signal: output?.signal ?? null,
    stderr,
    message: `${operation} failed at step ${step}: ${what}${line === '' ? '' : ` (${line})`}`,
  };
}
