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
export function buildCloneForest(entries: readonly CloneEntry[], options: BuildCloneForestOptions = {}): Result<CloneForest, PlanError> {
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

type MutableNode = { -readonly [Key in keyof CloneNode]: CloneNode[Key] } & { childInodes: number[] };

/** Shared by every node without children until its first child arrives (saves 100,000 empty arrays). */
const NO_CHILDREN: number[] = [];

/**
 * Two passes over the entries and one walk down from the roots; the node map doubles as the inode index, so
 * 100,000 files build in tens of milliseconds.
 */
function buildChecked(entries: readonly CloneEntry[], options: BuildCloneForestOptions): Result<CloneForest, PlanError> {
  if (!Array.isArray(entries)) return planError('InvalidEntry', 'entries must be an array');
  const directories = normaliseDirectories(options.directories);
  if (directories === undefined) return planError('InvalidEntry', 'directories must be an array of non-empty strings');
  const outside = options.parentsOutsideListedDirectories;
  if (outside !== undefined && outside !== 'all-unlisted' && !(Array.isArray(outside) && outside.every(isInodeNumber))) {
    return planError('InvalidEntry', "parentsOutsideListedDirectories must be 'all-unlisted' or an array of inode numbers");
  }
  const listed = new Set(directories);
  const nodes = new Map<number, MutableNode>();
  const inodeByPath = new Map<string, number>();
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index] as unknown;
    const problem = describeInvalidEntry(entry);
    if (problem !== undefined) return planError('InvalidEntry', `entry ${index}: ${problem}`);
    const { path, inode, isParent, depth, parentInode } = entry as CloneEntry;
    const samePath = inodeByPath.get(path);
    if (samePath !== undefined) {
      return planError('DuplicatePath', `path listed twice: ${path}`, { paths: [path], inodes: [samePath, inode] });
    }
    const sameInode = nodes.get(inode);
    if (sameInode !== undefined) {
      return planError('DuplicateInode', `two files claim inode ${inode}`, { paths: [sameInode.path ?? '', path], inodes: [inode] });
    }
    const outsideListedDirectories = listed.size > 0 && !listed.has(parentDirectory(path));
    nodes.set(inode, { path, inode, isParent, depth, parentInode, childInodes: NO_CHILDREN, outsideListedDirectories });
    inodeByPath.set(path, inode);
  }

  const allowedOutside = outside === 'all-unlisted' ? null : new Set(outside ?? []);
  const placeholders = new Map<number, MutableNode>();
  for (const node of nodes.values()) {
    const parentInode = node.parentInode;
    if (parentInode === null) continue;
    let parent = nodes.get(parentInode) ?? placeholders.get(parentInode);
    if (parent === undefined) {
      if (allowedOutside !== null && !allowedOutside.has(parentInode)) {
        return planError('MissingParent', `the clone parent (inode ${parentInode}) of ${node.path ?? ''} is not in the input`, {
          paths: [node.path ?? ''],
          inodes: [parentInode],
        });
      }
      parent = { path: null, inode: parentInode, isParent: true, depth: null, parentInode: null, childInodes: NO_CHILDREN, outsideListedDirectories: true };
      placeholders.set(parentInode, parent);
    }
    if (parent.childInodes === NO_CHILDREN) parent.childInodes = [node.inode];
    else parent.childInodes.push(node.inode);
    parent.isParent = true;
  }
  for (const placeholder of placeholders.values()) nodes.set(placeholder.inode, placeholder);

  const cycle = findCycle(nodes);
  if (cycle !== undefined) {
    return planError('Cycle', `clone parents form a cycle through ${cycle.length} file(s)`, {
      paths: cycle.map((inode) => nodes.get(inode)?.path ?? ''),
      inodes: cycle,
    });
  }
  return ok({ nodes, inodeByPath, directories });
}

/**
 * Returns the inodes of one cycle, or `undefined`. In a graph where each node has at most one parent, the
 * nodes not reachable from a root are exactly those on or below a cycle: walk down from the roots
 * (iteratively), and only if some node was not reached, walk up from it to find the loop.
 */
function findCycle(nodes: ReadonlyMap<number, CloneNode>): number[] | undefined {
  const stack: CloneNode[] = [];
  for (const node of nodes.values()) if (node.parentInode === null) stack.push(node);
  let reached = 0;
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    reached += 1;
    for (const child of node.childInodes) {
      const childNode = nodes.get(child);
      if (childNode !== undefined) stack.push(childNode);
    }
  }
  if (reached === nodes.size) return undefined;
  const reachable = new Set<number>();
  for (const node of nodes.values()) if (node.parentInode === null) reachable.add(node.inode);
  for (const node of nodes.values()) {
    const seen = new Map<number, number>();
    const walk: number[] = [];
    for (let inode: number | null = node.inode; inode !== null && !reachable.has(inode); inode = nodes.get(inode)?.parentInode ?? null) {
      const position = seen.get(inode);
      if (position !== undefined) return walk.slice(position);
      seen.set(inode, walk.length);
      walk.push(inode);
    }
    for (const inode of walk) reachable.add(inode);
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

function planError(reason: PlanErrorReason, message: string, involved: { paths?: readonly string[]; inodes?: readonly number[] } = {}): Result<never, PlanError> {
  return err({ kind: 'PlanError', reason, message, ...involved });
}
