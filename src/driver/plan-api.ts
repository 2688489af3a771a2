/**
 * `driver.plan.*`: dry runs. Each returns the operation's plan (argv arrays, round by round) as a pure
 * function of its arguments, the options and the cached facts, without running anything.
 *
 * @module
 */
import { ok, type Result } from 'neverthrow';
import type { DriverContext } from './context.js';
import { createDataPlans, type GpfsDriverDataPlans } from './data-api.js';
import { createExtensionPlans, type GpfsDriverExtensionPlans } from './extension-plans.js';
import type { GpfsError } from './errors.js';
import { planCreateClonedVolume, planCreateVolumeFromSnapshot } from './plans/clone-volume.js';
import { planCreateVolume } from './plans/create-volume.js';
import { planDeleteVolume } from './plans/delete-volume.js';
import { planExtendVolume } from './plans/extend-volume.js';
import { planSetup } from './plans/setup.js';
import { planCreateSnapshot, planDeleteSnapshot } from './plans/snapshot.js';
import type { OperationPlan } from './plans/types.js';
import { planVolumeStats } from './plans/volume-stats.js';
import type { SnapshotRef, VolumeRef, VolumeSpec } from './types.js';

/**
 * Dry runs of the driver's operations. Validation errors (`InvalidName`, `InvalidArgument`,
 * `InvalidMetadata`, `InvalidConfig`) come back exactly as the operation would return them.
 *
 * @example
 * ```ts
 * const plan = driver.plan.createClonedVolume({ name: 'v2', sizeGiB: 10 }, { name: 'v1' });
 * plan.map((p) => p.rounds.flatMap((round) => round.commands.map((command) => command.argv.join(' '))));
 * ```
 */
export interface GpfsDriverPlans extends GpfsDriverDataPlans, GpfsDriverExtensionPlans {
  /** The setup plan (the second round shows `<device>` until setup has run). */
  setup(): Result<OperationPlan, GpfsError>;
  /**
   * The createVolume plan.
   *
   * @param spec - The volume.
   */
  createVolume(spec: VolumeSpec): Result<OperationPlan, GpfsError>;
  /**
   * The deleteVolume plan (rounds 2 and 3 depend on the listing and are shown with placeholders).
   *
   * @param volume - The volume.
   */
  deleteVolume(volume: VolumeRef): Result<OperationPlan, GpfsError>;
  /**
   * The createSnapshot plan.
   *
   * @param snapshot - The snapshot.
   */
  createSnapshot(snapshot: SnapshotRef): Result<OperationPlan, GpfsError>;
  /**
   * The deleteSnapshot plan.
   *
   * @param snapshot - The snapshot.
   */
  deleteSnapshot(snapshot: SnapshotRef): Result<OperationPlan, GpfsError>;
  /**
   * The createVolumeFromSnapshot plan.
   *
   * @param spec - The new volume.
   * @param snapshot - The snapshot.
   */
  createVolumeFromSnapshot(spec: VolumeSpec, snapshot: SnapshotRef): Result<OperationPlan, GpfsError>;
  /**
   * The createClonedVolume plan.
   *
   * @param spec - The new volume.
   * @param source - The source volume.
   */
  createClonedVolume(spec: VolumeSpec, source: VolumeRef): Result<OperationPlan, GpfsError>;
  /**
   * The extendVolume plan.
   *
   * @param volume - The volume.
   * @param newSizeGiB - The new size.
   */
  extendVolume(volume: VolumeRef, newSizeGiB: number): Result<OperationPlan, GpfsError>;
  /** The getVolumeStats plan. */
  getVolumeStats(): Result<OperationPlan, GpfsError>;
}

/**
 * Makes the dry-run API of a driver.
 *
 * @param context - The driver context.
 * @returns The plan functions.
 * @example
 * ```ts
 * const plans = createDriverPlans(context);
 * ```
 */
export function createDriverPlans(context: DriverContext): GpfsDriverPlans {
  const { options } = context;
  return {
    setup: () => ok(planSetup(options, context.facts.current()?.base.device ?? null)),
    createVolume: (spec) => planCreateVolume(options, spec, dataPools(context)),
    deleteVolume: (volume) => planDeleteVolume(options, volume),
    createSnapshot: (snapshot) => planCreateSnapshot(options, snapshot),
    deleteSnapshot: (snapshot) => planDeleteSnapshot(options, snapshot),
    createVolumeFromSnapshot: (spec, snapshot) => planCreateVolumeFromSnapshot(options, spec, snapshot, dataPools(context)),
    createClonedVolume: (spec, source) => planCreateClonedVolume(options, spec, source, undefined, dataPools(context)),
    extendVolume: (volume, newSizeGiB) => planExtendVolume(options, volume, newSizeGiB),
    getVolumeStats: () => ok(planVolumeStats(options, context.facts.current())),
    ...createDataPlans(context),
    ...createExtensionPlans(context),
  };
}

// --- Internal helpers ---

/** The data pools from the cached facts (`null` before setup: the pool assignment is then shown). */
function dataPools(context: DriverContext): readonly string[] | null {
  return context.facts.current()?.dataPools ?? null;
}
