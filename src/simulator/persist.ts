/**
 * Saving a simulator's whole state as JSON and loading it back (used by the `gpfs-sim` executable,
 * whose state lives in a directory between invocations).
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { CommandLogEntry } from './command-log.js';
import type { FaultSpec } from './faults.js';
import type { CharDevice, Fileset, Filesystem, GpfsAttributes, Inode, InodeType, NodeState, Snapshot } from './model/types.js';
import { createWorld, refreshMounts } from './model/world.js';
import { resolveSimulatorOptions } from './options.js';
import type { SimulatorOptions } from './options-types.js';
import { assemble, COUNTERS, ENGINE, PARTS, type InternalSimulator } from './simulator.js';
import { simulatorError, type SimulatorError } from './simulator-error.js';

/** Format version of saved state. */
export const STATE_VERSION = 1;

interface SavedInode {
  ino: number;
  fs: number;
  type: InodeType;
  mode: number;
  uid: number;
  gid: number;
  nameCount: number;
  mtimeMs: number;
  ctimeMs: number;
  birthMs: number;
  sizeBytes: number;
  blocks: [number, number][];
  inheritLimitBlocks: number;
  cloneParent: number | null;
  cloneChildren: number[] | null;
  cloneDepth: number | null;
  entries: [string, number][] | null;
  parentDir: number | null;
  symlinkTarget: string | null;
  device: CharDevice | null;
  attributes: GpfsAttributes | null;
  filesetRootOf: string | null;
  snapshot: number | null;
  isSnapshotsDir: boolean;
  lost: boolean;
  changed: boolean;
}

interface SavedFilesystem {
  mounted: boolean;
  root: number;
  snapshotsDir: number | null;
  inodeSpaces: [number, number][];
  nextFilesetId: number;
  nextInodeSpace: number;
  nextSnapshotId: number;
  filesets: {
    name: string;
    id: number;
    root: number;
    status: 'Linked' | 'Unlinked';
    junctionPath: string | null;
    parentId: number | null;
    inodeSpace: number;
    independent: boolean;
    createdMs: number;
    comment: string;
    maxInodes: number;
    snapshotsDir: number | null;
  }[];
  snapshots: { name: string; id: number; filesetName: string | null; createdMs: number; root: number }[];
}

/** A simulator's state as plain JSON data. */
export interface SavedState {
  readonly version: number;
  readonly options: SimulatorOptions;
  readonly nowMs: number;
  readonly nodes: { name: string; state: NodeState }[];
  readonly filesystems: SavedFilesystem[];
  readonly rootDisk: { root: number; inodeSpaces: [number, number][] };
  readonly inodes: SavedInode[];
  readonly blocks: string[];
  readonly counters: { commands: number; roundTrips: number };
  readonly log: CommandLogEntry[];
  readonly faults: { spec: FaultSpec; matched: number; fired: number }[];
}

/**
 * Saves a simulator's state.
 *
 * @param simulator - A simulator from createGpfsSimulator or {@link loadState}.
 * @param options - The options it was created with.
 * @returns JSON-serialisable state.
 */
export function saveState(simulator: InternalSimulator, options: SimulatorOptions): SavedState {
  const world = simulator[ENGINE].world;
  const inodeIds = new Map<Inode, number>();
  const queue: Inode[] = [];
  const blockIds = new Map<Uint8Array, number>();
  const blocks: string[] = [];
  const snapshotKeys = new Map<Snapshot, number>();
  const allFilesystems: Filesystem[] = [world.rootDisk, ...world.gpfs];
  allFilesystems.forEach((fs) => fs.snapshots.forEach((snapshot) => snapshotKeys.set(snapshot, (fs.index + 1) * 1_000_000 + snapshot.id)));
  const ref = (inode: Inode | null): number | null => {
    if (inode === null) return null;
    let id = inodeIds.get(inode);
    if (id === undefined) {
      id = inodeIds.size;
      inodeIds.set(inode, id);
      queue.push(inode);
    }
    return id;
  };
  const blockRef = (block: Uint8Array): number => {
    let id = blockIds.get(block);
    if (id === undefined) {
      id = blocks.length;
      blockIds.set(block, id);
      blocks.push(Buffer.from(block.buffer, block.byteOffset, block.length).toString('base64'));
    }
    return id;
  };
  const filesystems: SavedFilesystem[] = world.gpfs.map((fs) => ({
    mounted: fs.mounted,
    root: ref(fs.root) as number,
    snapshotsDir: ref(fs.snapshotsDir),
    inodeSpaces: [...fs.inodeSpaces].map(([space, value]) => [space, value.next]),
    nextFilesetId: fs.nextFilesetId,
    nextInodeSpace: fs.nextInodeSpace,
    nextSnapshotId: fs.nextSnapshotId,
    filesets: [...fs.filesets.values()].map((fileset) => ({ ...fileset, root: ref(fileset.root) as number, snapshotsDir: ref(fileset.snapshotsDir) })),
    snapshots: fs.snapshots.map((snapshot) => ({ name: snapshot.name, id: snapshot.id, filesetName: snapshot.filesetName, createdMs: snapshot.createdMs, root: ref(snapshot.root) as number })),
  }));
  const rootDisk = { root: ref(world.rootDisk.root) as number, inodeSpaces: [...world.rootDisk.inodeSpaces].map(([space, value]) => [space, value.next] as [number, number]) };
  const inodes: SavedInode[] = [];
  for (let index = 0; index < queue.length; index++) {
    const inode = queue[index] as Inode;
    inodes[inodeIds.get(inode) as number] = {
      ino: inode.ino,
      fs: inode.fs.index,
      type: inode.type,
      mode: inode.mode,
      uid: inode.uid,
      gid: inode.gid,
      nameCount: inode.nameCount,
      mtimeMs: inode.mtimeMs,
      ctimeMs: inode.ctimeMs,
      birthMs: inode.birthMs,
      sizeBytes: inode.sizeBytes,
      blocks: [...inode.blocks].map(([blockIndex, block]) => [blockIndex, blockRef(block)]),
      inheritLimitBlocks: inode.inheritLimitBlocks,
      cloneParent: ref(inode.cloneParent),
      cloneChildren: inode.cloneChildren === null ? null : [...inode.cloneChildren].map((child) => ref(child) as number),
      cloneDepth: inode.cloneDepth,
      entries: inode.entries === null ? null : [...inode.entries].map(([name, child]) => [name, ref(child) as number]),
      parentDir: ref(inode.parentDir),
      symlinkTarget: inode.symlinkTarget,
      device: inode.device,
      attributes: inode.attributes,
      filesetRootOf: inode.filesetRootOf?.name ?? null,
      snapshot: inode.snapshot === null ? null : (snapshotKeys.get(inode.snapshot) ?? null),
      isSnapshotsDir: inode.isSnapshotsDir,
      lost: inode.lost,
      changed: inode.changed,
    };
  }
  const parts = simulator[PARTS];
  return {
    version: STATE_VERSION,
    options,
    nowMs: world.nowMs,
    nodes: world.cluster.nodes.map((node) => ({ name: node.name, state: node.state })),
    filesystems,
    rootDisk,
    inodes,
    blocks,
    counters: { ...simulator[COUNTERS] },
    log: [...parts.log.entries()],
    faults: parts.faults.exportPlain(),
  };
}

/**
 * Loads a simulator from saved state.
 *
 * @param saved - Parsed JSON from {@link saveState}.
 * @returns The simulator, or `InvalidStateFile`.
 */
export function loadState(saved: unknown): Result<InternalSimulator, SimulatorError> {
  try {
    return ok(restore(saved as SavedState));
  } catch (error) {
    return err(simulatorError('InvalidStateFile', `cannot load simulator state: ${error instanceof Error ? error.message : String(error)}`));
  }
}

// --- Internal helpers ---

function restore(saved: SavedState): InternalSimulator {
  if (saved?.version !== STATE_VERSION) throw new Error(`unsupported state version ${String(saved?.version)}`);
  const { resolved, problems } = resolveSimulatorOptions(saved.options);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const world = createWorld(resolved);
  world.nowMs = saved.nowMs;
  saved.nodes.forEach((node, index) => {
    const target = world.cluster.nodes[index];
    if (target !== undefined) target.state = node.state;
  });
  const filesystemByIndex = (index: number): Filesystem => (index < 0 ? world.rootDisk : (world.gpfs[index] as Filesystem));
  const blocks = saved.blocks.map((text) => new Uint8Array(Buffer.from(text, 'base64')));
  const inodes: Inode[] = saved.inodes.map((item) => ({
    ino: item.ino,
    fs: filesystemByIndex(item.fs),
    type: item.type,
    mode: item.mode,
    uid: item.uid,
    gid: item.gid,
    nameCount: item.nameCount,
    mtimeMs: item.mtimeMs,
    ctimeMs: item.ctimeMs,
    birthMs: item.birthMs,
    sizeBytes: item.sizeBytes,
    blocks: new Map(item.blocks.map(([index, id]) => [index, blocks[id] as Uint8Array])),
    owned: new Set(),
    inheritLimitBlocks: item.inheritLimitBlocks,
    cloneParent: null,
    cloneChildren: null,
    cloneDepth: item.cloneDepth,
    entries: null,
    parentDir: null,
    symlinkTarget: item.symlinkTarget,
    device: item.device,
    attributes: item.attributes,
    filesetRootOf: null,
    snapshot: null,
    isSnapshotsDir: item.isSnapshotsDir,
    lost: item.lost,
    changed: item.changed,
  }));
  const at = (id: number | null): Inode | null => (id === null ? null : (inodes[id] ?? null));
  saved.inodes.forEach((item, index) => {
    const inode = inodes[index] as Inode;
    inode.cloneParent = at(item.cloneParent);
    inode.cloneChildren = item.cloneChildren === null ? null : new Set(item.cloneChildren.map((id) => at(id) as Inode));
    inode.entries = item.entries === null ? null : new Map(item.entries.map(([name, id]) => [name, at(id) as Inode]));
    inode.parentDir = at(item.parentDir);
  });
  world.rootDisk.root = at(saved.rootDisk.root) as Inode;
  world.rootDisk.inodeSpaces.clear();
  for (const [space, next] of saved.rootDisk.inodeSpaces) world.rootDisk.inodeSpaces.set(space, { next });
  const snapshotsByKey = new Map<number, Snapshot>();
  saved.filesystems.forEach((savedFs, index) => {
    const fs = world.gpfs[index];
    if (fs === undefined) throw new Error(`state has more file systems than its options`);
    fs.mounted = savedFs.mounted;
    fs.root = at(savedFs.root) as Inode;
    fs.snapshotsDir = at(savedFs.snapshotsDir);
    fs.inodeSpaces.clear();
    for (const [space, next] of savedFs.inodeSpaces) fs.inodeSpaces.set(space, { next });
    fs.nextFilesetId = savedFs.nextFilesetId;
    fs.nextInodeSpace = savedFs.nextInodeSpace;
    fs.nextSnapshotId = savedFs.nextSnapshotId;
    fs.filesets.clear();
    for (const item of savedFs.filesets) {
      const fileset: Fileset = { ...item, root: at(item.root) as Inode, snapshotsDir: at(item.snapshotsDir) };
      fs.filesets.set(fileset.name, fileset);
    }
    fs.snapshots.length = 0;
    for (const item of savedFs.snapshots) {
      const snapshot: Snapshot = { ...item, root: at(item.root) as Inode };
      fs.snapshots.push(snapshot);
      snapshotsByKey.set((fs.index + 1) * 1_000_000 + snapshot.id, snapshot);
    }
    fs.generation++;
  });
  saved.inodes.forEach((item, index) => {
    const inode = inodes[index] as Inode;
    if (item.filesetRootOf !== null && item.snapshot === null) inode.filesetRootOf = inode.fs.filesets.get(item.filesetRootOf) ?? null;
    if (item.snapshot !== null) inode.snapshot = snapshotsByKey.get(item.snapshot) ?? null;
  });
  refreshMounts(world);
  const simulator = assemble(resolved, [], world, { ...saved.counters });
  simulator[PARTS].log.restore(saved.log);
  simulator[PARTS].faults.importPlain(saved.faults);
  return simulator;
}
