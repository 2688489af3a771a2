import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalRunner, type CommandTrace } from '../../src/runners/local/index.js';
import { defaultRootHelper } from '../../src/runners/local/resolve.js';

const isRoot = process.getuid?.() === 0;
let scratch: string;

function script(directory: string, name: string, body: string): string {
  const path = join(directory, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const nulFields = (text: string): string[] => text.split('\u0000').slice(0, -1);

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'local-runner-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('runners: local root helper', () => {
  it('runs asRoot commands through the configured helper, and others directly', async () => {
    const helper = script(scratch, 'fake-helper', `printf 'helper:%s\\n' "$@" >&2\n[ "$1" = --flag ] && shift\nexec "$@"`);
    const runner = createLocalRunner({ rootHelper: [helper, '--flag'] });
    const asRoot = (await runner.run({ argv: ['printf', '%s', 'a b'], asRoot: true }))._unsafeUnwrap();
    expect(asRoot).toMatchObject({ exitCode: 0, stdout: 'a b', stderr: 'helper:--flag\nhelper:printf\nhelper:%s\nhelper:a b\n', argv: ['printf', '%s', 'a b'] });
    const direct = (await runner.run({ argv: ['printf', '%s', 'x'] }))._unsafeUnwrap();
    expect(direct).toMatchObject({ stdout: 'x', stderr: '' });
  });

  it('runs asRoot commands directly with an empty helper', async () => {
    const runner = createLocalRunner({ rootHelper: [] });
    expect((await runner.run({ argv: ['printf', 'direct'], asRoot: true }))._unsafeUnwrap()).toMatchObject({ stdout: 'direct', stderr: '' });
  });

  it('reports a missing helper as SpawnFailed', async () => {
    const runner = createLocalRunner({ rootHelper: ['no-such-helper-xyz', '-n'] });
    expect((await runner.run({ argv: ['true'], asRoot: true }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', code: 'ENOENT', argv: ['true'] });
  });

  it('defaults to sudo -n except for uid 0', () => {
    expect(defaultRootHelper(0)).toEqual([]);
    expect(defaultRootHelper(1000)).toEqual(['sudo', '-n']);
    expect(defaultRootHelper(undefined)).toEqual(['sudo', '-n']);
  });

  it.skipIf(!isRoot)('runs asRoot commands without a helper when already root, even with a sudo on PATH', async () => {
    const bin = mkdtempSync(join(scratch, 'bin-'));
    script(bin, 'sudo', 'echo fake-sudo >&2; exit 99');
    const runner = createLocalRunner({ env: { PATH: `${bin}:${process.env['PATH'] ?? ''}` } });
    expect((await runner.run({ argv: ['id', '-u'], asRoot: true }))._unsafeUnwrap()).toMatchObject({ exitCode: 0, stdout: '0\n', stderr: '' });
  });

  it.skipIf(isRoot)('runs asRoot commands through sudo -n by default when not root', async () => {
    const bin = mkdtempSync(join(scratch, 'bin-'));
    script(bin, 'sudo', 'printf "%s|" "$@"');
    const runner = createLocalRunner({ env: { PATH: `${bin}:${process.env['PATH'] ?? ''}` } });
    expect((await runner.run({ argv: ['id', '-u'], asRoot: true }))._unsafeUnwrap().stdout).toBe('-n|id|-u|');
  });

  it('hands the helper the absolute path of mm* programs found in the mm directory', async () => {
    const mmDirectory = mkdtempSync(join(scratch, 'mm-'));
    script(mmDirectory, 'mmfake', 'printf "%s" "$0"');
    const helper = script(scratch, 'passthrough-helper', 'printf "%s|" "$@" >&2\nexec "$@"');
    const runner = createLocalRunner({ rootHelper: [helper], mmDirectory });
    const output = (await runner.run({ argv: ['mmfake'], asRoot: true }))._unsafeUnwrap();
    expect(output).toMatchObject({ stdout: join(mmDirectory, 'mmfake'), stderr: `${join(mmDirectory, 'mmfake')}|` });
  });
});

describe('runners: local program lookup', () => {
  let mmDirectory: string;
  let pathDirectory: string;
  beforeAll(() => {
    mmDirectory = mkdtempSync(join(scratch, 'mmbin-'));
    pathDirectory = mkdtempSync(join(scratch, 'pathbin-'));
    script(mmDirectory, 'mmfake', 'printf "mmdir:%s\\0" "$@"');
    script(mmDirectory, 'fakecmd', 'echo should-not-run');
    script(pathDirectory, 'mmfake', 'echo from-path');
    script(pathDirectory, 'mmonpath', 'printf "path:%s" "$1"');
  });
  const env = (): Record<string, string> => ({ PATH: `${pathDirectory}:${process.env['PATH'] ?? ''}` });

  it('runs mm* programs from the mm directory before PATH', async () => {
    const runner = createLocalRunner({ mmDirectory, env: env() });
    const output = (await runner.run({ argv: ['mmfake', 'a b', ''] }))._unsafeUnwrap();
    expect(nulFields(output.stdout)).toEqual(['mmdir:a b', 'mmdir:']);
  });

  it('falls back to PATH for mm* programs the mm directory lacks', async () => {
    const runner = createLocalRunner({ mmDirectory, env: env() });
    expect((await runner.run({ argv: ['mmonpath', 'x'] }))._unsafeUnwrap().stdout).toBe('path:x');
    const elsewhere = createLocalRunner({ mmDirectory: join(scratch, 'missing-dir'), env: env() });
    expect((await elsewhere.run({ argv: ['mmfake'] }))._unsafeUnwrap().stdout).toBe('from-path\n');
  });

  it('does not look in the mm directory for other names', async () => {
    const runner = createLocalRunner({ mmDirectory, env: env() });
    expect((await runner.run({ argv: ['fakecmd'] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', code: 'ENOENT', argv: ['fakecmd'] });
  });

  it('reports missing and non-executable programs as SpawnFailed', async () => {
    const runner = createLocalRunner();
    const missing = (await runner.run({ argv: ['no-such-program-xyz', 'arg'] }))._unsafeUnwrapErr();
    expect(missing).toMatchObject({ kind: 'SpawnFailed', runner: 'local', code: 'ENOENT', argv: ['no-such-program-xyz', 'arg'] });
    expect(missing.message).toContain('no-such-program-xyz');
    const plain = join(scratch, 'not-executable');
    writeFileSync(plain, 'data');
    expect((await runner.run({ argv: [plain] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', code: 'EACCES' });
    expect((await runner.run({ argv: [scratch] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', code: 'EACCES' });
    expect((await runner.run({ argv: [''] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', code: 'ENOENT' });
  });

  it('runs relative program paths from the working directory, even ones starting with a dash', async () => {
    const directory = mkdtempSync(join(scratch, 'cwd-'));
    mkdirSync(join(directory, '-odd'));
    script(join(directory, '-odd'), 'tool', 'pwd');
    const runner = createLocalRunner({ cwd: directory });
    expect((await runner.run({ argv: ['-odd/tool'] }))._unsafeUnwrap().stdout).toBe(`${directory}\n`);
  });

  it('reports a missing working directory as SpawnFailed', async () => {
    const runner = createLocalRunner({ cwd: join(scratch, 'no-such-directory') });
    expect((await runner.run({ argv: ['true'] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'SpawnFailed', code: 'ENOENT' });
  });

  it('lets programs see argv[0] as given, as in their messages', async () => {
    const output = (await createLocalRunner().run({ argv: ['cat', '/nonexistent-path'] }))._unsafeUnwrap();
    expect(output.stderr).toMatch(/^cat: /);
  });

  it('reports a command line longer than the shell argument limit as SpawnFailed E2BIG', async () => {
    const error = (await createLocalRunner().run({ argv: ['printf', '%s', 'x'.repeat(200_000)] }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'SpawnFailed', code: 'E2BIG' });
  });
});

describe('runners: local environment', () => {
  it('always sets LC_ALL=C and adds or removes the given variables', async () => {
    const runner = createLocalRunner({ env: { LC_ALL: 'de_DE.UTF-8', GPFS_TEST_VALUE: 'a b', HOME: undefined } });
    const output = (await runner.run({ argv: ['sh', '-c', 'printf "%s|%s|%s" "$LC_ALL" "$GPFS_TEST_VALUE" "${HOME-unset}"'] }))._unsafeUnwrap();
    expect(output.stdout).toBe('C|a b|unset');
  });

  it('runs commands in the configured working directory', async () => {
    const runner = createLocalRunner({ cwd: scratch });
    expect((await runner.run({ argv: ['pwd'] }))._unsafeUnwrap().stdout).toBe(`${scratch}\n`);
  });
});

describe('runners: local streams', () => {
  it('decodes multi-byte characters split across chunks', async () => {
    const text = 'é🙂ü'.repeat(60_000);
    expect((await createLocalRunner().run({ argv: ['cat'], stdin: text }))._unsafeUnwrap().stdout).toBe(text);
  });

  it('streams stdout to the sink while the command still runs', async () => {
    const controller = new AbortController();
    let receivedBytes = 0;
    const result = await createLocalRunner().run({
      argv: ['sh', '-c', 'head -c 100000 /dev/zero; sleep 30'],
      signal: controller.signal,
      timeoutMs: 20_000,
      stdoutSink: (chunk) => {
        receivedBytes += chunk.byteLength;
        controller.abort();
      },
    });
    expect(result._unsafeUnwrapErr().kind).toBe('Aborted');
    expect(receivedBytes).toBeGreaterThan(0);
  });

  it('ends the command when the sink fails', async () => {
    const error = (await createLocalRunner().run({ argv: ['sh', '-c', 'yes'], timeoutMs: 20_000, stdoutSink: () => Promise.reject(new Error('disk full')) }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'Aborted', message: 'stdout sink failed: disk full' });
  });

  it('ends the command when the stdin source fails', async () => {
    const failing = async function* (): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('partial');
      throw new Error('source broke');
    };
    const error = (await createLocalRunner().run({ argv: ['cat'], stdin: failing(), timeoutMs: 20_000 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'Aborted', message: 'stdin source failed: source broke' });
  });

  it('survives a command that exits without reading its large stdin', async () => {
    const output = (await createLocalRunner().run({ argv: ['true'], stdin: new Uint8Array(8 * 1024 * 1024) }))._unsafeUnwrap();
    expect(output.exitCode).toBe(0);
  });
});

describe('runners: local termination', () => {
  it('follows SIGTERM with SIGKILL when a command ignores SIGTERM', async () => {
    const runner = createLocalRunner({ killGraceMs: 100 });
    const error = (await runner.run({ argv: ['sh', '-c', "trap '' TERM; while :; do sleep 1; done"], timeoutMs: 300 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'Timeout', timeoutMs: 300 });
  });
});

describe('runners: local trace hook', () => {
  it('reports argv, exit code and duration of each command, and never stdin', async () => {
    const traces: CommandTrace[] = [];
    const runner = createLocalRunner({ onCommand: (trace) => traces.push(trace) });
    expect((await runner.run({ argv: ['cat'], stdin: 'secret-password' }))._unsafeUnwrap().stdout).toBe('secret-password');
    expect((await runner.run({ argv: ['sleep', '5'], timeoutMs: 100 }))._unsafeUnwrapErr().kind).toBe('Timeout');
    expect(traces).toHaveLength(2);
    expect(traces[0]).toMatchObject({ runner: 'local', argv: ['cat'], asRoot: false, exitCode: 0, signal: null, inBatch: false });
    expect(traces[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(traces[1]).toMatchObject({ argv: ['sleep', '5'], exitCode: null, errorKind: 'Timeout' });
    expect(JSON.stringify(traces)).not.toContain('secret-password');
  });

  it('ignores a trace hook that throws', async () => {
    const runner = createLocalRunner({
      onCommand: () => {
        throw new Error('hook broke');
      },
    });
    expect((await runner.run({ argv: ['printf', 'ok'] }))._unsafeUnwrap().stdout).toBe('ok');
  });
});

describe('runners: local batches', () => {
  it('runs a batch in one shell with separate outputs and traces each command', async () => {
    const traces: CommandTrace[] = [];
    const runner = createLocalRunner({ onCommand: (trace) => traces.push(trace) });
    const batch = (await runner.runBatch([{ argv: ['printf', 'one'] }, { argv: ['sh', '-c', 'echo two >&2; exit 4'] }, { argv: ['printf', '%s', "th'ree"] }]))._unsafeUnwrap();
    expect(batch.outputs.map((output) => [output.exitCode, output.stdout, output.stderr])).toEqual([
      [0, 'one', ''],
      [4, '', 'two\n'],
      [0, "th'ree", ''],
    ]);
    expect(traces.map((trace) => [trace.argv[0], trace.exitCode, trace.inBatch])).toEqual([
      ['printf', 0, true],
      ['sh', 4, true],
      ['printf', 0, true],
    ]);
  });

  it('runs asRoot batch commands through the helper and mm* programs from the mm directory', async () => {
    const mmDirectory = mkdtempSync(join(scratch, 'batch-mm-'));
    script(mmDirectory, 'mmbatch', 'printf "mm:%s" "$1"');
    const helper = script(scratch, 'batch-helper', 'printf "helper " >&2\nexec "$@"');
    const runner = createLocalRunner({ rootHelper: [helper], mmDirectory });
    const batch = (await runner.runBatch([{ argv: ['mmbatch', 'x'], asRoot: true }, { argv: ['printf', 'plain'] }]))._unsafeUnwrap();
    expect(batch.outputs.map((output) => [output.stdout, output.stderr])).toEqual([
      ['mm:x', 'helper '],
      ['plain', ''],
    ]);
  });

  it('looks up every program before running anything', async () => {
    const marker = join(scratch, 'batch-marker');
    const error = (await createLocalRunner().runBatch([{ argv: ['touch', marker] }, { argv: ['no-such-program-xyz'] }]))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'SpawnFailed', code: 'ENOENT', argv: ['no-such-program-xyz'] });
    expect(existsSync(marker)).toBe(false);
  });

  it('reports a batched command ended by a signal as the shell does, 128 + N', async () => {
    const batch = (await createLocalRunner().runBatch([{ argv: ['sh', '-c', 'kill -TERM $$'] }]))._unsafeUnwrap();
    expect(batch.outputs[0]).toMatchObject({ exitCode: 143, signal: null });
  });

  it('ends a batch on its own timeout and its signal', async () => {
    const runner = createLocalRunner();
    const timedOut = (await runner.runBatch([{ argv: ['true'] }, { argv: ['sleep', '10'] }], { timeoutMs: 300 }))._unsafeUnwrapErr();
    expect(timedOut).toMatchObject({ kind: 'Timeout', timeoutMs: 300, argv: ['sleep', '10'] });
    const controller = new AbortController();
    const pending = runner.runBatch([{ argv: ['sleep', '10'] }], { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ kind: 'Aborted', argv: ['sleep', '10'] });
    const aborted = new AbortController();
    aborted.abort();
    expect((await runner.runBatch([{ argv: ['true'] }], { signal: aborted.signal }))._unsafeUnwrapErr().kind).toBe('Aborted');
  });

  it('kills the whole process tree of a batched command that times out', async () => {
    const pidFile = join(scratch, 'batch-grandchild.pid');
    const runner = createLocalRunner();
    const error = (await runner.runBatch([{ argv: ['sh', '-c', `sleep 30 & echo $! > '${pidFile}'; sleep 30`], timeoutMs: 500 }]))._unsafeUnwrapErr();
    expect(error.kind).toBe('Timeout');
    const pid = Number((await runner.run({ argv: ['cat', pidFile] }))._unsafeUnwrap().stdout.trim());
    let alive = true;
    for (let attempt = 0; attempt < 50 && alive; attempt += 1) {
      alive = _isAliveNotZombie(pid);
      if (alive) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(alive).toBe(false);
  });
});

function _isAliveNotZombie(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describe('runners: local sink failures after exit', () => {
  it('reports a sink that fails on the last chunks, after the command has exited', async () => {
    let calls = 0;
    const error = (
      await createLocalRunner().run({
        argv: ['printf', '%s', 'short output'],
        stdoutSink: async () => {
          calls += 1;
          await new Promise((resolve) => setTimeout(resolve, 200));
          throw new Error('late failure');
        },
      })
    )._unsafeUnwrapErr();
    expect(calls).toBe(1);
    expect(error).toMatchObject({ kind: 'Aborted', message: 'stdout sink failed: late failure' });
  });
});
