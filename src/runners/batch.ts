/**
 * Running several commands with as few round trips as the runner allows.
 *
 * @module
 */
import { okAsync, type ResultAsync } from 'neverthrow';
import type { RunnerError } from '../errors.js';
import type { BatchCommand, BatchOptions, BatchOutput, CommandOutput, CommandRunner } from './types.js';

/**
 * Runs `commands` in order: in one round trip through `runner.runBatch` when the runner has it,
 * otherwise one `run` per command.
 *
 * @param runner - Any {@link CommandRunner}.
 * @param commands - Commands to run, in order.
 * @param options - `stopOnFailure` stops at the first non-zero exit.
 * @returns The outputs of the commands that ran.
 * @example
 * ```ts
 * const batch = await runCommands(runner, [{ argv: ['mmgetstate', '-Y'] }, { argv: ['mmlsconfig', 'clusterId', '-Y'] }]);
 * ```
 */
export function runCommands(runner: CommandRunner, commands: readonly BatchCommand[], options: BatchOptions = {}): ResultAsync<BatchOutput, RunnerError> {
  if (commands.length === 0) return okAsync({ outputs: [], stoppedEarly: false });
  if (runner.runBatch) return runner.runBatch(commands, options);
  return runSequentially(runner, commands, options, 0, []);
}

/**
 * Tells whether a command output ended with exit code 0.
 *
 * @param output - Output of a command that ran.
 * @returns `true` when the exit code is 0.
 */
export function succeeded(output: CommandOutput): boolean {
  return output.exitCode === 0;
}

// --- Internal helpers ---

function runSequentially(runner: CommandRunner, commands: readonly BatchCommand[], options: BatchOptions, index: number, outputs: CommandOutput[]): ResultAsync<BatchOutput, RunnerError> {
  const command = commands[index];
  if (command === undefined) return okAsync({ outputs, stoppedEarly: false });
  const withSignal = options.signal ? { ...command, signal: options.signal } : command;
  return runner.run(withSignal).andThen((output) => {
    outputs.push(output);
    if (options.stopOnFailure && !succeeded(output) && index < commands.length - 1) {
      return okAsync({ outputs, stoppedEarly: true });
    }
    return runSequentially(runner, commands, options, index + 1, outputs);
  });
}
