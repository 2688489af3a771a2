/**
 * Test helpers for the clone-tree tests: random forests shaped like the driver's files, and the effects of
 * carrying out a plan (removals) or tombstoning a snapshot (rename to `.ts`) on the list of entries.
 */
import fc from 'fast-check';
import type { CloneEntry, DeletionPlan } from '../../src/clone-tree/index.js';
import { isDisposableByName } from '../../src/clone-tree/index.js';

/** A random forest: the entries, the listed directories, and parent inodes deliberately left unlisted. */
export interface RandomForest {
  readonly entries: CloneEntry[];
  readonly directories: string[];
  readonly outsideInodes: number[];
}

const DIRECTORIES = ['/gpfs0/volumes', '/gpfs0/cg-1', '/gpfs0/migrated'];

const fileSpec = fc.record({
  hasParent: fc.nat({ max: 9 }),
  parentPick: fc.nat({ max: 1_000_000 }),
  disposable: fc.nat({ max: 2 }),
  reportedParent: fc.boolean(),
  outside: fc.nat({ max: 14 }),
  directory: fc.nat({ max: DIRECTORIES.length - 1 }),
});

/**
 * Forests of up to `maxFiles` files. Parents are always earlier files (so there are no cycles); half the picks
 * favour the file just before (long chains), half pick any earlier file (bushy trees). Disposable names
 * (`.snap`/`.ts`) are always clone parents, as the driver makes them. Some roots are left out of the entries and
 * named in `outsideInodes` (parents in unlisted directories).
 */
export function arbitraryForest(maxFiles: number, withOutside = true): fc.Arbitrary<RandomForest> {
  return fc.oneof(fc.array(fileSpec, { maxLength: maxFiles, size: 'medium' }), fc.array(fileSpec, { maxLength: maxFiles, size: 'max' })).map((specs) => {
    const count = specs.length;
    const parentIndex: (number | null)[] = specs.map((spec, index) => {
      if (index === 0 || spec.hasParent < 3) return null;
      const pick = spec.parentPick >> 1;
      return spec.parentPick % 2 === 0 ? index - 1 - (pick % Math.min(index, 3)) : pick % index;
    });
    const hasChildren = new Set(parentIndex.filter((index): index is number => index !== null));
    const inodeOf = (index: number): number => 50_000 + (count - index) * 3;
    const entries: CloneEntry[] = [];
    const outsideInodes: number[] = [];
    specs.forEach((spec, index) => {
      const parent = parentIndex[index] ?? null;
      const disposable = spec.disposable === 0;
      const suffix = disposable ? (index % 2 === 0 ? '.snap' : '.ts') : '';
      if (withOutside && parent === null && hasChildren.has(index) && spec.outside === 0) {
        outsideInodes.push(inodeOf(index));
        return;
      }
      entries.push({
        path: `${DIRECTORIES[spec.directory]}/file-${index}${suffix}`,
        inode: inodeOf(index),
        isParent: hasChildren.has(index) || disposable || spec.reportedParent,
        depth: parent === null ? 0 : 1,
        parentInode: parent === null ? null : inodeOf(parent),
      });
    });
    return { entries, directories: DIRECTORIES, outsideInodes };
  });
}

/** The entries left after a plan's removals were carried out. */
export function withoutRemovals(entries: readonly CloneEntry[], plan: DeletionPlan): CloneEntry[] {
  const removed = new Set(plan.removals.map((removal) => removal.path));
  return entries.filter((entry) => !removed.has(entry.path));
}

/** The entries after `path` was renamed to `<path>.ts` (what deleteSnapshot does to a snapshot with children). */
export function withTombstone(entries: readonly CloneEntry[], path: string): CloneEntry[] {
  return entries.map((entry) => (entry.path === path ? { ...entry, path: `${path}.ts` } : entry));
}

/** Number of children of each inode among `entries`. */
export function childCounts(entries: readonly CloneEntry[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const entry of entries) {
    if (entry.parentInode !== null) counts.set(entry.parentInode, (counts.get(entry.parentInode) ?? 0) + 1);
  }
  return counts;
}

/**
 * Checks a plan against the entries it was made from and returns the first broken invariant, or `undefined`:
 * the target first; each later removal the parent of the one before it and disposable; nothing removed while
 * it still has children once the earlier removals are done; `kept` the parent of the last removal, with a
 * reason that is true.
 */
export function brokenInvariant(entries: readonly CloneEntry[], directories: readonly string[], plan: DeletionPlan): string | undefined {
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const byInode = new Map(entries.map((entry) => [entry.inode, entry]));
  const children = childCounts(entries);
  const first = plan.removals[0];
  if (first === undefined) return plan.targetFound ? 'a found target must be removed' : undefined;
  if (first.path !== plan.targetPath || first.reason !== 'Target') return 'the first removal must be the target';
  let previous = byPath.get(first.path);
  for (const removal of plan.removals) {
    const entry = byPath.get(removal.path);
    if (entry === undefined) return `removal of an unknown file ${removal.path}`;
    if ((children.get(entry.inode) ?? 0) !== 0) return `${removal.path} still has children when it is removed`;
    if (removal !== first) {
      if (previous?.parentInode !== entry.inode) return `${removal.path} is not the parent of the previous removal`;
      if (!isDisposableByName(removal.path)) return `non-disposable ${removal.path} removed`;
      if (!directories.some((directory) => removal.path.startsWith(`${directory}/`))) return `${removal.path} is outside`;
    }
    if (entry.parentInode !== null) children.set(entry.parentInode, (children.get(entry.parentInode) ?? 0) - 1);
    previous = entry;
  }
  const kept = plan.kept[0];
  if (previous?.parentInode === null || previous?.parentInode === undefined) {
    return plan.kept.length === 0 ? undefined : 'kept must be empty when the chain ends at a root';
  }
  if (kept === undefined || plan.kept.length !== 1) return 'the walk must report the ancestor it stopped at';
  if (kept.inode !== previous.parentInode) return 'kept must be the parent of the last removal';
  const keptEntry = byInode.get(kept.inode);
  const remaining = children.get(kept.inode) ?? 0;
  if (kept.reason === 'OutsideListedDirectories') return keptEntry === undefined ? undefined : 'listed file reported as outside';
  if (kept.reason === 'NotDisposable') {
    if (keptEntry === undefined) return 'NotDisposable must be a listed file';
    return isDisposableByName(keptEntry.path) ? 'disposable file reported as not disposable' : undefined;
  }
  if (kept.reason === 'StillHasChildren') {
    if (keptEntry === undefined || !isDisposableByName(keptEntry.path)) return 'StillHasChildren must be a listed disposable file';
    return remaining > 0 ? undefined : 'childless file reported as having children';
  }
  return 'unknown kept reason';
}
