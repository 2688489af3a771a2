/**
 * Suite 6, bounds (issue 7): one driver over one runner does thousands of sequential operations in a
 * child process run with `--expose-gc`, for the in-memory simulator, the local runner and the SSH
 * runner (a loopback sshd whose sessions reach an in-memory simulator through the fast bridge shims).
 * The heap after `gc()` may not grow by more than 20 MB after warm-up; active handles and timers
 * (`process.getActiveResourcesInfo()`), process listeners and, over SSH, remote session processes may
 * not grow during the run; and after `dispose()` nothing the runner opened may be left.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGpfsSimulator } from '../../src/simulator/index.js';
import { removeSshdDirectory, sshdSupport, startLoopbackSshd } from '../e2e/ssh/sshd.js';
import type { BoundsChildConfig, BoundsChildReport } from './support/bounds-child.js';
import { BASE } from './support/cluster.js';
import { createCollector, type Collector, type SuiteOptions, type SuiteReport } from './support/report.js';
import { startSimBridge } from './support/sim-bridge.js';

/** Heap growth allowed after warm-up. */
export const HEAP_GROWTH_LIMIT_BYTES = 20 * 1024 * 1024;

/**
 * Operations per runner at each size. Through real processes every simulated command costs a bash shim
 * (about 15 ms here), so the local and SSH runners do fewer operations than the in-memory simulator.
 */
const OPERATIONS = {
  small: { simulator: 1_200, local: 24, ssh: 36 },
  full: { simulator: 10_000, local: 300, ssh: 1_200 },
} as const;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./support/bounds-child.ts', import.meta.url));

/**
 * Runs the suite.
 *
 * @param options - Size (operation counts) and seed (unused: the cycle is fixed).
 * @returns The report: scenarios = operations run in all children.
 */
export async function runBounds(options: SuiteOptions): Promise<SuiteReport> {
  const collector = createCollector('bounds', options);
  const counts = OPERATIONS[options.size];
  const growth: string[] = [];
  const measured = async (mode: BoundsChildConfig['mode'], extra: Partial<BoundsChildConfig>) => {
    const config: BoundsChildConfig = { mode, operations: counts[mode], warmup: warmupFor(counts[mode]), base: BASE, ...extra };
    const report = await runChild(config, collector);
    if (report !== null) {
      judge(collector, mode, report);
      growth.push(`${mode} ${((report.heapBytes.final - report.heapBytes.baseline) / 1024 / 1024).toFixed(1)} MB`);
    }
    options.log?.(`bounds: ${mode} done`);
  };

  await measured('simulator', {});
  const directory = mkdtempSync(join(ROOT, '.tmp', 'reliability-bounds-'));
  const sim = createGpfsSimulator({ commandLogLimit: 1000 });
  sim.control.mkdir(BASE)._unsafeUnwrap();
  const bridge = await startSimBridge(sim, directory);
  try {
    await measured('local', { local: { binDirectory: bridge.binDirectory } });
    const support = sshdSupport();
    if (!support.available) {
      if (support.required) collector.violation('ssh', support.reason);
      else collector.detail(`ssh runner skipped: ${support.reason}`);
    } else {
      const sshd = await startLoopbackSshd({ environment: { PATH: `${bridge.binDirectory}:/usr/bin:/bin` } });
      try {
        const sshdPid = listenerPid(join(sshd.directory, 'sshd_config'));
        if (sshdPid === 0) collector.violation('ssh: channels', 'the sshd listener process was not found, so remote sessions cannot be counted');
        await measured('ssh', { ssh: { host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.clientPrivateKey, fingerprint: sshd.hostKeyFingerprint, sshdPid } });
      } finally {
        await sshd.stop();
        removeSshdDirectory(sshd);
      }
    }
  } finally {
    await bridge.close();
    rmSync(directory, { recursive: true, force: true });
  }
  collector.figure('operations', `simulator ${counts.simulator}, local ${counts.local}, ssh ${counts.ssh}`);
  collector.figure('heap growth after warm-up', growth.join(', '));
  collector.figure('limit', '20 MB');
  return collector.report();
}

// --- Internal helpers ---

/** Warm-up: a tenth of the run in whole cycles of 12 operations, at least one cycle. */
function warmupFor(operations: number): number {
  return Math.max(12, Math.floor(operations / 10 / 12) * 12);
}

/** Runs the child and parses its report; a crash is a violation. */
function runChild(config: BoundsChildConfig, collector: Collector): Promise<BoundsChildReport | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (exitCode) => {
      for (let operation = 0; operation < config.operations; operation++) collector.scenario();
      if (exitCode !== 0) {
        collector.violation(config.mode, `the child exited ${exitCode}: ${stderr.slice(-2000)}`);
        resolve(null);
        return;
      }
      resolve(JSON.parse(stdout) as BoundsChildReport);
    });
  });
}

/** The pid of the sshd started with `config` (its command line names the file), or 0. */
function listenerPid(config: string): number {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // sshd retitles itself (`sshd: /usr/sbin/sshd -f <config> -D -e [listener] ...`): look for the path anywhere.
      const commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (commandLine.includes(config) && commandLine.includes('listener')) return Number(name);
    } catch {
      // Gone meanwhile.
    }
  }
  return 0;
}

function judge(collector: Collector, mode: string, report: BoundsChildReport): void {
  const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (report.failures > 0) collector.violation(`${mode}: operations`, `${report.failures} of ${report.operations} failed: ${report.failureExamples.join('; ')}`);
  const growth = report.heapBytes.max - report.heapBytes.baseline;
  if (growth > HEAP_GROWTH_LIMIT_BYTES)
    collector.violation(`${mode}: heap`, `grew by ${megabytes(growth)} after warm-up (baseline ${megabytes(report.heapBytes.baseline)}, final ${megabytes(report.heapBytes.final)})`);
  const grown = (from: Record<string, number>, to: Record<string, number>) =>
    Object.entries(to)
      .filter(([name, count]) => count > (from[name] ?? 0))
      .map(([name, count]) => `${name} ${from[name] ?? 0} -> ${count}`);
  const during = grown(report.resources.warm, report.resources.end);
  if (during.length > 0) collector.violation(`${mode}: handles`, `active handles or timers grew during the run: ${during.join(', ')}`);
  const left = grown(report.resources.before, report.resources.afterDispose);
  if (left.length > 0) collector.violation(`${mode}: dispose`, `left after dispose: ${left.join(', ')}`);
  if (report.listeners.end > report.listeners.warm) collector.violation(`${mode}: listeners`, `process listeners grew from ${report.listeners.warm} to ${report.listeners.end}`);
  if (report.listeners.afterDispose > report.listeners.before)
    collector.violation(`${mode}: listeners after dispose`, `${report.listeners.before} before, ${report.listeners.afterDispose} after dispose`);
  if (report.remoteSessions !== null && report.remoteSessions.end > report.remoteSessions.warm) {
    collector.violation(`${mode}: channels`, `remote session processes grew from ${report.remoteSessions.warm} to ${report.remoteSessions.end} (channels left open)`);
  }
  collector.detail(
    `${mode}: ${report.operations} operations, ${report.failures} failed; heap ${megabytes(report.heapBytes.baseline)} after warm-up, ${megabytes(report.heapBytes.final)} at the end (max ${megabytes(report.heapBytes.max)}); ` +
      `handles at warm-up ${JSON.stringify(report.resources.warm)}, at the end ${JSON.stringify(report.resources.end)}, after dispose ${JSON.stringify(report.resources.afterDispose)}` +
      (report.remoteSessions === null ? '' : `; remote session processes ${report.remoteSessions.warm} -> ${report.remoteSessions.end}`),
  );
}
