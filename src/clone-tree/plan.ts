/**
 * Planning the deletion of one file and of the clone parents that only it kept alive.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { PlanError } from '../errors.js';
import { cloneNodeAt } from './build.js';
import { isDisposableByName } from './disposable.js';
import type { CloneForest, DeletionPlan, KeptFile, PlanCloneDeletionOptions, PlannedRemoval } from './types.js';

/**
 * Plans the removal of `targetPath`, then of each ancestor that would be left disposable and childless.
 *
 * The walk, children before parents:
 * 1. The target is removed first (reason `'Target'`), whatever its name. A target that is itself a clone parent
 *    with children is refused with a `TargetHasChildren` {@link PlanError}: GPFS would refuse to remove it, and
 *    removing its children instead is not what was asked. A target that is not in the forest yields an empty
 *    plan with `targetFound: false` (deletion is idempotent), or `TargetNotFound` with `requireTarget`.
 * 2. Then its clone parent, and that parent's parent, and so on, while each is in the listed directories,
 *    disposable (`isDisposable`, by default a name ending in `.snap` or `.ts`) and left with no children once
 *    the earlier removals are done (reason `'ChildlessDisposableAncestor'`).
 * 3. The first ancestor that fails a test is reported in `kept` with the first failing reason, checked in this
 *    order: `'OutsideListedDirectories'`, `'NotDisposable'`, `'StillHasChildren'`. Nothing above it is touched.
 *
 * So the plan never removes a file that still has children after the earlier removals, and never a
 * non-disposable file other than the target. Iterative: a 100,000-deep chain is fine.
 *
 * @param forest - A forest from {@link buildCloneForest}.
 * @param targetPath - The file to delete, exactly as its entry's path.
 * @param options - `isDisposable` predicate; `requireTarget`.
 * @returns The plan, or a {@link PlanError} (`TargetHasChildren`, `TargetNotFound`, or `InvalidEntry` when
 *   `isDisposable` throws).
 * @example
 * ```ts
 * const forest = buildCloneForest([
 *   { path: '/gpfs0/volume-1.snap', inode: 10, isParent: true, depth: 0, parentInode: null },
 *   { path: '/gpfs0/volume-1', inode: 11, isParent: false, depth: 1, parentInode: 10 },
 * ])._unsafeUnwrap();
 * const plan = planCloneDeletion(forest, '/gpfs0/volume-1')._unsafeUnwrap();
 * console.log(plan.removals.map((removal) => removal.path)); // ['/gpfs0/volume-1', '/gpfs0/volume-1.snap']
 * ```
 */
export function planCloneDeletion(forest: CloneForest, targetPath: string, options: PlanCloneDeletionOptions = {}): Result<DeletionPlan, PlanError> {
  const target = cloneNodeAt(forest, targetPath);
  if (target === undefined) {
    if (options.requireTarget) {
      return err({ kind: 'PlanError', reason: 'TargetNotFound', message: `${targetPath} is not in the clone forest`, paths: [targetPath] });
    }
    return ok({ targetPath, targetFound: false, removals: [], kept: [] });
  }
  if (target.childInodes.length > 0) {
    return err({
      kind: 'PlanError',
      reason: 'TargetHasChildren',
      message: `${targetPath} is a clone parent with ${target.childInodes.length} child(ren); GPFS refuses to remove it`,
      paths: [targetPath],
      inodes: [target.inode, ...target.childInodes],
    });
  }
  const isDisposable = options.isDisposable ?? isDisposableByName;
  const removals: PlannedRemoval[] = [{ path: targetPath, inode: target.inode, reason: 'Target' }];
  const kept: KeptFile[] = [];
  let removedChild = target;
  for (;;) {
    if (removedChild.parentInode === null) break;
    const parent = forest.nodes.get(removedChild.parentInode);
    if (parent === undefined) break; // unreachable for a forest from buildCloneForest
    const reason = keptReason(parent.path, parent.outsideListedDirectories, parent.childInodes.length - 1, isDisposable);
    if (reason.isErr()) return err(reason.error);
    if (reason.value !== undefined || parent.path === null) {
      kept.push({ path: parent.path, inode: parent.inode, reason: reason.value ?? 'OutsideListedDirectories' });
      break;
    }
    removals.push({ path: parent.path, inode: parent.inode, reason: 'ChildlessDisposableAncestor' });
    removedChild = parent;
  }
  return ok({ targetPath, targetFound: true, removals, kept });
}

// --- Internal helpers ---

/**
 * Why an ancestor must be kept, or `undefined` when it can go. Only one child of each ancestor is on the walk
 * (the file removed just before it), so `remainingChildren` is its child count minus one.
 */
function keptReason(path: string | null, outsideListedDirectories: boolean, remainingChildren: number, isDisposable: (path: string) => boolean): Result<KeptFile['reason'] | undefined, PlanError> {
  if (outsideListedDirectories || path === null) return ok('OutsideListedDirectories');
  let disposable: boolean;
  try {
    disposable = isDisposable(path) === true;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return err({ kind: 'PlanError', reason: 'InvalidEntry', message: `isDisposable threw for ${path}: ${detail}`, paths: [path] });
  }
  if (!disposable) return ok('NotDisposable');
  if (remainingChildren > 0) return ok('StillHasChildren');
  return ok(undefined);
}
