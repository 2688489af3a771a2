/**
 * Building an {@link Inventory} from what the driver read: pure, no command runs here.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { PlanError } from '../errors.js';
import type { FileListingEntry, MmcloneShowRow } from '../parsers/index.js';
import { planGarbage, type GarbagePlan } from './garbage.js';
import { buildTrees } from './trees.js';
import type { Inventory, InventoryFile, InventoryFileKind, InventoryGroup, InventoryGroupSnapshot, InventoryTotals } from './types.js';

/**
 * A listed entry with its `mmclone show` row (`null` for directories and for files that are not clones).
 *
 * @example
 * ```ts
 * const entry: ScannedEntry = { inode: 4101, sizeBytes: 1073741824, allocatedBytes: 0, mode: 0o660, type: 'f', path: '/gpfs0/volumes/v1', clone: null };
 * ```
 */
export interface ScannedEntry extends FileListingEntry {
  /** The file's clone status, or `null`. */
  readonly clone: MmcloneShowRow | null;
}

/**
 * What the inventory is built from.
 *
 * @example
 * ```ts
 * const input: InventoryInput = { base: '/gpfs0/volumes', imagesDir: null, entries: [], filesets: [], filesetSnapshots: [] };
 * ```
 */
export interface InventoryInput {
  /** `mountPointBase`. */
  readonly base: string;
  /** `imagesDir`, or `null`. */
  readonly imagesDir: string | null;
  /** Entries of the base, of each `consisgroup-*` directory, of the group snapshot anchor directories and of `imagesDir`. */
  readonly entries: readonly ScannedEntry[];
  /** Filesets of the file system (`mmlsfileset -Y`). */
  readonly filesets: readonly {
    /** Fileset name. */
    readonly filesetName: string;
    /** `Linked`, `Unlinked`, ... */
    readonly status: string;
  }[];
  /** Fileset snapshots (`mmlssnapshot -Y`). */
  readonly filesetSnapshots: readonly {
    /** Snapshot name. */
    readonly name: string;
    /** Its fileset (`''` for global snapshots). */
    readonly fileset: string;
  }[];
}

/**
 * Classifies every file, links clone parents and children, finds the garbage, draws the trees.
 *
 * @param input - What was read.
 * @returns The inventory, or a `PlanError` when the clone relations are inconsistent (a cycle).
 * @example
 * ```ts
 * const inventory = buildInventory({ base: '/gpfs0/volumes', imagesDir: null, entries, filesets: [], filesetSnapshots: [] });
 * ```
 */
export function buildInventory(input: InventoryInput): Result<Inventory, PlanError> {
  const groups = findGroups(input);
  const groupByPath = new Map(groups.map((group) => [group.path, group]));
  const located = input.entries.filter((entry) => entry.type === 'f').map((entry) => locate(input, groupByPath, entry));
  const known = located.filter((file): file is Located => file !== null);
  const groupSnapshots = findGroupSnapshots(input, groups, known);
  const members = new Map<string, string>();
  for (const snapshot of groupSnapshots) for (const volume of snapshot.volumeNames) members.set(`${groupDir(input.base, snapshot.groupId)}/${snapshot.id}.${volume}`, snapshot.id);
  const byInode = new Map(known.map((file) => [file.entry.inode, file]));
  const childCounts = new Map<number, number>();
  for (const file of known) if (file.parentInode !== null) childCounts.set(file.parentInode, (childCounts.get(file.parentInode) ?? 0) + 1);
  const draft: InventoryFile[] = known
    .map((file): InventoryFile => ({
      path: file.entry.path,
      name: file.name,
      directory: file.directory,
      groupId: file.groupId,
      kind: file.kind,
      inode: file.entry.inode,
      sizeBytes: file.entry.sizeBytes,
      allocatedBytes: file.entry.allocatedBytes,
      isParent: (file.entry.clone?.isParent ?? false) || (childCounts.get(file.entry.inode) ?? 0) > 0,
      depth: file.entry.clone?.depth ?? null,
      parentInode: file.parentInode,
      parentPath: file.parentInode === null ? file.frozenParent : (byInode.get(file.parentInode)?.entry.path ?? null),
      childCount: childCounts.get(file.entry.inode) ?? 0,
      orphan: false,
      groupSnapshotId: file.groupSnapshotId ?? members.get(file.entry.path) ?? null,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const garbage = planGarbage(draft);
  if (garbage.isErr()) return err(garbage.error);
  const orphanPaths = new Set(garbage.value.targets.map((target) => target.path));
  const files = draft.map((file) => (orphanPaths.has(file.path) ? { ...file, orphan: true } : file));
  const of = (...kinds: InventoryFileKind[]) => files.filter((file) => kinds.includes(file.kind));
  return ok({
    base: input.base,
    groups,
    groupSnapshots,
    files,
    volumes: of('volume'),
    snapshots: of('snapshot'),
    tombstones: of('tombstone'),
    hiddenParents: of('hidden-parent'),
    orphans: files.filter((file) => file.orphan),
    others: of('unmanaged', 'temporary', 'other'),
    trees: buildTrees(input.base, groups, input.imagesDir, files),
    totals: {
      all: totalsOf(files),
      volumes: totalsOf(of('volume')),
      parents: totalsOf(of('snapshot', 'tombstone', 'hidden-parent', 'anchor')),
      garbage: garbageTotals(garbage.value, files),
    },
  });
}

// --- Internal helpers ---

interface Located {
  readonly entry: ScannedEntry;
  readonly name: string;
  readonly directory: string;
  readonly groupId: string | null;
  readonly kind: InventoryFileKind;
  readonly parentInode: number | null;
  readonly frozenParent: string | null;
  readonly groupSnapshotId?: string;
}

const GROUP_PREFIX = 'consisgroup-';
const ANCHORS = '.group-snapshots';
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;
/** The point-in-time clone parent backupVolume makes (`.backup-<tag>.snap`, see `driver/plans/backup.ts`). */
const BACKUP_PARENT = /^\.backup-[A-Za-z0-9]+\.snap$/;

function groupDir(base: string, id: string): string {
  return `${base}/${GROUP_PREFIX}${id}`;
}

function findGroups(input: InventoryInput): InventoryGroup[] {
  const ids = new Set<string>();
  for (const entry of input.entries) {
    if (entry.type === 'd' && entry.path.startsWith(`${input.base}/${GROUP_PREFIX}`) && !entry.path.slice(input.base.length + 1).includes('/')) {
      ids.add(entry.path.slice(input.base.length + 1 + GROUP_PREFIX.length));
    }
  }
  for (const fileset of input.filesets) if (fileset.filesetName.startsWith(GROUP_PREFIX)) ids.add(fileset.filesetName.slice(GROUP_PREFIX.length));
  return [...ids]
    .filter((id) => NAME.test(id))
    .sort()
    .map((id) => ({
      id,
      path: groupDir(input.base, id),
      filesetName: `${GROUP_PREFIX}${id}`,
      filesetStatus: input.filesets.find((fileset) => fileset.filesetName === `${GROUP_PREFIX}${id}`)?.status ?? null,
    }));
}

function locate(input: InventoryInput, groups: ReadonlyMap<string, InventoryGroup>, entry: ScannedEntry): Located | null {
  const slash = entry.path.lastIndexOf('/');
  const directory = entry.path.slice(0, slash) || '/';
  const name = entry.path.slice(slash + 1);
  const parentInode = entry.clone?.parentInode ?? null;
  if (input.imagesDir !== null && directory === input.imagesDir) {
    return { entry, name, directory, groupId: null, kind: 'image', parentInode, frozenParent: null };
  }
  const group = groups.get(directory);
  if (directory === input.base || group !== undefined) {
    return { entry, name, directory, groupId: group?.id ?? null, kind: kindOf(name, entry.clone?.isParent ?? false), parentInode, frozenParent: null };
  }
  // <group>/.group-snapshots/<id>[.ts]/<volume>: an anchor, whose parent is in the fileset snapshot.
  const snapshotDirectory = directory.slice(directory.lastIndexOf('/') + 1);
  const anchorsOf = directory.slice(0, directory.lastIndexOf('/'));
  const owner = groups.get(anchorsOf.slice(0, anchorsOf.lastIndexOf('/')));
  if (owner !== undefined && anchorsOf.endsWith(`/${ANCHORS}`)) {
    const snapshotId = snapshotDirectory.endsWith('.ts') ? snapshotDirectory.slice(0, -3) : snapshotDirectory;
    return { entry, name, directory, groupId: owner.id, kind: 'anchor', parentInode: null, frozenParent: `${owner.path}/.snapshots/${snapshotId}/${name}`, groupSnapshotId: snapshotId };
  }
  return null;
}

function kindOf(name: string, isParent: boolean): InventoryFileKind {
  if (name.startsWith('.unmanaged-')) return 'unmanaged';
  if (name.startsWith('.tmp.')) return 'temporary';
  // Disposable like a cloned volume's `.snap`: it outlives the backup only as the volume's parent.
  if (BACKUP_PARENT.test(name)) return 'hidden-parent';
  if (!NAME.test(name)) return 'other';
  if (name.endsWith('.snap')) return 'hidden-parent';
  if (name.endsWith('.ts')) return 'tombstone';
  return isParent ? 'snapshot' : 'volume';
}

function findGroupSnapshots(input: InventoryInput, groups: readonly InventoryGroup[], files: readonly Located[]): InventoryGroupSnapshot[] {
  const found = new Map<string, { id: string; groupId: string; state: InventoryGroupSnapshot['state']; volumeNames: string[] }>();
  for (const group of groups) {
    const anchorsRoot = `${group.path}/${ANCHORS}/`;
    for (const entry of input.entries) {
      if (entry.type !== 'd' || !entry.path.startsWith(anchorsRoot) || entry.path.slice(anchorsRoot.length).includes('/')) continue;
      const directory = entry.path.slice(anchorsRoot.length);
      const deleted = directory.endsWith('.ts');
      const id = deleted ? directory.slice(0, -3) : directory;
      found.set(`${group.id}/${id}`, { id, groupId: group.id, state: deleted ? 'deleted' : 'live', volumeNames: [] });
    }
  }
  for (const file of files) {
    if (file.kind !== 'anchor' || file.groupId === null || file.groupSnapshotId === undefined) continue;
    found.get(`${file.groupId}/${file.groupSnapshotId}`)?.volumeNames.push(file.name);
  }
  const snapshotsOf = new Set(input.filesetSnapshots.map((snapshot) => `${snapshot.fileset}/${snapshot.name}`));
  for (const group of groups) {
    for (const snapshot of input.filesetSnapshots) {
      if (snapshot.fileset !== group.filesetName || found.has(`${group.id}/${snapshot.name}`)) continue;
      found.set(`${group.id}/${snapshot.name}`, { id: snapshot.name, groupId: group.id, state: 'stray', volumeNames: [] });
    }
  }
  return [...found.values()]
    .map((snapshot) => ({ ...snapshot, volumeNames: snapshot.volumeNames.sort(), filesetSnapshot: snapshotsOf.has(`${GROUP_PREFIX}${snapshot.groupId}/${snapshot.id}`) }))
    .sort((a, b) => (a.groupId === b.groupId ? (a.id < b.id ? -1 : 1) : a.groupId < b.groupId ? -1 : 1));
}

function totalsOf(files: readonly Pick<InventoryFile, 'sizeBytes' | 'allocatedBytes'>[]): InventoryTotals {
  return {
    files: files.length,
    logicalBytes: files.reduce((sum, file) => sum + file.sizeBytes, 0),
    allocatedBytes: files.reduce((sum, file) => sum + file.allocatedBytes, 0),
  };
}

function garbageTotals(garbage: GarbagePlan, files: readonly InventoryFile[]): InventoryTotals {
  const paths = new Set(garbage.targets.flatMap((target) => target.chain.map((link) => link.path)));
  return totalsOf(files.filter((file) => paths.has(file.path)));
}
