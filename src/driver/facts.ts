/**
 * Cluster facts: what `setup()` finds, cached by the driver for every later operation (cluster id,
 * device, release levels, pool, filesets, encryption). Only the mount is re-verified per operation,
 * cheaply, in the same round trip as its first commands.
 *
 * @module
 */

/**
 * The lowest cluster daemon level and file system format level at which `mmclone` works.
 *
 * @example
 * ```ts
 * facts.clusterReleaseLevel >= CLONE_MIN_RELEASE_LEVEL; // true after a successful setup
 * ```
 */
export const CLONE_MIN_RELEASE_LEVEL = 1200;

/**
 * The lowest cluster daemon level at which the file system's encryption state can be queried.
 *
 * @example
 * ```ts
 * const canQueryEncryption = facts.clusterReleaseLevel >= ENCRYPTION_MIN_RELEASE_LEVEL;
 * ```
 */
export const ENCRYPTION_MIN_RELEASE_LEVEL = 1404;

/**
 * A GPFS directory the driver uses, as setup found it.
 *
 * @example
 * ```ts
 * const base: DirectoryFacts = { path: '/gpfs0/volumes', device: 'gpfs0', mountPoint: '/gpfs0', fileset: 'cinder-vols', formatLevel: 2200, formatVersion: '22.00 (5.0.4.0)' };
 * ```
 */
export interface DirectoryFacts {
  /** The directory (normalised). */
  readonly path: string;
  /** The file system device holding it, e.g. `'gpfs0'`. */
  readonly device: string;
  /** Mount point of that file system. */
  readonly mountPoint: string;
  /** The GPFS fileset it is in (names with `-` and `.` kept whole). */
  readonly fileset: string;
  /** Format level of its file system (integer, e.g. 2200 for `22.00`). */
  readonly formatLevel: number;
  /** Format version as printed, e.g. `'22.00 (5.0.4.0)'`. */
  readonly formatVersion: string;
}

/**
 * The storage pool new volumes go to, as `mmlspool` reported it.
 *
 * @example
 * ```ts
 * const pool: StoragePoolFacts = { name: 'system', totalDataKB: 10485760, freeDataKB: 9953792 };
 * ```
 */
export interface StoragePoolFacts {
  /** Pool name. */
  readonly name: string;
  /** Total data capacity of the pool, KiB (0 for a metadata-only pool). */
  readonly totalDataKB: number;
  /** Free data capacity, KiB. */
  readonly freeDataKB: number;
}

/**
 * What `setup()` found, and what the driver caches.
 *
 * @example
 * ```ts
 * const facts = (await driver.setup())._unsafeUnwrap();
 * console.log(facts.clusterId, facts.base.device, facts.encryption);
 * ```
 */
export interface ClusterFacts {
  /** The cluster id (`mmlsconfig clusterId`). */
  readonly clusterId: string;
  /** The cluster name, where the cluster reports one. */
  readonly clusterName: string | null;
  /** The node the runner reaches, as `mmgetstate` names it. */
  readonly node: string | null;
  /** Its GPFS state (always `'active'` after a successful setup). */
  readonly gpfsState: string;
  /** `minreleaseLeveldaemon` as an integer (e.g. 1504). */
  readonly clusterReleaseLevel: number;
  /** The volumes directory (`mountPointBase`). */
  readonly base: DirectoryFacts;
  /** The images directory, when configured. */
  readonly imagesDir: DirectoryFacts | null;
  /** For a configured images directory: whether it shares the base's file system, and its fileset. */
  readonly imagesShare: {
    /** Both directories are on one file system (`stat -f -c %i`). */
    readonly sameFilesystem: boolean;
    /** Both directories are in one fileset (`mmlsattr -L`). */
    readonly sameFileset: boolean;
  } | null;
  /** The storage pool new volumes are assigned to. */
  readonly storagePool: StoragePoolFacts;
  /**
   * Storage pools of the base's file system that hold data (`mmlspool <device> all`). When the only one
   * is the pool a volume asks for, `mmchattr -P <pool>` cannot change anything and is not sent. Run
   * setup again after adding a storage pool.
   */
  readonly dataPools: readonly string[];
  /**
   * Encryption at rest of the base's file system: `true`/`false`, or `null` when the cluster level is
   * below 1404 and cannot report it (upstream crashes there; this driver reports `null`).
   */
  readonly encryption: boolean | null;
  /** Size of the base's file system when setup ran, bytes. */
  readonly capacity: {
    /** Size, bytes. */
    readonly totalBytes: number;
    /** Available, bytes. */
    readonly availableBytes: number;
  };
}

/**
 * The driver's cache of {@link ClusterFacts}: filled by a successful setup, shared by concurrent callers.
 *
 * @example
 * ```ts
 * const cache = createFactsCache();
 * cache.current(); // null until setup succeeds
 * ```
 */
export interface FactsCache {
  /** The cached facts, or `null` before the first successful setup. */
  current(): ClusterFacts | null;
  /**
   * Stores facts from a successful setup.
   *
   * @param facts - What setup found.
   */
  store(facts: ClusterFacts): void;
}

/**
 * Makes an empty facts cache.
 *
 * @returns A cache holding nothing.
 * @example
 * ```ts
 * const cache = createFactsCache();
 * ```
 */
export function createFactsCache(): FactsCache {
  let facts: ClusterFacts | null = null;
  return {
    current: () => facts,
    store(next) {
      facts = next;
    },
  };
}
