/**
 * Running rounds whose steps know how to undo themselves: the executor of the operations beyond the
 * seed (groups, group snapshots, moves, reverts, adoption), whose changes are not only new files but
 * filesets, links and renames.
 *
 * Each round is one round trip that stops at the first failure. When a step fails, the undo commands of
 * every step that succeeded so far (in this round and earlier ones of the same execution) run in one
 * more round trip, newest first, and the error names the failed step and what was undone. Checks map to
 * typed errors: a failed mount check to `NotMounted`/`GpfsNotActive`, an "absent" check answering "no"
 * to `AlreadyExists`, a "present" check answering "no" to `NotFound`; a check that could not be made
 * (any other exit: `checkAnswer` in `preconditions.ts`) is `CommandFailed`, never absence.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { CommandOutput } from '../runners/types.js';
import { alreadyExists, notFound, type CleanupReport, type CommandFailedError, type GpfsError, type ObjectRole } from './errors.js';
import { roundOutputs, sendRound, type RoundOutputs } from './executor.js';
import { diagnoseMountFailure } from './mount-check.js';
import type { FileCondition, PlannedCommand } from './plans/types.js';
import { canRetrySplit, checkAnswer, splitConditions } from './preconditions.js';
import type { TracedRunner } from './trace.js';

/**
 * What the failure of a checking step means.
 *
 * @example
 * ```ts
 * const expectation: StepExpectation = { kind: 'absent', role: 'volume', path: '/gpfs0/volumes/v1' };
 * ```
 */
export type StepExpectation =
  | {
      /** The directory is on a mounted GPFS (failure: `NotMounted` or `GpfsNotActive`). */
      readonly kind: 'mounted';
      /** The directory. */
      readonly path: string;
    }
  | {
      /** Every condition holds (a false one: the round is sent again with one check per condition). */
      readonly kind: 'all';
      /** The conditions, in reporting order. */
      readonly conditions: readonly FileCondition[];
    }
  | {
      /** `path` must not exist (failure: `AlreadyExists`) or must exist (failure: `NotFound`). */
      readonly kind: 'absent' | 'present';
      /** What the path is. */
      readonly role: ObjectRole;
      /** The path. */
      readonly path: string;
    };

/**
 * An undo command, with the object it takes away (for the cleanup report).
 *
 * @example
 * ```ts
 * const undo: UndoCommand = { step: 'undo', argv: ['rm', '-f', '--', '/gpfs0/v1'], asRoot: true, target: '/gpfs0/v1' };
 * ```
 */
export interface UndoCommand extends PlannedCommand {
  /** The file, fileset or link it removes or restores, as reported in {@link CleanupReport}. */
  readonly target: string;
  /**
   * Safe to run whether or not the step it undoes ran, so it runs also when that is unknown (a runner
   * error: a timeout or a lost connection): removing a name that is this execution's alone (a tagged
   * work file), or putting back a value read before the step (a file's mode). An undo that could touch
   * something that is not this execution's when the step did not run (renaming a file back) must not
   * be exclusive. @defaultValue false
   */
  readonly exclusive?: boolean;
  /**
   * Runs only if every undo before it succeeded; when one failed, the undo stops there (deleting a
   * fileset snapshot while a clone of one of its files is still there would make that clone
   * unreadable). @defaultValue false
   */
  readonly onlyAfterCleanUndo?: boolean;
}

/**
 * One step of a round.
 *
 * @example
 * ```ts
 * const step: StepCommand = {
 *   step: 'create-fileset', argv: ['mmcrfileset', 'gpfs0', 'consisgroup-g1', '--inode-space', 'new'], asRoot: true,
 *   undo: [{ step: 'undo', argv: ['mmdelfileset', 'gpfs0', 'consisgroup-g1', '-f'], asRoot: true, target: 'fileset consisgroup-g1' }],
 * };
 * ```
 */
export interface StepCommand extends PlannedCommand {
  /** For checks: what a failure means. */
  readonly expect?: StepExpectation;
  /** Commands that take back what this step did; run newest first when a later step fails. */
  readonly undo?: readonly UndoCommand[];
  /** Also run `undo` when this step itself fails (it may have done part of its work, e.g. a partial copy). */
  readonly undoIfFailed?: boolean;
}

/**
 * A sequence of rounds with undo.
 *
 * @example
 * ```ts
 * const execution = createUndoableExecution(runner, 'createGroup');
 * execution.round(steps).map((round) => round.output('link-fileset'));
 * ```
 */
export interface UndoableExecution {
  /**
   * Runs `commands` in one round trip, stopping at the first failure.
   *
   * @param commands - The round.
   * @param tolerate - Steps whose failure the caller reads itself: the round stops there, nothing is undone,
   *   and the outputs so far are returned (the caller may then call {@link UndoableExecution.abort}).
   * @returns The outputs, or the typed error after undoing everything done so far.
   */
  round(commands: readonly StepCommand[], tolerate?: readonly string[]): ResultAsync<RoundOutputs, GpfsError>;
  /**
   * Undoes everything done so far and returns `error` (a `CommandFailed` error gets the cleanup report).
   *
   * @param error - The error to return.
   */
  abort<T = never>(error: GpfsError): ResultAsync<T, GpfsError>;
  /** Forgets the undo commands recorded so far: what is done is kept whatever happens next. */
  commit(): void;
}

/**
 * Starts an execution with undo.
 *
 * @param runner - The operation's traced runner.
 * @param operation - The operation's name, for errors.
 * @returns A fresh execution.
 * @example
 * ```ts
 * const execution = createUndoableExecution(runner, 'createGroup');
 * ```
 */
export function createUndoableExecution(runner: TracedRunner, operation: string): UndoableExecution {
  let undos: UndoCommand[] = [];

  const undoAll = (): ResultAsync<CleanupReport, never> => {
    const commands = [...undos].reverse();
    undos = [];
    if (commands.length === 0) return okAsync({ complete: true, removed: [], leftovers: [] });
    return sendRound(
      runner,
      commands,
      commands.some((command) => command.onlyAfterCleanUndo === true),
    )
      .map((outputs) => cleanupReport(commands, outputs))
      .orElse((error) =>
        okAsync<CleanupReport, never>({
          complete: false,
          removed: [],
          leftovers: commands.map((command) => ({ path: command.target, reason: `undo could not run: ${error.message}` })),
        }),
      );
  };

  const execution: UndoableExecution = {
    round(commands, tolerate = []) {
      return sendRound(runner, commands, true)
        .orElse((error) => {
          // The outcome of this round is unknown: of its steps' undos, only those safe to run whether or
          // not their step ran (exclusive) run; earlier rounds are undone as usual.
          for (const command of commands) undos.push(...(command.undo ?? []).filter((undo) => undo.exclusive === true));
          return undoAll().andThen(() => errAsync<readonly CommandOutput[], GpfsError>(error));
        })
        .andThen((outputs) => {
          const failedIndex = outputs.findIndex((output) => output.exitCode !== 0);
          const okCount = failedIndex === -1 ? outputs.length : failedIndex;
          for (const command of commands.slice(0, okCount)) undos.push(...(command.undo ?? []));
          if (failedIndex === -1 && outputs.length === commands.length) return okAsync(roundOutputs(commands, outputs));
          const command = commands[okCount];
          if (command === undefined) return okAsync(roundOutputs(commands, outputs));
          const output: CommandOutput = outputs[okCount] ?? {
            argv: command.argv,
            exitCode: null,
            signal: null,
            stdout: '',
            stderr: 'the runner did not run this command',
            durationMs: 0,
          };
          if (tolerate.includes(command.step) && output.exitCode !== null) return okAsync(roundOutputs(commands, outputs));
          const expectation = command.expect;
          if (expectation?.kind === 'all' && canRetrySplit(commands, okCount, output.exitCode)) {
            // A condition of a combined check was false: send the round again with one test per condition.
            const split = splitConditions(command.step, expectation.conditions).map(fromPlanned);
            return execution.round([...commands.slice(0, okCount), ...split, ...commands.slice(okCount + 1)], tolerate);
          }
          if (command.undoIfFailed === true) undos.push(...(command.undo ?? []));
          return undoAll()
            .andThen((report) => failureError(runner, operation, command, output, report))
            .andThen((error) => errAsync<RoundOutputs, GpfsError>(error));
        });
    },
    abort<T = never>(error: GpfsError) {
      return undoAll().andThen((report) => errAsync<T, GpfsError>(error.kind === 'CommandFailed' ? { ...error, cleanup: report } : error));
    },
    commit() {
      undos = [];
    },
  };
  return execution;
}

/**
 * Makes the `CommandFailed` error of a step, in the driver's usual wording.
 *
 * @param operation - The driver operation.
 * @param command - The failed step.
 * @param output - Its output.
 * @param cleanup - What was undone.
 * @returns The error.
 * @example
 * ```ts
 * stepFailed('createGroup', command, output, { complete: true, removed: [], leftovers: [] }).message;
 * ```
 */
export function stepFailed(operation: string, command: PlannedCommand, output: CommandOutput, cleanup: CleanupReport): CommandFailedError {
  const how = output.exitCode === null ? `was killed by ${output.signal ?? 'a signal'}` : `exited ${output.exitCode}`;
  const stderr = output.stderr.trim().split('\n')[0] ?? '';
  const undone =
    cleanup.removed.length === 0 && cleanup.leftovers.length === 0
      ? 'nothing had been changed'
      : cleanup.complete
        ? `undone: ${cleanup.removed.join(', ')}`
        : `undo incomplete, left: ${cleanup.leftovers.map((leftover) => `${leftover.path} (${leftover.reason})`).join(', ')}`;
  return {
    kind: 'CommandFailed',
    operation,
    step: command.step,
    argv: command.argv,
    exitCode: output.exitCode,
    signal: output.signal,
    stderr: output.stderr,
    cleanup,
    message: `${operation} failed at step ${command.step}: ${command.argv[0] ?? ''} ${how}${stderr === '' ? '' : ` (${stderr})`}; ${undone}`,
  };
}

/**
 * Converts a core plan's command (with `check` and `creates`) into a step with the same meaning.
 *
 * @param command - A planned command.
 * @returns The step: checks keep their meaning, created files are removed on undo.
 * @example
 * ```ts
 * fromPlanned({ step: 'create-sparse-file', argv: ['truncate', '-s', '1G', '/gpfs0/v1'], asRoot: true, creates: [{ path: '/gpfs0/v1', dispose: 'remove' }] });
 * ```
 */
export function fromPlanned(command: PlannedCommand): StepCommand {
  const { check, creates, ...rest } = command;
  const undo = (creates ?? []).map((object): UndoCommand => removeFile(object.path, object.exclusive === true));
  return {
    ...rest,
    ...(check === undefined ? {} : { expect: check }),
    ...(undo.length === 0 ? {} : { undo, undoIfFailed: true }),
  };
}

/**
 * The undo of a file this operation created under a name it checked was free: `rm -f -- <path>`.
 *
 * @param path - The file.
 * @param exclusive - The name is this execution's alone (a tagged work file): see {@link UndoCommand.exclusive}.
 * @returns The undo command.
 * @example
 * ```ts
 * removeFile('/gpfs0/volumes/.tmp.move.k3x1').argv; // ['rm', '-f', '--', '/gpfs0/volumes/.tmp.move.k3x1']
 * ```
 */
export function removeFile(path: string, exclusive = false): UndoCommand {
  return { step: 'undo', argv: ['rm', '-f', '--', path], asRoot: true, target: path, ...(exclusive ? { exclusive } : {}) };
}

// --- Internal helpers ---

function failureError(runner: TracedRunner, operation: string, command: StepCommand, output: CommandOutput, report: CleanupReport): ResultAsync<GpfsError, never> {
  const expectation = command.expect;
  if (expectation?.kind === 'mounted') return diagnoseMountFailure(runner, expectation.path, output.stderr);
  // Only the exit code meaning "no" is an answer; any other failure of a check says nothing about the path.
  const answeredNo = checkAnswer(output) === 'no';
  if (expectation?.kind === 'absent' && answeredNo) return okAsync(alreadyExists(expectation.role, expectation.path));
  if (expectation?.kind === 'present' && answeredNo) return okAsync(notFound(expectation.role, expectation.path));
  // A name taken between the check and the publish (another driver): the same answer as the check's.
  const claim = command.claims;
  if (claim !== undefined && /file exists/i.test(output.stderr)) return okAsync(alreadyExists(claim.role, claim.path));
  return okAsync(stepFailed(operation, command, output, report));
}

function cleanupReport(commands: readonly UndoCommand[], outputs: readonly CommandOutput[]): CleanupReport {
  const removed: string[] = [];
  const leftovers: { path: string; reason: string }[] = [];
  commands.forEach((command, index) => {
    const output = outputs[index];
    if (output?.exitCode === 0) removed.push(command.target);
    else {
      const stderr = output?.stderr.trim().split('\n')[0] ?? 'did not run';
      leftovers.push({ path: command.target, reason: `${command.argv[0] ?? 'undo'} failed: ${stderr}` });
    }
  });
  return { complete: leftovers.length === 0, removed, leftovers };
}
