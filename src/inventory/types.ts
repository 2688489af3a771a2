/**
 * What `driver.inventory()` returns: every file the driver has under its directories, classified, with
 * clone relations, sizes and the trees `renderCloneTree` draws. Plain data: compares with `toEqual`,
 * serialises with `JSON.stringify`.
 *
 * @module
 */

/**
 * What a file is to the driver.
 *
 * - `volume`: a volume file (a name of the naming scheme, not a clone parent);
 * - `snapshot`: a snapshot (a clone parent with a name of the naming scheme);
 * - `tombstone`: a deleted snapshot kept for its clones (`.ts`);
 * - `hidden-parent`: the clone parent shared by a cloned volume and its source (`.snap`), or a backup's
 *   point-in-time parent of its volume (`.backup-<tag>.snap`);
 * - `anchor`: a group snapshot's bridge between its fileset snapshot and a member snapshot;
 * - `image`: a file of `imagesDir`;
 * - `unmanaged`: a volume let go by `unmanage` (`.unmanaged-<name>`);
 * - `temporary`: a work file left by an interrupted operation (`.tmp.*`);
 * - `other`: anything else.
 *
 * @example
 * ```ts
 * const kind: InventoryFileKind = 'hidden-parent';
 * ```
 */
export type InventoryFileKind = 'volume' | 'snapshot' | 'tombstone' | 'hidden-parent' | 'anchor' | 'image' | 'unmanaged' | 'temporary' | 'other';

/**
 * One file.
 *
 * @example
 * ```ts
 * const file: InventoryFile = {
 *   path: '/gpfs0/volumes/v1', name: 'v1', directory: '/gpfs0/volumes', groupId: null, kind: 'volume', inode: 4101,
 *   sizeBytes: 1073741824, allocatedBytes: 0, isParent: false, depth: 1, parentInode: 4100, parentPath: '/gpfs0/volumes/s1',
 *   childCount: 0, orphan: false, groupSnapshotId: null,
 * };
 * ```
 */
export interface InventoryFile {
  /** Its path. */
  readonly path: string;
  /** Its name. */
  readonly name: string;
  /** Its directory. */
  readonly directory: string;
  /** The group whose directory holds it, or `null` (base directory, images directory). */
  readonly groupId: string | null;
  /** What it is. */
  readonly kind: InventoryFileKind;
  /** Its inode number. */
  readonly inode: number;
  /** Logical size: what the file reads as, bytes. */
  readonly sizeBytes: number;
  /** Bytes allocated to this file itself (a clone shares the rest with its parents). */
  readonly allocatedBytes: number;
  /** Whether it is a clone parent. */
  readonly isParent: boolean;
  /** Clone depth as GPFS recorded it (not updated after redirects), or `null`. */
  readonly depth: number | null;
  /** Its clone parent's inode, or `null` (for anchors, the parent is in the fileset snapshot). */
  readonly parentInode: number | null;
  /** Its clone parent's path where known, else `null`. */
  readonly parentPath: string | null;
  /** Number of its clone children among the files found. */
  readonly childCount: number;
  /** A disposable clone parent (`.snap`, `.ts`, or an anchor of a deleted group snapshot) without children: garbage. */
  readonly orphan: boolean;
  /** For a member snapshot or an anchor: its group snapshot's id. */
  readonly groupSnapshotId: string | null;
}

/**
 * A consistency group found under the base.
 *
 * @example
 * ```ts
 * const group: InventoryGroup = { id: 'g1', path: '/gpfs0/volumes/consisgroup-g1', filesetName: 'consisgroup-g1', filesetStatus: 'Linked' };
 * ```
 */
export interface InventoryGroup {
  /** The group id. */
  readonly id: string;
  /** Its directory. */
  readonly path: string;
  /** Its fileset's name. */
  readonly filesetName: string;
  /** The fileset's status (`Linked`, `Unlinked`), or `null` when no fileset of that name exists. */
  readonly filesetStatus: string | null;
}

/**
 * A group snapshot (or a stray fileset snapshot of a group).
 *
 * @example
 * ```ts
 * const snapshot: InventoryGroupSnapshot = { id: 'gs1', groupId: 'g1', filesetSnapshot: true, state: 'live', volumeNames: ['v1', 'v2'] };
 * ```
 */
export interface InventoryGroupSnapshot {
  /** Its id (the fileset snapshot's name). */
  readonly id: string;
  /** Its group. */
  readonly groupId: string;
  /** Whether the GPFS fileset snapshot exists. */
  readonly filesetSnapshot: boolean;
  /**
   * `'live'`: a group snapshot. `'deleted'`: deleted while clones depended on its members; garbage
   * collection finishes it once they are gone. `'stray'`: a fileset snapshot the driver did not record
   * (an interrupted create, a temporary copy source, or someone else's).
   */
  readonly state: 'live' | 'deleted' | 'stray';
  /** The volumes it holds (its anchors). */
  readonly volumeNames: readonly string[];
}

/**
 * A node of a drawn clone tree.
 *
 * @example
 * ```ts
 * const node: InventoryTreeNode = { path: '/gpfs0/volumes/s1', label: 's1', kind: 'snapshot', sizeBytes: 1073741824, allocatedBytes: 4194304, children: [] };
 * ```
 */
export interface InventoryTreeNode {
  /** The file's path, or `null` for a place-holder (a fileset snapshot, a parent outside the directories read). */
  readonly path: string | null;
  /** What to print. */
  readonly label: string;
  /** The file's kind, `'fileset-snapshot'` or `'outside'` for place-holders. */
  readonly kind: InventoryFileKind | 'fileset-snapshot' | 'outside';
  /** Logical size, bytes (0 for place-holders). */
  readonly sizeBytes: number;
  /** Allocated bytes (0 for place-holders). */
  readonly allocatedBytes: number;
  /** Its clone children. */
  readonly children: readonly InventoryTreeNode[];
}

/**
 * The trees of one directory.
 *
 * @example
 * ```ts
 * const section: InventoryTree = { directory: '/gpfs0/volumes', groupId: null, roots: [] };
 * ```
 */
export interface InventoryTree {
  /** The directory. */
  readonly directory: string;
  /** Its group, or `null`. */
  readonly groupId: string | null;
  /** Roots of its trees: files without a parent, and place-holders for parents elsewhere. */
  readonly roots: readonly InventoryTreeNode[];
}

/**
 * Count and bytes of a set of files.
 *
 * @example
 * ```ts
 * const totals: InventoryTotals = { files: 2, logicalBytes: 2147483648, allocatedBytes: 4194304 };
 * ```
 */
export interface InventoryTotals {
  /** Number of files. */
  readonly files: number;
  /** Sum of logical sizes, bytes. */
  readonly logicalBytes: number;
  /** Sum of allocated bytes. */
  readonly allocatedBytes: number;
}

/**
 * Everything `driver.inventory()` found.
 *
 * @example
 * ```ts
 * const inventory = (await driver.inventory())._unsafeUnwrap();
 * console.log(renderCloneTree(inventory, { format: 'text' }));
 * console.log(inventory.totals.all.logicalBytes, inventory.totals.all.allocatedBytes);
 * ```
 */
export interface Inventory {
  /** `mountPointBase`. */
  readonly base: string;
  /** The consistency groups. */
  readonly groups: readonly InventoryGroup[];
  /** The group snapshots. */
  readonly groupSnapshots: readonly InventoryGroupSnapshot[];
  /** Every file, sorted by path. */
  readonly files: readonly InventoryFile[];
  /** The volumes. */
  readonly volumes: readonly InventoryFile[];
  /** The snapshots. */
  readonly snapshots: readonly InventoryFile[];
  /** The tombstones. */
  readonly tombstones: readonly InventoryFile[];
  /** The hidden clone parents. */
  readonly hiddenParents: readonly InventoryFile[];
  /** Garbage: disposable clone parents without children. */
  readonly orphans: readonly InventoryFile[];
  /** Unmanaged volumes, work files of interrupted operations and other files. */
  readonly others: readonly InventoryFile[];
  /** The clone trees, one section per directory. */
  readonly trees: readonly InventoryTree[];
  /** Totals: all files, volumes, snapshots (tombstones and parents included), and garbage. */
  readonly totals: {
    /** Every file. */
    readonly all: InventoryTotals;
    /** Volumes. */
    readonly volumes: InventoryTotals;
    /** Snapshots, tombstones, hidden parents and anchors. */
    readonly parents: InventoryTotals;
    /** Orphans, with the disposable ancestors removing them would free. */
    readonly garbage: InventoryTotals;
  };
}
