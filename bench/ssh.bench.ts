/**
 * SSH bench (issue 6), on a loopback OpenSSH sshd started with the e2e harness: commands per second
 * through the runner in both modes (reused shells, the default, and `reuseShells: false`, one SSH
 * session per command), against spawning the `ssh` client once per command and against `ssh` with
 * ControlMaster multiplexing, measured in the same run; and what a batch of 10 commands costs
 * against one command in each mode. Goals: at least 10x the per-command spawn, at least as fast as
 * ControlMaster, a batch of 10 about one round trip.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Client } from 'ssh2';
import { createSshRunner, type SshRunner } from '../src/runners/ssh/index.js';
import { removeSshdDirectory, sshdSupport, startLoopbackSshd, type LoopbackSshd } from '../tests/e2e/ssh/sshd.js';

const execFileAsync = promisify(execFile);
const SSH_CLIENT = '/usr/bin/ssh';
const CONCURRENCY = 8;
const ROUNDS = 5;

/** Runs the bench and prints its figures. */
export async function run(): Promise<void> {
  const support = sshdSupport();
  if (!support.available || !existsSync(SSH_CLIENT)) {
    console.log(`ssh: skipped: ${support.reason || `${SSH_CLIENT} is not installed`}`);
    return;
  }
  const sshd = await startLoopbackSshd();
  const controlDirectory = mkdtempSync('/tmp/gvcm-');
  const options = { hosts: [sshd.host], port: sshd.port, username: sshd.username, privateKey: sshd.clientPrivateKey, hostKeyFingerprints: [sshd.hostKeyFingerprint] };
  const runner = createSshRunner(options);
  const sessionRunner = createSshRunner({ ...options, reuseShells: false });
  try {
    const knownHosts = join(sshd.directory, 'bench_known_hosts');
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
    const sshArgs = clientArguments(sshd, knownHosts);
    const multiplexed = [...sshArgs, '-o', 'ControlMaster=auto', '-o', `ControlPath=${controlDirectory}/%C`, '-o', 'ControlPersist=60'];
    const viaRunner = async (): Promise<void> => void (await runner.run({ argv: ['true'] }))._unsafeUnwrap();
    const viaSessionRunner = async (): Promise<void> => void (await sessionRunner.run({ argv: ['true'] }))._unsafeUnwrap();
    const viaSpawn = async (): Promise<void> => void (await execFileAsync(SSH_CLIENT, [...sshArgs, `${sshd.username}@${sshd.host}`, 'true']));
    const viaControlMaster = async (): Promise<void> => void (await execFileAsync(SSH_CLIENT, [...multiplexed, `${sshd.username}@${sshd.host}`, 'true']));

    const raw = await rawClient(sshd);
    const viaRawChannel = (): Promise<void> => rawExec(raw, 'true');

    await viaRunner();
    await viaSessionRunner();
    await viaControlMaster();
    await viaRawChannel();
    // The methods take turns, round after round, and each figure is the median over the rounds, so that load
    // from other processes on the machine hits all of them alike.
    const methods = [
      { name: 'runner, reused shells (default)', call: viaRunner, sequentialCount: 12, concurrentCount: 32 },
      { name: 'runner, reuseShells: false', call: viaSessionRunner, sequentialCount: 12, concurrentCount: 32 },
      { name: 'ssh client spawned per command', call: viaSpawn, sequentialCount: 3, concurrentCount: 8 },
      { name: 'ssh client + ControlMaster', call: viaControlMaster, sequentialCount: 8, concurrentCount: 16 },
      // Sequential only: without the runner's retry, 8 bare channels in flight hit sshd's MaxSessions.
      { name: 'floor: bare ssh2 exec of `true`', call: viaRawChannel, sequentialCount: 12, concurrentCount: 0 },
    ];
    // Sequential: 1000 / the median latency of single calls. Concurrent: calls per second with 8 in flight, median over rounds.
    const samples = methods.map(() => ({ latencyMs: [] as number[], concurrent: [] as number[] }));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [index, method] of methods.entries()) {
        for (let call = 0; call < method.sequentialCount; call += 1) samples[index]!.latencyMs.push(await medianMs(1, method.call));
        if (method.concurrentCount > 0) samples[index]!.concurrent.push(await rate(method.call, method.concurrentCount, CONCURRENCY));
      }
    }
    raw.end();
    const rows = methods.map((method, index) => ({ name: method.name, sequential: 1000 / median(samples[index]!.latencyMs), concurrent: median(samples[index]!.concurrent) }));
    console.log(`loopback sshd (OpenSSH), command \`true\`; concurrent = ${CONCURRENCY} in flight; medians over ${ROUNDS} interleaved rounds`);
    console.log('method                              sequential cmd/s   concurrent cmd/s');
    for (const row of rows) {
      console.log(`${row.name.padEnd(36)}${row.sequential.toFixed(1).padStart(16)}${(Number.isNaN(row.concurrent) ? '-' : row.concurrent.toFixed(1)).padStart(19)}`);
    }
    const [shellRow, sessionRow, spawnRow, controlRow] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    for (const row of [shellRow, sessionRow]) {
      console.log(
        `${row.name}: vs spawn ${(row.sequential / spawnRow.sequential).toFixed(1)}x sequential, ${(row.concurrent / spawnRow.concurrent).toFixed(1)}x concurrent (goal >= 10x); ` +
          `vs ControlMaster ${(row.sequential / controlRow.sequential).toFixed(2)}x sequential, ${(row.concurrent / controlRow.concurrent).toFixed(2)}x concurrent (goal >= 1x)`,
      );
    }
    await batchCost('reused shells', runner);
    await batchCost('reuseShells: false', sessionRunner);
  } finally {
    await runner.dispose();
    await sessionRunner.dispose();
    await execFileAsync(SSH_CLIENT, ['-o', `ControlPath=${controlDirectory}/%C`, '-O', 'exit', '-p', String(sshd.port), `${sshd.username}@${sshd.host}`]).catch(() => undefined);
    await sshd.stop();
    removeSshdDirectory(sshd);
    rmSync(controlDirectory, { recursive: true, force: true });
  }
}

// --- Internal helpers ---

/** A bare ssh2 connection: one exec channel per command, no wrapper, no checks (the cost floor of the design). */
function rawClient(sshd: LoopbackSshd): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client)).once('error', reject);
    client.connect({ host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.clientPrivateKey, hostVerifier: () => true });
  });
}

function rawExec(client: Client, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      channel.on('close', () => resolve());
      channel.resume();
      channel.stderr.resume();
      channel.end();
    });
  });
}

function clientArguments(sshd: LoopbackSshd, knownHosts: string): string[] {
  return [
    '-F',
    '/dev/null',
    '-i',
    sshd.clientKeyPath,
    '-p',
    String(sshd.port),
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'LogLevel=ERROR',
  ];
}

/** Commands per second for `count` calls of `call`, `concurrency` at a time. */
async function rate(call: () => Promise<void>, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        await call();
      }
    }),
  );
  return count / ((performance.now() - startedAt) / 1000);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

/** Median wall time of `rounds` calls, in milliseconds. */
async function medianMs(rounds: number, call: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const startedAt = performance.now();
    await call();
    times.push(performance.now() - startedAt);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
}

async function batchCost(label: string, runner: SshRunner): Promise<void> {
  const ten = Array.from({ length: 10 }, () => ({ argv: ['true'] }));
  const samples = { one: [] as number[], batchOfOne: [] as number[], batch: [] as number[], oneByOne: [] as number[] };
  for (let round = 0; round < 15; round += 1) {
    samples.one.push(await medianMs(1, async () => (await runner.run({ argv: ['true'] }))._unsafeUnwrap()));
    samples.batchOfOne.push(await medianMs(1, async () => (await runner.runBatch([{ argv: ['true'] }]))._unsafeUnwrap()));
    samples.batch.push(await medianMs(1, async () => (await runner.runBatch(ten))._unsafeUnwrap()));
    if (round % 3 === 0) {
      samples.oneByOne.push(
        await medianMs(1, async () => {
          for (const command of ten) (await runner.run(command))._unsafeUnwrap();
        }),
      );
    }
  }
  const [oneMs, batchOfOneMs, batchMs, sequentialMs] = [median(samples.one), median(samples.batchOfOne), median(samples.batch), median(samples.oneByOne)];
  // What the remote shell spends starting 10 processes instead of 1, measured on this machine without SSH.
  const localMs = await medianMs(5, () => execFileAsync('/bin/sh', ['-c', '(exec true) </dev/null >/dev/null 2>&1; '.repeat(10)]));
  const localOneMs = await medianMs(5, () => execFileAsync('/bin/sh', ['-c', '(exec true) </dev/null >/dev/null 2>&1']));
  console.log(
    `${label}: one command ${oneMs.toFixed(1)} ms; batch of 1 ${batchOfOneMs.toFixed(1)} ms; batch of 10 ${batchMs.toFixed(1)} ms = ${(batchMs / oneMs).toFixed(2)} x one command; ` +
      `10 commands one by one ${sequentialMs.toFixed(1)} ms (${(sequentialMs / batchMs).toFixed(1)}x the batch)`,
  );
  console.log(
    `${label}: remote process start-up alone (local /bin/sh, no SSH): 10 commands ${localMs.toFixed(1)} ms vs 1 command ${localOneMs.toFixed(1)} ms; ` +
      `batch of 10 minus that difference: ${(batchMs - (localMs - localOneMs)).toFixed(1)} ms = ${((batchMs - (localMs - localOneMs)) / oneMs).toFixed(2)} x one command`,
  );
}
