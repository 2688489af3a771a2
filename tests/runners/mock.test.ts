import { Readable } from 'node:stream';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createMockRunner, formatError, runCommands, type MockReply, type RunnerError } from '../../src/index.js';

describe('runners: mock', () => {
  describe('matching', () => {
    it('answers an exact argv only when every element matches', async () => {
      const mock = createMockRunner().on(['mmgetstate', '-Y'], { stdout: 'state\n' });
      expect((await mock.run({ argv: ['mmgetstate', '-Y'] }))._unsafeUnwrap()).toEqual({
        argv: ['mmgetstate', '-Y'],
        exitCode: 0,
        signal: null,
        stdout: 'state\n',
        stderr: '',
        durationMs: 0,
      });
      expect((await mock.run({ argv: ['mmgetstate', '-Y', '-a'] }))._unsafeUnwrap().stdout).toBe('');
      expect((await mock.run({ argv: ['mmgetstate'] }))._unsafeUnwrap().stdout).toBe('');
    });

    it('answers every argv that starts with a prefix', async () => {
      const mock = createMockRunner({ strict: true }).on({ prefix: ['mmlsfs'] }, { stdout: 'fs\n' });
      expect((await mock.run({ argv: ['mmlsfs', 'gpfs0', '-Y'] }))._unsafeUnwrap().stdout).toBe('fs\n');
      expect((await mock.run({ argv: ['mmlsfs'] }))._unsafeUnwrap().stdout).toBe('fs\n');
      expect((await mock.run({ argv: ['mmlsfileset'] }))._unsafeUnwrapErr().kind).toBe('UnexpectedCommand');
    });

    it('answers the commands a predicate accepts, which sees asRoot', async () => {
      const mock = createMockRunner({ strict: true }).on((command) => command.asRoot === true, { stdout: 'root\n' });
      expect((await mock.run({ argv: ['id', '-u'], asRoot: true }))._unsafeUnwrap().stdout).toBe('root\n');
      expect((await mock.run({ argv: ['id', '-u'] }))._unsafeUnwrapErr().kind).toBe('UnexpectedCommand');
    });

    it('lets the first matching script answer and moves on when it is used up', async () => {
      const mock = createMockRunner()
        .once(['mmclone', 'show', '/gpfs0/a'], { exitCode: 1, stderr: 'busy\n' })
        .on({ prefix: ['mmclone'] }, { stdout: 'second\n' }, { times: 2 })
        .on({ prefix: ['mmclone'] }, { stdout: 'third\n' });
      const outputs = [];
      for (let index = 0; index < 4; index += 1) outputs.push((await mock.run({ argv: ['mmclone', 'show', '/gpfs0/a'] }))._unsafeUnwrap());
      expect(outputs.map((output) => [output.exitCode, output.stdout])).toEqual([
        [1, ''],
        [0, 'second\n'],
        [0, 'second\n'],
        [0, 'third\n'],
      ]);
    });

    it('takes scripts from the options before those added later', async () => {
      const mock = createMockRunner({ scripts: [{ match: ['true'], reply: { stdout: 'from options' } }] }).on(['true'], { stdout: 'later' });
      expect((await mock.run({ argv: ['true'] }))._unsafeUnwrap().stdout).toBe('from options');
      expect(mock.unusedScripts).toHaveLength(1);
      expect(mock.unusedScripts[0]?.reply).toEqual({ stdout: 'later' });
    });
  });

  describe('replies', () => {
    it('computes a reply from the command and its stdin', async () => {
      const mock = createMockRunner().on(['cat'], (command, context) => ({ stdout: `${command.argv[0]}:${context.stdinText ?? ''}`, exitCode: 3 }));
      expect((await mock.run({ argv: ['cat'], stdin: 'hello' }))._unsafeUnwrap()).toMatchObject({ stdout: 'cat:hello', exitCode: 3 });
    });

    it('reports a scripted signal with a null exit code', async () => {
      const mock = createMockRunner().on(['sleep', '9'], { signal: 'SIGKILL' });
      expect((await mock.run({ argv: ['sleep', '9'] }))._unsafeUnwrap()).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    });

    it('completes a partial runner error with its name, the argv and a message', async () => {
      const mock = createMockRunner({ name: 'node1-mock' }).on({ prefix: ['rm'] }, { kind: 'ConnectionLost', host: 'node1' });
      const error = (await mock.run({ argv: ['rm', '-f', '/gpfs0/a'] }))._unsafeUnwrapErr();
      expect(error).toEqual({ kind: 'ConnectionLost', host: 'node1', runner: 'node1-mock', argv: ['rm', '-f', '/gpfs0/a'], message: 'scripted ConnectionLost' });
      expect(formatError(error)).toContain('[node1-mock] ConnectionLost');
    });

    it('keeps a complete runner error as it is, from a value or a function', async () => {
      const full: RunnerError = { kind: 'Timeout', runner: 'other', argv: ['x'], message: 'slow', timeoutMs: 5 };
      const mock = createMockRunner()
        .on(['a'], full)
        .on(['b'], () => full);
      expect((await mock.run({ argv: ['a'] }))._unsafeUnwrapErr()).toEqual(full);
      expect((await mock.run({ argv: ['b'] }))._unsafeUnwrapErr()).toEqual(full);
    });

    it('turns a reply function that throws or rejects into SpawnFailed', async () => {
      const mock = createMockRunner()
        .on(['throws'], () => {
          throw new Error('boom');
        })
        .on(['rejects'], () => Promise.reject(new Error('later boom')));
      expect((await mock.run({ argv: ['throws'] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', message: 'reply function threw: boom' });
      expect((await mock.run({ argv: ['rejects'] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', message: 'reply function rejected: later boom' });
    });

    it('times out a slow async reply and tells it to stop', async () => {
      let stopped = false;
      const mock = createMockRunner().on(['slow'], (_command, context) => {
        context.signal.addEventListener('abort', () => (stopped = true));
        return new Promise(() => undefined);
      });
      expect((await mock.run({ argv: ['slow'], timeoutMs: 20 }))._unsafeUnwrapErr()).toMatchObject({ kind: 'Timeout', timeoutMs: 20, argv: ['slow'] });
      expect(stopped).toBe(true);
    });

    it('hands stdout to a sink in order and returns an empty stdout', async () => {
      const payload = new Uint8Array(200_000).map((_, index) => index % 251);
      const mock = createMockRunner().on(['backup'], { stdout: payload });
      const received: Uint8Array[] = [];
      const output = (await mock.run({ argv: ['backup'], stdoutSink: (chunk) => void received.push(chunk) }))._unsafeUnwrap();
      expect(output.stdout).toBe('');
      expect(received.length).toBeGreaterThan(1);
      expect(Buffer.concat(received)).toEqual(Buffer.from(payload));
    });

    it('reports a failing sink as Aborted', async () => {
      const mock = createMockRunner().on(['backup'], { stdout: 'data' });
      const error = (await mock.run({ argv: ['backup'], stdoutSink: () => Promise.reject(new Error('disk full')) }))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'Aborted', message: 'stdout sink failed: disk full' });
    });
  });

  describe('strict and lenient modes', () => {
    it('refuses an unexpected command in strict mode with an error naming its argv', async () => {
      const mock = createMockRunner({ strict: true });
      const error = (await mock.run({ argv: ['rm', '-rf', '/gpfs0/a b'] }))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'UnexpectedCommand', runner: 'mock', argv: ['rm', '-rf', '/gpfs0/a b'] });
      expect(error.message).toContain("rm -rf '/gpfs0/a b'");
      expect(mock.calls[0]).toMatchObject({ argv: ['rm', '-rf', '/gpfs0/a b'], matched: false });
    });

    it('lets unexpected commands succeed with empty output by default', async () => {
      const mock = createMockRunner();
      expect((await mock.run({ argv: ['anything'] }))._unsafeUnwrap()).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    });

    it('answers unexpected commands with the fallback reply when one is given', async () => {
      const mock = createMockRunner({ fallback: (command) => ({ exitCode: 127, stderr: `${command.argv[0]}: command not found\n` }) });
      expect((await mock.run({ argv: ['nope'] }))._unsafeUnwrap()).toMatchObject({ exitCode: 127, stderr: 'nope: command not found\n' });
    });
  });

  describe('recording', () => {
    it('records argv, asRoot, text stdin and timeouts of every call', async () => {
      const mock = createMockRunner();
      (await mock.run({ argv: ['mmlsfs', 'all'], asRoot: true, timeoutMs: 1000 }))._unsafeUnwrap();
      (await mock.run({ argv: ['dd', 'of=/gpfs0/a'], stdin: 'payload' }))._unsafeUnwrap();
      expect(mock.calls).toEqual([
        { argv: ['mmlsfs', 'all'], asRoot: true, timeoutMs: 1000, roundTrip: 0, inBatch: false, matched: false },
        { argv: ['dd', 'of=/gpfs0/a'], asRoot: false, stdin: 'payload', roundTrip: 1, inBatch: false, matched: false },
      ]);
      expect(mock.argvs).toEqual([
        ['mmlsfs', 'all'],
        ['dd', 'of=/gpfs0/a'],
      ]);
    });

    it('records byte and stream stdin as bytes, read to the end', async () => {
      const mock = createMockRunner();
      (await mock.run({ argv: ['a'], stdin: new Uint8Array([1, 2, 3]) }))._unsafeUnwrap();
      (await mock.run({ argv: ['b'], stdin: Readable.from([Buffer.from([4, 5]), Buffer.from([6])]) }))._unsafeUnwrap();
      expect(mock.calls.map((call) => [call.stdin, call.stdinBytes && Array.from(call.stdinBytes)])).toEqual([
        [undefined, [1, 2, 3]],
        [undefined, [4, 5, 6]],
      ]);
    });

    it('does not run or record a command whose signal is already aborted', async () => {
      const mock = createMockRunner();
      const controller = new AbortController();
      controller.abort();
      expect((await mock.run({ argv: ['rm', 'x'], signal: controller.signal }))._unsafeUnwrapErr().kind).toBe('Aborted');
      expect(mock.calls).toEqual([]);
    });

    it('forgets calls and round trips on clearCalls but keeps the scripts', async () => {
      const mock = createMockRunner().on(['true'], { stdout: 'kept' });
      (await mock.run({ argv: ['true'] }))._unsafeUnwrap();
      mock.clearCalls();
      expect([mock.calls.length, mock.roundTrips]).toEqual([0, 0]);
      expect((await mock.run({ argv: ['true'] }))._unsafeUnwrap().stdout).toBe('kept');
    });
  });

  describe('batches', () => {
    it('runs a batch as one round trip and records each command', async () => {
      const mock = createMockRunner().on(['false'], { exitCode: 1 });
      (await mock.run({ argv: ['before'] }))._unsafeUnwrap();
      const batch = (await runCommands(mock, [{ argv: ['true'] }, { argv: ['false'] }, { argv: ['never'] }], { stopOnFailure: true }))._unsafeUnwrap();
      expect(batch.stoppedEarly).toBe(true);
      expect(batch.outputs.map((output) => output.argv)).toEqual([['true'], ['false']]);
      expect(mock.roundTrips).toBe(2);
      expect(mock.calls.map((call) => [call.argv[0], call.roundTrip, call.inBatch])).toEqual([
        ['before', 0, false],
        ['true', 1, true],
        ['false', 1, true],
      ]);
    });

    it('returns the first runner error of a batch', async () => {
      const mock = createMockRunner({ strict: true }).on(['true'], {});
      const error = (await mock.runBatch([{ argv: ['true'] }, { argv: ['unexpected'] }, { argv: ['true'] }]))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'UnexpectedCommand', argv: ['unexpected'] });
      expect(mock.argvs).toEqual([['true'], ['unexpected']]);
    });

    it('times out a whole batch with the batch limit', async () => {
      const mock = createMockRunner().on(['slow'], () => new Promise(() => undefined));
      const error = (await mock.runBatch([{ argv: ['true'] }, { argv: ['slow'] }], { timeoutMs: 20 }))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'Timeout', timeoutMs: 20, argv: ['slow'] });
    });

    it('aborts a batch through its signal', async () => {
      const controller = new AbortController();
      const mock = createMockRunner().on(['slow'], () => new Promise(() => undefined));
      const pending = mock.runBatch([{ argv: ['slow'] }], { signal: controller.signal });
      controller.abort();
      expect((await pending)._unsafeUnwrapErr()).toMatchObject({ kind: 'Aborted', argv: ['slow'] });
    });
  });

  it('types replies, calls and the runner for editors', () => {
    const mock = createMockRunner();
    expectTypeOf(mock.calls[0]?.argv).toEqualTypeOf<readonly string[] | undefined>();
    expectTypeOf<{ stdout: string }>().toExtend<MockReply>();
    expectTypeOf<{ kind: 'Timeout'; timeoutMs: number }>().toExtend<MockReply>();
    expectTypeOf<{ kind: 'Timeout' }>().not.toExtend<MockReply>();
    expectTypeOf(mock.runBatch).toBeFunction();
  });
});
