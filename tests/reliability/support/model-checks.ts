/**
 * The checks the concurrency suite makes after every step, beyond linearizability: what the simulator
 * holds, what each operation's result says against it, and what the driver's inventory lists.
 */
import type { GpfsDriver } from '../../../src/driver/driver.js';
import { isDisposableByName } from '../../../src/clone-tree/index.js';
import type { GpfsSimulator } from '../../../src/simulator/index.js';
import type { Scheduler } from 'fast-check';
import { BASE, callMethod } from './cluster.js';
import { describeAction, SNAPSHOT_NAMES, VOLUME_NAMES, type Action, type Model, type Observed } from './volume-model.js';

/**
 * The volumes and snapshots in the base, and any other file that is not a disposable clone parent.
 *
 * @param sim - The simulator.
 * @returns Name to digest and size; and the stray paths.
 */
export function observe(sim: GpfsSimulator): { readonly objects: Observed; readonly strays: string[] } {
  const objects = new Map<string, { digest: string | null; sizeBytes: number }>();
  const strays: string[] = [];
  const names = new Set<string>([...VOLUME_NAMES, ...SNAPSHOT_NAMES]);
  for (const file of sim.inspect.files({ under: BASE, digests: true })) {
    if (file.type !== 'file' || isDisposableByName(file.path)) continue;
    const name = file.path.slice(BASE.length + 1);
    if (names.has(name)) objects.set(name, { digest: file.digest ?? null, sizeBytes: file.sizeBytes });
    else strays.push(file.path);
  }
  return { objects, strays };
}

/**
 * What an operation's result says (path, size, tombstone, deletion status), checked against what was
 * asked and, when the action ran alone (nothing concurrent could change the answer since), against the
 * simulator.
 *
 * @param action - The action.
 * @param value - Its `Ok` value (or `null`).
 * @param sim - The simulator.
 * @param alone - Whether it was the step's only action.
 * @returns One line per disagreement.
 */
export function reportedVersusHeld(action: Action, value: unknown, sim: GpfsSimulator, alone: boolean): string[] {
  if (value === null || typeof value !== 'object') return [];
  const reported = value as { path?: unknown; sizeGiB?: unknown; status?: unknown; tombstonePath?: unknown };
  const problems: string[] = [];
  const exists = (path: string) => sim.inspect.file(path).isOk();
  if ('name' in action && typeof reported.path === 'string' && reported.path !== `${BASE}/${action.name}`) problems.push(`${describeAction(action)} reported path ${reported.path}`);
  if ((action.type === 'create' || action.type === 'fromSnapshot' || action.type === 'clone' || action.type === 'extend') && reported.sizeGiB !== action.sizeGiB) {
    problems.push(`${describeAction(action)} reported ${String(reported.sizeGiB)} GiB`);
  }
  if (action.type === 'deleteSnapshot' && reported.status === 'tombstoned' && typeof reported.tombstonePath === 'string') {
    if (!isDisposableByName(reported.tombstonePath)) problems.push(`${describeAction(action)} reported a tombstone ${reported.tombstonePath} that is not disposable`);
    else if (alone && !exists(reported.tombstonePath)) problems.push(`${describeAction(action)} reported a tombstone ${reported.tombstonePath} that does not exist`);
  }
  if (alone && (action.type === 'deleteSnapshot' || action.type === 'deleteVolume') && exists(`${BASE}/${action.name}`)) {
    problems.push(`${describeAction(action)} succeeded but ${BASE}/${action.name} is still there`);
  }
  return problems;
}

/**
 * Differences between the driver's inventory of the base and the model.
 *
 * @param driver - The driver asked (its round trips go through the scheduler when there is one).
 * @param scheduler - The scheduler, or `null`.
 * @param model - The model after the step.
 * @returns One line per difference.
 */
export async function inventoryDifferences(driver: GpfsDriver, scheduler: Scheduler | null, model: Model): Promise<string[]> {
  const pending = callMethod(driver, 'inventory');
  const result = await (scheduler?.waitFor(Promise.resolve(pending)) ?? pending);
  if (result.isErr()) return [`inventory failed: ${result.error.kind}: ${result.error.message}`];
  const files = ((result.value as { files?: unknown }).files ?? []) as readonly { directory?: string; name?: string; kind?: string; sizeBytes?: number }[];
  const listed = (kind: string) =>
    files
      .filter((file) => file.directory === BASE && file.kind === kind)
      .map((file) => `${file.name}:${file.sizeBytes}`)
      .sort()
      .join(' ');
  const wanted = (entries: Map<string, { sizeGiB: number }>) =>
    [...entries]
      .map(([name, content]) => `${name}:${content.sizeGiB * 1024 ** 3}`)
      .sort()
      .join(' ');
  const problems: string[] = [];
  if (listed('volume') !== wanted(model.volumes)) problems.push(`inventory lists volumes [${listed('volume')}], the cluster holds [${wanted(model.volumes)}]`);
  if (listed('snapshot') !== wanted(model.snapshots)) problems.push(`inventory lists snapshots [${listed('snapshot')}], the cluster holds [${wanted(model.snapshots)}]`);
  return problems;
}
