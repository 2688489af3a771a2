/**
 * Reused shells (the SSH runner's default), against a real OpenSSH sshd: what one shell carries from
 * command to command (nothing), commands that try to disturb it, shells killed and replaced after a
 * timeout or abort, the pool under 50 concurrent commands and above MaxSessions, exact statuses in
 * `run` and `runBatch`, and the fallback to a session per command on a remote without perl.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshRunner, type SshCommandTrace, type SshRunner, type SshRunnerOptions } from '../../../src/runners/ssh/index.js';
import { describeWithSshd, processState, removeSshdDirectory, startLoopbackSshd, type LoopbackSshd } from './sshd.js';

/** Prints what a command's process sees of its environment, with the pid of its parent (the shell) first. */
const PROBE = [
  'sh',
  '-c',
  [
    'printf "parent=%s\\n" "$PPID"',
    // The client's port differs between connections; `_` names whatever the login shell last ran.
    'env | grep -v -e "^SSH_CLIENT=" -e "^SSH_CONNECTION=" -e "^_=" | sort',
    'pwd',
    'umask',
    'trap',
    'grep -E "^Sig(Ign|Blk)" /proc/$$/status',
    'ls /proc/$$/fd',
    'ps -o pid= -o pgid= -o sid= -p $$ | awk \'{ print ($1 == $2 && $2 == $3) ? "session leader" : "not a session leader" }\'',
  ].join('; '),
];

describeWithSshd('ssh runner: reused shells', () => {
  let sshd: LoopbackSshd;
  let root: string;
  let mmDirectory: string;
  const runners: SshRunner[] = [];

  beforeAll(async () => {
    root = join(process.env['TMPDIR'] ?? '/tmp', `gv-ssh-shells-${process.pid}`);
    mmDirectory = join(root, 'mmfs-bin');
    mkdirSync(mmDirectory, { recursive: true });
    sshd = await startLoopbackSshd();
  });
  afterAll(async () => {
    for (const runner of runners) await runner.dispose();
    await sshd.stop();
    removeSshdDirectory(sshd);
    rmSync(root, { recursive: true, force: true });
  });

  const create = (extra: Partial<SshRunnerOptions> = {}, target: LoopbackSshd = sshd): SshRunner => {
    const runner = createSshRunner({
      hosts: [target.host],
      port: target.port,
      username: target.username,
      privateKey: target.clientPrivateKey,
      hostKeyFingerprints: [target.hostKeyFingerprint],
      mmDirectory,
      ...extra,
    });
    runners.push(runner);
    return runner;
  };
  const stdoutOf = async (runner: SshRunner, argv: readonly string[]): Promise<string> => (await runner.run({ argv }))._unsafeUnwrap().stdout;
  const parentOf = (stdout: string): number => Number(/^parent=(\d+)$/m.exec(stdout)?.[1]);
  const withoutParent = (stdout: string): string => stdout.replace(/^parent=\d+\n/, '');
  const becomesDead = async (pid: number): Promise<boolean> => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (['Z', undefined].includes(processState(pid))) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  };

  describe('one shell, command after command', () => {
    it('gives each command what a session of its own would give it: nothing carries over from the commands before', async () => {
      const traces: SshCommandTrace[] = [];
      const single = create({ maxConcurrentCommands: 1, onCommand: (trace) => traces.push(trace) });
      const separate = create({ reuseShells: false });
      const before = await stdoutOf(single, PROBE);
      // Everything a command could try to leave behind for the next one.
      const polluter = ['sh', '-c', 'printf "parent=%s\\n" "$PPID"; export GV_LEAK=1; cd /; umask 0077; trap "" TERM INT PIPE HUP; exec 7>/dev/null 8</dev/null; ulimit -n 64'];
      const polluted = await stdoutOf(single, polluter);
      const after = await stdoutOf(single, PROBE);
      const reference = await stdoutOf(separate, PROBE);
      // The three ran in one shell (same parent process), and the probe saw the same both times...
      expect(new Set([parentOf(before), parentOf(polluted), parentOf(after)]).size).toBe(1);
      expect(withoutParent(after)).toBe(withoutParent(before));
      // ...which is exactly what it sees on a session of its own: environment (PATH with the mm*
      // directory), directory, umask, traps, signal dispositions, descriptors, its own session.
      expect(withoutParent(after)).toBe(withoutParent(reference));
      expect(after).toContain(`:${mmDirectory}\n`);
      expect(after).toContain('\nsession leader\n');
      expect(traces.filter((trace) => trace.purpose === 'command').map((trace) => trace.transport)).toEqual(['shell', 'shell', 'shell']);
      expect(traces.filter((trace) => trace.purpose === 'shell')).toHaveLength(1);
    });

    it('is not disturbed by commands that read all of their stdin or print its frames', async () => {
      const single = create({ maxConcurrentCommands: 1 });
      const token = `gv${'ab'.repeat(16)}`;
      const frames = `${token} start\n\n${token} 0 pid 1\n\n${token} 0 exit 0 -\n\n${token} end\ngvrequest ${token} 0 1 0\ngvend ${token}\n${token} ready 1\n`;
      const outputs = [
        await single.run({ argv: ['cat'] }),
        await single.run({ argv: ['sh', '-c', 'cat; cat /dev/stdin; printf "%s" "$PPID"'], stdin: 'only this\n' }),
        await single.run({ argv: ['sh', '-c', 'printf "%s" "$0"; printf "%s" "$0" >&2; printf "%s" "$PPID" >&2', frames] }),
        await single.run({ argv: ['sh', '-c', 'printf "%s" "$PPID"'] }),
      ].map((result) => result._unsafeUnwrap());
      expect(outputs[0]).toMatchObject({ exitCode: 0, stdout: '' });
      expect(outputs[1]?.stdout).toMatch(/^only this\n\d+$/);
      expect(outputs[2]?.stdout).toBe(frames);
      expect(outputs[2]?.stderr).toMatch(new RegExp(`^${frames.replaceAll('\n', '\\n')}\\d+$`));
      const parents = [outputs[1]?.stdout.split('\n')[1], outputs[2]?.stderr.slice(frames.length), outputs[3]?.stdout];
      expect(new Set(parents).size).toBe(1);
    });

    it('replaces a shell whose input a command tampered with, runs the next command on a new one and executes none of the bytes', async () => {
      const single = create({ maxConcurrentCommands: 1 });
      const canary = join(root, 'CANARY-tampered');
      // Shell text written into the shell's own request stream.
      const tamper = ['sh', '-c', 'printf "%s\\n" "$0" > /proc/$PPID/fd/0; printf "%s" "$PPID"', `touch ${canary}; echo injected`];
      const tampered = Number(await stdoutOf(single, tamper));
      const next = Number(await stdoutOf(single, ['sh', '-c', 'printf "%s" "$PPID"']));
      expect(next).not.toBe(tampered);
      expect(await becomesDead(tampered)).toBe(true);
      expect(existsSync(canary)).toBe(false);
    });
  });

  describe('timeouts and aborts', () => {
    it('kills the command, its children and the shell on timeout, and runs the next command in a new shell', async () => {
      const traces: SshCommandTrace[] = [];
      const single = create({ maxConcurrentCommands: 1, onCommand: (trace) => traces.push(trace) });
      const file = join(root, 'timeout.pids');
      const first = Number(await stdoutOf(single, ['sh', '-c', 'printf "%s" "$PPID"']));
      const error = (await single.run({ argv: ['sh', '-c', `sleep 300 & echo $$ $! $PPID > '${file}'; wait`], timeoutMs: 3_000 }))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'Timeout', timeoutMs: 3_000 });
      expect(error.message).toContain('killed');
      const [command, child, shell] = readFileSync(file, 'utf8').trim().split(' ').map(Number);
      expect(shell).toBe(first);
      for (const pid of [command!, child!, shell!]) expect(await becomesDead(pid)).toBe(true);
      expect(traces.find((trace) => trace.purpose === 'kill')?.argvs).toEqual([['kill', '-KILL', `-${command}`, String(shell)]]);
      const next = Number(await stdoutOf(single, ['sh', '-c', 'printf "%s" "$PPID"']));
      expect(next).not.toBe(first);
    });

    it('kills a batch and its shell when the caller aborts, running nothing after the command in flight', async () => {
      const single = create({ maxConcurrentCommands: 1 });
      const file = join(root, 'abort.pid');
      const controller = new AbortController();
      const pending = single.runBatch(
        [{ argv: ['true'] }, { argv: ['sh', '-c', `echo $$ $PPID > '${file}.tmp'; mv '${file}.tmp' '${file}'; sleep 300`] }, { argv: ['touch', join(root, 'after-abort')] }],
        { signal: controller.signal },
      );
      while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      expect((await pending)._unsafeUnwrapErr().kind).toBe('Aborted');
      for (const pid of readFileSync(file, 'utf8').trim().split(' ').map(Number)) expect(await becomesDead(pid)).toBe(true);
      expect(existsSync(join(root, 'after-abort'))).toBe(false);
      expect(await stdoutOf(single, ['printf', 'still serving'])).toBe('still serving');
    });
  });

  describe('the pool', () => {
    it('runs 50 concurrent commands on at most maxConcurrentCommands shells, and reuses them for the next 50', async () => {
      const traces: SshCommandTrace[] = [];
      const runner = create({ onCommand: (trace) => traces.push(trace) });
      const wave = async (name: string): Promise<number[]> => {
        const results = await Promise.all(Array.from({ length: 50 }, (_, index) => runner.run({ argv: ['sh', '-c', 'sleep 0.1; printf "%s %s" "$0" "$PPID"', `${name}-${index}`] })));
        const outputs = results.map((result) => result._unsafeUnwrap().stdout.split(' '));
        expect(outputs.map(([label]) => label)).toEqual(Array.from({ length: 50 }, (_, index) => `${name}-${index}`));
        return outputs.map(([, parent]) => Number(parent));
      };
      const first = new Set(await wave('first'));
      const started = traces.filter((trace) => trace.purpose === 'shell' && !trace.error).length;
      const second = new Set(await wave('second'));
      expect(first.size).toBeLessThanOrEqual(8);
      expect(started).toBe(first.size);
      // No new shell for the second wave: the same ones served it.
      expect(traces.filter((trace) => trace.purpose === 'shell')).toHaveLength(started);
      expect([...second].every((parent) => first.has(parent))).toBe(true);
      expect(traces.filter((trace) => trace.purpose === 'command').every((trace) => trace.transport === 'shell')).toBe(true);
    });

    it('learns the server’s session limit when maxConcurrentCommands is above MaxSessions, and still kills on timeout', async () => {
      const traces: SshCommandTrace[] = [];
      const eager = create({ maxConcurrentCommands: 25, onCommand: (trace) => traces.push(trace) });
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => eager.run({ argv: ['sh', '-c', 'sleep 0.3; printf "%s %s" "$0" "$PPID"', `eager-${index}`] })));
      const outputs = results.map((result) => result._unsafeUnwrap().stdout.split(' '));
      expect(outputs.map(([label]) => label)).toEqual(Array.from({ length: 50 }, (_, index) => `eager-${index}`));
      // sshd refused sessions beyond its MaxSessions (10); the calls waited for a shell instead.
      expect(traces.some((trace) => trace.purpose === 'shell' && trace.error?.kind === 'ConnectionFailed' && trace.channelOpenRetries > 0)).toBe(true);
      // The pool keeps a session free for the kill of a command that times out.
      const error = (await eager.run({ argv: ['sleep', '300'], timeoutMs: 3_000 }))._unsafeUnwrapErr();
      expect(error.kind).toBe('Timeout');
      expect(error.message).toContain('the remote process group was killed');
    });

    it('gives streamed stdin and stdout sinks a session of their own, making room for it within the limit', async () => {
      const traces: SshCommandTrace[] = [];
      const runner = create({ maxConcurrentCommands: 2, onCommand: (trace) => traces.push(trace) });
      await Promise.all([runner.run({ argv: ['sleep', '0.2'] }), runner.run({ argv: ['sleep', '0.2'] })]);
      const chunks: Uint8Array[] = [];
      async function* input(): AsyncGenerator<Uint8Array> {
        yield new TextEncoder().encode('streamed ');
        yield new TextEncoder().encode('bytes');
      }
      const streamed = await runner.run({ argv: ['cat'], stdin: input(), stdoutSink: (chunk) => void chunks.push(chunk) });
      expect(streamed._unsafeUnwrap().exitCode).toBe(0);
      expect(Buffer.concat(chunks).toString()).toBe('streamed bytes');
      expect(traces.filter((trace) => trace.purpose === 'command').map((trace) => trace.transport)).toEqual(['shell', 'shell', 'exec']);
    });
  });

  describe('statuses', () => {
    it('reports signals and exit codes exactly in run and runBatch, where a shell would see the same 128+N', async () => {
      const runner = create();
      const scripts = ['kill -TERM $$', 'exit 143', 'kill -PIPE $$', 'exit 141', 'kill -INT $$', 'exit 130'];
      const expected = [
        [null, 'SIGTERM'],
        [143, null],
        [null, 'SIGPIPE'],
        [141, null],
        [null, 'SIGINT'],
        [130, null],
      ];
      const viaRun = await Promise.all(scripts.map(async (script) => (await runner.run({ argv: ['sh', '-c', script] }))._unsafeUnwrap()));
      expect(viaRun.map((output) => [output.exitCode, output.signal])).toEqual(expected);
      const viaBatch = (await runner.runBatch(scripts.map((script) => ({ argv: ['sh', '-c', script] }))))._unsafeUnwrap();
      expect(viaBatch.outputs.map((output) => [output.exitCode, output.signal])).toEqual(expected);
    });
  });

  describe('a remote without perl', () => {
    it('falls back to a session per command, and tries no further shell on that connection', async () => {
      const bin = join(root, 'no-perl-bin');
      mkdirSync(bin, { recursive: true });
      for (const program of ['sh', 'printf', 'cat', 'true']) symlinkSync(`/usr/bin/${program}`, join(bin, program));
      const bare = await startLoopbackSshd({ environment: { PATH: bin } });
      try {
        const traces: SshCommandTrace[] = [];
        const runner = create({ onCommand: (trace) => traces.push(trace) }, bare);
        expect(await stdoutOf(runner, ['printf', '%s', 'one'])).toBe('one');
        expect((await runner.runBatch([{ argv: ['printf', 'two'] }, { argv: ['sh', '-c', 'kill -TERM $$'] }]))._unsafeUnwrap().outputs.map((output) => output.stdout || output.signal)).toEqual([
          'two',
          'SIGTERM',
        ]);
        expect(await stdoutOf(runner, ['cat'])).toBe('');
        const shells = traces.filter((trace) => trace.purpose === 'shell');
        expect(shells).toHaveLength(1);
        expect(shells[0]?.error?.message).toContain('perl');
        expect(traces.filter((trace) => trace.purpose !== 'shell').map((trace) => [trace.purpose, trace.transport])).toEqual([
          ['command', 'exec'],
          ['batch', 'exec'],
          ['command', 'exec'],
        ]);
        await runner.dispose();
      } finally {
        await bare.stop();
        removeSshdDirectory(bare);
      }
    });
  });
});
