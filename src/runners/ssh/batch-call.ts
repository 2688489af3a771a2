/**
 * `runBatch` over SSH: several commands in one round trip, each command's exit status, stdout and
 * stderr told apart by separators carrying a random token. On a reused shell (the default) the batch
 * is one request to an idle shell; otherwise it is one remote script on an exec channel of its own.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { RunnerError } from '../../errors.js';
import type { BatchCommand, BatchOptions, BatchOutput, CommandOutput } from '../types.js';
import { createBatchStdoutReader, splitBatchStderr, type BatchEvent } from './batch-frames.js';
import type { Cancellation } from './cancellation.js';
import type { ServingHost } from './host-pool.js';
import type { SshCommandTrace } from './options.js';
import type { ResolvedOptions } from './resolve-options.js';
import { runPooledCall, runRemoteCall } from './remote-call.js';
import { BATCH_COMMAND_LINE, batchScript, newToken } from './remote-script.js';
import { cancelledError } from './util.js';

/** What a batch call returns: a result, or `{ retry }` when it never started and the connection is gone. @internal */
export type CallResult<T> = { retry: string } | { result: Result<T, RunnerError> };

/**
 * Runs a batch on one host: on a reused shell when enabled, else (or when the remote cannot run one)
 * as one script on an exec channel.
 *
 * @param host - The serving host.
 * @param commands - The batch (at least one command).
 * @param options - `stopOnFailure`; the signal and overall limit are already in `cancellation`.
 * @param cancellation - The call's cancellation.
 * @param settings - Resolved options.
 * @param purpose - `'batch'` or `'probe'` (for traces).
 * @returns The outputs, an error, or `{ retry }`.
 * @internal
 */
export async function runBatchOn(
  host: ServingHost,
  commands: readonly BatchCommand[],
  options: Pick<BatchOptions, 'stopOnFailure'>,
  cancellation: Cancellation,
  settings: ResolvedOptions,
  purpose: SshCommandTrace['purpose'],
): Promise<CallResult<BatchOutput>> {
  if (host.shells.enabled()) {
    const pooled = await runRequestOn(host, commands, options, cancellation, settings, purpose);
    if (!('unavailable' in pooled)) return pooled;
  }
  return runExecBatchOn(host, commands, options, cancellation, settings, purpose);
}

/**
 * Runs commands as one request on a reused shell.
 *
 * @param host - The serving host.
 * @param commands - The commands (one when `stdin` is given).
 * @param options - `stopOnFailure`.
 * @param cancellation - The call's cancellation.
 * @param settings - Resolved options.
 * @param purpose - For traces.
 * @param stdin - The first command's stdin.
 * @returns The outputs, an error, `{ retry }`, or `{ unavailable }` when nothing ran because the
 * remote cannot run a shell here: use an exec channel instead.
 * @internal
 */
export async function runRequestOn(
  host: ServingHost,
  commands: readonly BatchCommand[],
  options: Pick<BatchOptions, 'stopOnFailure'>,
  cancellation: Cancellation,
  settings: ResolvedOptions,
  purpose: SshCommandTrace['purpose'],
  stdin?: Buffer,
): Promise<CallResult<BatchOutput> | { unavailable: string }> {
  const token = newToken();
  const frames: BatchEvent[] = [];
  const finishedAt: number[] = [];
  const startedAt = performance.now();
  cancellation.setTimeLimit('command', commands[0]?.timeoutMs, 0);
  const outcome = await runPooledCall(
    host,
    {
      purpose,
      argvs: commands.map((command) => command.argv),
      request: { token, commands, stopOnFailure: options.stopOnFailure === true, ...(stdin ? { stdin } : {}) },
      onEvent: (event) => collect(event, frames, finishedAt, commands, cancellation),
      asRoot: commands.some((command) => command.asRoot === true),
      exitCodes: () => exitCodesOf(frames),
    },
    cancellation,
    settings,
  );
  cancellation.setTimeLimit('command', undefined);
  switch (outcome.type) {
    case 'unavailable':
      return { unavailable: outcome.message };
    case 'not-started':
      return notStarted(host, commands, outcome.message);
    case 'cancelled-in-queue':
    case 'cancelled':
      return { result: err(cancelled(commands, cancellation, outcome.type === 'cancelled', outcome.type === 'cancelled' && outcome.killConfirmed)) };
    case 'lost':
      return lost(host, commands, `${outcome.message} (${exitCodesOf(frames).length} of ${commands.length} command(s) reported)`);
    case 'exited':
      return interpret(host, commands, frames, splitBatchStderr(outcome.stderr, token), startedAt, finishedAt);
  }
}

// --- Internal helpers ---

/** The batch as one script on an exec channel (`reuseShells: false`, or no shell possible). */
async function runExecBatchOn(
  host: ServingHost,
  commands: readonly BatchCommand[],
  options: Pick<BatchOptions, 'stopOnFailure'>,
  cancellation: Cancellation,
  settings: ResolvedOptions,
  purpose: SshCommandTrace['purpose'],
): Promise<CallResult<BatchOutput>> {
  const token = newToken();
  const reader = createBatchStdoutReader(token);
  const frames: BatchEvent[] = [];
  const finishedAt: number[] = [];
  const startedAt = performance.now();
  cancellation.setTimeLimit('command', commands[0]?.timeoutMs, 0);
  const outcome = await runRemoteCall(
    host,
    {
      purpose,
      argvs: commands.map((command) => command.argv),
      commandLine: BATCH_COMMAND_LINE,
      token,
      stdin: batchScript(commands, token, options.stopOnFailure === true, settings),
      onStdout: (chunk) => {
        for (const event of reader.push(chunk)) collect(event, frames, finishedAt, commands, cancellation);
      },
      asRoot: commands.some((command) => command.asRoot === true),
      exitCodes: () => exitCodesOf(frames),
    },
    cancellation,
    settings,
  );
  cancellation.setTimeLimit('command', undefined);

  switch (outcome.type) {
    case 'cancelled-in-queue':
    case 'cancelled':
      return { result: err(cancelled(commands, cancellation, outcome.type === 'cancelled' && outcome.started, outcome.type === 'cancelled' && outcome.killConfirmed)) };
    case 'lost':
      return lost(host, commands, `${outcome.message} (${exitCodesOf(frames).length} of ${commands.length} command(s) reported)`);
    case 'not-started':
      return notStarted(host, commands, outcome.message);
    case 'exited':
      break;
  }
  if (!frames.some((frame) => frame.type === 'end') && !frames.some((frame) => frame.type === 'spawn')) {
    const stderr = outcome.stderr.toString('utf8').trim().slice(0, 500);
    return lost(
      host,
      commands,
      `the batch script on ${host.slot.address.label} ended (exit ${outcome.exitCode ?? outcome.signal}) after reporting ${exitCodesOf(frames).length} of ${commands.length} command(s); the outcome of the rest is unknown${stderr ? `: ${stderr}` : ''}`,
    );
  }
  return interpret(host, commands, frames, splitBatchStderr(outcome.stderr, token), startedAt, finishedAt);
}

/** Records an event; when a command finishes, starts the next command's own time limit. */
function collect(event: BatchEvent, frames: BatchEvent[], finishedAt: number[], commands: readonly BatchCommand[], cancellation: Cancellation): void {
  if (event.type === 'pid') return;
  frames.push(event);
  if (event.type !== 'exit') return;
  finishedAt[event.index] = performance.now();
  cancellation.setTimeLimit('command', commands[event.index + 1]?.timeoutMs, event.index + 1);
}

function exitCodesOf(frames: readonly BatchEvent[]): (number | null)[] {
  return frames.flatMap((frame) => (frame.type === 'exit' ? [frame.signalName ? null : frame.status] : []));
}

function cancelled(commands: readonly BatchCommand[], cancellation: Cancellation, started: boolean, killConfirmed: boolean): RunnerError {
  const reason = cancellation.reason();
  const index = reason?.commandIndex;
  const first = [...(commands[0]?.argv ?? [])];
  const argv = index !== undefined ? [...(commands[index]?.argv ?? first)] : first;
  return cancelledError(reason, argv, started, killConfirmed) ?? { runner: 'ssh', argv, kind: 'Aborted', message: 'cancelled' };
}

function lost(host: ServingHost, commands: readonly BatchCommand[], message: string): CallResult<BatchOutput> {
  return { result: err({ runner: 'ssh', argv: [...(commands[0]?.argv ?? [])], kind: 'ConnectionLost', host: host.slot.address.host, message }) };
}

function notStarted(host: ServingHost, commands: readonly BatchCommand[], message: string): CallResult<BatchOutput> {
  const address = host.slot.address;
  if (!host.connection.isAlive()) return { retry: `${address.label}: ${message}` };
  const what = commands.length === 1 ? 'the command' : 'the batch';
  return { result: err({ runner: 'ssh', argv: [...(commands[0]?.argv ?? [])], kind: 'ConnectionFailed', host: address.host, message: `${address.label} refused to start ${what}: ${message}` }) };
}

/** Turns the frames of a batch that reported its end into outputs (or the spawn failure that ended it). */
function interpret(
  host: ServingHost,
  commands: readonly BatchCommand[],
  frames: readonly BatchEvent[],
  stderrByIndex: Map<number, Buffer>,
  startedAt: number,
  finishedAt: readonly number[],
): CallResult<BatchOutput> {
  const spawn = frames.find((frame) => frame.type === 'spawn');
  if (spawn) {
    const argv = [...(commands[spawn.index]?.argv ?? [])];
    const what = spawn.code === 'ENOENT' ? 'no such program' : spawn.code === 'EACCES' ? 'not an executable file' : `could not start it (${spawn.code})`;
    return { result: err({ runner: 'ssh', argv, kind: 'SpawnFailed', code: spawn.code, message: `${argv[0] ?? ''}: ${what} on ${host.slot.address.label}` }) };
  }
  const outputs: CommandOutput[] = [];
  for (const frame of frames) {
    if (frame.type !== 'exit') continue;
    const previous = frame.index === 0 ? startedAt : (finishedAt[frame.index - 1] ?? startedAt);
    outputs.push({
      argv: [...(commands[frame.index]?.argv ?? [])],
      exitCode: frame.signalName ? null : frame.status,
      signal: frame.signalName,
      stdout: frame.stdout.toString('utf8'),
      stderr: (stderrByIndex.get(frame.index) ?? Buffer.alloc(0)).toString('utf8'),
      durationMs: (finishedAt[frame.index] ?? performance.now()) - previous,
    });
  }
  return { result: ok({ outputs, stoppedEarly: outputs.length < commands.length }) };
}
