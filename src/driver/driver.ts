/**
 * `createGpfsDriver(options)`: the facade over the operations (one file each under `operations/`).
 *
 * Every method returns `ResultAsync<..., GpfsError>` and never throws. Options are validated when the
 * driver is created; with invalid options, every method returns `Err` of kind `'InvalidConfig'` and
 * `configError` holds that error (use {@link createGpfsDriverResult} to get it up front instead).
 * Facts (cluster id, device, levels, pool, encryption) are read by `setup()`, or on first use by any
 * operation that needs them, and cached; each mutating operation re-verifies the mount in its first
 * round trip.
 *
 * @module
 */
import { err, errAsync, ok, type Result, type ResultAsync } from 'neverthrow';
import { createDriverContext, runOperation, type DriverContext } from './context.js';
import type { GpfsError, InvalidConfigError } from './errors.js';
import { createDataMethods, failedDataMethods, failedDataPlans, type GpfsDriverDataMethods } from './data-api.js';
import { createDriverExtensions, failedExtensions, type GpfsDriverExtensions } from './extensions.js';
import { failedExtensionPlans } from './extension-plans.js';
import type { ClusterFacts } from './facts.js';
import type { NfsConnectionInfo } from './nfs.js';
import { runSetup } from './operations/setup.js';
import { getVolumeStats } from './operations/volume-stats.js';
import { resolveOptions, type GpfsDriverOptions } from './options.js';
import { createDriverPlans, type GpfsDriverPlans } from './plan-api.js';
import type { VolumeStats } from './plans/volume-stats.js';
import type { ConnectionInfo, CreatedSnapshot, CreatedVolume, DeletedSnapshot, DeletedVolume, SnapshotRef, VolumeRef, VolumeSpec } from './types.js';

/**
 * A volume driver for GPFS file clones over any command runner.
 *
 * @example
 * ```ts
 * const driver = createGpfsDriver({ runner: createGpfsSimulator(), mountPointBase: '/gpfs0' });
 * await driver.setup();
 * await driver.createVolume({ name: 'volume-1', sizeGiB: 10 });
 * ```
 */
export interface GpfsDriver extends GpfsDriverExtensions, GpfsDriverDataMethods {
  /** The options error, when the options were invalid (every method then returns it); else `null`. */
  readonly configError: InvalidConfigError | null;
  /** Dry runs: the commands each operation would run, without running anything. */
  readonly plan: GpfsDriverPlans;
  /** The cached cluster facts, or `null` before the first successful setup. */
  facts(): ClusterFacts | null;
  /** Checks the cluster and directories (the seed's do_setup and check_for_setup_error) and caches what it finds; at most 3 round trips. */
  setup(): ResultAsync<ClusterFacts, GpfsError>;
  /**
   * Creates a sparse volume (mode 660, attributes from metadata, optional preallocation, then mkfs).
   *
   * @param spec - Name, size and metadata.
   */
  createVolume(spec: VolumeSpec): ResultAsync<CreatedVolume, GpfsError>;
  /**
   * Deletes a volume and the disposable clone parents it leaves unused. Idempotent.
   *
   * @param volume - The volume.
   */
  deleteVolume(volume: VolumeRef): ResultAsync<DeletedVolume, GpfsError>;
  /**
   * Snapshots a volume (`mmclone snap`), mode 640; redirects the volume when too deep.
   *
   * @param snapshot - Snapshot name and volume name.
   */
  createSnapshot(snapshot: SnapshotRef): ResultAsync<CreatedSnapshot, GpfsError>;
  /**
   * Deletes a snapshot (tombstone while clones depend on it). Idempotent.
   *
   * @param snapshot - Snapshot name and volume name.
   */
  deleteSnapshot(snapshot: SnapshotRef): ResultAsync<DeletedSnapshot, GpfsError>;
  /**
   * Creates a volume as a clone of a snapshot.
   *
   * @param spec - The new volume.
   * @param snapshot - The snapshot.
   */
  createVolumeFromSnapshot(spec: VolumeSpec, snapshot: SnapshotRef): ResultAsync<CreatedVolume, GpfsError>;
  /**
   * Creates a volume as a clone of another volume (through a hidden `<dest>.snap` parent).
   *
   * @param spec - The new volume.
   * @param source - The volume to clone.
   */
  createClonedVolume(spec: VolumeSpec, source: VolumeRef): ResultAsync<CreatedVolume, GpfsError>;
  /**
   * Grows a volume; refuses to shrink it.
   *
   * @param volume - The volume.
   * @param newSizeGiB - The new size.
   */
  extendVolume(volume: VolumeRef, newSizeGiB: number): ResultAsync<CreatedVolume, GpfsError>;
  /**
   * Capacity and capabilities; cached until `refresh`. Zero capacity when GPFS is not mounted.
   *
   * @param options - `refresh: true` takes fresh stats.
   */
  getVolumeStats(options?: { readonly refresh?: boolean }): ResultAsync<VolumeStats, GpfsError>;
  /**
   * How a consumer attaches the volume: `{ driverVolumeType: 'gpfs' }` with the GPFS path, or in NFS mode
   * (option `nfs`) `{ driverVolumeType: 'nfs' }` with the consumer-side path and the export.
   *
   * @param volume - The volume.
   */
  initializeConnection(volume: VolumeRef): ResultAsync<ConnectionInfo | NfsConnectionInfo, GpfsError>;
  /**
   * The volume's file as the consumer sees it: on GPFS, or under the NFS mount in NFS mode.
   *
   * @param volume - The volume.
   */
  localPath(volume: VolumeRef): ResultAsync<string, GpfsError>;
}

/**
 * Creates a driver. Never throws: invalid options give a driver whose methods all return
 * `Err({ kind: 'InvalidConfig' })`, with the error also in `driver.configError`.
 *
 * @param options - Runner, directories and the seed's options.
 * @returns The driver.
 * @example
 * ```ts
 * import { createGpfsDriver, createGpfsSimulator } from 'gpfs-volumes';
 * const driver = createGpfsDriver({ runner: createGpfsSimulator(), mountPointBase: '/gpfs0', maxCloneDepth: 4 });
 * const created = await driver.createVolume({ name: 'volume-1', sizeGiB: 10 });
 * ```
 */
export function createGpfsDriver(options: GpfsDriverOptions): GpfsDriver {
  const result = createGpfsDriverResult(options);
  return result.isOk() ? result.value : failedDriver(result.error);
}

/**
 * Creates a driver, or returns the options error up front.
 *
 * @param options - Runner, directories and the seed's options.
 * @returns `Ok(driver)`, or `Err(InvalidConfig)` listing every invalid option.
 * @example
 * ```ts
 * const driver = createGpfsDriverResult({ runner, mountPointBase: 'relative/path' });
 * if (driver.isErr()) console.error(driver.error.issues); // ['mountPointBase: must be an absolute path']
 * ```
 */
export function createGpfsDriverResult(options: GpfsDriverOptions): Result<GpfsDriver, InvalidConfigError> {
  const resolved = resolveOptions(options);
  if (resolved.isErr()) return err(resolved.error);
  const context: DriverContext = createDriverContext(resolved.value, runSetup);
  const extensions = createDriverExtensions(context, options);
  if (extensions.isErr()) return err(extensions.error);
  return ok({
    configError: null,
    plan: createDriverPlans(context),
    facts: () => context.facts.current(),
    setup: () => runOperation(context, 'setup', (runner) => runSetup(context, runner)),
    // Volume methods aware of consistency groups (`groupId`) and NFS mode (issue 8, extensions.ts); for
    // the base directory they run the operations of operations/ unchanged.
    ...extensions.value.volumes,
    getVolumeStats: (statsOptions) => runOperation(context, 'getVolumeStats', (runner) => getVolumeStats(context, runner, statsOptions?.refresh === true)),
    // Issue 8: groups, adoption, revert, garbage collection, inventory.
    ...extensions.value.methods,
    // Images, backup and restore, migration and retype (data-api.ts).
    ...createDataMethods(context),
  });
}

// --- Internal helpers ---

function failedDriver(error: InvalidConfigError): GpfsDriver {
  const fail = () => errAsync(error);
  const failPlan = () => err(error);
  return {
    configError: error,
    plan: {
      setup: failPlan,
      createVolume: failPlan,
      deleteVolume: failPlan,
      createSnapshot: failPlan,
      deleteSnapshot: failPlan,
      createVolumeFromSnapshot: failPlan,
      createClonedVolume: failPlan,
      extendVolume: failPlan,
      getVolumeStats: failPlan,
      ...failedDataPlans(error),
      ...failedExtensionPlans(error),
    },
    facts: () => null,
    setup: fail,
    createVolume: fail,
    deleteVolume: fail,
    createSnapshot: fail,
    deleteSnapshot: fail,
    createVolumeFromSnapshot: fail,
    createClonedVolume: fail,
    extendVolume: fail,
    getVolumeStats: fail,
    initializeConnection: fail,
    localPath: fail,
    ...failedExtensions(error),
    ...failedDataMethods(error),
  };
}
