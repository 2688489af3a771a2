/**
 * A driver over an in-memory simulated cluster, and the views of its state the reliability suites
 * compare: user-visible objects (volumes, snapshots, images) with their content digests and clone
 * ancestry, clone-forest integrity, and orphaned clone parents.
 */
import { errAsync, type ResultAsync } from 'neverthrow';
import { buildCloneForest, findOrphanedCloneParents, isDisposableByName } from '../../../src/clone-tree/index.js';
import { deleteWithCloneTree } from '../../../src/driver/clone-deletion.js';
import { createGpfsDriver, type GpfsDriver } from '../../../src/driver/driver.js';
import type { GpfsError } from '../../../src/driver/errors.js';
import type { GpfsDriverOptions } from '../../../src/driver/options.js';
import type { CommandRunner } from '../../../src/runners/types.js';
import { createGpfsSimulator, type GpfsSimulator, type SimulatorOptions } from '../../../src/simulator/index.js';

/** The driver's base directory in every reliability scenario. */
export const BASE = '/gpfs0/volumes';
/** The images directory in every reliability scenario. */
export const IMAGES = '/gpfs0/images';
/** A directory on the same file system that the driver may migrate volumes to. */
export const MIGRATED = '/gpfs0/migrated';
/** The simulator's default cluster id (what migration location info names). */
export const CLUSTER_ID = '13882361916354541312';
/** Raw and qcow2 images seeded into {@link IMAGES}. */
export const IMAGE_IDS = ['image-raw', 'image-qcow2'] as const;
/** Bytes in a GiB. */
export const GIB = 1024 ** 3;

/** A simulator with the base and images directories, and a driver over it. */
export interface Cluster {
  /** The simulated cluster. */
  readonly sim: GpfsSimulator;
  /** A driver over it. */
  readonly driver: GpfsDriver;
  /** The options the driver was made with (without the runner). */
  readonly driverOptions: Omit<GpfsDriverOptions, 'runner'>;
}

/** Options of {@link createCluster}. */
export interface ClusterOptions {
  /** Driver options beyond the runner and the directories. */
  readonly driver?: Partial<Omit<GpfsDriverOptions, 'runner'>>;
  /** Simulator options. */
  readonly simulator?: SimulatorOptions;
  /** Wraps the runner the driver gets (a scheduler, a counter). @defaultValue the simulator itself */
  readonly wrapRunner?: (sim: GpfsSimulator) => CommandRunner;
  /** Run `setup()` before returning. @defaultValue true */
  readonly setup?: boolean;
}

/**
 * Makes a simulator (pools `system` and `fast`) with `/gpfs0/volumes`, `/gpfs0/images` (holding a raw and
 * a qcow2 image) and `/gpfs0/migrated`, and a driver over it (`imagesShareMode: 'copy_on_write'`,
 * `/gpfs0/migrated` allowed as a migration destination).
 *
 * @param options - Driver and simulator options.
 * @returns The cluster; throws when setup fails (a broken fixture, not a finding).
 */
export async function createCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const sim = createGpfsSimulator(options.simulator ?? { filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', pools: ['system', 'fast'] }] });
  sim.control.mkdir(BASE)._unsafeUnwrap();
  sim.control.mkdir(IMAGES)._unsafeUnwrap();
  sim.control.mkdir(MIGRATED)._unsafeUnwrap();
  sim.control.seedFile({ path: `${IMAGES}/${IMAGE_IDS[0]}`, content: 'raw image content\n', sizeBytes: GIB })._unsafeUnwrap();
  sim.control.seedFile({ path: `${IMAGES}/${IMAGE_IDS[1]}`, content: 'qcow2 guest content\n', sizeBytes: GIB, imageFormat: 'qcow2' })._unsafeUnwrap();
  const driverOptions: Omit<GpfsDriverOptions, 'runner'> = { mountPointBase: BASE, imagesDir: IMAGES, imagesShareMode: 'copy_on_write', migrationDirectories: [MIGRATED], ...options.driver };
  const driver = createGpfsDriver({ ...driverOptions, runner: options.wrapRunner?.(sim) ?? sim });
  if (options.setup !== false) (await driver.setup())._unsafeUnwrap();
  return { sim, driver, driverOptions };
}

/**
 * Writes `token` at offset 0 of a file through the simulator (what a consumer of the volume does),
 * keeping the rest of its content.
 *
 * @param sim - The simulator.
 * @param path - The file.
 * @param token - Text to write.
 */
export async function writeToken(sim: GpfsSimulator, path: string, token: string): Promise<void> {
  const output = (await sim.run({ argv: ['dd', `of=${path}`, 'conv=notrunc', 'status=none'], stdin: new TextEncoder().encode(token), asRoot: true }))._unsafeUnwrap();
  if (output.exitCode !== 0) throw new Error(`writing to ${path} failed: ${output.stderr}`);
}

/** What must survive of a user-visible object: its content, size, mode and the objects it descends from. */
export interface ObjectState {
  /** Content digest (`null`: unreadable, for instance through a lost clone parent). */
  readonly digest: string | null;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Permission bits. */
  readonly mode: number;
  /** Paths of its non-disposable clone ancestors, nearest first (disposable `.snap`/`.ts` links collapsed). */
  readonly ancestry: readonly string[];
}

/**
 * The user-visible objects under the base, images and migration directories (every file whose name does
 * not mark a disposable clone parent), keyed by path.
 *
 * @param sim - The simulator.
 * @param directories - Directories to look in. @defaultValue base and images
 * @returns Path to state, in path order.
 */
export function objectStates(sim: GpfsSimulator, directories: readonly string[] = [BASE, IMAGES, MIGRATED]): Map<string, ObjectState> {
  // Ancestry follows parent paths, not inodes: copies in fileset snapshots share inode numbers with live files.
  const parentOf = new Map<string, string | null>();
  for (const file of sim.inspect.files({ under: '/gpfs0', includeSnapshots: true })) parentOf.set(file.path, file.clone?.parentPath ?? null);
  const states = new Map<string, ObjectState>();
  for (const directory of directories) {
    for (const file of sim.inspect.files({ under: directory, digests: true })) {
      if (file.type !== 'file' || isDisposableByName(file.path)) continue;
      const ancestry: string[] = [];
      let parent = file.clone?.parentPath ?? null;
      for (let guard = 0; parent !== null && guard < 1000; guard++) {
        if (!isDisposableByName(parent)) ancestry.push(parent);
        const next = parentOf.get(parent);
        if (next === undefined) {
          ancestry.push(`<missing ${parent}>`);
          break;
        }
        parent = next;
      }
      states.set(file.path, { digest: file.digest ?? null, sizeBytes: file.sizeBytes, mode: file.mode, ancestry });
    }
  }
  return new Map([...states].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Problems in the clone forest itself: a clone whose parent no longer exists (a parent with children
 * was removed), or a file whose content cannot be read.
 *
 * @param sim - The simulator.
 * @returns One line per problem (empty when sound).
 */
export function forestProblems(sim: GpfsSimulator): string[] {
  const forest = sim.inspect.cloneForest();
  const inodes = new Set(forest.map((entry) => entry.inode));
  const problems: string[] = [];
  for (const entry of forest) {
    if (entry.parentInode !== null && !inodes.has(entry.parentInode)) problems.push(`${entry.path}: clone parent inode ${entry.parentInode} was removed`);
  }
  for (const file of sim.inspect.files({ under: '/gpfs0', digests: true })) {
    if (file.type === 'file' && file.snapshot === null && (file.digest === null || file.digest === undefined)) problems.push(`${file.path}: content unreadable`);
  }
  const internal = sim.inspect.internalErrors();
  if (internal.length > 0) problems.push(`simulator internal errors: ${internal.join('; ')}`);
  return problems;
}

/**
 * Orphaned clone parents: disposable parents (`.snap`, `.ts`) without children, found by the clone-tree
 * library over the simulator's clone forest (live files only).
 *
 * @param sim - The simulator.
 * @returns Their paths.
 */
export function orphanedParents(sim: GpfsSimulator): string[] {
  // Copies in fileset snapshots (`.snapshots/`) share inode numbers with the live files and are never
  // collected: leave them out, and let clones of them point at parents outside the forest.
  const entries = sim.inspect
    .cloneForest()
    .filter((entry) => !entry.path.includes('/.snapshots/'))
    .map(({ path, inode, isParent, depth, parentInode }) => ({ path, inode, isParent, depth, parentInode }));
  const forest = buildCloneForest(entries, { parentsOutsideListedDirectories: 'all-unlisted' });
  return forest.isOk() ? findOrphanedCloneParents(forest.value) : [`<clone forest does not build: ${forest.error.message}>`];
}

/**
 * Whether the driver has a method (operations other engineers are still adding appear here once they exist).
 *
 * @param driver - The driver.
 * @param method - Method name.
 * @returns `true` when `driver[method]` is a function.
 */
export function hasMethod(driver: GpfsDriver, method: string): boolean {
  return typeof (driver as unknown as Record<string, unknown>)[method] === 'function';
}

/**
 * Calls a driver method by name, for methods the facade may not have yet (check {@link hasMethod}).
 *
 * @param driver - The driver.
 * @param method - Method name.
 * @param args - Its arguments.
 * @returns Its result, or an `Internal` error when it threw (the API must never throw).
 */
export function callMethod(driver: GpfsDriver, method: string, ...args: unknown[]): ResultAsync<unknown, GpfsError> {
  const target = (driver as unknown as Record<string, (...parameters: unknown[]) => ResultAsync<unknown, GpfsError>>)[method];
  if (typeof target !== 'function') return errAsync({ kind: 'Internal', operation: method, message: `the driver has no ${method}` });
  try {
    return target.apply(driver, args);
  } catch (error) {
    return errAsync({ kind: 'Internal', operation: method, message: `${method} threw: ${error instanceof Error ? error.message : String(error)}` });
  }
}

/**
 * Garbage collection: the driver's `collectGarbage({ apply: true })` when it has one; otherwise every
 * orphan found by {@link orphanedParents} is removed through the clone-deletion executor.
 *
 * @param cluster - The cluster.
 * @returns `'driver'` or `'executor'` (which one ran) and the error, if any.
 */
export async function collectGarbage(cluster: Cluster): Promise<{ readonly by: 'driver' | 'executor'; readonly error: string | null }> {
  if (hasMethod(cluster.driver, 'collectGarbage')) {
    const result = await callMethod(cluster.driver, 'collectGarbage', { apply: true });
    return { by: 'driver', error: result.isErr() ? `${result.error.kind}: ${result.error.message}` : null };
  }
  for (const orphan of orphanedParents(cluster.sim)) {
    const result = await deleteWithCloneTree(cluster.sim, { targetPath: orphan, directories: [BASE, MIGRATED], operation: 'collectGarbage' });
    if (result.isErr()) return { by: 'executor', error: `${result.error.kind}: ${'message' in result.error ? result.error.message : ''}` };
  }
  return { by: 'executor', error: null };
}

/**
 * Describes how two object-state maps differ, path by path.
 *
 * @param expected - The state wanted.
 * @param actual - The state found.
 * @returns One line per difference (empty when equal).
 */
export function diffObjectStates(expected: ReadonlyMap<string, ObjectState>, actual: ReadonlyMap<string, ObjectState>): string[] {
  const lines: string[] = [];
  for (const [path, state] of expected) {
    const now = actual.get(path);
    if (now === undefined) lines.push(`${path} missing`);
    else if (!sameObject(state, now)) lines.push(`${path} changed: ${describeObject(state)} -> ${describeObject(now)}`);
  }
  for (const [path, state] of actual) if (!expected.has(path)) lines.push(`${path} unexpected (${describeObject(state)})`);
  return lines;
}

/**
 * Whether two object states are equal.
 *
 * @param a - One state.
 * @param b - The other.
 * @returns Equality of digest, size, mode and ancestry.
 */
export function sameObject(a: ObjectState | undefined, b: ObjectState | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.digest === b.digest && a.sizeBytes === b.sizeBytes && a.mode === b.mode && a.ancestry.join('\n') === b.ancestry.join('\n');
}

/**
 * The same state with its ancestry limited to some objects (the others dropped from the chain).
 *
 * @param state - A state.
 * @param keep - The ancestor paths to keep.
 * @returns The restricted state.
 */
export function restrictAncestry(state: ObjectState, keep: ReadonlySet<string>): ObjectState {
  return { ...state, ancestry: state.ancestry.filter((path) => keep.has(path)) };
}

/**
 * A short description of an object state for messages.
 *
 * @param state - The state.
 * @returns `digest… size mode [ancestors]`.
 */
export function describeObject(state: ObjectState): string {
  return `${(state.digest ?? 'unreadable').slice(0, 15)} ${state.sizeBytes}B mode ${state.mode.toString(8)} ancestry [${state.ancestry.join(' <- ')}]`;
}
