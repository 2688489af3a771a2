/**
 * Building the simulated world from resolved options: the cluster, the local root disk with a small
 * Linux skeleton, and each GPFS file system with its pools and filesets.
 *
 * @module
 */
import type { ResolvedFilesystem, ResolvedOptions } from '../options.js';
import { createFileset, linkFileset } from './filesets.js';
import { allocateInodeNumber, createInode, ROOT_INODE_OFFSET, SNAPSHOT_DIR_INODE_OFFSET } from './inode.js';
import { attachEntry, ensureDirectories, ROOT, USER } from './namespace.js';
import type { CharDevice, ClusterNode, Filesystem, Inode, World } from './types.js';

/**
 * Creates a world in its initial state.
 *
 * @param options - Resolved simulator options.
 * @returns The world, with every initial inode marked as unchanged.
 */
export function createWorld(options: ResolvedOptions): World {
  const nodes: ClusterNode[] = options.nodes.map((node, index) => ({ name: node.name, number: index + 1, state: node.state, quorum: node.quorum }));
  const rootDisk = createRootDisk(options, options.startTimeMs);
  const world: World = {
    cluster: { name: options.clusterName, id: options.clusterId, minReleaseLevel: options.minReleaseLevel, daemonReleaseLevel: options.daemonReleaseLevel, nodes },
    rootDisk,
    gpfs: [],
    mountTable: new Map(),
    nowMs: options.startTimeMs,
    bootMs: options.startTimeMs,
  };
  buildSkeleton(world);
  options.filesystems.forEach((fsOptions, index) => {
    const mountParts = fsOptions.mountPoint.slice(1).split('/');
    ensureDirectories(world, rootDisk.root, mountParts, 0o755, ROOT);
    world.gpfs.push(createGpfs(world, fsOptions, index));
  });
  refreshMounts(world);
  for (const fs of world.gpfs) addInitialFilesets(world, fs, options.filesystems[fs.index] as ResolvedFilesystem);
  markAllUnchanged(world);
  return world;
}

/**
 * Recomputes which GPFS file systems are effectively mounted: administratively mounted and the local
 * node's daemon active.
 *
 * @param world - The simulated world.
 */
export function refreshMounts(world: World): void {
  world.mountTable.clear();
  if (localNode(world).state !== 'active') return;
  for (const fs of world.gpfs) if (fs.mounted) world.mountTable.set(fs.mountPoint, fs);
}

/**
 * The node commands run on.
 *
 * @param world - The simulated world.
 * @returns The first node.
 */
export function localNode(world: World): ClusterNode {
  return world.cluster.nodes[0] as ClusterNode;
}

/**
 * Finds a GPFS file system by device name (`gpfs0` or `/dev/gpfs0`).
 *
 * @param world - The simulated world.
 * @param device - Device name.
 * @returns The file system, or `undefined`.
 */
export function findFilesystem(world: World, device: string): Filesystem | undefined {
  const name = device.startsWith('/dev/') ? device.slice(5) : device;
  return world.gpfs.find((fs) => fs.device === name);
}

/**
 * Tells whether a GPFS file system is effectively mounted on the local node.
 *
 * @param world - The simulated world.
 * @param fs - A GPFS file system.
 * @returns `true` when paths under its mount point reach it.
 */
export function isMounted(world: World, fs: Filesystem): boolean {
  return world.mountTable.get(fs.mountPoint) === fs;
}

// --- Internal helpers ---

function createRootDisk(options: ResolvedOptions, nowMs: number): Filesystem {
  const placeholder = null as unknown as Inode;
  const fs: Filesystem = {
    kind: 'local',
    index: -1,
    device: options.rootDisk.device,
    mountPoint: '/',
    mounted: true,
    fsType: 'ext2/ext3',
    fsidHex: '6c3a0e52f4d91b07',
    deviceNumber: 0xfd01,
    blockSizeBytes: 4096,
    subblockBytes: 4096,
    capacityBytes: options.rootDisk.capacityBytes,
    baselineUsedBytes: Math.min(6 * 1024 ** 3, Math.floor(options.rootDisk.capacityBytes / 4)),
    totalInodes: Math.floor(options.rootDisk.capacityBytes / 16384),
    root: placeholder,
    inodeSpaces: new Map([[0, { next: 12 }]]),
    filesets: new Map(),
    nextFilesetId: 0,
    nextInodeSpace: 1,
    snapshots: [],
    nextSnapshotId: 1,
    snapshotsDir: null,
    pools: [],
    formatVersion: '',
    encryption: false,
    createdMs: nowMs,
    defaultDataReplicas: 1,
    maxDataReplicas: 1,
    defaultMetadataReplicas: 1,
    maxMetadataReplicas: 1,
    generation: 0,
    usage: null,
  };
  fs.root = createInode(fs, 2, 'dir', { mode: 0o755, uid: 0, gid: 0, nowMs, attributes: null });
  return fs;
}

function buildSkeleton(world: World): void {
  const root = world.rootDisk.root;
  for (const [path, mode, owner] of [
    ['dev', 0o755, ROOT],
    ['etc', 0o755, ROOT],
    ['home', 0o755, ROOT],
    ['home/sim', 0o755, USER],
    ['root', 0o700, ROOT],
    ['tmp', 0o1777, ROOT],
    ['usr', 0o755, ROOT],
    ['var', 0o755, ROOT],
    ['var/tmp', 0o1777, ROOT],
    ['var/lib', 0o755, ROOT],
  ] as const) {
    const directory = ensureDirectories(world, root, path.split('/'), mode, owner);
    directory.mode = mode;
  }
  const dev = root.entries?.get('dev') as Inode;
  for (const device of ['null', 'zero', 'urandom'] as CharDevice[]) {
    const inode = createInode(world.rootDisk, allocateInodeNumber(world.rootDisk, 0), 'chardev', { mode: 0o666, uid: 0, gid: 0, nowMs: world.nowMs, attributes: null });
    inode.device = device;
    attachEntry(world, dev, device, inode);
  }
}

function subblockSize(blockSizeBytes: number): number {
  if (blockSizeBytes >= 8 * 1024 * 1024) return 16 * 1024;
  if (blockSizeBytes >= 1024 * 1024) return 8 * 1024;
  return Math.max(2048, blockSizeBytes / 32);
}

function createGpfs(world: World, options: ResolvedFilesystem, index: number): Filesystem {
  const placeholder = null as unknown as Inode;
  let poolId = 65537;
  const fs: Filesystem = {
    kind: 'gpfs',
    index,
    device: options.device,
    mountPoint: options.mountPoint,
    mounted: options.mounted,
    fsType: 'gpfs',
    fsidHex: `ef00096${(index + 2).toString(16).padStart(8, '0')}`,
    deviceNumber: 0x2e + index,
    blockSizeBytes: options.blockSizeBytes,
    subblockBytes: subblockSize(options.blockSizeBytes),
    capacityBytes: options.capacityBytes,
    baselineUsedBytes: Math.min(Math.floor(options.capacityBytes / 200), 8 * 1024 ** 3),
    totalInodes: 1_000_448,
    root: placeholder,
    inodeSpaces: new Map(),
    filesets: new Map(),
    nextFilesetId: 1,
    nextInodeSpace: 1,
    snapshots: [],
    nextSnapshotId: 1,
    snapshotsDir: null,
    pools: options.pools.map((pool) => ({ ...pool, id: pool.name === 'system' ? 0 : poolId++ })),
    formatVersion: options.formatVersion,
    encryption: options.encryption,
    createdMs: world.nowMs - 86_400_000 * 30,
    defaultDataReplicas: options.defaultDataReplicas,
    maxDataReplicas: options.maxDataReplicas,
    defaultMetadataReplicas: options.defaultMetadataReplicas,
    maxMetadataReplicas: options.maxMetadataReplicas,
    generation: 0,
    usage: null,
  };
  const attributes = {
    pool: 'system',
    filesetId: 0,
    dataReplicas: fs.defaultDataReplicas,
    metadataReplicas: fs.defaultMetadataReplicas,
    directIo: false,
    writeAffinityDepth: 0,
    blockGroupFactor: 1,
    writeAffinityFailureGroup: '',
  };
  fs.root = createInode(fs, ROOT_INODE_OFFSET, 'dir', { mode: 0o755, uid: 0, gid: 0, nowMs: fs.createdMs, attributes });
  fs.snapshotsDir = createInode(fs, SNAPSHOT_DIR_INODE_OFFSET, 'dir', { mode: 0o555, uid: 0, gid: 0, nowMs: fs.createdMs, attributes });
  fs.snapshotsDir.isSnapshotsDir = true;
  fs.filesets.set('root', {
    name: 'root',
    id: 0,
    root: fs.root,
    status: 'Linked',
    junctionPath: fs.mountPoint,
    parentId: null,
    inodeSpace: 0,
    independent: true,
    createdMs: fs.createdMs,
    comment: 'root fileset',
    maxInodes: 1_000_448,
    snapshotsDir: null,
  });
  fs.root.filesetRootOf = fs.filesets.get('root') ?? null;
  return fs;
}

function addInitialFilesets(world: World, fs: Filesystem, options: ResolvedFilesystem): void {
  for (const filesetOptions of options.filesets) {
    const fileset = createFileset(world, fs, filesetOptions.name, { inodeSpace: filesetOptions.independent ? 'new' : null, comment: filesetOptions.comment });
    if (!('id' in fileset) || !filesetOptions.linked) continue;
    const parts = filesetOptions.junctionPath.slice(fs.mountPoint.length + 1).split('/');
    const name = parts.pop() as string;
    const directory = ensureDirectories(world, fs.root, parts, 0o755, ROOT);
    if (directory.entries?.has(name)) continue;
    linkFileset(world, fileset, directory, name, filesetOptions.junctionPath);
    fileset.root.mode = 0o755;
  }
}

function markAllUnchanged(world: World): void {
  for (const fs of [world.rootDisk, ...world.gpfs]) {
    const stack: Inode[] = [fs.root];
    for (const fileset of fs.filesets.values()) stack.push(fileset.root);
    while (stack.length > 0) {
      const inode = stack.pop() as Inode;
      if (!inode.changed) continue;
      inode.changed = false;
      for (const entry of inode.entries?.values() ?? []) stack.push(entry);
    }
  }
}
