/**
 * The shapes `migrateVolume` and `retype` take and return (the seed's semantics: cinder-gpfs-driver.md A.1).
 *
 * @module
 */
import type { VolumeRef } from './types.js';

/**
 * Where a volume should go: a backend, as its stats describe it.
 *
 * @example
 * ```ts
 * const host: MigrationHost = { host: 'node2@gpfs-b', capabilities: { locationInfo: 'GPFSDriver:13882361916354541312:/gpfs0/b' } };
 * ```
 */
export interface MigrationHost {
  /** The backend's host name (compared with `volume.host` by `retype`). */
  readonly host: string;
  /** Its capabilities: the destination driver's `getVolumeStats()` result fits here as it is. */
  readonly capabilities: {
    /** `<type>:<clusterId>:<mountPointBase>`, e.g. `GPFSDriver:13882361916354541312:/gpfs0/b` (`null`: unknown). */
    readonly locationInfo?: string | null;
  };
}

/**
 * Why a volume was, or was not, migrated by the driver. Every "not migrated" reason means nothing was
 * changed and the caller should fall back to a generic migration (copy the data to a new volume).
 *
 * @example
 * ```ts
 * const reason: MigrationReason = 'DestinationNotAllowed';
 * ```
 */
export type MigrationReason =
  | 'Moved'
  | 'SameLocation'
  | 'NoLocationInfo'
  | 'UnexpectedLocationInfo'
  | 'DifferentDriver'
  | 'DifferentCluster'
  | 'DestinationNotAllowed'
  | 'DestinationNotADirectory'
  | 'DestinationNotOnGpfs'
  | 'DifferentFilesystem'
  | 'DifferentFileset'
  | 'MoveFailed'
  | 'InConsistencyGroup';

/**
 * What `migrateVolume` did.
 *
 * @example
 * ```ts
 * const result: MigrationResult = { migrated: true, reason: 'Moved', path: '/gpfs0/b/v1', message: 'moved /gpfs0/a/v1 to /gpfs0/b/v1' };
 * ```
 */
export interface MigrationResult {
  /** `true` when the volume is now at the destination (moved, or already there). */
  readonly migrated: boolean;
  /** Why. */
  readonly reason: MigrationReason;
  /** The volume's file at the destination when migrated, else `null`. */
  readonly path: string | null;
  /** For people. */
  readonly message: string;
}

/**
 * A volume to retype: its name and the host it is on now.
 *
 * @example
 * ```ts
 * const volume: RetypeVolume = { name: 'v1', host: 'node1@gpfs-a' };
 * ```
 */
export interface RetypeVolume extends VolumeRef {
  /** The host the volume is on now; a different `host.host` asks for a migration. Omitted: no migration. */
  readonly host?: string;
}

/**
 * The differences between the old and the new volume type, as Cinder passes them: each extra spec that
 * changes, with its old and new value.
 *
 * @example
 * ```ts
 * const diff: RetypeDiff = { extraSpecs: { 'capabilities:storage_pool': ['system', 'fast'] } };
 * ```
 */
export interface RetypeDiff {
  /**
   * `'capabilities:storage_pool'`: the pool changes (`mmchattr -P`; a missing new value means `system`).
   * `'volume_backend_name'`: the backend changes (not retyped here: the caller migrates). Others are ignored.
   */
  readonly extraSpecs?: Readonly<Record<string, readonly [unknown, unknown] | undefined>>;
}

/**
 * What `retype` did.
 *
 * @example
 * ```ts
 * const result: RetypeResult = { retyped: true, reason: 'Done', storagePool: { from: 'system', to: 'fast', changed: true }, migration: null, message: 'pool fast' };
 * ```
 */
export interface RetypeResult {
  /**
   * `true` when every change asked for was made here (the pool, the host). `false` means the caller
   * should retype by migration; the seed answered `true` when either part worked, even when the pool
   * change had failed.
   */
  readonly retyped: boolean;
  /** `'Done'`, or why not: `'DifferentBackends'`, `'NothingToDo'`, `'PoolChangeFailed'`, `'NotMigrated'`, `'InConsistencyGroup'`. */
  readonly reason: 'Done' | 'DifferentBackends' | 'NothingToDo' | 'PoolChangeFailed' | 'NotMigrated' | 'InConsistencyGroup';
  /** The pool change asked for, and whether it was made; `null` when the pool does not change. */
  readonly storagePool: {
    /** Old pool (as given). */
    readonly from: string | null;
    /** New pool. */
    readonly to: string;
    /** Whether `mmchattr -P` succeeded. */
    readonly changed: boolean;
  } | null;
  /** The migration, when the host changes; else `null`. */
  readonly migration: MigrationResult | null;
  /** For people. */
  readonly message: string;
}
