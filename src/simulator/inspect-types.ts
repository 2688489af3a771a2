/**
 * What the simulator's inspection API returns: plain data that compares with `toEqual`.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { SimulatorError } from './simulator-error.js';

/** Clone relations of a file. */
export interface FileCloneInfo {
  /** The file is a (read-only) clone parent. */
  readonly isParent: boolean;
  /** Depth recorded at creation (not updated when an ancestor is redirected or split). */
  readonly depth: number | null;
  /** Inode of its clone parent, or `null`. */
  readonly parentInode: number | null;
  /** Path of its clone parent (a snapshot path for snapshot parents), or `null`. */
  readonly parentPath: string | null;
  /** Number of clone children. */
  readonly children: number;
}

/** A file system signature found in a file's first blocks. */
export interface FilesystemSignatureInfo {
  /** blkid's type: `ext4`, `xfs`, `vfat`, `btrfs`, `swap`, ... */
  readonly type: string;
  /** The label, `''` when none. */
  readonly label: string;
}

/** A file, directory, link or device as the simulator sees it. */
export interface SimulatedFile {
  /** Absolute path (GPFS files under their mount point even while unmounted). */
  readonly path: string;
  /** `gpfs0`, or the root disk device such as `/dev/vda1`. */
  readonly device: string;
  /** `gpfs` or `local` (the root disk). */
  readonly filesystem: 'gpfs' | 'local';
  /** `file`, `directory`, `symlink` or `chardev`. */
  readonly type: 'file' | 'directory' | 'symlink' | 'chardev';
  /** Inode number. */
  readonly inode: number;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Bytes allocated on disk (0 for sparse files and clones that wrote nothing). */
  readonly allocatedBytes: number;
  /** Permission bits, such as `0o660`. */
  readonly mode: number;
  /** Owner user id. */
  readonly uid: number;
  /** Owner group id. */
  readonly gid: number;
  /** Link count as stat reports it (1 + children for clone parents). */
  readonly links: number;
  /** GPFS storage pool, or `null` on the root disk. */
  readonly pool: string | null;
  /** GPFS fileset, or `null` on the root disk. */
  readonly fileset: string | null;
  /** GPFS data replicas, or `null`. */
  readonly dataReplicas: number | null;
  /** GPFS metadata replicas, or `null`. */
  readonly metadataReplicas: number | null;
  /** Clone relations, or `null` for a file that is not a clone or clone parent. */
  readonly clone: FileCloneInfo | null;
  /** Snapshot holding this copy, or `null` for the active file. */
  readonly snapshot: string | null;
  /** File system signature written by mkfs or mkswap, or `null`. */
  readonly filesystemSignature: FilesystemSignatureInfo | null;
  /** Format qemu-img detects by probing (`raw` or `qcow2`), or `null` for non-files. */
  readonly imageFormat: 'raw' | 'qcow2' | null;
  /** Symbolic link target, or `null`. */
  readonly symlinkTarget: string | null;
  /** Content digest (`sha256:...`), `null` when unreadable or not a file, absent unless asked for. */
  readonly digest?: string | null;
}

/** A GPFS clone relation, shaped like the clone-tree planner's `CloneEntry`. */
export interface SimulatedCloneEntry {
  /** File path. */
  readonly path: string;
  /** Inode number. */
  readonly inode: number;
  /** Whether it is a clone parent. */
  readonly isParent: boolean;
  /** Recorded depth. */
  readonly depth: number | null;
  /** Inode of its parent, or `null` for a root of the forest. */
  readonly parentInode: number | null;
  /** Device of the file system. */
  readonly device: string;
}

/** A node in a state snapshot. */
export interface NodeStateInfo {
  /** Node name. */
  readonly name: string;
  /** Daemon state. */
  readonly state: string;
}

/** Cluster identity and nodes in a state snapshot. */
export interface ClusterStateInfo {
  /** Cluster name. */
  readonly name: string;
  /** Cluster id. */
  readonly id: string;
  /** Nodes, local node first. */
  readonly nodes: readonly NodeStateInfo[];
}

/** A fileset in a state snapshot. */
export interface FilesetStateInfo {
  /** Fileset name. */
  readonly name: string;
  /** Fileset id. */
  readonly id: number;
  /** `Linked` or `Unlinked`. */
  readonly status: string;
  /** Junction path while linked. */
  readonly junctionPath: string | null;
  /** Owns an inode space. */
  readonly independent: boolean;
  /** Inode of its root directory. */
  readonly rootInode: number;
}

/** A snapshot in a state snapshot. */
export interface SnapshotStateInfo {
  /** Snapshot name. */
  readonly name: string;
  /** Snapshot id. */
  readonly id: number;
  /** Fileset of a fileset snapshot, `null` for a global one. */
  readonly fileset: string | null;
}

/** A GPFS file system in a state snapshot. */
export interface FilesystemStateInfo {
  /** Device name. */
  readonly device: string;
  /** Mount point. */
  readonly mountPoint: string;
  /** Administratively mounted on the local node. */
  readonly mounted: boolean;
  /** Bytes in use. */
  readonly usedBytes: number;
  /** Filesets by id. */
  readonly filesets: readonly FilesetStateInfo[];
  /** Snapshots in creation order. */
  readonly snapshots: readonly SnapshotStateInfo[];
}

/** Mount state of a GPFS file system. */
export interface MountInfo {
  /** Device name. */
  readonly device: string;
  /** Mount point. */
  readonly mountPoint: string;
  /** Administratively mounted. */
  readonly mounted: boolean;
  /** Mounted and the local daemon active: paths under the mount point reach GPFS. */
  readonly effective: boolean;
}

/** The whole simulated state as plain data, without times (so that equal states compare equal). */
export interface SimulatorStateSnapshot {
  /** Cluster identity and node states. */
  readonly cluster: ClusterStateInfo;
  /** GPFS file systems with their mount state, filesets, snapshots and space use. */
  readonly filesystems: readonly FilesystemStateInfo[];
  /** Every GPFS file (active, in unlinked filesets and in snapshots) and every root-disk file changed since start, with digests. */
  readonly files: readonly SimulatedFile[];
}

/** Options of {@link SimulatorInspector.files}. */
export interface ListFilesOptions {
  /** Only this device (`gpfs0`, or the root disk device). */
  readonly device?: string;
  /** Only paths equal to or below this absolute path. */
  readonly under?: string;
  /** Include snapshot copies (under `.snapshots`). @defaultValue false */
  readonly includeSnapshots?: boolean;
  /** Compute content digests. @defaultValue false */
  readonly digests?: boolean;
}

/** The inspection API of a simulator. */
export interface SimulatorInspector {
  /**
   * Lists files with their attributes, sorted by path.
   *
   * @param options - Filters.
   * @returns The files.
   */
  files(options?: ListFilesOptions): readonly SimulatedFile[];
  /**
   * Describes one path (following symbolic links).
   *
   * @param path - Absolute path.
   * @returns The file, or `NotFound`.
   */
  file(path: string): Result<SimulatedFile, SimulatorError>;
  /**
   * Reads a file's content.
   *
   * @param path - Absolute path.
   * @param range - Byte range. @defaultValue the whole file (at most 256 MiB)
   * @returns The bytes.
   */
  readContent(path: string, range?: { readonly offset?: number; readonly length?: number }): Result<Uint8Array, SimulatorError>;
  /**
   * Reads a file's content as UTF-8 text.
   *
   * @param path - Absolute path.
   * @returns The text.
   */
  readText(path: string): Result<string, SimulatorError>;
  /**
   * Digests a file's content. Equal content gives equal digests whatever the layout (holes, zero
   * blocks, clone parents), so tests can prove that a volume's content survived.
   *
   * @param path - Absolute path.
   * @returns `sha256:<hex>`.
   */
  digest(path: string): Result<string, SimulatorError>;
  /**
   * Clone relations of every clone and clone parent.
   *
   * @param device - Only this file system.
   * @returns Entries, shaped like the clone-tree planner's input.
   */
  cloneForest(device?: string): readonly SimulatedCloneEntry[];
  /** Files and directories on the local root disk created or changed since the simulator started. */
  localDiskWrites(): readonly SimulatedFile[];
  /** Mount state of each GPFS file system. */
  mounts(): readonly MountInfo[];
  /** The whole state as plain data that compares with `toEqual`. */
  snapshotState(): SimulatorStateSnapshot;
  /** Unexpected exceptions inside the simulator (a simulator bug when not empty). */
  internalErrors(): readonly string[];
}
