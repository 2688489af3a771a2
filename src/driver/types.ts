/**
 * The shapes driver methods take and return.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from './errors.js';
import type { VolumeMetadata } from './metadata.js';

/**
 * A volume, by name.
 *
 * @example
 * ```ts
 * const volume: VolumeRef = { name: 'volume-1' };
 * ```
 */
export interface VolumeRef {
  /** The volume's name: one safe path component. */
  readonly name: string;
  /**
   * The consistency group the volume belongs to: its file is then `<mountPointBase>/consisgroup-<groupId>/<name>`.
   * Omit it for volumes of the base directory.
   */
  readonly groupId?: string;
}

/**
 * A volume to create.
 *
 * @example
 * ```ts
 * const spec: VolumeSpec = { name: 'volume-1', sizeGiB: 10, metadata: { fstype: 'ext4', fslabel: 'data' } };
 * ```
 */
export interface VolumeSpec extends VolumeRef {
  /** Size in GiB, a whole number of at least 1. */
  readonly sizeGiB: number;
  /**
   * Volume metadata: `data_pool_name`, `replicas`, `dio`, `write_affinity_depth`, `block_group_factor`,
   * `write_affinity_failure_group` (set with `mmchattr`), `fstype` and `fslabel` (`mkfs`/`mkswap`, for
   * new empty volumes only). Other keys are ignored.
   */
  readonly metadata?: VolumeMetadata;
}

/**
 * A snapshot: a read-only clone parent beside its volume.
 *
 * @example
 * ```ts
 * const snapshot: SnapshotRef = { name: 'snapshot-1', volumeName: 'volume-1' };
 * ```
 */
export interface SnapshotRef {
  /** The snapshot's name. */
  readonly name: string;
  /** The name of the volume it was (or will be) taken of. */
  readonly volumeName: string;
  /** The consistency group of that volume (the snapshot lives beside it); omit it for the base directory. */
  readonly groupId?: string;
}

/**
 * A volume the driver made.
 *
 * @example
 * ```ts
 * const created: CreatedVolume = { name: 'volume-1', path: '/gpfs0/volumes/volume-1', sizeGiB: 10 };
 * ```
 */
export interface CreatedVolume {
  /** Its name. */
  readonly name: string;
  /** Its file on GPFS. */
  readonly path: string;
  /** Its size in GiB (rounded up from the file's virtual size for clones). */
  readonly sizeGiB: number;
}

/**
 * A snapshot the driver made.
 *
 * @example
 * ```ts
 * const created: CreatedSnapshot = { name: 'snapshot-1', volumeName: 'volume-1', path: '/gpfs0/volumes/snapshot-1', redirected: false };
 * ```
 */
export interface CreatedSnapshot extends SnapshotRef {
  /** Its file on GPFS. */
  readonly path: string;
  /** Whether the volume was redirected to keep its clone chain within `maxCloneDepth`. */
  readonly redirected: boolean;
}

/**
 * What deleting a volume did.
 *
 * @example
 * ```ts
 * const result: DeletedVolume = { name: 'volume-1', path: '/gpfs0/volumes/volume-1', existed: true, removed: ['/gpfs0/volumes/volume-1', '/gpfs0/volumes/snap-1.ts'], kept: [] };
 * ```
 */
export interface DeletedVolume {
  /** The volume's name. */
  readonly name: string;
  /** Its path. */
  readonly path: string;
  /** `false` when there was nothing to delete (deleting is idempotent). */
  readonly existed: boolean;
  /** Files removed: the volume, then each disposable ancestor that was left without children. */
  readonly removed: readonly string[];
  /** Ancestors kept, and why (still has children, not disposable, ...). */
  readonly kept: readonly {
    /** The ancestor (or `inode N (outside ...)` for a parent outside the listed directories). */
    readonly path: string;
    /** Why it stays: `StillHasChildren`, `NotDisposable`, `OutsideListedDirectories`, `RemovalRefused`, ... */
    readonly reason: string;
  }[];
}

/**
 * What deleting a snapshot did.
 *
 * @example
 * ```ts
 * const result: DeletedSnapshot = { name: 'snapshot-1', volumeName: 'volume-1', status: 'tombstoned', tombstonePath: '/gpfs0/volumes/snapshot-1.ts' };
 * ```
 */
export interface DeletedSnapshot extends SnapshotRef {
  /**
   * `'removed'`: the file is gone. `'tombstoned'`: clones still depend on it, so it was renamed to a
   * `.ts` tombstone that deleting its last clone collects. `'absent'`: it was already deleted.
   */
  readonly status: 'removed' | 'tombstoned' | 'absent';
  /** The tombstone, when `status` is `'tombstoned'`. */
  readonly tombstonePath: string | null;
}

/**
 * What `initializeConnection` returns: how a consumer attaches the volume.
 *
 * @example
 * ```ts
 * const info: ConnectionInfo = { driverVolumeType: 'gpfs', data: { name: 'volume-1', devicePath: '/gpfs0/volumes/volume-1' } };
 * ```
 */
export interface ConnectionInfo {
  /** Always `'gpfs'` (what Nova's GPFS volume driver expects). */
  readonly driverVolumeType: 'gpfs';
  /** Connection data. */
  readonly data: {
    /** The volume's name. */
    readonly name: string;
    /** The volume file. */
    readonly devicePath: string;
  };
}

/**
 * Checks that a size is a whole number of GiB, at least 1.
 *
 * @param sizeGiB - Candidate size (any value).
 * @param argument - Argument name for the error.
 * @returns `Ok(size)` or `InvalidArgument`.
 * @example
 * ```ts
 * validateSize(10, 'sizeGiB'); // Ok(10)
 * validateSize(0, 'sizeGiB');  // Err(InvalidArgument)
 * ```
 */
export function validateSize(sizeGiB: unknown, argument: string): Result<number, InvalidArgumentError> {
  if (typeof sizeGiB !== 'number' || !Number.isSafeInteger(sizeGiB) || sizeGiB < 1 || sizeGiB > 1024 ** 3) {
    return err(invalidArgument(argument, `${argument} must be a whole number of GiB from 1 to ${1024 ** 3} (got ${String(sizeGiB)}). Nothing was run.`));
  }
  return ok(sizeGiB);
}

/**
 * The values of several results, or the first error among them (in order).
 *
 * @param results - Results to combine, as a tuple.
 * @returns `Ok` of the tuple of values, or the first `Err`.
 * @example
 * ```ts
 * allOk([validateName('v1', 'volume'), validateSize(10, 'sizeGiB')] as const); // Ok(['v1', 10])
 * ```
 */
export function allOk<const T extends readonly Result<unknown, unknown>[]>(results: T): Result<ResultValues<T>, ResultErrors<T>> {
  const values: unknown[] = [];
  for (const result of results) {
    if (result.isErr()) return err(result.error as ResultErrors<T>);
    values.push(result.value);
  }
  return ok(values as ResultValues<T>);
}

/**
 * The tuple of `Ok` value types of a tuple of results.
 *
 * @example
 * ```ts
 * type Values = ResultValues<[Result<string, Error>, Result<number, Error>]>; // [string, number]
 * ```
 */
export type ResultValues<T extends readonly Result<unknown, unknown>[]> = {
  -readonly [K in keyof T]: T[K] extends Result<infer V, unknown> ? V : never;
};

/**
 * The union of `Err` types of a tuple of results.
 *
 * @example
 * ```ts
 * type Errors = ResultErrors<[Result<string, TypeError>, Result<number, RangeError>]>; // TypeError | RangeError
 * ```
 */
export type ResultErrors<T extends readonly Result<unknown, unknown>[]> = T[number] extends Result<unknown, infer E> ? E : never;
