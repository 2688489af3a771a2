/**
 * Finding clone parents that nothing uses any more.
 *
 * @module
 */
import { isDisposableByName } from './disposable.js';
import type { CloneForest, FindOrphanedCloneParentsOptions } from './types.js';

/**
 * Lists the disposable clone parents that have no children at all: what crashes, migrations and old Cinder
 * versions leave behind, and what garbage collection removes.
 *
 * A file qualifies when it is a clone parent, is in the listed directories, is disposable (by default its name
 * ends in `.snap` or `.ts`) and no file in the forest names it as parent. Removing an orphan can leave its own
 * parent childless: delete each orphan with {@link planCloneDeletion}, which collapses such ancestors too, and
 * the whole disposable chain goes. A predicate that throws counts as "not disposable" for that file.
 *
 * @param forest - A forest from {@link buildCloneForest}.
 * @param options - `isDisposable` predicate.
 * @returns Their paths, sorted.
 * @example
 * ```ts
 * const forest = buildCloneForest([
 *   { path: '/gpfs0/snapshot-7.ts', inode: 30, isParent: true, depth: 0, parentInode: null },
 *   { path: '/gpfs0/volume-3.snap', inode: 31, isParent: true, depth: 0, parentInode: null },
 *   { path: '/gpfs0/volume-3', inode: 32, isParent: false, depth: 1, parentInode: 31 },
 * ])._unsafeUnwrap();
 * findOrphanedCloneParents(forest); // ['/gpfs0/snapshot-7.ts']
 * ```
 */
export function findOrphanedCloneParents(forest: CloneForest, options: FindOrphanedCloneParentsOptions = {}): string[] {
  const isDisposable = options.isDisposable ?? isDisposableByName;
  const orphans: string[] = [];
  for (const node of forest.nodes.values()) {
    if (node.path === null || !node.isParent || node.outsideListedDirectories || node.childInodes.length > 0) continue;
    if (safelyDisposable(isDisposable, node.path)) orphans.push(node.path);
  }
  return orphans.sort();
}

// --- Internal helpers ---

function safelyDisposable(isDisposable: (path: string) => boolean, path: string): boolean {
  try {
    return isDisposable(path) === true;
  } catch {
    return false;
  }
}
