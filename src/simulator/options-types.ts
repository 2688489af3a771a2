/**
 * Options of {@link createGpfsSimulator} and the latency model.
 *
 * @module
 */

/** Daemon state of a simulated node, as `mmgetstate` reports it. */
export type SimulatorNodeState = 'active' | 'arbitrating' | 'down' | 'unknown' | 'unresponsive';

/** A simulated cluster node. */
export interface SimulatorNodeOptions {
  /** Node name as `mmgetstate` prints it. */
  readonly name: string;
  /** Daemon state. @defaultValue 'active' */
  readonly state?: SimulatorNodeState;
  /** Whether it is a quorum node. @defaultValue true for the first three nodes */
  readonly quorum?: boolean;
}

/** A storage pool of a simulated file system. */
export interface SimulatorPoolOptions {
  /** Pool name (`system` always exists). */
  readonly name: string;
  /** Capacity in bytes. @defaultValue an equal share of the file system's capacity */
  readonly capacityBytes?: number;
  /** Holds file data. @defaultValue true */
  readonly data?: boolean;
  /** Holds metadata. @defaultValue true for `system`, false otherwise */
  readonly metadata?: boolean;
}

/** A fileset that exists when the simulator starts. */
export interface SimulatorFilesetOptions {
  /** Fileset name. */
  readonly name: string;
  /** Absolute junction path. @defaultValue `<mountPoint>/<name>` */
  readonly junctionPath?: string;
  /** Own inode space (`--inode-space new`). @defaultValue true */
  readonly independent?: boolean;
  /** Linked at its junction. @defaultValue true */
  readonly linked?: boolean;
  /** Comment shown by mmlsfileset. @defaultValue '' */
  readonly comment?: string;
}

/** A simulated GPFS file system. */
export interface SimulatorFilesystemOptions {
  /** Device name without `/dev/`, such as `gpfs0`. */
  readonly device: string;
  /** Absolute mount point, such as `/gpfs0`. */
  readonly mountPoint: string;
  /** `mmlsfs -V` value. @defaultValue '22.00 (5.0.4.0)' */
  readonly formatVersion?: string;
  /** Block size: a power of two from 64 KiB to 16 MiB. @defaultValue 4194304 */
  readonly blockSizeBytes?: number;
  /** Total capacity in bytes. @defaultValue 4 TiB */
  readonly capacityBytes?: number;
  /** Storage pools (names or descriptions). @defaultValue ['system'] */
  readonly pools?: readonly (string | SimulatorPoolOptions)[];
  /** Filesets besides `root` (names or descriptions). @defaultValue [] */
  readonly filesets?: readonly (string | SimulatorFilesetOptions)[];
  /** `mmlsfs --encryption`. @defaultValue false */
  readonly encryption?: boolean;
  /** Mounted on the local node. @defaultValue true */
  readonly mounted?: boolean;
  /** Default data replicas (`-r`). @defaultValue 1 */
  readonly defaultDataReplicas?: number;
  /** Maximum data replicas (`-R`). @defaultValue 2 */
  readonly maxDataReplicas?: number;
  /** Default metadata replicas (`-m`). @defaultValue 1 */
  readonly defaultMetadataReplicas?: number;
  /** Maximum metadata replicas (`-M`). @defaultValue 2 */
  readonly maxMetadataReplicas?: number;
}

/**
 * Virtual costs of commands. Running a command advances the simulator's clock by its cost instead of
 * sleeping, so benchmarks can report simulated wall time.
 */
export interface LatencyModel {
  /** Cost of one round trip: one `run`, or one whole `runBatch`. @defaultValue 5 */
  readonly roundTripMs: number;
  /** Base cost of an `mm*` command without its own entry in `commandMs`. @defaultValue 300 */
  readonly mmCommandMs: number;
  /** Base cost of any other command. @defaultValue 2 */
  readonly systemCommandMs: number;
  /** Base cost per command name, overriding the two defaults above. */
  readonly commandMs: Readonly<Record<string, number>>;
  /** Data throughput on GPFS, for dd, cp and qemu-img. @defaultValue 2 GiB/s */
  readonly gpfsBytesPerSecond: number;
  /** Data throughput on the local root disk. @defaultValue 500 MiB/s */
  readonly localBytesPerSecond: number;
}

/** The local root disk (everything outside a mounted GPFS mount point). */
export interface SimulatorRootDiskOptions {
  /** Device name `df` shows. @defaultValue '/dev/vda1' */
  readonly device?: string;
  /** Capacity in bytes. @defaultValue 40 GiB */
  readonly capacityBytes?: number;
}

/** Options of {@link createGpfsSimulator}. Every field is optional. */
export interface SimulatorOptions {
  /** @defaultValue '13882361916354541312' */
  readonly clusterId?: string;
  /** @defaultValue 'gpfs-sim.example.com' */
  readonly clusterName?: string;
  /** Nodes; the first is the local node. @defaultValue one active node `node1` */
  readonly nodes?: readonly SimulatorNodeOptions[];
  /** `mmlsconfig minReleaseLevel`. @defaultValue '5.0.4.0' */
  readonly minReleaseLevel?: string;
  /** `mmlsconfig minreleaseLeveldaemon`. @defaultValue 1504 */
  readonly daemonReleaseLevel?: number;
  /** GPFS file systems. @defaultValue one file system `gpfs0` mounted at `/gpfs0` */
  readonly filesystems?: readonly SimulatorFilesystemOptions[];
  /** The local root disk. */
  readonly rootDisk?: SimulatorRootDiskOptions;
  /** Overrides of the latency model. */
  readonly latency?: Partial<LatencyModel>;
  /** Working directory for relative paths. @defaultValue '/' */
  readonly cwd?: string;
  /** Virtual start time, in milliseconds since the epoch. @defaultValue 2024-01-15T09:30:00Z */
  readonly startTimeMs?: number;
  /** Keep at most this many entries in the command log (oldest dropped first). @defaultValue 100000 */
  readonly commandLogLimit?: number;
}
