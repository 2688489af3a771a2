/**
 * The simulator as a command runner: `run` and `runBatch` with faults, timeouts, abort signals, the
 * virtual clock and the command log.
 *
 * @module
 */
import { err, errAsync, ok, okAsync, ResultAsync, type Result } from 'neverthrow';
import type { RunnerError, SpawnFailedError } from '../errors.js';
import type { BatchCommand, BatchOptions, BatchOutput, Command, CommandOutput } from '../runners/types.js';
import type { CommandResult } from './commands/context.js';
import type { CommandLog } from './command-log.js';
import { executeCommand, type Engine, type Executed } from './engine.js';
import type { FaultRegistry, FaultSpec } from './faults.js';
import { localNode } from './model/world.js';
import { ROOT, USER } from './model/namespace.js';

/** The runner name the simulator reports. */
export const RUNNER_NAME = 'simulator';

/** Counters the runner keeps. */
export interface RunnerCounters {
  commands: number;
  roundTrips: number;
}

/** Everything the runner needs. */
export interface RunnerParts {
  readonly engine: Engine;
  readonly faults: FaultRegistry;
  readonly log: CommandLog;
  readonly counters: RunnerCounters;
}

type Outcome = Result<CommandOutput, RunnerError>;

/**
 * Runs one command in its own round trip.
 *
 * @param parts - Simulator state.
 * @param command - The command.
 * @returns Its output, or a runner error.
 */
export function runOne(parts: RunnerParts, command: Command): ResultAsync<CommandOutput, RunnerError> {
  const invalid = validate(command);
  if (invalid !== null) return errAsync(invalid);
  const roundTrip = ++parts.counters.roundTrips;
  const roundTripMs = parts.engine.latency.roundTripMs;
  parts.engine.world.nowMs += roundTripMs;
  const outcome = execute(parts, command, command.signal, roundTrip, roundTripMs);
  if (outcome instanceof Promise) return new ResultAsync(outcome);
  return outcome.isOk() ? okAsync(outcome.value) : errAsync(outcome.error);
}

/**
 * Runs several commands in one round trip.
 *
 * @param parts - Simulator state.
 * @param commands - Commands, in order.
 * @param options - Stop on failure, whole-batch signal and timeout.
 * @returns One output per command that ran, or the first runner error.
 */
export function runMany(parts: RunnerParts, commands: readonly BatchCommand[], options: BatchOptions = {}): ResultAsync<BatchOutput, RunnerError> {
  if (!Array.isArray(commands)) return errAsync(spawnFailed([], 'runBatch needs an array of commands'));
  for (const command of commands) {
    const invalid = validate(command);
    if (invalid !== null) return errAsync(invalid);
  }
  const roundTrip = ++parts.counters.roundTrips;
  parts.engine.world.nowMs += parts.engine.latency.roundTripMs;
  const outputs: CommandOutput[] = [];
  const startMs = parts.engine.world.nowMs;
  const batchLimit = options.timeoutMs;
  const step = (index: number): Result<BatchOutput, RunnerError> | Promise<Result<BatchOutput, RunnerError>> => {
    for (let position = index; position < commands.length; position++) {
      const command = commands[position] as BatchCommand;
      const elapsed = parts.engine.world.nowMs - startMs;
      const remaining = batchLimit === undefined ? undefined : batchLimit - elapsed;
      if (remaining !== undefined && remaining <= 0) return err(timeoutError(command.argv, batchLimit as number, 'the batch'));
      const limit = remaining === undefined ? command.timeoutMs : Math.min(remaining, command.timeoutMs ?? Number.POSITIVE_INFINITY);
      const withLimit = limit === command.timeoutMs || limit === undefined ? command : { ...command, timeoutMs: limit };
      const outcome = execute(parts, withLimit, options.signal, roundTrip, 0);
      const after = (result: Outcome): Result<BatchOutput, RunnerError> | Promise<Result<BatchOutput, RunnerError>> | null => {
        if (result.isErr()) {
          if (result.error.kind === 'Timeout' && batchLimit !== undefined && limit !== command.timeoutMs) return err(timeoutError(command.argv, batchLimit, 'the batch'));
          return err(result.error);
        }
        outputs.push(result.value);
        if (options.stopOnFailure === true && result.value.exitCode !== 0 && position < commands.length - 1) return ok({ outputs, stoppedEarly: true });
        return null;
      };
      if (outcome instanceof Promise) {
        return outcome.then((result) => {
          const decided = after(result);
          return decided ?? step(position + 1);
        });
      }
      const decided = after(outcome);
      if (decided !== null) return decided;
    }
    return ok({ outputs, stoppedEarly: false });
  };
  const result = step(0);
  if (result instanceof Promise) return new ResultAsync(result);
  return result.isOk() ? okAsync(result.value) : errAsync(result.error);
}

// --- Internal helpers ---

function execute(parts: RunnerParts, command: Command, signal: AbortSignal | undefined, roundTrip: number, roundTripMs: number): Outcome | Promise<Outcome> {
  const { engine, counters } = parts;
  const sequence = ++counters.commands;
  const startedAtMs = engine.world.nowMs - engine.world.bootMs;
  const asRoot = command.asRoot === true;
  const argv = command.argv;
  const log = (exitCode: number | null, errorKind: RunnerError['kind'] | null, faulted: boolean, durationMs: number): void =>
    parts.log.add({ sequence, roundTrip, argv: [...argv], asRoot, exitCode, errorKind, faulted, startedAtMs, durationMs });
  if (signal?.aborted === true) {
    log(null, 'Aborted', false, 0);
    return err(abortedError(argv));
  }
  const sink = command.stdoutSink;
  const deliver = (outcome: Outcome): Outcome | Promise<Outcome> => {
    if (sink === undefined || outcome.isErr() || outcome.value.stdout === '') return outcome;
    const output = outcome.value;
    return streamText(sink, output.stdout).then(() => ok({ ...output, stdout: '' }));
  };
  const fault = parts.faults.isEmpty ? undefined : parts.faults.pick(argv);
  if (fault !== undefined && (fault.timing ?? 'before') === 'before') {
    const costMs = engine.latency.systemCommandMs;
    engine.world.nowMs += costMs;
    return deliver(applyFault(parts, fault, argv, command.timeoutMs, costMs + roundTripMs, log));
  }
  const timeoutMs = command.timeoutMs;
  const executed = executeCommand(engine, argv, asRoot ? ROOT : USER, {
    stdin: command.stdin,
    stdoutSink: command.stdoutSink,
    signal,
    budgetMs: timeoutMs ?? Number.POSITIVE_INFINITY,
  });
  const finish = (value: Executed): Outcome => {
    const result: CommandResult = value.result;
    const costMs = value.baseCostMs + (result.extraCostMs ?? 0);
    if (signal?.aborted === true) {
      engine.world.nowMs += costMs;
      log(null, 'Aborted', false, costMs);
      return err(abortedError(argv));
    }
    if (result.timedOut === true || (timeoutMs !== undefined && costMs > timeoutMs)) {
      const spent = timeoutMs ?? costMs;
      engine.world.nowMs += spent;
      log(null, 'Timeout', false, spent);
      return err(timeoutError(argv, timeoutMs ?? spent, argv[0] ?? 'command'));
    }
    engine.world.nowMs += costMs;
    if (fault !== undefined) return applyFault(parts, fault, argv, timeoutMs, costMs + roundTripMs, log, result);
    log(result.exitCode, null, false, costMs);
    return ok({ argv, exitCode: result.exitCode, signal: null, stdout: result.stdout, stderr: result.stderr, durationMs: costMs + roundTripMs });
  };
  return executed instanceof Promise ? executed.then(finish).then(deliver) : deliver(finish(executed));
}

async function streamText(sink: NonNullable<Command['stdoutSink']>, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0; offset < bytes.length; offset += 65_536) await sink(bytes.slice(offset, offset + 65_536));
}

function applyFault(
  parts: RunnerParts,
  fault: FaultSpec,
  argv: readonly string[],
  timeoutMs: number | undefined,
  durationMs: number,
  log: (exitCode: number | null, errorKind: RunnerError['kind'] | null, faulted: boolean, durationMs: number) => void,
  ran?: CommandResult,
): Outcome {
  const outcome = fault.outcome;
  if ('error' in outcome) {
    log(null, outcome.error, true, durationMs);
    return err(injectedError(parts, outcome.error, outcome.message, argv, timeoutMs, ran !== undefined));
  }
  log(outcome.exitCode, null, true, durationMs);
  return ok({ argv, exitCode: outcome.exitCode, signal: null, stdout: outcome.stdout ?? '', stderr: outcome.stderr ?? '', durationMs });
}

function injectedError(parts: RunnerParts, kind: RunnerError['kind'], message: string | undefined, argv: readonly string[], timeoutMs: number | undefined, ran: boolean): RunnerError {
  const host = localNode(parts.engine.world).name;
  const text = message ?? `injected ${kind} ${ran ? 'after the command took effect' : 'before the command ran'}`;
  const base = { runner: RUNNER_NAME, argv, message: text };
  switch (kind) {
    case 'Timeout':
      return { ...base, kind, timeoutMs: timeoutMs ?? 0 };
    case 'ConnectionFailed':
    case 'ConnectionLost':
    case 'AuthenticationFailed':
      return kind === 'AuthenticationFailed' ? { ...base, kind, host, username: 'root' } : { ...base, kind, host };
    case 'HostKeyRejected':
      return { ...base, kind, host, fingerprint: 'SHA256:c2ltdWxhdG9yLWhvc3Qta2V5LWZpbmdlcnByaW50' };
    case 'SpawnFailed':
      return { ...base, kind, code: 'ENOENT' };
    default:
      return { ...base, kind };
  }
}

function validate(command: unknown): RunnerError | null {
  if (typeof command !== 'object' || command === null) return spawnFailed([], 'a command must be an object with an argv array');
  const argv = (command as { argv?: unknown }).argv;
  if (!Array.isArray(argv) || argv.length === 0) return spawnFailed([], 'argv must be a non-empty array of strings');
  if (!argv.every((arg): arg is string => typeof arg === 'string')) return spawnFailed([], 'argv must hold only strings');
  const strings = argv;
  if (strings.some((arg) => arg.includes('\0'))) return { ...spawnFailed(strings, 'argv elements must not contain NUL bytes'), code: 'EINVAL' };
  if (strings[0] === '') return { ...spawnFailed(strings, 'the program name is empty'), code: 'ENOENT' };
  const timeoutMs = (command as { timeoutMs?: unknown }).timeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0)) return spawnFailed(strings, 'timeoutMs must be a non-negative number');
  return null;
}

function spawnFailed(argv: readonly string[], message: string): SpawnFailedError {
  return { kind: 'SpawnFailed', runner: RUNNER_NAME, argv, message };
}

function timeoutError(argv: readonly string[], timeoutMs: number, what: string): RunnerError {
  return { kind: 'Timeout', runner: RUNNER_NAME, argv, message: `${what} timed out after ${timeoutMs} ms (virtual time)`, timeoutMs };
}

function abortedError(argv: readonly string[]): RunnerError {
  return { kind: 'Aborted', runner: RUNNER_NAME, argv, message: 'aborted by the caller' };
}
