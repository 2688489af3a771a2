/**
 * `runBatch` for the local runner: all commands in one shell process.
 *
 * The shell runs a script file. Each command runs as `(exec words)`, so that a name such as `test`
 * or `printf` runs the program found on PATH (as with `run`), not the shell's builtin of that name.
 * Each command's stdout and stderr go to files of their own in a
 * private temporary directory, and its stdin is `/dev/null`; the shell's own stdout carries nothing
 * but progress lines that the runner writes and reads (`S <index>` when a command starts,
 * `E <index> <status>` when it ends), so outputs cannot mix with the framing. The progress lines
 * drive per-command timeouts and durations. A shell reports a command ended by signal N as status
 * 128+N, so inside a batch such a command shows `exitCode` 128+N and `signal` `null`.
 *
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import type { RunnerError } from '../../errors.js';
import { messageOf } from '../byte-streams.js';
import { joinPosix, quotePosix } from '../quote.js';
import type { BatchCommand, BatchOptions, BatchOutput, CommandOutput } from '../types.js';
import { startProcess, type ProcessOutcome, type RunningProcess } from './process.js';
import { buildInvocation, outcomeToResult, spawnFailed, type LocalSettings } from './settings.js';

/**
 * Runs commands in one shell process, in order.
 *
 * Every program is looked up before anything runs: a missing one is `SpawnFailed` and nothing ran.
 *
 * @param settings - Runner settings.
 * @param commands - The batch.
 * @param options - `stopOnFailure`, `signal` and `timeoutMs` for the whole batch.
 * @returns The outputs of the commands that ran, or the error that ended the batch.
 */
export async function runLocalBatch(settings: LocalSettings, commands: readonly BatchCommand[], options: BatchOptions): Promise<Result<BatchOutput, RunnerError>> {
  const firstArgv = commands[0]?.argv ?? [];
  if (commands.length === 0) return ok({ outputs: [], stoppedEarly: false });
  if (options.signal?.aborted) return err({ kind: 'Aborted', runner: settings.name, argv: firstArgv, message: 'batch aborted before it started' });
  const invocations: (readonly string[])[] = [];
  for (const command of commands) {
    const invocation = await buildInvocation(settings, command);
    if (invocation.isErr()) return _traced(settings, commands, err(invocation.error));
    invocations.push(invocation.value);
  }
  let directory: string;
  try {
    directory = await mkdtemp(join(tmpdir(), 'gpfs-volumes-batch-'));
  } catch (cause) {
    return err(spawnFailed(settings.name, firstArgv, `cannot create a temporary directory: ${messageOf(cause)}`, (cause as { code?: string }).code));
  }
  try {
    const scriptPath = join(directory, 'batch.sh');
    await writeFile(scriptPath, _script(invocations, directory, options.stopOnFailure === true), { mode: 0o600 });
    const progress = new _Progress(commands);
    const running = startProcess({
      argv: [settings.shell, scriptPath],
      shell: settings.shell,
      env: settings.env,
      cwd: settings.cwd,
      stdin: undefined,
      onStdout: (chunk) => progress.read(chunk, running),
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      killGraceMs: settings.killGraceMs,
    });
    const outcome = await running.done;
    progress.stopTimers();
    return _traced(settings, commands, await _collect(settings, commands, directory, outcome, progress));
  } catch (cause) {
    return err(spawnFailed(settings.name, firstArgv, `batch failed: ${messageOf(cause)}`, undefined));
  } finally {
    await rm(directory, { recursive: true, force: true }).catch(() => undefined);
  }
}

// --- Internal helpers ---

function _script(invocations: readonly (readonly string[])[], directory: string, stopOnFailure: boolean): string {
  const lines = ['exec </dev/null'];
  invocations.forEach((words, index) => {
    const file = (suffix: string): string => quotePosix(join(directory, `${index}.${suffix}`));
    lines.push(
      `printf 'S ${index}\\n'`,
      // `exec` in a subshell runs the program that was resolved, never a shell builtin of the same
      // name (`test`, `printf`, `echo`, `kill`, ...), exactly as `run` does.
      `(exec ${joinPosix(words)}) >${file('out')} 2>${file('err')}`,
      `s=$?`,
      `printf 'E ${index} %s\\n' "$s"`,
    );
    if (stopOnFailure && index < invocations.length - 1) lines.push(`[ "$s" -eq 0 ] || exit 0`);
  });
  return `${lines.join('\n')}\n`;
}

/** Reads the progress lines as they arrive: starts and stops per-command timers, times each command. */
class _Progress {
  readonly statuses = new Map<number, { status: number; durationMs: number }>();
  current = -1;
  private text = '';
  private startedAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly commands: readonly BatchCommand[]) {}

  read(chunk: Uint8Array, running: RunningProcess): void {
    this.text += Buffer.from(chunk).toString('latin1');
    let newline = this.text.indexOf('\n');
    while (newline >= 0) {
      this.line(this.text.slice(0, newline), running);
      this.text = this.text.slice(newline + 1);
      newline = this.text.indexOf('\n');
    }
  }

  stopTimers(): void {
    clearTimeout(this.timer);
  }

  private line(line: string, running: RunningProcess): void {
    const [marker, indexText, statusText] = line.split(' ');
    const index = Number(indexText);
    const command = this.commands[index];
    if (command === undefined) return;
    if (marker === 'S') {
      this.current = index;
      this.startedAt = performance.now();
      const timeoutMs = command.timeoutMs;
      if (timeoutMs !== undefined) {
        this.timer = setTimeout(() => running.terminate({ kind: 'Timeout', timeoutMs, argv: command.argv }), timeoutMs);
      }
    } else if (marker === 'E') {
      clearTimeout(this.timer);
      this.statuses.set(index, { status: Number(statusText), durationMs: performance.now() - this.startedAt });
    }
  }
}

async function _collect(settings: LocalSettings, commands: readonly BatchCommand[], directory: string, outcome: ProcessOutcome, progress: _Progress): Promise<Result<BatchOutput, RunnerError>> {
  const runningArgv = commands[Math.max(progress.current, 0)]?.argv ?? [];
  if (outcome.kind !== 'exited') return outcomeToResult(settings.name, runningArgv, outcome).map(() => ({ outputs: [], stoppedEarly: false }));
  const outputs: CommandOutput[] = [];
  for (const [index, command] of commands.entries()) {
    const ended = progress.statuses.get(index);
    if (ended === undefined && index !== progress.current) break;
    const [stdout, stderr] = await Promise.all([_readText(join(directory, `${index}.out`)), _readText(join(directory, `${index}.err`))]);
    // A started command without an end line went down with the shell: report how the shell ended.
    outputs.push({
      argv: command.argv,
      exitCode: ended ? ended.status : outcome.exitCode,
      signal: ended ? null : outcome.signal,
      stdout,
      stderr,
      durationMs: ended ? ended.durationMs : outcome.durationMs,
    });
    if (ended === undefined) break;
  }
  return ok({ outputs, stoppedEarly: outputs.length < commands.length });
}

async function _readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

function _traced(settings: LocalSettings, commands: readonly BatchCommand[], result: Result<BatchOutput, RunnerError>): Result<BatchOutput, RunnerError> {
  if (result.isOk()) {
    for (const [index, output] of result.value.outputs.entries()) {
      const asRoot = commands[index]?.asRoot === true;
      settings.trace({ argv: output.argv, asRoot, exitCode: output.exitCode, signal: output.signal, durationMs: output.durationMs, inBatch: true });
    }
  } else {
    const argv = result.error.argv;
    const asRoot = commands.find((command) => command.argv === argv)?.asRoot === true;
    settings.trace({ argv, asRoot, exitCode: null, signal: null, durationMs: 0, inBatch: true, errorKind: result.error.kind });
  }
  return result;
}
