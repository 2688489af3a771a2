/**
 * Barrel of the clone-tree area: explicit named exports only.
 *
 * @module
 */
export { buildCloneForest, cloneNodeAt } from './build.js';
export { planCloneDeletion } from './plan.js';
export { findOrphanedCloneParents } from './orphans.js';
export { isDisposableByName } from './disposable.js';
export type {
  BuildCloneForestOptions,
  CloneEntry,
  CloneForest,
  CloneNode,
  DeletionPlan,
  FindOrphanedCloneParentsOptions,
  IsDisposable,
  KeptFile,
  KeptReason,
  ParentsOutsideListedDirectories,
  PlanCloneDeletionOptions,
  PlannedRemoval,
  RemovalReason,
} from './types.js';
