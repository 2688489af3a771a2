/**
 * The public shape of a simulator.
 *
 * @module
 */
import type { ResultAsync, Result } from 'neverthrow';
import type { RunnerError } from '../errors.js';
import type { BatchCommand, BatchOptions, BatchOutput, Command, CommandOutput, CommandRunner } from '../runners/types.js';
import type { SimulatorCommandLog } from './command-log.js';
import type { SimulatorControl } from './control.js';
import type { SimulatorFaults } from './faults.js';
import type { SimulatorInspector } from './inspect-types.js';
import type { LatencyModel } from './options-types.js';
import type { SimulatorError } from './simulator-error.js';

/** The virtual clock and latency model of a simulator. */
export interface SimulatorClock {
  /** Virtual now, in milliseconds since the Unix epoch. */
  now(): number;
  /** Virtual milliseconds since the simulator started. */
  elapsedMs(): number;
  /**
   * Moves the clock forward (for example to age files).
   *
   * @param ms - Non-negative milliseconds.
   */
  advance(ms: number): void;
  /** The current latency model. */
  latency(): LatencyModel;
  /**
   * Changes the latency model (fields not given keep their value).
   *
   * @param changes - New costs.
   * @returns `InvalidOptions` for negative or non-numeric costs.
   */
  setLatency(changes: Partial<LatencyModel>): Result<LatencyModel, SimulatorError>;
}

/** Counters of a simulator. */
export interface SimulatorStats {
  /** Commands received (including those in batches). */
  readonly commands: number;
  /** Round trips: one per `run`, one per `runBatch`. */
  readonly roundTrips: number;
  /** Virtual milliseconds since the simulator started. */
  readonly elapsedMs: number;
}

/**
 * An in-memory IBM Storage Scale cluster that is itself a {@link CommandRunner}, with control,
 * inspection, fault-injection, clock and log APIs.
 */
export interface GpfsSimulator extends CommandRunner {
  /** Always `'simulator'`. */
  readonly name: 'simulator';
  /**
   * Runs one command against the simulated cluster (one round trip).
   *
   * @param command - argv, asRoot, stdin, stdoutSink, timeoutMs, signal.
   * @returns The output whatever the exit code; `Err` for timeouts, aborts, invalid argv and injected runner errors.
   */
  run(command: Command): ResultAsync<CommandOutput, RunnerError>;
  /**
   * Runs several commands in one round trip.
   *
   * @param commands - Commands in order.
   * @param options - `stopOnFailure`, a whole-batch `signal` and `timeoutMs`.
   * @returns One output per command that ran.
   */
  runBatch(commands: readonly BatchCommand[], options?: BatchOptions): ResultAsync<BatchOutput, RunnerError>;
  /** Does nothing (there is nothing to release); present for the runner contract. */
  dispose(): Promise<void>;
  /** Mount, unmount, node states, seeding. */
  readonly control: SimulatorControl;
  /** Files, clone forest, content, digests, state snapshots. */
  readonly inspect: SimulatorInspector;
  /** Injected failures. */
  readonly faults: SimulatorFaults;
  /** Virtual clock and latency model. */
  readonly clock: SimulatorClock;
  /** Every command received, with exit code and virtual duration. */
  readonly log: SimulatorCommandLog;
  /** Problems found in the options given to {@link createGpfsSimulator} (defaults were used instead). */
  readonly optionProblems: readonly string[];
  /** Command and round-trip counters. */
  stats(): SimulatorStats;
}
