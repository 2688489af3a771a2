/**
 * Counting round trips: a wrapper runner for tests and benchmarks.
 *
 * @module
 */
import type { ResultAsync } from 'neverthrow';
import type { RunnerError } from '../errors.js';
import type { BatchCommand, BatchOptions, BatchOutput, Command, CommandOutput, CommandRunner } from './types.js';

/** One round trip seen by {@link countRoundTrips}: a `run`, or a `runBatch` with all its commands. */
export interface RoundTrip {
  /** Which method made it. */
  readonly method: 'run' | 'runBatch';
  /** The argv of each command it carried, in order (one for `run`). */
  readonly argvs: readonly (readonly string[])[];
}

/** A runner that passes everything through to another and counts the round trips. */
export interface CountingRunner extends CommandRunner {
  /** Round trips since creation or the last {@link CountingRunner.reset}: one per `run`, one per `runBatch`. */
  readonly roundTrips: number;
  /** Each round trip, in the order they were made. */
  readonly trips: readonly RoundTrip[];
  /** The wrapped runner. */
  readonly inner: CommandRunner;
  /** Starts counting from zero again. */
  reset(): void;
  /** Runs one command through the wrapped runner (one round trip). */
  run(command: Command): ResultAsync<CommandOutput, RunnerError>;
}

/**
 * Wraps a runner so that every `run` and every `runBatch` call counts as one round trip.
 *
 * The wrapper has `runBatch` exactly when the wrapped runner has it, so `runCommands` behaves the
 * same through it (a runner without `runBatch` costs one round trip per command). Calls are counted
 * when they are made, whether or not they succeed.
 *
 * @param runner - The runner to wrap (it keeps working on its own).
 * @returns A {@link CountingRunner} with the wrapped runner's name.
 * @example
 * ```ts
 * const counted = countRoundTrips(createGpfsSimulator());
 * await createGpfsDriver({ runner: counted }).createVolume({ name: 'volume-1', sizeBytes: 2 ** 30 });
 * expect(counted.roundTrips).toBeLessThanOrEqual(2);
 * console.log(counted.trips.map((trip) => trip.argvs));
 * counted.reset();
 * ```
 */
export function countRoundTrips(runner: CommandRunner): CountingRunner {
  const trips: RoundTrip[] = [];
  const counting: CountingRunner = {
    ...(runner.name !== undefined ? { name: runner.name } : {}),
    inner: runner,
    get roundTrips() {
      return trips.length;
    },
    get trips() {
      return trips;
    },
    reset() {
      trips.length = 0;
    },
    run(command) {
      trips.push({ method: 'run', argvs: [command.argv] });
      return runner.run(command);
    },
    ...(runner.runBatch ? { runBatch: _countingBatch(runner, trips) } : {}),
    ...(runner.dispose ? { dispose: () => (runner.dispose ? runner.dispose() : Promise.resolve()) } : {}),
  };
  return counting;
}

// --- Internal helpers ---

function _countingBatch(runner: CommandRunner, trips: RoundTrip[]): (commands: readonly BatchCommand[], options?: BatchOptions) => ResultAsync<BatchOutput, RunnerError> {
  return (commands, options) => {
    trips.push({ method: 'runBatch', argvs: commands.map((command) => command.argv) });
    // Bound call: the wrapped runner's runBatch may use `this`.
    return (runner.runBatch as NonNullable<CommandRunner['runBatch']>).call(runner, commands, options);
  };
}
