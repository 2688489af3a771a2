/**
 * A per-operation runner wrapper: counts the operation's round trips and reports every command to
 * `onCommand` and the logger, whoever sent it (the executor or the clone-deletion executor).
 *
 * @module
 */
import type { BatchCommand, BatchOptions, Command, CommandOutput, CommandRunner } from '../runners/types.js';
import type { CommandEvent, ResolvedOptions } from './options.js';

/**
 * A runner that traces one driver operation.
 *
 * @example
 * ```ts
 * const runner: TracedRunner = traceRunner(options, 'createVolume', 'unlabelled');
 * runner.roundTrips(); // 0
 * ```
 */
export interface TracedRunner extends CommandRunner {
  /** Round trips made so far through this wrapper. */
  roundTrips(): number;
  /**
   * Records the step name of a command object about to be sent, for the events it produces.
   *
   * @param command - The object that will be passed to `run` or `runBatch`.
   * @param step - Its step name.
   */
  label(command: BatchCommand, step: string): void;
}

/**
 * Wraps `options.runner` for one operation.
 *
 * @param options - Resolved driver options (runner, logger, onCommand).
 * @param operation - The operation's name, put in every event.
 * @param defaultStep - Step name for commands nobody labelled (e.g. `'clone-tree'`).
 * @returns The traced runner.
 * @example
 * ```ts
 * const runner = traceRunner(options, 'createVolume', 'unlabelled');
 * ```
 */
export function traceRunner(options: ResolvedOptions, operation: string, defaultStep: string): TracedRunner {
  const inner = options.runner;
  const steps = new WeakMap<object, string>();
  let roundTrips = 0;

  const emit = (command: BatchCommand | Command, output: CommandOutput, roundTrip: number): void => {
    const event: CommandEvent = {
      operation,
      step: steps.get(command) ?? defaultStep,
      argv: output.argv,
      asRoot: command.asRoot === true,
      exitCode: output.exitCode,
      signal: output.signal,
      stderr: output.stderr,
      durationMs: output.durationMs,
      roundTrip,
    };
    safely(() => options.logger.debug?.(`[gpfs] ${operation} ${event.step}: ${output.argv.join(' ')} -> ${output.exitCode ?? output.signal}`, { ...event }));
    if (options.onCommand) {
      const onCommand = options.onCommand;
      safely(() => onCommand(event));
    }
  };

  const traced: TracedRunner = {
    name: inner.name ?? 'runner',
    run(command: Command) {
      roundTrips += 1;
      const roundTrip = roundTrips;
      return inner
        .run(command)
        .map((output) => {
          emit(command, output, roundTrip);
          return output;
        })
        .mapErr((error) => ({ ...error, operation }));
    },
    roundTrips: () => roundTrips,
    label(command, step) {
      steps.set(command, step);
    },
  };
  if (inner.runBatch) {
    const runBatch = inner.runBatch.bind(inner);
    traced.runBatch = (commands: readonly BatchCommand[], batchOptions?: BatchOptions) => {
      roundTrips += 1;
      const roundTrip = roundTrips;
      return runBatch(commands, batchOptions)
        .map((batch) => {
          batch.outputs.forEach((output, index) => {
            const command = commands[index];
            if (command !== undefined) emit(command, output, roundTrip);
          });
          return batch;
        })
        .mapErr((error) => ({ ...error, operation }));
    };
  }
  return traced;
}

// --- Internal helpers ---

function safely(callback: () => void): void {
  try {
    callback();
  } catch {
    // A tracing hook must never break the operation it observes.
  }
}
