/**
 * Small readers for round outputs shared by the operations.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { CommandOutput } from '../../runners/types.js';
import { commandFailedFrom, type CommandFailedError } from '../errors.js';
import type { RoundOutputs } from '../executor.js';

/**
 * The output of `step` when it ran and exited 0; otherwise a `CommandFailed` error naming the step.
 *
 * @param operation - The driver operation, for the error.
 * @param round - The round's outputs.
 * @param step - The step wanted.
 * @returns The output or the error.
 * @example
 * ```ts
 * succeededOutput('setup', round, 'cluster-id').map((output) => output.stdout);
 * ```
 */
export function succeededOutput(operation: string, round: RoundOutputs, step: string): Result<CommandOutput, CommandFailedError> {
  const output = round.output(step);
  if (output !== undefined && output.exitCode === 0) return ok(output);
  const stderr = output?.stderr.trim() ?? '';
  return err(
    commandFailedFrom(
      operation,
      step,
      output,
      output === undefined
        ? `${operation}: step ${step} did not run`
        : `${operation} failed at step ${step}: ${output.argv[0] ?? ''} exited ${output.exitCode ?? output.signal ?? '?'}${stderr === '' ? '' : ` (${stderr.split('\n')[0]})`}`,
    ),
  );
}
