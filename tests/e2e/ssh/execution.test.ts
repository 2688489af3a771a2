/**
 * What the SSH runner does beyond the conformance suite, against a real OpenSSH sshd (issue 6):
 * remote kills on timeout and abort, concurrency above MaxSessions, batch framing with hostile
 * output, hostile argv with a canary, the root helper and the mm* directory.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshRunner, type SshCommandTrace, type SshRunner, type SshRunnerOptions } from '../../../src/runners/ssh/index.js';
import { describeWithSshd, processState, removeSshdDirectory, startLoopbackSshd, type LoopbackSshd } from './sshd.js';

describeWithSshd('ssh runner: execution over a real sshd', () => {
  let sshd: LoopbackSshd;
  let root: string;
  let shims: string;
  let mmDirectory: string;
  let remoteTmp: string;
  let runner: SshRunner;
  const traces: SshCommandTrace[] = [];

  beforeAll(async () => {
    // The remote PATH starts with a shim directory (like the simulator's shims) and TMPDIR is private,
    // so that leftovers of batches can be checked.
    root = join(process.env['TMPDIR'] ?? '/tmp', `gv-ssh-exec-${process.pid}`);
    shims = join(root, 'shims');
    mmDirectory = join(root, 'mmfs-bin');
    remoteTmp = join(root, 'tmp');
    for (const directory of [shims, mmDirectory, remoteTmp]) mkdirSync(directory, { recursive: true });
    sshd = await startLoopbackSshd({ environment: { PATH: `${shims}:/usr/bin:/bin`, TMPDIR: remoteTmp } });
    runner = createSshRunner({ ...options(), onCommand: (trace) => traces.push(trace) });
    // Open the connection now: a timeout counts from the call, connecting included, and a loaded
    // machine can take longer to connect than the limits below.
    (await runner.run({ argv: ['true'] }))._unsafeUnwrap();
  });
  afterAll(async () => {
    await runner.dispose();
    await sshd.stop();
    removeSshdDirectory(sshd);
    rmSync(root, { recursive: true, force: true });
  });

  const options = (): SshRunnerOptions => ({
    hosts: [sshd.host],
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.clientPrivateKey,
    hostKeyFingerprints: [sshd.hostKeyFingerprint],
    mmDirectory,
  });
  const script = (path: string, text: string): void => {
    writeFileSync(path, `#!/bin/sh\n${text}\n`);
    chmodSync(path, 0o755);
  };
  /** Waits (bounded) until `pid` is gone or a zombie; returns whether it is. */
  const becomesDead = async (pid: number): Promise<boolean> => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const state = processState(pid);
      if (state === undefined || state === 'Z') return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  };

  describe('timeouts and aborts kill the remote processes', () => {
    // Long enough for the remote command to start on a loaded machine; the command sleeps far longer.
    const limitMs = 3_000;
    const pidsOf = (file: string): number[] => readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    const treeCommand = (file: string): string[] => ['sh', '-c', `sleep 300 & echo $$ $! > '${file}'; wait`];

    it('kills the command and its children on timeout', async () => {
      const file = join(remoteTmp, 'timeout.pids');
      const error = (await runner.run({ argv: treeCommand(file), timeoutMs: limitMs }))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'Timeout', timeoutMs: limitMs });
      expect(error.message).toContain('killed');
      const pids = pidsOf(file);
      expect(pids).toHaveLength(2);
      for (const pid of pids) expect(await becomesDead(pid)).toBe(true);
      expect(traces.some((trace) => trace.purpose === 'kill')).toBe(true);
    });

    it('kills the command and its children when the caller aborts', async () => {
      const file = join(remoteTmp, 'abort.pids');
      const controller = new AbortController();
      const pending = runner.run({ argv: ['sh', '-c', `sleep 300 & echo $$ $! > '${file}.tmp'; mv '${file}.tmp' '${file}'; wait`], signal: controller.signal });
      while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      expect((await pending)._unsafeUnwrapErr().kind).toBe('Aborted');
      for (const pid of pidsOf(file)) expect(await becomesDead(pid)).toBe(true);
    });

    it('kills a batch whose command exceeds its own limit, runs nothing after it and leaves no files behind', async () => {
      const file = join(remoteTmp, 'batch.pids');
      const error = (await runner.runBatch([{ argv: ['true'] }, { argv: treeCommand(file), timeoutMs: limitMs }, { argv: ['touch', join(remoteTmp, 'never')] }]))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'Timeout', argv: treeCommand(file), timeoutMs: limitMs });
      for (const pid of pidsOf(file)) expect(await becomesDead(pid)).toBe(true);
      expect(existsSync(join(remoteTmp, 'never'))).toBe(false);
      expect(readdirSync(remoteTmp).filter((name) => name.startsWith('gpfs-volumes'))).toEqual([]);
    });
  });

  describe('environment', () => {
    it.each([true, false])('runs every command in the C locale (reuseShells: %s), alone and in batches', async (reuseShells) => {
      const localeRunner = createSshRunner({ ...options(), reuseShells });
      const printLocale = { argv: ['sh', '-c', 'printf "%s" "$LC_ALL"'] };
      expect((await localeRunner.run(printLocale))._unsafeUnwrap().stdout).toBe('C');
      const batch = (await localeRunner.runBatch([printLocale, printLocale]))._unsafeUnwrap();
      expect(batch.outputs.map((output) => output.stdout)).toEqual(['C', 'C']);
      await localeRunner.dispose();
    });
  });

  describe('concurrency', () => {
    it('runs 50 concurrent commands against MaxSessions 10, each with its own output', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => runner.run({ argv: ['sh', '-c', 'sleep 0.2; printf "%s" "$0"', `command-${index}`] })));
      expect(results.map((result) => result._unsafeUnwrap().stdout)).toEqual(Array.from({ length: 50 }, (_, index) => `command-${index}`));
    });

    it('retries channels that sshd refuses when the limit is set above MaxSessions (a session per command)', async () => {
      const retrying: SshCommandTrace[] = [];
      const eager = createSshRunner({ ...options(), maxConcurrentCommands: 25, reuseShells: false, onCommand: (trace) => retrying.push(trace) });
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => eager.run({ argv: ['sh', '-c', 'sleep 0.3; printf "%s" "$0"', `eager-${index}`] })));
      await eager.dispose();
      expect(results.map((result) => result._unsafeUnwrap().stdout)).toEqual(Array.from({ length: 50 }, (_, index) => `eager-${index}`));
      expect(retrying.some((trace) => trace.channelOpenRetries > 0)).toBe(true);
    });
  });

  describe('batches', () => {
    it('keeps outputs apart whatever the commands print: fake frames, binary bytes, no newline, large output', async () => {
      const fakeFrames = '\ngv0000 0 exit 0 -\nhello\ngv0000 end\ngv0000 start\n';
      const batch = (
        await runner.runBatch([
          { argv: ['printf', '%s', fakeFrames] },
          { argv: ['sh', '-c', 'printf "%s" "$0" >&2; exit 7', fakeFrames] },
          { argv: ['printf', 'no newline \\000 \\377 end'] },
          { argv: ['sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" a; head -c 1000000 /dev/zero | tr "\\0" b >&2'] },
          { argv: ['sh', '-c', 'kill -TERM $$'] },
          { argv: ['sh', '-c', 'exit 200'] },
        ])
      )._unsafeUnwrap();
      expect(batch.outputs.map((output) => [output.exitCode, output.signal])).toEqual([
        [0, null],
        [7, null],
        [0, null],
        [0, null],
        [null, 'SIGTERM'],
        [200, null],
      ]);
      expect(batch.outputs[0]).toMatchObject({ stdout: fakeFrames, stderr: '' });
      expect(batch.outputs[1]).toMatchObject({ stdout: '', stderr: fakeFrames });
      expect(batch.outputs[2]?.stdout).toBe(Buffer.from('no newline \0 \xff end', 'latin1').toString('utf8'));
      expect(batch.outputs[3]?.stdout).toBe('a'.repeat(3_000_000));
      expect(batch.outputs[3]?.stderr).toBe('b'.repeat(1_000_000));
      expect(batch.outputs[4]).toMatchObject({ stdout: '', stderr: '' });
    });

    it('keeps arbitrary bytes apart in a batch (property)', async () => {
      const bytes = fc.uint8Array({ maxLength: 300 });
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(bytes, bytes, fc.integer({ min: 0, max: 120 })), { minLength: 1, maxLength: 4 }), async (commands) => {
          const files = commands.map(([stdout, stderr], index) => {
            const prefix = join(remoteTmp, `property-${index}`);
            writeFileSync(`${prefix}.out`, stdout);
            writeFileSync(`${prefix}.err`, stderr);
            return prefix;
          });
          const batch = (
            await runner.runBatch(commands.map(([, , exitCode], index) => ({ argv: ['sh', '-c', 'cat "$0.out"; cat "$0.err" >&2; exit "$1"', files[index]!, String(exitCode)] })))
          )._unsafeUnwrap();
          expect(batch.outputs.map((output) => [output.stdout, output.stderr, output.exitCode])).toEqual(
            commands.map(([stdout, stderr, exitCode]) => [Buffer.from(stdout).toString('utf8'), Buffer.from(stderr).toString('utf8'), exitCode]),
          );
        }),
        { numRuns: 15 },
      );
    });

    it('stops after a command ended by a signal when stopOnFailure is set, in one round trip', async () => {
      const before = traces.length;
      const batch = (await runner.runBatch([{ argv: ['true'] }, { argv: ['sh', '-c', 'kill -KILL $$'] }, { argv: ['touch', join(remoteTmp, 'after-kill')] }], { stopOnFailure: true }))._unsafeUnwrap();
      expect(batch).toMatchObject({ stoppedEarly: true });
      expect(batch.outputs.map((output) => output.signal)).toEqual([null, 'SIGKILL']);
      expect(existsSync(join(remoteTmp, 'after-kill'))).toBe(false);
      // One request to a reused shell (a shell may have been started for it first).
      expect(
        traces
          .slice(before)
          .filter((trace) => trace.purpose !== 'shell')
          .map((trace) => [trace.purpose, trace.transport]),
      ).toEqual([['batch', 'shell']]);
    });

    it('does the same as one script on a session of its own with reuseShells: false', async () => {
      const own: SshCommandTrace[] = [];
      const separate = createSshRunner({ ...options(), reuseShells: false, onCommand: (trace) => own.push(trace) });
      const batch = (
        await separate.runBatch([{ argv: ['true'] }, { argv: ['sh', '-c', 'kill -KILL $$'] }, { argv: ['touch', join(remoteTmp, 'after-kill')] }], { stopOnFailure: true })
      )._unsafeUnwrap();
      await separate.dispose();
      expect(batch.outputs.map((output) => output.signal)).toEqual([null, 'SIGKILL']);
      expect(existsSync(join(remoteTmp, 'after-kill'))).toBe(false);
      expect(own.map((trace) => [trace.purpose, trace.transport])).toEqual([['batch', 'exec']]);
    });
  });

  describe('arguments and programs', () => {
    it('passes any string verbatim and lets no shell interpret it (property with canary)', async () => {
      const canary = join(remoteTmp, 'CANARY');
      const injection = fc.constantFrom(`$(touch ${canary})`, `\`touch ${canary}\``, `;touch ${canary}`, `'$(touch ${canary})'`, `"$(touch ${canary})"`, `\ntouch ${canary}`);
      const argument = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), injection).map((value) => value.replaceAll('\0', ''));
      await fc.assert(
        fc.asyncProperty(fc.array(argument, { minLength: 1, maxLength: 6 }), async (values) => {
          const output = (await runner.run({ argv: ['printf', '%s\\0', ...values] }))._unsafeUnwrap();
          expect(output.stdout.split('\0').slice(0, -1)).toEqual(values);
        }),
        { numRuns: 40 },
      );
      expect(existsSync(canary)).toBe(false);
    });

    it('refuses an argument with a NUL byte before sending anything', async () => {
      const before = traces.length;
      expect((await runner.run({ argv: ['printf', 'a\0b'] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed' });
      expect(traces.length).toBe(before);
    });

    it('tells a missing or non-executable program apart from one that exits 127', async () => {
      expect((await runner.run({ argv: ['no-such-program-gv'] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', code: 'ENOENT' });
      const notExecutable = join(remoteTmp, 'not-executable');
      writeFileSync(notExecutable, 'echo hi\n');
      expect((await runner.run({ argv: [notExecutable] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', code: 'EACCES' });
      expect((await runner.run({ argv: ['sh', '-c', 'exit 127'] }))._unsafeUnwrap().exitCode).toBe(127);
      expect((await runner.runBatch([{ argv: ['true'] }, { argv: ['no-such-program-gv'] }]))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', code: 'ENOENT', argv: ['no-such-program-gv'] });
    });
  });

  describe('root helper and mm* directory', () => {
    it('finds mm* commands in the mm directory, after anything already on the remote PATH', async () => {
      script(join(mmDirectory, 'mmgetstate'), 'echo "from mmfs-bin $*"');
      script(join(mmDirectory, 'mmlscluster'), 'echo "from mmfs-bin"');
      script(join(shims, 'mmlscluster'), 'echo "from shims"');
      expect((await runner.run({ argv: ['mmgetstate', '-Y'] }))._unsafeUnwrap().stdout).toBe('from mmfs-bin -Y\n');
      expect((await runner.run({ argv: ['mmlscluster'] }))._unsafeUnwrap().stdout).toBe('from shims\n');
    });

    it('runs asRoot commands through the root helper, resolving mm* commands before it', async () => {
      const log = join(remoteTmp, 'helper.log');
      const helper = join(shims, 'fake-sudo');
      // Behaves like `sudo -n --`: logs its argv, drops its own options and runs the rest.
      script(helper, `printf '%s|' "$@" >> '${log}'; echo >> '${log}'; [ "$1" = -n ] && shift; [ "$1" = -- ] && shift; exec "$@"`);
      const helped = createSshRunner({ ...options(), rootHelper: [helper, '-n', '--'] });
      expect((await helped.run({ argv: ['mmgetstate', '-Y'], asRoot: true }))._unsafeUnwrap().stdout).toBe('from mmfs-bin -Y\n');
      expect((await helped.run({ argv: ['printf', 'plain'] }))._unsafeUnwrap().stdout).toBe('plain');
      const batch = (
        await helped.runBatch([
          { argv: ['mmlscluster'], asRoot: true },
          { argv: ['id', '-u'], asRoot: true },
        ])
      )._unsafeUnwrap();
      expect(batch.outputs.map((output) => output.stdout)).toEqual(['from shims\n', `${process.getuid?.() ?? 0}\n`]);
      const timedOut = await helped.run({ argv: ['sleep', '300'], asRoot: true, timeoutMs: 3_000 });
      expect(timedOut._unsafeUnwrapErr().kind).toBe('Timeout');
      await helped.dispose();
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      expect(calls[0]).toBe(`-n|--|${join(mmDirectory, 'mmgetstate')}|-Y|`);
      expect(calls).toContain(`-n|--|${join(shims, 'mmlscluster')}|`);
      expect(calls).toContain('-n|--|id|-u|');
      expect(calls.some((call) => /^-n\|--\|kill\|-s\|KILL\|--\|-\d+\|$/.test(call))).toBe(true);
      expect(calls.some((call) => call.includes('printf'))).toBe(false);
    });
  });
});
