/**
 * The driver methods that move volume data (images, backups) or volumes (migration, retype), and their
 * dry runs. `GpfsDriver` and `GpfsDriverPlans` extend these interfaces.
 *
 * Volumes of consistency groups (`groupId`) are not handled here yet: images are reported not
 * cloneable, migration and retype answer "not done" (the caller falls back), and backup and restore
 * return `Unsupported`.
 *
 * @module
 */
import { err, errAsync, okAsync, type Result, type ResultAsync } from 'neverthrow';
import type { ByteSink, ByteSource } from '../runners/types.js';
import { runOperation, type DriverContext } from './context.js';
import { unsupported, type GpfsError, type InvalidConfigError } from './errors.js';
import type { BackupResult, ImageVolumeOptions, ImageVolumeResult, RestoredVolume, StreamOptions } from './image-backup-types.js';
import type { MigrationHost, MigrationResult, RetypeDiff, RetypeResult, RetypeVolume } from './migration-types.js';
import { backupVolume } from './operations/backup-volume.js';
import { createVolumeFromImage } from './operations/create-volume-from-image.js';
import { migrateVolume } from './operations/migrate-volume.js';
import { restoreBackup } from './operations/restore-backup.js';
import { retype } from './operations/retype.js';
import { planBackupVolume } from './plans/backup.js';
import { planCreateVolumeFromImage } from './plans/image-volume.js';
import { isMigrationPlan, planMigrateVolume } from './plans/migrate.js';
import { planRestoreBackup } from './plans/restore.js';
import { planRetype } from './plans/retype.js';
import type { OperationPlan } from './plans/types.js';
import type { VolumeRef, VolumeSpec } from './types.js';

/**
 * Images, backups, migration and retype.
 *
 * @example
 * ```ts
 * const made = await driver.createVolumeFromImage({ name: 'v1', sizeGiB: 10 }, 'img-1');
 * await driver.backupVolume({ name: 'v1' }, (chunk) => { chunks.push(chunk); });
 * ```
 */
export interface GpfsDriverDataMethods {
  /**
   * Creates a volume from an image in `imagesDir` (the seed's clone_image): a raw image is cloned
   * (`copy_on_write`) or copied (`copy`), any other format converted to raw; the image's format is
   * probed on the image only. Not cloneable (images not configured, image missing or not on GPFS,
   * unknown format) is an `Ok` result with `cloned: false`, for the caller to fall back on.
   *
   * @param spec - The new volume.
   * @param imageId - The image's file name in `imagesDir`.
   * @param options - The declared disk format, checked against the probe.
   */
  createVolumeFromImage(spec: VolumeSpec, imageId: string, options?: ImageVolumeOptions): ResultAsync<ImageVolumeResult, GpfsError>;
  /**
   * Streams a point-in-time clone of a volume to `sink`, then deletes the clone (also on failure).
   *
   * @param volume - The volume.
   * @param sink - Receives the bytes in order; return a promise to apply back-pressure.
   * @param options - An abort signal.
   */
  backupVolume(volume: VolumeRef, sink: ByteSink, options?: StreamOptions): ResultAsync<BackupResult, GpfsError>;
  /**
   * Writes a backup stream over an existing volume (not a clone parent), keeping its size.
   *
   * @param source - The backup's bytes (an async iterable such as a Node `Readable`, or bytes).
   * @param volume - The volume.
   * @param options - An abort signal.
   */
  restoreBackup(source: ByteSource, volume: VolumeRef, options?: StreamOptions): ResultAsync<RestoredVolume, GpfsError>;
  /**
   * Moves a volume to another backend's directory of this cluster when `migrationDirectories` allows it.
   *
   * @param volume - The volume.
   * @param host - The destination, with its `locationInfo`.
   */
  migrateVolume(volume: VolumeRef, host: MigrationHost): ResultAsync<MigrationResult, GpfsError>;
  /**
   * Changes a volume's storage pool and, when its host changes, migrates it.
   *
   * @param volume - The volume and its current host.
   * @param diff - The extra-spec differences of the types.
   * @param host - The destination host.
   */
  retype(volume: RetypeVolume, diff: RetypeDiff, host: MigrationHost): ResultAsync<RetypeResult, GpfsError>;
}

/**
 * Dry runs of {@link GpfsDriverDataMethods}.
 *
 * @example
 * ```ts
 * driver.plan.backupVolume({ name: 'v1' }).map((plan) => plan.rounds.length);
 * ```
 */
export interface GpfsDriverDataPlans {
  /**
   * The createVolumeFromImage plan (no rounds when images are not configured).
   *
   * @param spec - The new volume.
   * @param imageId - The image.
   * @param options - The declared disk format.
   */
  createVolumeFromImage(spec: VolumeSpec, imageId: string, options?: ImageVolumeOptions): Result<OperationPlan, GpfsError>;
  /**
   * The backupVolume plan (work-file names use the tag `<tag>`).
   *
   * @param volume - The volume.
   */
  backupVolume(volume: VolumeRef): Result<OperationPlan, GpfsError>;
  /**
   * The restoreBackup plan.
   *
   * @param volume - The volume.
   */
  restoreBackup(volume: VolumeRef): Result<OperationPlan, GpfsError>;
  /**
   * The migrateVolume plan (no rounds when the answer needs no command).
   *
   * @param volume - The volume.
   * @param host - The destination.
   */
  migrateVolume(volume: VolumeRef, host: MigrationHost): Result<OperationPlan, GpfsError>;
  /**
   * The retype plan.
   *
   * @param volume - The volume and its host.
   * @param diff - The differences.
   * @param host - The destination host.
   */
  retype(volume: RetypeVolume, diff: RetypeDiff, host: MigrationHost): Result<OperationPlan, GpfsError>;
}

/**
 * Makes the methods of a driver.
 *
 * @param context - The driver context.
 * @returns The methods.
 * @example
 * ```ts
 * const driver = { ...coreMethods, ...createDataMethods(context) };
 * ```
 */
export function createDataMethods(context: DriverContext): GpfsDriverDataMethods {
  return {
    createVolumeFromImage: (spec, imageId, options) =>
      runOperation(context, 'createVolumeFromImage', (runner) =>
        spec?.groupId !== undefined
          ? okAsync<ImageVolumeResult, GpfsError>({
              cloned: false,
              reason: 'InConsistencyGroup',
              imagePath: null,
              message: 'volumes of consistency groups are not cloned from images here; copy the image another way',
            })
          : createVolumeFromImage(context, runner, spec, imageId, options),
      ),
    backupVolume: (volume, sink, options) =>
      runOperation(context, 'backupVolume', (runner) => (volume?.groupId !== undefined ? errAsync(inGroup('backupVolume')) : backupVolume(context, runner, volume, sink, options))),
    restoreBackup: (source, volume, options) =>
      runOperation(context, 'restoreBackup', (runner) => (volume?.groupId !== undefined ? errAsync(inGroup('restoreBackup')) : restoreBackup(context, runner, source, volume, options))),
    migrateVolume: (volume, host) =>
      runOperation(context, 'migrateVolume', (runner) =>
        volume?.groupId !== undefined
          ? okAsync<MigrationResult, GpfsError>({ migrated: false, reason: 'InConsistencyGroup', path: null, message: 'volumes of consistency groups are migrated generically' })
          : migrateVolume(context, runner, volume, host),
      ),
    retype: (volume, diff, host) =>
      runOperation(context, 'retype', (runner) =>
        volume?.groupId !== undefined
          ? okAsync<RetypeResult, GpfsError>({ retyped: false, reason: 'InConsistencyGroup', storagePool: null, migration: null, message: 'volumes of consistency groups are retyped generically' })
          : retype(context, runner, volume, diff, host),
      ),
  };
}

/**
 * The dry runs of a driver.
 *
 * @param context - The driver context.
 * @returns The plan functions.
 * @example
 * ```ts
 * const plans = { ...corePlans, ...createDataPlans(context) };
 * ```
 */
export function createDataPlans(context: DriverContext): GpfsDriverDataPlans {
  const { options } = context;
  const facts = () => context.facts.current();
  return {
    createVolumeFromImage: (spec, imageId, imageOptions) => planCreateVolumeFromImage(options, spec, imageId, imageOptions, facts()?.dataPools ?? null),
    backupVolume: (volume) => planBackupVolume(options, volume, '<tag>'),
    restoreBackup: (volume) => planRestoreBackup(options, volume),
    migrateVolume: (volume, host) =>
      planMigrateVolume(options, facts()?.clusterId ?? null, volume, host).map((planned) => (isMigrationPlan(planned) ? planned : { operation: 'migrateVolume', rounds: [] })),
    retype: (volume, diff, host) => {
      const current = facts();
      return planRetype(options, current === null ? null : { clusterId: current.clusterId, device: current.base.device }, volume, diff, host);
    },
  };
}

/**
 * The methods of a driver whose options were invalid: each returns the options error.
 *
 * @param error - The options error.
 * @returns Methods that fail.
 * @example
 * ```ts
 * const failed = failedDataMethods(invalidConfig(['mountPointBase: must be an absolute path']));
 * ```
 */
export function failedDataMethods(error: InvalidConfigError): GpfsDriverDataMethods {
  const fail = () => errAsync(error);
  return { createVolumeFromImage: fail, backupVolume: fail, restoreBackup: fail, migrateVolume: fail, retype: fail };
}

/**
 * The dry runs of a driver whose options were invalid.
 *
 * @param error - The options error.
 * @returns Plan functions that fail.
 * @example
 * ```ts
 * const failed = failedDataPlans(invalidConfig(['mountPointBase: must be an absolute path']));
 * ```
 */
export function failedDataPlans(error: InvalidConfigError): GpfsDriverDataPlans {
  const fail = () => err(error);
  return { createVolumeFromImage: fail, backupVolume: fail, restoreBackup: fail, migrateVolume: fail, retype: fail };
}

// --- Internal helpers ---

function inGroup(operation: string): GpfsError {
  return unsupported(operation, `${operation} of volumes in consistency groups is not supported yet; use a generic ${operation === 'backupVolume' ? 'backup' : 'restore'}`);
}
