/**
 * Building a validated clone forest from `mmclone show` facts.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { PlanError, PlanErrorReason } from '../errors.js';
import type { BuildCloneForestOptions, CloneEntry, CloneForest, CloneNode } from './types.js';

/**
 * Builds a {@link CloneForest} from one record per file, checking that the records agree with each other.
 *
 * Rules, in the order they are checked (the first failure is returned as data; nothing throws):
 * 1. `InvalidEntry`: a record that is not `{ path: non-empty string, inode: integer >= 0, isParent: boolean,
 *    depth: integer >= 0 | null, parentInode: integer >= 0 | null }`.
 * 2. `DuplicatePath`: one path listed twice. `DuplicateInode`: two paths claiming one inode.
 * 3. `MissingParent`: a `parentInode` that no record has, unless `options.parentsOutsideListedDirectories`
 *    names it (or is `'all-unlisted'`): then it becomes a placeholder node with `path: null` and
 *    `outsideListedDirectories: true`, which the planner never removes.
 * 4. `Cycle`: following `parentInode` links returns to a file already on the path (a file its own parent included).
 *
 * A record whose `isParent` is `false` but which some other record names as its parent is taken to be a parent
 * (`mmclone show` over many files is not atomic, so a parent made mid-listing can be reported either way);
 * the planner then never removes it while it has children. Entries outside `options.directories` are marked
 * `outsideListedDirectories`. The work is iterative and linear: a 100,000-deep chain is fine.
 *
 * @param entries - One record per file, for instance from `mmclone show` joined with an inode listing.
 * @param options - The listed directories, and which missing parents live outside them.
 * @returns The forest, or a {@link PlanError} naming the paths or inodes at fault.
 * @example
 * ```ts
 * const forest = buildCloneForest(
 *   [
 *     { path: '/gpfs0/volume-1', inode: 20, isParent: false, depth: 1, parentInode: 10 },
 *     { path: '/gpfs0/volume-1.snap', inode: 10, isParent: true, depth: 0, parentInode: null },
 *   ],
 *   { directories: ['/gpfs0'] },
 * );
 * if (forest.isOk()) console.log(forest.value.nodes.get(10)?.childInodes); // [20]
 * ```
 */
export function buildCloneForest(
  entries: readonly CloneEntry[],
  options: BuildCloneForestOptions = {},
): Result<CloneForest, PlanError> {
  try {
    return buildChecked(entries, options);
  } catch (cause) {
    // Only reachable with hostile input (throwing getters, proxies): report it as data.
    return planError('InvalidEntry', `could not read the entries: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Finds the node of a path in a forest.
 *
 * @param forest - A forest from {@link buildCloneForest}.
 * @param path - A path exactly as it was given in the entries.
 * @returns The node, or `undefined` when no entry has that path.
 * @example
 * ```ts
 * const node = cloneNodeAt(forest, '/gpfs0/volume-1');
 * console.log(node?.parentInode);
 * ```
 */
export function cloneNodeAt(forest: CloneForest, path: string): CloneNode | undefined {
  const inode = forest.inodeByPath.get(path);
  return inode === undefined ? undefined : forest.nodes.get(inode);
}

// --- Internal helpers ---

const NO_CHILDREN: readonly number[] = Object.freeze([]);
const WALKING = 1;
const DONE = 2;

/**
 * Works on parallel arrays indexed by position (entries first, then placeholders) and allocates the public
 * node objects only once everything is checked: 100,000 files build in tens of milliseconds.
 */
function buildChecked(entries: readonly CloneEntry[], options: BuildCloneForestOptions): Result<CloneForest, PlanError> {
  if (!Array.isArray(entries)) return planError('InvalidEntry', 'entries must be an array');
  const directories = normaliseDirectories(options.directories);
  if (directories === undefined) return planError('InvalidEntry', 'directories must be an array of non-empty strings');
  const outside = options.parentsOutsideListedDirectories;
  if (outside !== undefined && outside !== 'all-unlisted' && !(Array.isArray(outside) && outside.every(isInodeNumber))) {
    return planError('InvalidEntry', "parentsOutsideListedDirectories must be 'all-unlisted' or an array of inode numbers");
  }
  const entryCount = entries.length;
  const indexByInode = new Map<number, number>();
  const inodeByPath = new Map<string, number>();
  const inodes: number[] = [];
  for (let index = 0; index < entryCount; index += 1) {
    const entry = entries[index] as unknown;
    const problem = describeInvalidEntry(entry);
    if (problem !== undefined) return planError('InvalidEntry', `entry ${index}: ${problem}`);
    const { path, inode } = entry as CloneEntry;
    const samePath = inodeByPath.get(path);
    if (samePath !== undefined) {
      return planError('DuplicatePath', `path listed twice: ${path}`, { paths: [path], inodes: [samePath, inode] });
    }
    const sameInode = indexByInode.get(inode);
    if (sameInode !== undefined) {
      return planError('DuplicateInode', `two files claim inode ${inode}`, { paths: [entries[sameInode]?.path ?? '', path], inodes: [inode] });
    }
    indexByInode.set(inode, index);
    inodeByPath.set(path, inode);
    inodes.push(inode);
  }

  const allowedOutside = outside === 'all-unlisted' ? null : new Set(outside ?? []);
  const parentIndex: number[] = [];
  const childCount: number[] = new Array<number>(entryCount).fill(0);
  for (let index = 0; index < entryCount; index += 1) {
    const entry = entries[index]!;
    const parentInode = entry.parentInode;
    if (parentInode === null) {
      parentIndex.push(-1);
      continue;
    }
    let parent = indexByInode.get(parentInode);
    if (parent === undefined) {
      if (allowedOutside !== null && !allowedOutside.has(parentInode)) {
        return planError('MissingParent', `the clone parent (inode ${parentInode}) of ${entry.path} is not in the input`, {
          paths: [entry.path],
          inodes: [parentInode],
        });
      }
      parent = inodes.length;
      indexByInode.set(parentInode, parent);
      inodes.push(parentInode);
      childCount.push(0);
    }
    parentIndex.push(parent);
    childCount[parent] = (childCount[parent] ?? 0) + 1;
  }
  const total = inodes.length;
  for (let index = entryCount; index < total; index += 1) parentIndex.push(-1);

  const cycle = findCycle(parentIndex);
  if (cycle !== undefined) {
    return planError('Cycle', `clone parents form a cycle through ${cycle.length} file(s)`, {
      paths: cycle.map((index) => entries[index]?.path ?? ''),
      inodes: cycle.map((index) => inodes[index] ?? -1),
    });
  }
  return ok({ nodes: materialise(entries, inodes, parentIndex, childCount, directories), inodeByPath, directories });
}

function materialise(
  entries: readonly CloneEntry[],
  inodes: readonly number[],
  parentIndex: readonly number[],
  childCount: readonly number[],
  directories: readonly string[],
): Map<number, CloneNode> {
  const children: number[][] = [];
  for (let index = 0; index < inodes.length; index += 1) children.push((childCount[index] ?? 0) > 0 ? [] : (NO_CHILDREN as number[]));
  for (let index = 0; index < parentIndex.length; index += 1) {
    const parent = parentIndex[index] ?? -1;
    if (parent >= 0) children[parent]?.push(inodes[index] ?? -1);
  }
  const listed = new Set(directories);
  const nodes = new Map<number, CloneNode>();
  for (let index = 0; index < inodes.length; index += 1) {
    const entry = entries[index];
    const inode = inodes[index] ?? -1;
    const childInodes = children[index] ?? NO_CHILDREN;
    const node: CloneNode =
      entry === undefined
        ? { path: null, inode, isParent: true, depth: null, parentInode: null, childInodes, outsideListedDirectories: true }
        : {
            path: entry.path,
            inode,
            isParent: entry.isParent || childInodes.length > 0,
            depth: entry.depth,
            parentInode: entry.parentInode,
            childInodes,
            outsideListedDirectories: listed.size > 0 && !listed.has(parentDirectory(entry.path)),
          };
    nodes.set(inode, node);
  }
  return nodes;
}

/** Returns the indexes of one cycle, or `undefined`. Iterative: each node is walked once. */
function findCycle(parentIndex: readonly number[]): number[] | undefined {
  const state = new Uint8Array(parentIndex.length);
  const walk: number[] = [];
  for (let start = 0; start < parentIndex.length; start += 1) {
    if (state[start] !== 0) continue;
    walk.length = 0;
    let current = start;
    while (current >= 0 && state[current] === 0) {
      state[current] = WALKING;
      walk.push(current);
      current = parentIndex[current] ?? -1;
    }
    if (current >= 0 && state[current] === WALKING) return walk.slice(walk.indexOf(current));
    for (const index of walk) state[index] = DONE;
  }
  return undefined;
}

function describeInvalidEntry(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'not an object';
  const record = entry as Record<string, unknown>;
  if (typeof record['path'] !== 'string' || record['path'] === '') return 'path must be a non-empty string';
  if (!isInodeNumber(record['inode'])) return `inode of ${record['path']} must be an integer >= 0`;
  if (typeof record['isParent'] !== 'boolean') return `isParent of ${record['path']} must be a boolean`;
  if (record['depth'] !== null && !isInodeNumber(record['depth'])) return `depth of ${record['path']} must be an integer >= 0 or null`;
  if (record['parentInode'] !== null && !isInodeNumber(record['parentInode'])) {
    return `parentInode of ${record['path']} must be an integer >= 0 or null`;
  }
  return undefined;
}

function isInodeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function normaliseDirectories(directories: readonly string[] | undefined): string[] | undefined {
  if (directories === undefined) return [];
  if (!Array.isArray(directories)) return undefined;
  const normalised: string[] = [];
  for (const directory of directories as unknown[]) {
    if (typeof directory !== 'string' || directory === '') return undefined;
    normalised.push(stripTrailingSlashes(directory));
  }
  return normalised;
}

function stripTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end -= 1;
  return path.slice(0, end);
}

/** `/gpfs0/a/b` -> `/gpfs0/a`; `/b` -> `/`; `b` -> `.` */
function parentDirectory(path: string): string {
  const trimmed = stripTrailingSlashes(path);
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  if (slash === 0) return '/';
  return stripTrailingSlashes(trimmed.slice(0, slash));
}

function planError(
  reason: PlanErrorReason,
  message: string,
  involved: { paths?: readonly string[]; inodes?: readonly number[] } = {},
): Result<never, PlanError> {
  return err({ kind: 'PlanError', reason, message, ...involved });
}
