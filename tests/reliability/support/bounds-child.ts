/**
 * The measured process of the bounds suite, run as `node --expose-gc --import tsx bounds-child.ts
 * '<config json>'`: one driver over one runner (the in-memory simulator, the local runner or the SSH
 * runner) does N sequential operations in a cycle that leaves the cluster as it found it, while the
 * heap (after `gc()`), the active handles and timers (`process.getActiveResourcesInfo()`), the process
 * listeners and, over SSH, the remote session processes are sampled. Prints one JSON report on stdout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ResultAsync } from 'neverthrow';
import { createGpfsDriver, type GpfsDriver } from '../../../src/driver/driver.js';
import type { GpfsError } from '../../../src/driver/errors.js';
import type { CommandRunner } from '../../../src/runners/types.js';
import { createGpfsSimulator } from '../../../src/simulator/index.js';
import { callMethod, hasMethod } from './cluster.js';

/** What the parent asks for. */
export interface BoundsChildConfig {
  readonly mode: 'simulator' | 'local' | 'ssh';
  readonly operations: number;
  readonly warmup: number;
  readonly base: string;
  readonly local?: { readonly binDirectory: string };
  readonly ssh?: { readonly host: string; readonly port: number; readonly username: string; readonly privateKey: string; readonly fingerprint: string; readonly sshdPid: number };
}

/** What the child reports. */
export interface BoundsChildReport {
  readonly operations: number;
  readonly failures: number;
  readonly failureExamples: readonly string[];
  readonly heapBytes: { readonly baseline: number; readonly final: number; readonly max: number };
  readonly resources: { readonly before: Record<string, number>; readonly warm: Record<string, number>; readonly end: Record<string, number>; readonly afterDispose: Record<string, number> };
  readonly listeners: { readonly before: number; readonly warm: number; readonly end: number; readonly afterDispose: number };
  readonly remoteSessions: { readonly warm: number; readonly end: number } | null;
}

/** The cycle: every operation once, ending with nothing left on the cluster. */
const CYCLE: readonly ((driver: GpfsDriver) => ResultAsync<unknown, GpfsError>)[] = [
  (driver) => driver.createVolume({ name: 'bounds-a', sizeGiB: 1 }),
  (driver) => driver.createSnapshot({ name: 'bounds-sa', volumeName: 'bounds-a' }),
  (driver) => driver.createVolumeFromSnapshot({ name: 'bounds-b', sizeGiB: 1 }, { name: 'bounds-sa', volumeName: 'bounds-a' }),
  (driver) => driver.createClonedVolume({ name: 'bounds-c', sizeGiB: 1 }, { name: 'bounds-a' }),
  (driver) => driver.extendVolume({ name: 'bounds-a' }, 2),
  (driver) => driver.getVolumeStats({ refresh: true }),
  (driver) => driver.deleteSnapshot({ name: 'bounds-sa', volumeName: 'bounds-a' }),
  (driver) => driver.deleteVolume({ name: 'bounds-b' }),
  (driver) => driver.deleteVolume({ name: 'bounds-c' }),
  (driver) => driver.deleteVolume({ name: 'bounds-a' }),
  (driver) => (hasMethod(driver, 'collectGarbage') ? callMethod(driver, 'collectGarbage', { apply: true }) : driver.getVolumeStats({ refresh: true })),
  (driver) => driver.initializeConnection({ name: 'bounds-a' }),
];

async function main(config: BoundsChildConfig): Promise<BoundsChildReport> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const before = { resources: resources(), listeners: listeners() };
  const runner = await makeRunner(config);
  const driver = createGpfsDriver({ runner, mountPointBase: config.base });
  const setup = await driver.setup();
  if (setup.isErr()) throw new Error(`setup failed: ${setup.error.kind}: ${setup.error.message}`);
  let failures = 0;
  const failureExamples: string[] = [];
  let baseline = 0;
  let max = 0;
  let warm = { resources: {} as Record<string, number>, listeners: 0, sessions: 0 };
  const sampleEvery = Math.max(1, Math.floor((config.operations - config.warmup) / 10));
  for (let index = 0; index < config.operations; index++) {
    const result = await (CYCLE[index % CYCLE.length] as (typeof CYCLE)[number])(driver);
    if (result.isErr()) {
      failures += 1;
      if (failureExamples.length < 3) failureExamples.push(`operation ${index}: ${result.error.kind}: ${result.error.message}`);
    }
    if (index + 1 === config.warmup) {
      gc();
      baseline = process.memoryUsage().heapUsed;
      max = baseline;
      warm = { resources: resources(), listeners: listeners(), sessions: remoteSessions(config) };
    } else if (index + 1 > config.warmup && (index + 1 - config.warmup) % sampleEvery === 0) {
      gc();
      max = Math.max(max, process.memoryUsage().heapUsed);
    }
    if ((index + 1) % 1000 === 0) process.stderr.write(`bounds ${config.mode}: ${index + 1} operations\n`);
  }
  gc();
  const final = process.memoryUsage().heapUsed;
  const end = { resources: resources(), listeners: listeners(), sessions: remoteSessions(config) };
  await runner.dispose?.();
  await new Promise((resolve) => setImmediate(resolve));
  return {
    operations: config.operations,
    failures,
    failureExamples,
    heapBytes: { baseline, final, max: Math.max(max, final) },
    resources: { before: before.resources, warm: warm.resources, end: end.resources, afterDispose: resources() },
    listeners: { before: before.listeners, warm: warm.listeners, end: end.listeners, afterDispose: listeners() },
    remoteSessions: config.mode === 'ssh' ? { warm: warm.sessions, end: end.sessions } : null,
  };
}

async function makeRunner(config: BoundsChildConfig): Promise<CommandRunner> {
  if (config.mode === 'simulator') {
    const sim = createGpfsSimulator({ commandLogLimit: 1000 });
    sim.control.mkdir(config.base)._unsafeUnwrap();
    return sim;
  }
  if (config.mode === 'local') {
    const { createLocalRunner } = await import('../../../src/runners/local/index.js');
    const bin = config.local?.binDirectory ?? '';
    return createLocalRunner({ env: { PATH: `${bin}:${process.env['PATH'] ?? ''}` }, mmDirectory: bin });
  }
  const ssh = config.ssh;
  if (ssh === undefined) throw new Error('ssh mode needs ssh settings');
  const { createSshRunner } = await import('../../../src/runners/ssh/index.js');
  return createSshRunner({ hosts: [ssh.host], port: ssh.port, username: ssh.username, privateKey: ssh.privateKey, hostKeyFingerprints: [ssh.fingerprint] });
}

/** Active handles and requests by type (timers, sockets, child processes, ...). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** Listeners on the process object (exit, signal and error handlers that runners may add). */
function listeners(): number {
  return process.eventNames().reduce((sum, name) => sum + process.listenerCount(name), 0);
}

/** Processes below the sshd listener (one session process per connection, plus one per open channel). */
function remoteSessions(config: BoundsChildConfig): number {
  const root = config.ssh?.sshdPid;
  if (root === undefined || root === 0) return 0;
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(name)]);
    } catch {
      // Gone meanwhile.
    }
  }
  let count = 0;
  const queue = [...(parents.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    count += 1;
    queue.push(...(parents.get(pid) ?? []));
  }
  return count;
}

const argument = process.argv[2];
if (argument !== undefined) {
  main(JSON.parse(argument) as BoundsChildConfig).then(
    // Exit explicitly: a timer or socket the runner leaked must show up in the report, not hang the suite.
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`bounds child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
