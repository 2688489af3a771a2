/**
 * The model of the concurrency suite: which volumes and snapshots exist, with what content, and what
 * each driver operation must return, applied one operation at a time. Concurrent operations are
 * checked for linearizability: some order of them must give the outcomes the driver returned and the
 * state the simulator holds.
 */
import { createGpfsSimulator } from '../../../src/simulator/index.js';
import { GIB } from './cluster.js';

/** Volume names (a small pool, so that operations collide). */
export const VOLUME_NAMES = ['v0', 'v1', 'v2', 'v3'] as const;
/** Snapshot names. */
export const SNAPSHOT_NAMES = ['s0', 's1', 's2', 's3'] as const;

/** One operation, from one of the drivers. */
export type Action =
  | { readonly type: 'create'; readonly driver: number; readonly name: string; readonly sizeGiB: number }
  | { readonly type: 'snapshot'; readonly driver: number; readonly name: string; readonly volume: string }
  | { readonly type: 'fromSnapshot'; readonly driver: number; readonly name: string; readonly snapshot: string; readonly sizeGiB: number }
  | { readonly type: 'clone'; readonly driver: number; readonly name: string; readonly source: string; readonly sizeGiB: number }
  | { readonly type: 'deleteVolume'; readonly driver: number; readonly name: string }
  | { readonly type: 'deleteSnapshot'; readonly driver: number; readonly name: string }
  | { readonly type: 'extend'; readonly driver: number; readonly name: string; readonly sizeGiB: number }
  | { readonly type: 'gc'; readonly driver: number }
  | { readonly type: 'write'; readonly name: string; readonly token: string };

/** Content of a volume or snapshot: a token at offset 0, zeros up to the size. */
export interface Content {
  readonly token: string;
  readonly sizeGiB: number;
}

/** The modelled state. */
export interface Model {
  readonly volumes: Map<string, Content>;
  readonly snapshots: Map<string, Content>;
}

/** How an operation ended: `'ok'` or the error kind. */
export type Outcome = string;

/** What the simulator holds: name to digest and size in bytes. */
export type Observed = ReadonlyMap<string, { readonly digest: string | null; readonly sizeBytes: number }>;

/**
 * A fresh, empty model.
 *
 * @returns The model.
 */
export function emptyModel(): Model {
  return { volumes: new Map(), snapshots: new Map() };
}

/**
 * A copy of a model.
 *
 * @param model - The model.
 * @returns Its copy.
 */
export function copyModel(model: Model): Model {
  return { volumes: new Map(model.volumes), snapshots: new Map(model.snapshots) };
}

/**
 * Applies one action to the model (sequential semantics of the driver).
 *
 * @param model - Changed in place.
 * @param action - The action.
 * @returns The outcome the driver must report.
 */
export function applyAction(model: Model, action: Action): Outcome {
  const { volumes, snapshots } = model;
  switch (action.type) {
    case 'create':
      if (volumes.has(action.name)) return 'AlreadyExists';
      volumes.set(action.name, { token: '', sizeGiB: action.sizeGiB });
      return 'ok';
    case 'snapshot': {
      const source = volumes.get(action.volume);
      if (source === undefined) return 'NotFound';
      if (snapshots.has(action.name)) return 'AlreadyExists';
      snapshots.set(action.name, source);
      return 'ok';
    }
    case 'fromSnapshot':
    case 'clone': {
      const source = action.type === 'clone' ? volumes.get(action.source) : snapshots.get(action.snapshot);
      if (source === undefined) return 'NotFound';
      if (volumes.has(action.name)) return 'AlreadyExists';
      if (action.sizeGiB < source.sizeGiB) return 'CommandFailed';
      volumes.set(action.name, { token: source.token, sizeGiB: action.sizeGiB });
      return 'ok';
    }
    case 'deleteVolume':
      volumes.delete(action.name);
      return 'ok';
    case 'deleteSnapshot':
      snapshots.delete(action.name);
      return 'ok';
    case 'extend': {
      const volume = volumes.get(action.name);
      if (volume === undefined) return 'NotFound';
      if (action.sizeGiB < volume.sizeGiB) return 'InvalidArgument';
      volumes.set(action.name, { token: volume.token, sizeGiB: action.sizeGiB });
      return 'ok';
    }
    case 'gc':
      return 'ok';
    case 'write': {
      const volume = volumes.get(action.name);
      if (volume === undefined) return 'WriteFailed';
      volumes.set(action.name, { token: action.token, sizeGiB: volume.sizeGiB });
      return 'ok';
    }
  }
}

/**
 * The digest the simulator gives a file holding `content` (computed on a scratch simulator, memoised).
 *
 * @param content - Token and size.
 * @returns `sha256:...`.
 */
export function expectedDigest(content: Content): string {
  const key = `${content.token}|${content.sizeGiB}`;
  const known = digests.get(key);
  if (known !== undefined) return known;
  scratch.control.seedFile({ path: '/scratch/content', content: content.token, sizeBytes: content.sizeGiB * GIB, overwrite: true })._unsafeUnwrap();
  const digest = scratch.inspect.digest('/scratch/content')._unsafeUnwrap();
  digests.set(key, digest);
  return digest;
}

/**
 * Differences between a model and what the simulator holds.
 *
 * @param model - The model.
 * @param observed - The simulator's volumes and snapshots.
 * @returns One line per difference.
 */
export function modelDifferences(model: Model, observed: Observed): string[] {
  const lines: string[] = [];
  const expected = new Map<string, Content>([...model.volumes, ...model.snapshots]);
  for (const [name, content] of expected) {
    const found = observed.get(name);
    if (found === undefined) lines.push(`${name} missing`);
    else if (found.sizeBytes !== content.sizeGiB * GIB) lines.push(`${name} is ${found.sizeBytes} bytes, expected ${content.sizeGiB} GiB`);
    else if (found.digest !== expectedDigest(content)) lines.push(`${name} has content ${String(found.digest).slice(0, 15)}, expected token ${JSON.stringify(content.token)}`);
  }
  for (const name of observed.keys()) if (!expected.has(name)) lines.push(`${name} exists but should not`);
  return lines;
}

/**
 * Finds an order of concurrent actions that explains their outcomes and the resulting state.
 *
 * @param model - The state before them.
 * @param actions - The actions, run concurrently.
 * @param outcomes - What each returned (same order).
 * @param observed - What the simulator holds afterwards.
 * @returns The model after the first order that fits, or why none does.
 */
export function linearize(model: Model, actions: readonly Action[], outcomes: readonly Outcome[], observed: Observed): { readonly model: Model } | { readonly reasons: string[] } {
  const reasons: string[] = [];
  for (const order of permutations(actions.map((_, index) => index))) {
    const candidate = copyModel(model);
    const mismatch = order.map((index) => ({ index, expected: applyAction(candidate, actions[index] as Action) })).find(({ index, expected }) => expected !== outcomes[index]);
    if (mismatch !== undefined) {
      reasons.push(`order ${order.join(',')}: action ${mismatch.index} should be ${mismatch.expected}, was ${outcomes[mismatch.index]}`);
      continue;
    }
    const differences = modelDifferences(candidate, observed);
    if (differences.length === 0) return { model: candidate };
    reasons.push(`order ${order.join(',')}: outcomes fit but ${differences.join('; ')}`);
  }
  return { reasons };
}

/**
 * Describes an action for counterexamples.
 *
 * @param action - The action.
 * @returns A short text such as `d1.clone(v2 <- v0, 2 GiB)`.
 */
export function describeAction(action: Action): string {
  switch (action.type) {
    case 'create':
      return `d${action.driver}.create(${action.name}, ${action.sizeGiB} GiB)`;
    case 'snapshot':
      return `d${action.driver}.snapshot(${action.name} of ${action.volume})`;
    case 'fromSnapshot':
      return `d${action.driver}.fromSnapshot(${action.name} <- ${action.snapshot}, ${action.sizeGiB} GiB)`;
    case 'clone':
      return `d${action.driver}.clone(${action.name} <- ${action.source}, ${action.sizeGiB} GiB)`;
    case 'deleteVolume':
      return `d${action.driver}.deleteVolume(${action.name})`;
    case 'deleteSnapshot':
      return `d${action.driver}.deleteSnapshot(${action.name})`;
    case 'extend':
      return `d${action.driver}.extend(${action.name} to ${action.sizeGiB} GiB)`;
    case 'gc':
      return `d${action.driver}.collectGarbage()`;
    case 'write':
      return `write(${action.name}, ${JSON.stringify(action.token.trim())})`;
  }
}

// --- Internal helpers ---

const scratch = createGpfsSimulator();
const digests = new Map<string, string>();

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}
