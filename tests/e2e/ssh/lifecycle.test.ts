/**
 * Connections that drop, runners that are disposed, and a missing ssh2 package, against a real
 * OpenSSH sshd (issue 6).
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshRunner, type SshCommandTrace, type SshRunnerOptions } from '../../../src/runners/ssh/index.js';
import { describeWithSshd, processState, removeSshdDirectory, startLoopbackSshd, type LoopbackSshd } from './sshd.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const sleep = (delayMs: number) => new Promise((resolve) => setTimeout(resolve, delayMs));
const signalQuietly = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(pid, signal);
  } catch {
    // It has ended already.
  }
};

/** Runs a node child (with tsx) and returns its exit code and stdout; kills it if it does not exit within 60 s. */
function runChild(args: readonly string[]): Promise<{ exitCode: number | null; stdout: string; stderr: string; hung: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const guard = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, 60_000);
    child.on('close', (exitCode) => {
      clearTimeout(guard);
      resolve({ exitCode, stdout, stderr, hung });
    });
  });
}

describeWithSshd('ssh runner: dropped connections and disposal', () => {
  let sshd: LoopbackSshd;
  const traces: SshCommandTrace[] = [];

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
  });
  afterAll(async () => {
    await sshd.stop();
    removeSshdDirectory(sshd);
  });

  const options = (extra: Partial<SshRunnerOptions> = {}): SshRunnerOptions => ({
    hosts: [sshd.host],
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.clientPrivateKey,
    hostKeyFingerprints: [sshd.hostKeyFingerprint],
    onCommand: (trace) => traces.push(trace),
    ...extra,
  });
  const waitFor = async (path: string): Promise<void> => {
    for (let attempt = 0; attempt < 500 && !existsSync(path); attempt += 1) await sleep(20);
  };

  it('reports ConnectionLost when sshd dies mid-command, and the same runner works once sshd is back', async () => {
    const runner = createSshRunner(options());
    const marker = join(sshd.directory, 'lost-started');
    const argv = ['sh', '-c', `touch '${marker}'; sleep 30`];
    const pending = runner.run({ argv });
    await waitFor(marker);
    await sshd.stop();
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ kind: 'ConnectionLost', host: '127.0.0.1', argv });
    expect((await runner.run({ argv: ['true'] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'ConnectionFailed', host: '127.0.0.1' });
    await sshd.start();
    expect((await runner.run({ argv: ['printf', 'back'] }))._unsafeUnwrap().stdout).toBe('back');
    expect((await runner.runBatch([{ argv: ['printf', 'batch'] }]))._unsafeUnwrap().outputs[0]?.stdout).toBe('batch');
    await runner.dispose();
  });

  it('notices a connection that stops answering through keepalives, then reconnects', async () => {
    const runner = createSshRunner(options({ keepaliveIntervalMs: 200, keepaliveCountMax: 2 }));
    expect((await runner.run({ argv: ['true'] }))._unsafeUnwrap().exitCode).toBe(0);
    const marker = join(sshd.directory, 'frozen-started');
    const pending = runner.run({ argv: ['sh', '-c', `touch '${marker}'; sleep 30`] });
    await waitFor(marker);
    const frozen = sshd.sessionPids();
    for (const pid of frozen) signalQuietly(pid, 'SIGSTOP');
    const error = (await pending)._unsafeUnwrapErr();
    // Every process is signalled on its own: one that ended meanwhile must not spare the others.
    for (const pid of frozen) signalQuietly(pid, 'SIGKILL');
    for (const pid of frozen) signalQuietly(pid, 'SIGCONT');
    for (const pid of frozen) {
      for (let attempt = 0; attempt < 100 && !['Z', undefined].includes(processState(pid)); attempt += 1) await sleep(20);
      expect(['Z', undefined]).toContain(processState(pid));
    }
    expect(error.kind).toBe('ConnectionLost');
    expect((await runner.run({ argv: ['printf', 'fresh'] }))._unsafeUnwrap().stdout).toBe('fresh');
    await runner.dispose();
  });

  it('kills commands in flight on dispose, and refuses runs afterwards without sending anything', async () => {
    const runner = createSshRunner(options());
    const pidFile = join(sshd.directory, 'dispose.pid');
    const pending = runner.run({ argv: ['sh', '-c', `echo $$ > '${pidFile}.tmp'; mv '${pidFile}.tmp' '${pidFile}'; sleep 300`] });
    await waitFor(pidFile);
    await runner.dispose();
    expect((await pending)._unsafeUnwrapErr().kind).toBe('Aborted');
    const pid = Number((await import('node:fs')).readFileSync(pidFile, 'utf8'));
    expect(['Z', undefined]).toContain(processState(pid));
    const before = traces.length;
    expect((await runner.run({ argv: ['true'] }))._unsafeUnwrapErr().kind).toBe('Aborted');
    expect((await runner.runBatch([{ argv: ['true'] }]))._unsafeUnwrapErr().kind).toBe('Aborted');
    expect(traces.length).toBe(before);
    await runner.dispose();
    rmSync(pidFile, { force: true });
  });

  describe('in a child process', () => {
    const config = (full: boolean): string =>
      JSON.stringify({ host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.clientPrivateKey, fingerprint: sshd.hostKeyFingerprint, full });

    it('lets the process exit on its own once the runner is disposed', async () => {
      for (const full of [false, true]) {
        const child = await runChild([join(fixtures, 'runner-child.ts'), config(full)]);
        expect({ hung: child.hung, exitCode: child.exitCode, stderr: child.stderr }).toEqual({ hung: false, exitCode: 0, stderr: '' });
        const report = JSON.parse(child.stdout) as { results: unknown[]; resources: string[] };
        expect(report.results).toEqual(full ? ['hello', 'Timeout', ['', 'b'], 'Aborted'] : ['hello']);
        expect(report.resources.filter((name) => /TCP|Timeout|Immediate/.test(name))).toEqual([]);
      }
    });

    it('returns a typed error, not a crash, when ssh2 is not installed', async () => {
      const child = await runChild(['--import', join(fixtures, 'block-ssh2.mjs'), join(fixtures, 'runner-child.ts'), config(false)]);
      expect({ hung: child.hung, exitCode: child.exitCode }).toEqual({ hung: false, exitCode: 0 });
      const report = JSON.parse(child.stdout) as { results: [{ kind: string; message: string }] };
      expect(report.results[0].kind).toBe('ConnectionFailed');
      expect(report.results[0].message).toContain('npm install ssh2');
    });
  });
});
