/**
 * The plan executor: runs rounds of planned commands (one round trip each), checks every exit code,
 * turns failures into typed errors, and undoes what a failed create made.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { runCommands } from '../runners/batch.js';
import type { BatchCommand, CommandOutput } from '../runners/types.js';
import { alreadyExists, notFound, type CleanupReport, type CommandFailedError, type GpfsError } from './errors.js';
import { diagnoseMountFailure } from './mount-check.js';
import { cleanupCommands, readCleanup } from './plans/cleanup.js';
import { canRetrySplit, checkAnswer, splitConditions } from './preconditions.js';
import type { CreatedObject, PlannedCommand } from './plans/types.js';
import type { TracedRunner } from './trace.js';

/**
 * Outputs of a round, in the order of its commands (only those that ran).
 *
 * @example
 * ```ts
 * const round: RoundOutputs = roundOutputs(commands, outputs);
 * round.output('check-mounted')?.exitCode; // 0
 * ```
 */
export interface RoundOutputs {
  /** One output per command that ran. */
  readonly outputs: readonly CommandOutput[];
  /**
   * The output of the command of `step` (the first one with that step name), if it ran.
   *
   * @param step - A step name of the round.
   */
  output(step: string): CommandOutput | undefined;
}

/**
 * Runs one operation's rounds and remembers what they created, so that a failure in any later round
 * (or a problem found in their output) removes everything the operation made.
 *
 * @example
 * ```ts
 * const execution = createExecution(tracedRunner, 'createVolume', () => 'x1');
 * execution.round(plan.rounds[0].commands).andThen((round) => ...);
 * ```
 */
export interface Execution {
  /**
   * Runs `commands` in one round trip, stopping at the first failure.
   *
   * @param commands - The round.
   * @param tolerate - Steps whose failure the caller interprets itself: the round stops there and
   *   returns its outputs without cleanup.
   * @returns The outputs, or the error the failure means (after cleanup, for changes).
   */
  round(commands: readonly PlannedCommand[], tolerate?: readonly string[]): ResultAsync<RoundOutputs, GpfsError>;
  /**
   * Fails the operation after its commands succeeded (for example when their output cannot be read):
   * undoes what it made and returns `error` with the cleanup report attached where it fits.
   *
   * @param error - The error to return.
   */
  abort(error: GpfsError): ResultAsync<never, GpfsError>;
  /** Objects created so far, oldest first. */
  created(): readonly CreatedObject[];
}

/**
 * Starts an execution.
 *
 * @param runner - The operation's traced runner.
 * @param operation - Operation name, for errors.
 * @param makeTag - Makes a short unique tag for cleanup tombstones.
 * @returns A fresh execution.
 * @example
 * ```ts
 * const execution = createExecution(traceRunner(options, 'createVolume', 'unlabelled'), 'createVolume', () => 'x1');
 * ```
 */
export function createExecution(runner: TracedRunner, operation: string, makeTag: () => string): Execution {
  const created: CreatedObject[] = [];

  const cleanup = (only: (object: CreatedObject) => boolean = () => true): ResultAsync<CleanupReport, never> => {
    const objects = [...created].reverse().filter(only);
    if (objects.length === 0) return okAsync({ complete: true, removed: [], leftovers: [] });
    const commands = cleanupCommands(objects, makeTag());
    return sendRound(runner, commands, false)
      .map((outputs) => readCleanup(objects, commands, outputs))
      .orElse((error) =>
        okAsync<CleanupReport, never>({
          complete: false,
          removed: [],
          leftovers: objects.map((object) => ({ path: object.path, reason: `cleanup could not run: ${error.message}` })),
        }),
      );
  };

  const failChange = (command: PlannedCommand, output: CommandOutput): ResultAsync<never, GpfsError> => cleanup().andThen((report) => errAsync(commandFailed(operation, command, output, report)));

  const round = (commands: readonly PlannedCommand[], tolerate: readonly string[] = []): ResultAsync<RoundOutputs, GpfsError> =>
    sendRound(runner, commands, true)
      .orElse((error) => {
        // The outcome is unknown: any command of the round may have run. Work files under this
        // execution's own names are removed (safe whatever happened); anything else is left for a retry
        // or the matching delete, which can tell what is there.
        for (const command of commands) created.push(...(command.creates ?? []).filter((object) => object.exclusive === true));
        return cleanup((object) => object.exclusive === true).andThen(() => errAsync<readonly CommandOutput[], GpfsError>(error));
      })
      .andThen((outputs) => {
        const failedIndex = outputs.findIndex((output) => output.exitCode !== 0);
        const ranAll = failedIndex === -1 && outputs.length === commands.length;
        const okCount = failedIndex === -1 ? outputs.length : failedIndex;
        for (const command of commands.slice(0, okCount)) created.push(...(command.creates ?? []));
        if (ranAll) return okAsync(roundOutputs(commands, outputs));
        if (failedIndex === -1) {
          // The runner stopped early without reporting a failure: treat the first missing command as failed.
          const missing = commands[outputs.length]!;
          return failChange(missing, { argv: missing.argv, exitCode: null, signal: null, stdout: '', stderr: 'the runner did not run this command', durationMs: 0 });
        }
        const command = commands[failedIndex]!;
        const output = outputs[failedIndex]!;
        if (tolerate.includes(command.step)) return okAsync(roundOutputs(commands, outputs));
        // A failed change may have made part of what it makes (a truncate that hit ENOSPC): undo it too.
        created.push(...(command.creates ?? []));
        const check = command.check;
        if (check?.kind === 'mounted') {
          return cleanup()
            .andThen(() => diagnoseMountFailure(runner, check.path, output.stderr))
            .andThen((error) => errAsync(error));
        }
        if (check?.kind === 'all') {
          // A condition was false: send the round again with one test per condition, which stops at the
          // exact one (or goes on, when they all hold by then). Nothing before the check changed anything.
          if (canRetrySplit(commands, failedIndex, output.exitCode)) {
            return round([...commands.slice(0, failedIndex), ...splitConditions(command.step, check.conditions), ...commands.slice(failedIndex + 1)], tolerate);
          }
          return failChange(command, output);
        }
        // Only the exit code meaning "no" is an answer; any other failure of a check says nothing about the file.
        const answeredNo = checkAnswer(output) === 'no';
        if (check?.kind === 'absent' && answeredNo) return cleanup().andThen(() => errAsync(alreadyExists(check.role, check.path)));
        // A name taken between the check and the publish (another driver): the same answer as the check's.
        const claim = command.claims;
        if (claim !== undefined && /file exists/i.test(output.stderr)) return cleanup().andThen(() => errAsync(alreadyExists(claim.role, claim.path)));
        if (check?.kind === 'present' && answeredNo) return cleanup().andThen(() => errAsync(notFound(check.role, check.path)));
        return failChange(command, output);
      });

  return {
    round,
    abort(error) {
      return cleanup().andThen((report) => errAsync<never, GpfsError>(error.kind === 'CommandFailed' ? { ...error, cleanup: report } : error));
    },
    created: () => [...created],
  };
}

/**
 * Runs commands in one round trip and returns their outputs, mapping a runner error to a driver error.
 *
 * @param runner - The operation's traced runner.
 * @param commands - The commands.
 * @param stopOnFailure - Stop at the first non-zero exit.
 * @returns The outputs of the commands that ran.
 * @example
 * ```ts
 * sendRound(runner, [{ step: 'probe', argv: ['mmgetstate', '-Y'], asRoot: true }], false);
 * ```
 */
export function sendRound(runner: TracedRunner, commands: readonly PlannedCommand[], stopOnFailure: boolean): ResultAsync<readonly CommandOutput[], GpfsError> {
  const batch: BatchCommand[] = commands.map((command) => {
    const batchCommand: BatchCommand = { argv: [...command.argv], asRoot: command.asRoot };
    runner.label(batchCommand, command.step);
    return batchCommand;
  });
  return runCommands(runner, batch, { stopOnFailure })
    .map((result) => result.outputs)
    .mapErr((error): GpfsError => error);
}

/**
 * Pairs a round's outputs with its step names.
 *
 * @param commands - The round's commands.
 * @param outputs - Their outputs (those that ran).
 * @returns Lookup by step.
 * @example
 * ```ts
 * roundOutputs(commands, outputs).output('read-clone-depth')?.stdout;
 * ```
 */
export function roundOutputs(commands: readonly PlannedCommand[], outputs: readonly CommandOutput[]): RoundOutputs {
  return {
    outputs,
    output(step) {
      const index = commands.findIndex((command) => command.step === step);
      return index === -1 ? undefined : outputs[index];
    },
  };
}

// --- Internal helpers ---

function commandFailed(operation: string, command: PlannedCommand, output: CommandOutput, cleanup: CleanupReport): CommandFailedError {
  const how = output.exitCode === null ? `was killed by ${output.signal ?? 'a signal'}` : `exited ${output.exitCode}`;
  const stderr = output.stderr.trim();
  const undone =
    cleanup.removed.length === 0 && cleanup.leftovers.length === 0
      ? 'nothing had been created'
      : cleanup.complete
        ? `undone: ${[...cleanup.removed, ...cleanup.leftovers.map((leftover) => `${leftover.path} (${leftover.reason})`)].join(', ')}`
        : `cleanup incomplete, left: ${cleanup.leftovers.map((leftover) => `${leftover.path} (${leftover.reason})`).join(', ')}`;
  return {
    kind: 'CommandFailed',
    operation,
    step: command.step,
    argv: command.argv,
    exitCode: output.exitCode,
    signal: output.signal,
    stderr: output.stderr,
    cleanup,
    message: `${operation} failed at step ${command.step}: ${command.argv[0] ?? ''} ${how}${stderr === '' ? '' : ` (${stderr.split('\n')[0]})`}; ${undone}`,
  };
}
