/**
 * Which files garbage collection removes, and in what order: pure.
 *
 * Garbage is a disposable clone parent without children: a hidden parent (`.snap`) or tombstone (`.ts`)
 * in the base or a group directory, or an anchor of a deleted group snapshot. Removing one can leave its
 * own disposable parent childless; that parent goes with it. The plan repeats "find an orphan, plan its
 * deletion with its ancestors, take those files away" until no orphan is left, so a parent shared by two
 * orphans is counted once, with the second.
 *
 * @module
 */
import { ok, type Result } from 'neverthrow';
import { buildCloneForest, findOrphanedCloneParents, planCloneDeletion, type CloneEntry } from '../clone-tree/index.js';
import { separateSecondNames } from '../clone-tree/second-names.js';
import type { PlanError } from '../errors.js';
import type { InventoryFile, InventoryFileKind } from './types.js';

/**
 * One orphan and what deleting it removes.
 *
 * @example
 * ```ts
 * const target: GarbageTarget = {
 *   path: '/gpfs0/volumes/s1.ts', kind: 'tombstone', groupId: null, allocatedBytes: 4194304,
 *   chain: [{ path: '/gpfs0/volumes/s1.ts', allocatedBytes: 4194304 }],
 * };
 * ```
 */
export interface GarbageTarget {
  /** The orphan. */
  readonly path: string;
  /** Its kind. */
  readonly kind: InventoryFileKind;
  /** Its group, or `null`. */
  readonly groupId: string | null;
  /** Bytes freed by removing the whole chain. */
  readonly allocatedBytes: number;
  /** The orphan, then each disposable ancestor that becomes childless with it (children first). */
  readonly chain: readonly {
    /** A file removed. */
    readonly path: string;
    /** Its allocated bytes. */
    readonly allocatedBytes: number;
  }[];
}

/**
 * The garbage, in removal order.
 *
 * @example
 * ```ts
 * const plan: GarbagePlan = { targets: [], reclaimableBytes: 0 };
 * ```
 */
export interface GarbagePlan {
  /** Orphans, each with its chain, in the order to delete them. */
  readonly targets: readonly GarbageTarget[];
  /** Bytes freed by removing everything. */
  readonly reclaimableBytes: number;
}

/**
 * Plans garbage collection over classified files.
 *
 * @param files - The inventory's files (anchors without their frozen parent link).
 * @returns The plan, or a `PlanError` for inconsistent clone relations.
 * @example
 * ```ts
 * planGarbage(inventory.files).map((plan) => plan.targets.map((target) => target.path));
 * ```
 */
export function planGarbage(files: readonly InventoryFile[]): Result<GarbagePlan, PlanError> {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const isDisposable = (path: string) => {
    const file = byPath.get(path);
    if (file === undefined) return false;
    if (file.kind === 'hidden-parent' || file.kind === 'tombstone') return true;
    return file.kind === 'anchor' && file.directory.endsWith('.ts');
  };
  // A work name that repeats another file (an interrupted create's) is not a node of its own.
  let remaining: CloneEntry[] = separateSecondNames(
    files.map((file) => ({ path: file.path, inode: file.inode, isParent: file.isParent, depth: file.depth, parentInode: file.parentInode })),
    (path) => byPath.get(path)?.kind === 'temporary',
  ).entries;
  const targets: GarbageTarget[] = [];
  for (;;) {
    const forest = buildCloneForest(remaining, { parentsOutsideListedDirectories: 'all-unlisted' });
    if (forest.isErr()) return forest.map(() => ({ targets, reclaimableBytes: 0 }));
    const orphan = findOrphanedCloneParents(forest.value, { isDisposable })[0];
    if (orphan === undefined) break;
    const plan = planCloneDeletion(forest.value, orphan, { isDisposable });
    if (plan.isErr()) return plan.map(() => ({ targets, reclaimableBytes: 0 }));
    const removed = new Set(plan.value.removals.map((removal) => removal.path));
    removed.add(orphan);
    const chain = [...removed].map((path) => ({ path, allocatedBytes: byPath.get(path)?.allocatedBytes ?? 0 }));
    const file = byPath.get(orphan);
    targets.push({
      path: orphan,
      kind: file?.kind ?? 'other',
      groupId: file?.groupId ?? null,
      allocatedBytes: chain.reduce((sum, link) => sum + link.allocatedBytes, 0),
      chain,
    });
    remaining = remaining.filter((entry) => !removed.has(entry.path));
  }
  return ok({ targets, reclaimableBytes: targets.reduce((sum, target) => sum + target.allocatedBytes, 0) });
}
