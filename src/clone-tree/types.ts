/**
 * Data types of the clone-tree model: the facts it is built from, the forest, and the plans it yields.
 *
 * Everything here is plain, readonly data: no classes, no methods, safe to compare with `toEqual`.
 *
 * @module
 */

/**
 * One file as `mmclone show` and an inode listing describe it.
 *
 * @example
 * ```ts
 * const child: CloneEntry = { path: '/gpfs0/volume-1', inode: 148485, isParent: false, depth: 1, parentInode: 148488 };
 * const parent: CloneEntry = { path: '/gpfs0/volume-1.snap', inode: 148488, isParent: true, depth: 0, parentInode: null };
 * ```
 */
export interface CloneEntry {
  /** Path of the file, as listed (compared verbatim: no normalisation). */
  readonly path: string;
  /** Inode number of the file. */
  readonly inode: number;
  /** `true` when `mmclone show` reports the file as a clone parent (`Parent` column `yes`). */
  readonly isParent: boolean;
  /** The `Depth` column, or `null` when blank. Informational only: GPFS does not update it after a redirect or split. */
  readonly depth: number | null;
  /** Inode of the file's clone parent (`Parent inode` column), or `null` when blank. */
  readonly parentInode: number | null;
}

/**
 * How {@link buildCloneForest} treats a `parentInode` that no entry has.
 *
 * - `'all-unlisted'`: every such inode is a parent living outside the listed directories (what an executor that
 *   listed only some directories knows to be true).
 * - an array of inode numbers: only those inodes are; any other missing parent is a `MissingParent` error.
 *
 * @example
 * ```ts
 * const imageParents: ParentsOutsideListedDirectories = [148488];
 * const executor: ParentsOutsideListedDirectories = 'all-unlisted';
 * ```
 */
export type ParentsOutsideListedDirectories = 'all-unlisted' | readonly number[];

/**
 * Options of {@link buildCloneForest}.
 *
 * @example
 * ```ts
 * const options: BuildCloneForestOptions = { directories: ['/gpfs0/volumes'], parentsOutsideListedDirectories: 'all-unlisted' };
 * ```
 */
export interface BuildCloneForestOptions {
  /**
   * The directories the entries were listed from (`find <dir> -mindepth 1 -maxdepth 1`). An entry whose parent
   * directory (its path up to the last `/`) is not one of them, compared after removing trailing slashes, is
   * marked `outsideListedDirectories`. Omitted: every entry counts as listed.
   */
  readonly directories?: readonly string[];
  /**
   * Parent inodes that have no entry but that the caller knows live outside the listed directories. Each becomes
   * a placeholder node (`path: null`, `outsideListedDirectories: true`). Omitted: a parent inode without an entry
   * is a `MissingParent` error.
   */
  readonly parentsOutsideListedDirectories?: ParentsOutsideListedDirectories;
}

/**
 * One file of a {@link CloneForest}, with its links resolved.
 *
 * @example
 * ```ts
 * const node = cloneNodeAt(forest, '/gpfs0/volume-1.snap');
 * if (node && node.childInodes.length === 0) console.log('orphaned clone parent');
 * ```
 */
export interface CloneNode {
  /** Path of the file; `null` only for a placeholder parent outside the listed directories, whose path is unknown. */
  readonly path: string | null;
  /** Inode number (unique in the forest). */
  readonly inode: number;
  /** `true` when the file is a clone parent: reported so, or referenced by at least one child. */
  readonly isParent: boolean;
  /** The reported `Depth` column (`null` for placeholders and non-clones). */
  readonly depth: number | null;
  /** Inode of this file's clone parent, or `null` for a root or a non-clone (always `null` for placeholders). */
  readonly parentInode: number | null;
  /** Inodes of the files whose clone parent this file is, in input order. */
  readonly childInodes: readonly number[];
  /** `true` for placeholders and for entries outside {@link BuildCloneForestOptions.directories}. */
  readonly outsideListedDirectories: boolean;
}

/**
 * Files and their clone-parent links, validated: no cycles, unique paths and inodes, every parent present.
 *
 * @example
 * ```ts
 * const forest = buildCloneForest(entries)._unsafeUnwrap();
 * console.log(forest.nodes.size, 'files');
 * ```
 */
export interface CloneForest {
  /** Every node, keyed by inode, in input order (placeholders after the entries). */
  readonly nodes: ReadonlyMap<number, CloneNode>;
  /** Inode of each file, keyed by path (placeholders have no path and are not here). */
  readonly inodeByPath: ReadonlyMap<string, number>;
  /** The listed directories, trailing slashes removed; empty when the option was omitted. */
  readonly directories: readonly string[];
}

/**
 * Tells whether a file is a disposable clone parent (one the library may remove once it has no children).
 *
 * @example
 * ```ts
 * const isDisposable: IsDisposable = (path) => path.endsWith('.snap') || path.includes('/trash/');
 * ```
 */
export type IsDisposable = (path: string) => boolean;

/**
 * Options of {@link planCloneDeletion}.
 *
 * @example
 * ```ts
 * const options: PlanCloneDeletionOptions = { isDisposable: (path) => path.endsWith('.snap'), requireTarget: true };
 * ```
 */
export interface PlanCloneDeletionOptions {
  /** Which ancestors may be removed. @defaultValue {@link isDisposableByName} (name ends in `.snap` or `.ts`) */
  readonly isDisposable?: IsDisposable;
  /** Return a `TargetNotFound` error instead of an empty plan when the target is not in the forest. @defaultValue false */
  readonly requireTarget?: boolean;
}

/**
 * Why a file is in {@link DeletionPlan.removals}: the target itself, or an ancestor it alone kept alive.
 *
 * @example
 * ```ts
 * const reason: RemovalReason = 'ChildlessDisposableAncestor';
 * ```
 */
export type RemovalReason = 'Target' | 'ChildlessDisposableAncestor';

/**
 * Why the planner stopped at an ancestor instead of removing it.
 *
 * @example
 * ```ts
 * const reason: KeptReason = 'StillHasChildren';
 * ```
 */
export type KeptReason = 'StillHasChildren' | 'NotDisposable' | 'OutsideListedDirectories';

/**
 * One file the plan removes.
 *
 * @example
 * ```ts
 * const removal: PlannedRemoval = { path: '/gpfs0/volume-2.snap', inode: 11, reason: 'ChildlessDisposableAncestor' };
 * ```
 */
export interface PlannedRemoval {
  /** Path to remove. */
  readonly path: string;
  /** Inode the file had when the facts were gathered. */
  readonly inode: number;
  /** Why it is removed. */
  readonly reason: RemovalReason;
}

/**
 * One ancestor the plan stops at and keeps.
 *
 * @example
 * ```ts
 * const kept: KeptFile = { path: '/gpfs0/images/9b1c', inode: 200, reason: 'NotDisposable' };
 * const unseen: KeptFile = { path: null, inode: 201, reason: 'OutsideListedDirectories' };
 * ```
 */
export interface KeptFile {
  /** Its path; `null` for a placeholder parent outside the listed directories. */
  readonly path: string | null;
  /** Its inode. */
  readonly inode: number;
  /** Why it is kept. */
  readonly reason: KeptReason;
}

/**
 * What to remove, in order, to delete a file and the clone parents that only it kept alive.
 *
 * @example
 * ```ts
 * const plan: DeletionPlan = {
 *   targetPath: '/gpfs0/volume-2',
 *   targetFound: true,
 *   removals: [
 *     { path: '/gpfs0/volume-2', inode: 12, reason: 'Target' },
 *     { path: '/gpfs0/volume-2.snap', inode: 11, reason: 'ChildlessDisposableAncestor' },
 *   ],
 *   kept: [{ path: '/gpfs0/volume-1.snap', inode: 10, reason: 'StillHasChildren' }],
 * };
 * ```
 */
export interface DeletionPlan {
  /** The path asked for. */
  readonly targetPath: string;
  /** `false` when the target is not in the forest (already gone): the plan is then empty. */
  readonly targetFound: boolean;
  /** Files to remove, children before parents: the target first, then each ancestor in turn. */
  readonly removals: readonly PlannedRemoval[];
  /** The ancestor the walk stopped at, and why (empty when the chain ended at a root). */
  readonly kept: readonly KeptFile[];
}

/**
 * Options of {@link findOrphanedCloneParents}.
 *
 * @example
 * ```ts
 * const options: FindOrphanedCloneParentsOptions = { isDisposable: (path) => path.endsWith('.ts') };
 * ```
 */
export interface FindOrphanedCloneParentsOptions {
  /** Which clone parents are disposable. @defaultValue {@link isDisposableByName} (name ends in `.snap` or `.ts`) */
  readonly isDisposable?: IsDisposable;
}
