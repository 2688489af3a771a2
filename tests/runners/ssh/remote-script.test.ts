/**
 * The remote shell text of the SSH runner, run by the local /bin/sh (dash on Debian): what sshd's
 * login shell would do with it, without needing sshd.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createBatchStdoutReader, splitBatchStderr, type BatchEvent } from '../../../src/runners/ssh/batch-frames.js';
import { batchScript, killCommandLine, newToken, singleCommandLine, type ScriptSettings } from '../../../src/runners/ssh/remote-script.js';

const plain: ScriptSettings = { rootHelper: null, mmDirectory: null };
const workDirectory = mkdtempSync(join(tmpdir(), 'gv-remote-script-'));
afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

/** Runs a command line the way sshd does: `<login shell> -c <line>`. */
function loginShell(line: string, input?: string, shell = '/bin/sh'): { status: number | null; signal: NodeJS.Signals | null; stdout: Buffer; stderr: string } {
  const result = spawnSync(shell, ['-c', line], { input: input ?? '', env: { ...process.env, TMPDIR: workDirectory } });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** A batch event with the command's stderr attached (as batch-call does). */
type Frame = BatchEvent | (Extract<BatchEvent, { type: 'exit' }> & { stderr: Buffer });

/** Runs a batch script and reads it back, feeding stdout to the reader in pieces of `chunkBytes`. */
function runBatch(script: string, token: string, chunkBytes = 7): Frame[] {
  const { stdout, stderr } = loginShell('exec /bin/sh -s', script);
  const reader = createBatchStdoutReader(token);
  const events: BatchEvent[] = [];
  for (let offset = 0; offset < stdout.length; offset += chunkBytes) events.push(...reader.push(stdout.subarray(offset, offset + chunkBytes)));
  const header = new RegExp(`^${token} pid \\d+\\n`);
  expect(stderr).toMatch(header);
  const byIndex = splitBatchStderr(Buffer.from(stderr.replace(header, ''), 'utf8'), token);
  return events.map((event) => (event.type === 'exit' ? { ...event, stderr: byIndex.get(event.index) ?? Buffer.alloc(0) } : event));
}

describe('runners: ssh remote script', () => {
  it.each([
    ['dash, with the /bin/sh wrapper', '/bin/sh', false],
    ['bash, with the /bin/sh wrapper', '/bin/bash', false],
    ['dash as the POSIX login shell', '/bin/sh', true],
    ['bash as the POSIX login shell', '/bin/bash', true],
  ] as const)('delivers any argv verbatim through %s (property)', (_label, shell, posixLoginShell) => {
    const token = newToken();
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary' }).map((value) => value.replaceAll('\0', '')),
          { minLength: 1, maxLength: 6 },
        ),
        (values) => {
          const result = loginShell(singleCommandLine({ argv: ['printf', '%s\\0', ...values] }, token, plain, posixLoginShell), undefined, shell);
          expect(result.status).toBe(0);
          expect(result.stdout.toString('utf8').split('\0').slice(0, -1)).toEqual(values);
          expect(result.stderr).toMatch(new RegExp(`^${token} pid \\d+\\n$`));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('writes the pid header first on stderr and marks a missing program', () => {
    const token = newToken();
    const found = loginShell(singleCommandLine({ argv: ['sh', '-c', 'echo oops >&2'] }, token, plain));
    expect(found.stderr).toMatch(new RegExp(`^${token} pid \\d+\\noops\\n$`));
    const missing = loginShell(singleCommandLine({ argv: ['no-such-program-gv'] }, token, plain));
    expect(missing.status).toBe(127);
    expect(missing.stderr).toMatch(new RegExp(`^${token} pid \\d+\\n${token} spawn ENOENT\\n$`));
  });

  it('frames every command of a batch apart, whatever they print, and honours stopOnFailure', () => {
    const token = newToken();
    // Separators of another batch, and the start of this batch's token without its end.
    const fake = `\ngv0000 0 exit 0 -\nxy\ngv0000 end\n${token.slice(0, -2)} end\n`;
    const commands = [{ argv: ['printf', '%s', fake] }, { argv: ['sh', '-c', 'printf "%s" "$0" >&2; exit 3', fake] }, { argv: ['sh', '-c', 'kill -TERM $$'] }, { argv: ['printf', 'never'] }];
    expect(runBatch(batchScript(commands, token, false, plain), token)).toEqual([
      { type: 'exit', index: 0, status: 0, signalName: null, stdout: Buffer.from(fake), stderr: Buffer.alloc(0) },
      { type: 'exit', index: 1, status: 3, signalName: null, stdout: Buffer.alloc(0), stderr: Buffer.from(fake) },
      { type: 'exit', index: 2, status: 143, signalName: 'SIGTERM', stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) },
      { type: 'exit', index: 3, status: 0, signalName: null, stdout: Buffer.from('never'), stderr: Buffer.alloc(0) },
      { type: 'end' },
    ]);
    const stopped = runBatch(batchScript(commands, token, true, plain), token, 1);
    expect(stopped.map((frame) => (frame.type === 'exit' ? frame.index : frame.type))).toEqual([0, 1, 'end']);
  });

  it('runs builtin and keyword names as external programs, and stops at a missing program', () => {
    const token = newToken();
    const frames = runBatch(batchScript([{ argv: ['echo', 'a\\nb'] }, { argv: ['exit', '5'] }, { argv: ['if'] }, { argv: ['gv_end'] }, { argv: ['printf', 'after'] }], token, false, plain), token);
    expect(frames[0]).toMatchObject({ type: 'exit', status: 0, stdout: Buffer.from('a\\nb\n') });
    expect(frames.slice(1)).toEqual([{ type: 'spawn', index: 1, code: 'ENOENT' }, { type: 'end' }]);
    for (const name of ['if', 'gv_end', 'cd']) {
      expect(runBatch(batchScript([{ argv: [name] }, { argv: ['printf', 'after'] }], token, false, plain), token)).toEqual([{ type: 'spawn', index: 0, code: 'ENOENT' }, { type: 'end' }]);
    }
  });

  it('puts the mm directory after the PATH it finds and resolves mm* commands before the root helper', () => {
    const bin = join(workDirectory, 'mm-bin');
    const helper = join(workDirectory, 'helper');
    spawnSync('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'mmfake'), '#!/bin/sh\necho "mmfake $*"\n');
    writeFileSync(helper, '#!/bin/sh\necho "helper $*" >&2\nshift\nexec "$@"\n');
    chmodSync(join(bin, 'mmfake'), 0o755);
    chmodSync(helper, 0o755);
    const settings: ScriptSettings = { rootHelper: [helper, '--'], mmDirectory: bin };
    const token = newToken();
    const direct = loginShell(singleCommandLine({ argv: ['sh', '-c', 'printf %s "$PATH"'] }, token, settings));
    expect(direct.stdout.toString()).toBe(`${process.env['PATH']}:${bin}`);
    const helped = loginShell(singleCommandLine({ argv: ['mmfake', 'x y'], asRoot: true }, token, settings));
    expect(helped.stdout.toString()).toBe('mmfake x y\n');
    expect(helped.stderr).toContain(`helper -- ${join(bin, 'mmfake')} x y`);
  });

  it('kills a whole process group', async () => {
    const group = spawn('/bin/sh', ['-c', `sleep 300 & echo $!; wait`], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = Number(await new Promise<string>((resolve) => group.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
    const ended = new Promise<NodeJS.Signals | null>((resolve) => group.once('exit', (_code, signal) => resolve(signal)));
    expect(loginShell(killCommandLine({ group: group.pid! }, false, plain)).status).toBe(0);
    expect(await ended).toBe('SIGKILL');
    const state = (): string | undefined => {
      try {
        return readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(') ')[1]?.[0];
      } catch {
        return undefined;
      }
    };
    for (let attempt = 0; attempt < 100 && !['Z', undefined].includes(state()); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(['Z', undefined]).toContain(state());
  });
});
