/**
 * One conformance suite for every CommandRunner: `describeRunnerConformance(target)`.
 *
 * It uses a small command vocabulary every target answers: `printf '%s\0' args...` (argv arrives
 * verbatim: stdout split on NUL), `cat` (stdin to stdout, and `cat /nonexistent-path`), `test`,
 * `true`, `false` and `sleep`; with real processes also `sh`, `kill` and `head`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommands, type CommandOutput, type CommandRunner, type RunnerError } from '../../src/index.js';
import { canaryInjections, hostileArguments } from './hostile-arguments.js';

/** What a target can do beyond the common vocabulary. */
export interface RunnerCapabilities {
  /** Real programs run (`sh`, `kill`, `head` exist; signals and process trees are real). */
  readonly realProcesses: boolean;
  /** A command that is already running can be aborted through its signal. */
  readonly abortWhileRunning: boolean;
  /** Reports a command ended by a signal with `exitCode: null` and the signal's name. */
  readonly signals: boolean;
  /** Size of the binary `cat` round trip through a stdout sink, in bytes; 0 skips it. */
  readonly largeOutputBytes: number;
}

/** A runner to check. */
export interface RunnerConformanceTarget {
  /** Shown in the describe title. */
  readonly name: string;
  /** Makes the runner (once for the whole suite). */
  create(): CommandRunner | Promise<CommandRunner>;
  /** Releases it. */
  dispose?(runner: CommandRunner): void | Promise<void>;
  /** What it can do. */
  readonly capabilities: RunnerCapabilities;
  /** Directory (as the runner sees it) where the canary checks look for injected files; a local temp dir by default. */
  readonly canaryDirectory?: string;
}

const NUL = '\u0000';

/**
 * Declares the conformance suite for one runner.
 *
 * @param target - The runner factory and its capabilities.
 */
export function describeRunnerConformance(target: RunnerConformanceTarget): void {
  const { capabilities } = target;
  describe(`runner conformance: ${target.name}`, () => {
    let runner: CommandRunner;
    let canaryDirectory: string;
    let ownCanaryDirectory: string | undefined;

    beforeAll(async () => {
      runner = await target.create();
      if (target.canaryDirectory !== undefined) canaryDirectory = target.canaryDirectory;
      else canaryDirectory = ownCanaryDirectory = mkdtempSync(join(tmpdir(), 'runner-canary-'));
    });
    afterAll(async () => {
      await target.dispose?.(runner);
      if (ownCanaryDirectory !== undefined) rmSync(ownCanaryDirectory, { recursive: true, force: true });
    });

    const run = async (argv: readonly string[], extra: Omit<Parameters<CommandRunner['run']>[0], 'argv'> = {}): Promise<CommandOutput> => (await runner.run({ argv, ...extra }))._unsafeUnwrap();
    const runError = async (argv: readonly string[], extra: Omit<Parameters<CommandRunner['run']>[0], 'argv'> = {}): Promise<RunnerError> => (await runner.run({ argv, ...extra }))._unsafeUnwrapErr();
    const printed = (output: CommandOutput): string[] => output.stdout.split(NUL).slice(0, -1);

    describe('exit codes', () => {
      it('reports exit code 0 for true and non-zero for false', async () => {
        expect((await run(['true'])).exitCode).toBe(0);
        expect((await run(['false'])).exitCode).not.toBe(0);
      });

      it('reports the exit code of test as a value, not an error', async () => {
        const failed = await run(['test', '1', '-eq', '2']);
        expect(failed).toMatchObject({ argv: ['test', '1', '-eq', '2'], exitCode: 1, signal: null });
        expect((await run(['test', '1', '-eq', '1'])).exitCode).toBe(0);
      });

      it.skipIf(!capabilities.realProcesses)('reports any exit code a program chooses', async () => {
        expect((await run(['sh', '-c', 'exit 3'])).exitCode).toBe(3);
      });

      it.skipIf(!capabilities.realProcesses || !capabilities.signals)('reports a command ended by a signal with a null exit code', async () => {
        expect(await run(['sh', '-c', 'kill -TERM $$'])).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
      });
    });

    describe('output streams', () => {
      it('keeps stdout and stderr apart', async () => {
        const missing = await run(['cat', '/nonexistent-path']);
        expect(missing.exitCode).toBe(1);
        expect(missing.stdout).toBe('');
        expect(missing.stderr).toContain('/nonexistent-path');
        const printedOnly = await run(['printf', '%s\\0', 'out']);
        expect(printedOnly).toMatchObject({ stdout: `out${NUL}`, stderr: '', exitCode: 0 });
      });

      it('returns the argv as given and a non-negative duration', async () => {
        const output = await run(['printf', '%s\\0', 'x']);
        expect(output.argv).toEqual(['printf', '%s\\0', 'x']);
        expect(output.durationMs).toBeGreaterThanOrEqual(0);
      });

      it('keeps the outputs of concurrent commands apart', async () => {
        const words = Array.from({ length: 8 }, (_, index) => `word-${index}`);
        const outputs = await Promise.all(words.map((word) => run(['printf', '%s\\0', word])));
        expect(outputs.map((output) => printed(output))).toEqual(words.map((word) => [word]));
      });
    });

    describe('stdin', () => {
      it('feeds a string to stdin, including non-ASCII text', async () => {
        expect((await run(['cat'], { stdin: 'line one\nzweite Zeile ü 🙂\n' })).stdout).toBe('line one\nzweite Zeile ü 🙂\n');
      });

      it('feeds bytes and async iterables to stdin', async () => {
        expect((await run(['cat'], { stdin: new TextEncoder().encode('bytes\n') })).stdout).toBe('bytes\n');
        const chunks = async function* (): AsyncGenerator<Uint8Array> {
          for (const part of ['one ', 'two ', 'three']) yield new TextEncoder().encode(part);
        };
        expect((await run(['cat'], { stdin: chunks() })).stdout).toBe('one two three');
      });

      it('gives end-of-file at once when there is no stdin', async () => {
        expect(await run(['cat'])).toMatchObject({ exitCode: 0, stdout: '' });
        expect(await run(['cat'], { stdin: '' })).toMatchObject({ exitCode: 0, stdout: '' });
      });

      it.skipIf(capabilities.largeOutputBytes === 0)('streams large binary data through cat into a sink, one chunk at a time', async () => {
        const data = randomBytes(capabilities.largeOutputBytes);
        const input = async function* (): AsyncGenerator<Uint8Array> {
          for (let offset = 0; offset < data.length; offset += 1 << 20) yield data.subarray(offset, offset + (1 << 20));
        };
        const hash = createHash('sha256');
        let receivedBytes = 0;
        let inFlight = 0;
        let maxInFlight = 0;
        const output = await run(['cat'], {
          stdin: input(),
          stdoutSink: async (chunk) => {
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            hash.update(chunk);
            receivedBytes += chunk.byteLength;
            // A slow first chunk gives a runner that ignores back-pressure time to deliver more.
            if (receivedBytes === chunk.byteLength) await new Promise((resolve) => setTimeout(resolve, 50));
            else await new Promise((resolve) => setImmediate(resolve));
            inFlight -= 1;
          },
        });
        expect(output).toMatchObject({ exitCode: 0, stdout: '' });
        expect(receivedBytes).toBe(data.length);
        expect(hash.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
        expect(maxInFlight).toBe(1);
      });
    });

    describe('timeouts and aborts', () => {
      it('ends a command that outlives its timeout with Err Timeout', async () => {
        const error = await runError(['sleep', '10'], { timeoutMs: 300 });
        expect(error).toMatchObject({ kind: 'Timeout', timeoutMs: 300, argv: ['sleep', '10'] });
      });

      it('does not run a command whose signal is already aborted', async () => {
        const controller = new AbortController();
        controller.abort();
        expect(await runError(['sleep', '10'], { signal: controller.signal })).toMatchObject({ kind: 'Aborted', argv: ['sleep', '10'] });
        if (capabilities.realProcesses) {
          const marker = `${canaryDirectory}/aborted-before-start`;
          await runError(['sh', '-c', `touch '${marker}'`], { signal: controller.signal });
          expect((await run(['test', '-e', marker])).exitCode).toBe(1);
        }
      });

      it.skipIf(!capabilities.abortWhileRunning)('ends a running command when its signal fires', async () => {
        const controller = new AbortController();
        const pending = runner.run({ argv: ['sleep', '10'], signal: controller.signal });
        setTimeout(() => controller.abort(), 200);
        expect((await pending)._unsafeUnwrapErr()).toMatchObject({ kind: 'Aborted', argv: ['sleep', '10'] });
      });

      it.skipIf(!capabilities.realProcesses)('kills the whole process tree on timeout, grandchildren included', async () => {
        const pidFile = `${canaryDirectory}/grandchild.pid`;
        // The limit leaves a loaded machine time to start sh and write the pid file; the tree sleeps far longer.
        const error = await runError(['sh', '-c', `sleep 30 & echo $! > '${pidFile}'; sleep 30`], { timeoutMs: 3_000 });
        expect(error.kind).toBe('Timeout');
        const pid = (await run(['cat', pidFile])).stdout.trim();
        expect(pid).toMatch(/^\d+$/);
        // Alive means: signal 0 reaches it and it is not a zombie waiting for its reaper.
        const alive = `kill -0 ${pid} 2>/dev/null || exit 1; state=$(sed -n 's/^State:[[:space:]]*\\([A-Z]\\).*/\\1/p' /proc/${pid}/status 2>/dev/null); [ "$state" != Z ]`;
        let stillAlive = true;
        for (let attempt = 0; attempt < 50 && stillAlive; attempt += 1) {
          stillAlive = (await run(['sh', '-c', alive])).exitCode === 0;
          if (stillAlive) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(stillAlive).toBe(false);
      });
    });

    describe('hostile arguments', () => {
      it.each(hostileArguments())('passes %s verbatim as one argument', async (_label, value) => {
        const output = await run(['printf', '%s\\0', value, 'after']);
        expect(output.exitCode).toBe(0);
        expect(printed(output)).toEqual([value, 'after']);
      });

      it('passes all hostile arguments at once, in order, and a 100 KB argument', async () => {
        const values = hostileArguments().map(([, value]) => value);
        expect(printed(await run(['printf', '%s\\0', ...values]))).toEqual(values);
        const long = 'x'.repeat(50_000) + ' $(y) ' + 'z'.repeat(50_000);
        expect(printed(await run(['printf', '%s\\0', long]))).toEqual([long]);
      });

      it('never executes injected commands (canary)', async () => {
        const canary = `${canaryDirectory}/CANARY`;
        const injections = canaryInjections(canaryDirectory);
        expect(printed(await run(['printf', '%s\\0', ...injections]))).toEqual(injections);
        for (const injection of injections) expect(printed(await run(['printf', '%s\\0', injection]))).toEqual([injection]);
        const batch = (
          await runCommands(
            runner,
            injections.map((injection) => ({ argv: ['printf', '%s\\0', injection] })),
          )
        )._unsafeUnwrap();
        expect(batch.outputs.map((output) => printed(output)[0])).toEqual(injections);
        expect((await run(['test', '-e', canary])).exitCode).toBe(1);
        if (existsSync(canaryDirectory)) expect(existsSync(canary)).toBe(false);
      });
    });

    describe('batches', () => {
      it('runs a batch in order with each output kept apart', async () => {
        const batch = (await runCommands(runner, [{ argv: ['printf', '%s\\0', 'first'] }, { argv: ['cat', '/nonexistent-path'] }, { argv: ['printf', '%s\\0', "it's $(second)"] }]))._unsafeUnwrap();
        expect(batch.stoppedEarly).toBe(false);
        expect(batch.outputs.map((output) => output.exitCode)).toEqual([0, 1, 0]);
        expect(batch.outputs.map((output) => output.argv)).toEqual([
          ['printf', '%s\\0', 'first'],
          ['cat', '/nonexistent-path'],
          ['printf', '%s\\0', "it's $(second)"],
        ]);
        expect(batch.outputs[0]).toMatchObject({ stdout: `first${NUL}`, stderr: '' });
        expect(batch.outputs[1]?.stdout).toBe('');
        expect(batch.outputs[1]?.stderr).toContain('/nonexistent-path');
        expect(batch.outputs[2]).toMatchObject({ stdout: `it's $(second)${NUL}`, stderr: '' });
      });

      it('stops at the first failure with stopOnFailure', async () => {
        const stopped = (await runCommands(runner, [{ argv: ['true'] }, { argv: ['false'] }, { argv: ['printf', '%s\\0', 'never'] }], { stopOnFailure: true }))._unsafeUnwrap();
        expect(stopped.stoppedEarly).toBe(true);
        expect(stopped.outputs.map((output) => output.argv[0])).toEqual(['true', 'false']);
        const lastFails = (await runCommands(runner, [{ argv: ['true'] }, { argv: ['false'] }], { stopOnFailure: true }))._unsafeUnwrap();
        expect(lastFails).toMatchObject({ stoppedEarly: false });
        expect(lastFails.outputs).toHaveLength(2);
      });

      it('runs every command without stopOnFailure and answers an empty batch', async () => {
        const all = (await runCommands(runner, [{ argv: ['false'] }, { argv: ['printf', '%s\\0', 'still'] }]))._unsafeUnwrap();
        expect(all.outputs.map((output) => output.stdout)).toEqual(['', `still${NUL}`]);
        if (runner.runBatch) expect((await runner.runBatch([]))._unsafeUnwrap()).toEqual({ outputs: [], stoppedEarly: false });
      });

      it('ends a batch whose command outlives its timeout with Err Timeout', async () => {
        const error = (await runCommands(runner, [{ argv: ['true'] }, { argv: ['sleep', '10'], timeoutMs: 300 }]))._unsafeUnwrapErr();
        expect(error).toMatchObject({ kind: 'Timeout', argv: ['sleep', '10'] });
      });
    });
  });
}
