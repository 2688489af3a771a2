/**
 * The reused shells' command server (shell-server.ts), run locally the way sshd's login shell would
 * start it, without sshd: the request framing, exact statuses, stdin, spawn failures, tampered input,
 * and the environment each command gets compared with the exec path's script.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createBatchStdoutReader, createRequestStderrReader, splitBatchStderr, type BatchEvent } from '../../../src/runners/ssh/batch-frames.js';
import { killCommandLine, newToken, singleCommandLine, type ScriptSettings } from '../../../src/runners/ssh/remote-script.js';
import { encodeShellRequest, readReadyLine, shellServerCommandLine, type ShellRequest } from '../../../src/runners/ssh/shell-server.js';

const workDirectory = mkdtempSync(join(tmpdir(), 'gv-shell-server-'));
afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));
const plain: ScriptSettings = { rootHelper: null, mmDirectory: null };

/** What one command of a request reported. */
interface Reported {
  readonly pid: number | undefined;
  readonly status: number | null;
  readonly signal: string | null;
  readonly spawn: string | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/** A local server: `send` runs one request and reads its reports back. */
interface LocalServer {
  readonly pid: number;
  send(request: Omit<ShellRequest, 'token'>, rawHead?: Buffer): Promise<Reported[]>;
  /** Resolves with the exit code once the server has ended. */
  readonly ended: Promise<number | null>;
  stop(): void;
}

async function startServer(settings: ScriptSettings = plain): Promise<LocalServer> {
  const ready = newToken();
  const child: ChildProcessWithoutNullStreams = spawn('/bin/sh', ['-c', shellServerCommandLine(ready, settings, true)], { cwd: workDirectory, env: { ...process.env, TMPDIR: workDirectory } });
  let stdout: Buffer = Buffer.alloc(0);
  let onStdout: (chunk: Buffer) => void = (chunk) => (stdout = Buffer.concat([stdout, chunk]));
  let onStderr: (chunk: Buffer) => void = () => undefined;
  // A server that ends on tampered input may leave part of a request unread.
  child.stdin.on('error', () => undefined);
  child.stdout.on('data', (chunk: Buffer) => onStdout(chunk));
  child.stderr.on('data', (chunk: Buffer) => onStderr(chunk));
  const ended = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const pid = await new Promise<number>((resolve, reject) => {
    const check = (): void => {
      const found = readReadyLine(stdout, ready);
      if (found !== undefined) resolve(found);
    };
    onStdout = (chunk) => {
      stdout = Buffer.concat([stdout, chunk]);
      check();
    };
    void ended.then(() => reject(new Error('the server ended before it was ready')));
  });
  return {
    pid,
    ended,
    stop: () => child.stdin.end(),
    send(request, rawHead) {
      const token = newToken();
      const reader = createBatchStdoutReader(token);
      const stderrReader = createRequestStderrReader(token);
      const events: BatchEvent[] = [];
      return new Promise((resolve, reject) => {
        let stdoutDone = false;
        let stderrDone = false;
        const finish = (): void => {
          if (!stdoutDone || !stderrDone) return;
          const stderrByIndex = splitBatchStderr(stderrReader.bytes(), token);
          const reports: Reported[] = [];
          for (const event of events) {
            if (event.type === 'pid') reports[event.index] = { pid: event.pid, status: null, signal: null, spawn: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
            if (event.type === 'exit' || event.type === 'spawn') {
              const base = reports[event.index] ?? { pid: undefined, status: null, signal: null, spawn: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
              reports[event.index] =
                event.type === 'exit'
                  ? { ...base, status: event.status, signal: event.signalName, stdout: event.stdout, stderr: stderrByIndex.get(event.index) ?? Buffer.alloc(0) }
                  : { ...base, spawn: event.code, stderr: stderrByIndex.get(event.index) ?? Buffer.alloc(0) };
            }
          }
          resolve(reports);
        };
        onStdout = (chunk) => {
          for (const event of reader.push(chunk)) {
            events.push(event);
            if (event.type === 'end') stdoutDone = true;
          }
          finish();
        };
        onStderr = (chunk) => {
          stderrDone = stderrReader.push(chunk);
          finish();
        };
        void ended.then((code) => reject(new Error(`the server ended (${code})`)));
        const encoded = encodeShellRequest({ ...request, token });
        child.stdin.write(rawHead ?? encoded.head);
        child.stdin.write(encoded.stdin);
      });
    },
  };
}

const printed = (report: Reported | undefined): string[] => (report?.stdout.toString('utf8') ?? '').split('\0').slice(0, -1);

describe('runners: ssh reused-shell server', () => {
  it('delivers any argv verbatim and any stdin bytes, request after request, to one server (property)', async () => {
    const server = await startServer();
    const argument = fc.string({ unit: 'binary' }).map((value) => value.replaceAll('\0', ''));
    await fc.assert(
      fc.asyncProperty(fc.array(argument, { minLength: 1, maxLength: 5 }), fc.uint8Array({ maxLength: 3000 }), async (values, input) => {
        const [echo] = await server.send({ commands: [{ argv: ['printf', '%s\\0', ...values] }], stopOnFailure: false });
        const [cat] = await server.send({ commands: [{ argv: ['cat'] }], stopOnFailure: false, stdin: Buffer.from(input) });
        expect(printed(echo)).toEqual(values);
        expect(cat).toMatchObject({ status: 0, signal: null, spawn: null });
        expect(cat?.stdout.equals(Buffer.from(input))).toBe(true);
      }),
      { numRuns: 25 },
    );
    server.stop();
    expect(await server.ended).toBe(0);
  });

  it('reports exit codes and signals exactly, even the statuses a shell cannot tell apart', async () => {
    const server = await startServer();
    const scripts = ['exit 0', 'exit 3', 'kill -TERM $$', 'exit 143', 'kill -INT $$', 'exit 130', 'kill -PIPE $$', 'exit 141', 'kill -KILL $$', 'exit 255'];
    const reports = await server.send({ commands: scripts.map((script) => ({ argv: ['sh', '-c', script] })), stopOnFailure: false });
    expect(reports.map((report) => [report.status, report.signal])).toEqual([
      [0, null],
      [3, null],
      [143, 'SIGTERM'],
      [143, null],
      [130, 'SIGINT'],
      [130, null],
      [141, 'SIGPIPE'],
      [141, null],
      [137, 'SIGKILL'],
      [255, null],
    ]);
    server.stop();
  });

  it('keeps stdout and stderr of each command apart, and stops at the first failure when asked', async () => {
    const server = await startServer();
    const fake = `\ngv${'0'.repeat(32)} 0 exit 0 -\ngv${'0'.repeat(32)} end\ngvend x\n`;
    const reports = await server.send({
      commands: [
        { argv: ['sh', '-c', 'printf "%s" "$0"; printf "%s" "$0" >&2', fake] },
        { argv: ['sh', '-c', 'echo out; echo err >&2; exit 4'] },
        { argv: ['touch', join(workDirectory, 'after-failure')] },
      ],
      stopOnFailure: true,
    });
    expect(reports.map((report) => [report.stdout.toString(), report.stderr.toString(), report.status])).toEqual([
      [fake, fake, 0],
      ['out\n', 'err\n', 4],
    ]);
    expect(existsSync(join(workDirectory, 'after-failure'))).toBe(false);
    server.stop();
  });

  it('tells a missing or non-executable program apart from one that exits 127, and ends the request there', async () => {
    const server = await startServer();
    const notExecutable = join(workDirectory, 'not-executable');
    writeFileSync(notExecutable, 'echo hi\n');
    const missing = await server.send({ commands: [{ argv: ['no-such-program-gv'] }, { argv: ['touch', join(workDirectory, 'after-spawn')] }], stopOnFailure: false });
    expect(missing.map((report) => report.spawn)).toEqual(['ENOENT']);
    expect((await server.send({ commands: [{ argv: [notExecutable] }], stopOnFailure: false }))[0]?.spawn).toBe('EACCES');
    expect((await server.send({ commands: [{ argv: ['./no-such-file'] }], stopOnFailure: false }))[0]?.spawn).toBe('ENOENT');
    expect((await server.send({ commands: [{ argv: ['sh', '-c', 'exit 127'] }], stopOnFailure: false }))[0]).toMatchObject({ status: 127, spawn: null });
    expect(existsSync(join(workDirectory, 'after-spawn'))).toBe(false);
    server.stop();
  });

  it('drains stdin that a command does not read, and stays in step for the next request', async () => {
    const server = await startServer();
    const input = Buffer.alloc(3 * 1024 * 1024, 'x');
    const head = await server.send({ commands: [{ argv: ['head', '-c', '10'] }], stopOnFailure: false, stdin: input });
    expect(head[0]?.stdout.toString()).toBe('xxxxxxxxxx');
    const next = await server.send({ commands: [{ argv: ['printf', '%s\\0', 'next'] }], stopOnFailure: false });
    expect(printed(next[0])).toEqual(['next']);
    server.stop();
  });

  it('ends without running anything when its input is out of step', async () => {
    const canary = join(workDirectory, 'CANARY-server');
    for (const tampered of [
      // Shell text where a header belongs.
      Buffer.from(`touch ${canary}\n`),
      // A valid header and command, then a trailer with another token.
      Buffer.from(
        encodeShellRequest({ token: newToken(), commands: [{ argv: ['touch', canary] }], stopOnFailure: false })
          .head.toString('latin1')
          .replace(/gvend gv[0-9a-f]{32}\n$/, `gvend ${newToken()}\n`),
        'latin1',
      ),
      // An argument count that does not match its lengths.
      Buffer.from(`gvrequest ${newToken()} 0 1 0\n0 2 5\ntouch`),
    ]) {
      const server = await startServer();
      await expect(server.send({ commands: [{ argv: ['true'] }], stopOnFailure: false }, tampered)).rejects.toThrow('the server ended (3)');
      expect(await server.ended).toBe(3);
    }
    expect(existsSync(canary)).toBe(false);
  });

  it('is killed with the command it runs, without its group being known, and starts nothing after it', async () => {
    const server = await startServer();
    const pidFile = join(workDirectory, 'killed.pid');
    const after = join(workDirectory, 'after-kill');
    const pending = server.send({
      commands: [{ argv: ['sh', '-c', `sleep 300 & echo $$ $! > '${pidFile}.tmp'; mv '${pidFile}.tmp' '${pidFile}'; wait`] }, { argv: ['touch', after] }],
      stopOnFailure: false,
    });
    pending.catch(() => undefined);
    while (!existsSync(pidFile)) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(spawnSync('/bin/sh', ['-c', killCommandLine({ server: server.pid }, false, plain)]).status).toBe(0);
    expect(await server.ended).toBe(null);
    await expect(pending).rejects.toThrow('the server ended');
    const alive = (pid: number): boolean => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
      } catch {
        return false;
      }
    };
    const pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    for (let attempt = 0; attempt < 100 && pids.some(alive); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(after)).toBe(false);
  });

  it('gives each command what the exec path gives it: PATH with the mm* directory, root helper, a session of its own, fds 0-2 only', async () => {
    const bin = join(workDirectory, 'mmbin');
    const helper = join(workDirectory, 'helper');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'mmfake'), '#!/bin/sh\necho "mmfake $*"\n');
    writeFileSync(helper, '#!/bin/sh\necho "helper $*" >&2\nshift\nexec "$@"\n');
    chmodSync(join(bin, 'mmfake'), 0o755);
    chmodSync(helper, 0o755);
    const settings: ScriptSettings = { rootHelper: [helper, '--'], mmDirectory: bin };
    const server = await startServer(settings);
    const probe = ['sh', '-c', 'printf "%s\\n" "$PATH"; pwd; umask; ls /proc/$$/fd; ps -o pid= -o pgid= -o sid= -p $$ | awk \'{ print ($1 == $2 && $2 == $3) ? "leader" : "member" }\''];
    const [viaServer, helped, missingHelper] = [
      (await server.send({ commands: [{ argv: probe }], stopOnFailure: false }))[0],
      (await server.send({ commands: [{ argv: ['mmfake', 'x y'], asRoot: true }], stopOnFailure: false }))[0],
      (await startServer({ rootHelper: [join(workDirectory, 'no-helper')], mmDirectory: null }).then((other) => other.send({ commands: [{ argv: ['true'], asRoot: true }], stopOnFailure: false })))[0],
    ];
    // The exec path's script, run the way sshd runs it (a session of its own: setsid).
    const viaScript = spawnSync('setsid', ['-w', '/bin/sh', '-c', singleCommandLine({ argv: probe }, newToken(), settings)], { cwd: workDirectory, stdio: ['pipe', 'pipe', 'pipe'] });
    // Same PATH, directory, umask and descriptors (nothing of the server's own leaks; the test runner may
    // pass one more descriptor to both), and a session of its own.
    expect(viaServer?.stdout.toString()).toBe(viaScript.stdout.toString());
    expect(viaServer?.stdout.toString()).toContain(`:${bin}\n`);
    expect(viaServer?.stdout.toString()).toMatch(/\n0\n1\n2\n(?:\d+\n)?leader\n$/);
    expect(helped?.stdout.toString()).toBe('mmfake x y\n');
    expect(helped?.stderr.toString()).toBe(`helper -- ${join(bin, 'mmfake')} x y\n`);
    // Like `sh` failing to exec the helper: exit 127 and a message, not a spawn failure of the command.
    expect(missingHelper).toMatchObject({ status: 127, spawn: null });
    expect(missingHelper?.stderr.toString()).toContain('no-helper');
    server.stop();
  });
});
