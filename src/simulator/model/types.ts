/**
 * The simulator's in-memory model: file systems, inodes, filesets, snapshots and the cluster.
 *
 * Internal: nothing here is exported from the package. Objects are mutable and reference each other
 * (clone parents, directory parents), so commands update them in place without copying.
 *
 * @module
 */

/** What an inode is. */
export type InodeType = 'file' | 'dir' | 'symlink' | 'chardev';

/** Character devices the root disk provides under /dev. */
export type CharDevice = 'zero' | 'null' | 'urandom';

/** GPFS per-file attributes (absent on the root disk). */
export interface GpfsAttributes {
  pool: string;
  filesetId: number;
  dataReplicas: number;
  metadataReplicas: number;
  directIo: boolean;
  writeAffinityDepth: number;
  blockGroupFactor: number;
  writeAffinityFailureGroup: string;
}

/** One file, directory, symbolic link or device. */
export interface Inode {
  readonly ino: number;
  readonly fs: Filesystem;
  readonly type: InodeType;
  mode: number;
  uid: number;
  gid: number;
  /** Directory entries naming this inode (files, links, devices). Directories compute their own. */
  nameCount: number;
  mtimeMs: number;
  ctimeMs: number;
  readonly birthMs: number;
  sizeBytes: number;
  /** Content blocks keyed by block index. An empty array is an allocated block of zeros. */
  blocks: Map<number, Uint8Array>;
  /** Block indices whose arrays only this inode references, so they may be changed in place. */
  owned: Set<number>;
  /** Clone children read blocks below this index through their parent. */
  inheritLimitBlocks: number;
  cloneParent: Inode | null;
  /** Non-null exactly when the file is a clone parent (read-only). */
  cloneChildren: Set<Inode> | null;
  cloneDepth: number | null;
  /** Directory entries, in creation order. */
  entries: Map<string, Inode> | null;
  /** For directories: the directory holding this one (null at a file system or fileset root). */
  parentDir: Inode | null;
  symlinkTarget: string | null;
  device: CharDevice | null;
  attributes: GpfsAttributes | null;
  /** Set on the root directory of a fileset. */
  filesetRootOf: Fileset | null;
  /** Set on the frozen copies that make up a snapshot: they are read-only. */
  snapshot: Snapshot | null;
  /** A virtual `.snapshots` directory (read-only, hidden from directory listings). */
  isSnapshotsDir: boolean;
  /** A clone parent whose snapshot was deleted: reads through it fail with EIO. */
  lost: boolean;
  /** Created or changed after the simulator started (used to list root-disk writes). */
  changed: boolean;
}

/** A storage pool of a GPFS file system. */
export interface Pool {
  readonly name: string;
  readonly id: number;
  readonly capacityBytes: number;
  readonly data: boolean;
  readonly metadata: boolean;
}

/** A GPFS fileset. */
export interface Fileset {
  readonly name: string;
  readonly id: number;
  readonly root: Inode;
  status: 'Linked' | 'Unlinked';
  /** Absolute junction path while linked. */
  junctionPath: string | null;
  readonly parentId: number | null;
  readonly inodeSpace: number;
  readonly independent: boolean;
  readonly createdMs: number;
  readonly comment: string;
  readonly maxInodes: number;
  /** The `.snapshots` directory of an independent fileset (fileset snapshots). */
  readonly snapshotsDir: Inode | null;
}

/** A global or fileset snapshot: a frozen copy of a directory tree. */
export interface Snapshot {
  readonly name: string;
  readonly id: number;
  /** Fileset name for a fileset snapshot, `null` for a global snapshot. */
  readonly filesetName: string | null;
  readonly createdMs: number;
  readonly root: Inode;
}

/** Space used, cached per mutation generation. */
export interface UsageCache {
  generation: number;
  usedBytes: number;
  usedInodes: number;
  usedByPool: Map<string, number>;
}

/** A GPFS file system or the local root disk. */
export interface Filesystem {
  readonly kind: 'gpfs' | 'local';
  readonly index: number;
  /** `gpfs0` for GPFS, `/dev/vda1` for the root disk. */
  readonly device: string;
  readonly mountPoint: string;
  /** Administratively mounted on the local node (effective only while the node is active). */
  mounted: boolean;
  readonly fsType: string;
  readonly fsidHex: string;
  readonly deviceNumber: number;
  readonly blockSizeBytes: number;
  readonly subblockBytes: number;
  readonly capacityBytes: number;
  /** Bytes counted as used before any file exists (logs, metadata, the operating system). */
  readonly baselineUsedBytes: number;
  readonly totalInodes: number;
  root: Inode;
  readonly inodeSpaces: Map<number, { next: number }>;
  readonly filesets: Map<string, Fileset>;
  nextFilesetId: number;
  nextInodeSpace: number;
  readonly snapshots: Snapshot[];
  nextSnapshotId: number;
  /** The `.snapshots` directory at the file system root (global snapshots). */
  snapshotsDir: Inode | null;
  readonly pools: readonly Pool[];
  readonly formatVersion: string;
  readonly encryption: boolean;
  readonly createdMs: number;
  readonly defaultDataReplicas: number;
  readonly maxDataReplicas: number;
  readonly defaultMetadataReplicas: number;
  readonly maxMetadataReplicas: number;
  /** Bumped on every change, to invalidate {@link UsageCache}. */
  generation: number;
  usage: UsageCache | null;
}

/** Daemon states mmgetstate reports. */
export type NodeState = 'active' | 'arbitrating' | 'down' | 'unknown' | 'unresponsive';

/** A cluster node. */
export interface ClusterNode {
  readonly name: string;
  readonly number: number;
  state: NodeState;
  readonly quorum: boolean;
}

/** The cluster-wide configuration. */
export interface Cluster {
  readonly name: string;
  readonly id: string;
  readonly minReleaseLevel: string;
  readonly daemonReleaseLevel: number;
  readonly nodes: ClusterNode[];
}

/** The whole simulated world. */
export interface World {
  readonly cluster: Cluster;
  readonly rootDisk: Filesystem;
  readonly gpfs: Filesystem[];
  /** Effectively mounted GPFS file systems by mount point; see `refreshMounts`. */
  readonly mountTable: Map<string, Filesystem>;
  /** Virtual time, in milliseconds since the Unix epoch. */
  nowMs: number;
  readonly bootMs: number;
}
