/**
 * `createGpfsSimulator`: wires the model, the runner and the control, inspection, fault, clock and
 * log APIs together.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import { CommandLog } from './command-log.js';
import { createControl } from './control.js';
import { createInspector } from './inspect.js';
import type { Engine } from './engine.js';
import { createClock } from './clock.js';
import { FaultRegistry } from './faults.js';
import { createWorld } from './model/world.js';
import type { World } from './model/types.js';
import { resolveSimulatorOptions, type ResolvedOptions } from './options.js';
import type { SimulatorOptions } from './options-types.js';
import { runMany, runOne, RUNNER_NAME, type RunnerCounters } from './runner.js';
import type { SimulatorError } from './simulator-error.js';
import type { GpfsSimulator } from './simulator-types.js';

/**
 * Creates an in-memory IBM Storage Scale cluster that answers commands the way real GPFS and
 * coreutils do. Never throws: invalid options are replaced by their defaults and listed in
 * `sim.optionProblems` (use {@link tryCreateGpfsSimulator} to refuse them instead).
 *
 * Commands run without `asRoot` run as the unprivileged user `sim` (uid 1000): GPFS administration
 * commands then exit 126 with `<argv0>: Permission denied` (as for a mode-0700 program), except
 * `mmlsattr`, `mmchattr` and `mmclone`, which ordinary users may run; file commands check the mode
 * bits (for example writing into the root-owned `/gpfs0` fails with `Permission denied`).
 *
 * @param options - Cluster, file systems, latency model. @defaultValue one active node and `gpfs0` at `/gpfs0`
 * @returns The simulator.
 * @example
 * ```ts
 * const sim = createGpfsSimulator();
 * const state = await sim.run({ argv: ['mmgetstate', '-Y'], asRoot: true });
 * await sim.run({ argv: ['truncate', '-s', '1G', '/gpfs0/volume-1'], asRoot: true });
 * sim.inspect.file('/gpfs0/volume-1'); // Ok({ sizeBytes: 1073741824, allocatedBytes: 0, ... })
 * ```
 */
export function createGpfsSimulator(options?: SimulatorOptions): GpfsSimulator {
  const { resolved, problems } = resolveSimulatorOptions(options);
  return assemble(resolved, problems, createWorld(resolved));
}

/**
 * Like {@link createGpfsSimulator}, but refuses invalid options.
 *
 * @param options - Simulator options.
 * @returns The simulator, or `InvalidOptions` listing every problem.
 * @example
 * ```ts
 * const result = tryCreateGpfsSimulator({ filesystems: [{ device: 'gpfs1', mountPoint: '/gpfs1', blockSizeBytes: 3 }] });
 * // Err({ kind: 'SimulatorError', reason: 'InvalidOptions', problems: ['filesystems[0].blockSizeBytes must be ...'] })
 * ```
 */
export function tryCreateGpfsSimulator(options?: SimulatorOptions): Result<GpfsSimulator, SimulatorError> {
  const { resolved, problems } = resolveSimulatorOptions(options);
  if (problems.length > 0) return err({ kind: 'SimulatorError', reason: 'InvalidOptions', message: `invalid simulator options: ${problems.join('; ')}`, problems });
  return ok(assemble(resolved, [], createWorld(resolved)));
}

/**
 * Builds a simulator around an existing world (used when loading persisted state).
 *
 * @internal
 */
export function assemble(resolved: ResolvedOptions, problems: readonly string[], world: World, counters: RunnerCounters = { commands: 0, roundTrips: 0 }): InternalSimulator {
  const engine: Engine = { world, latency: resolved.latency, cwd: resolved.cwd, internalErrors: [] };
  const faults = new FaultRegistry();
  const log = new CommandLog(resolved.commandLogLimit);
  const parts = { engine, faults, log, counters };
  const simulator: InternalSimulator = {
    name: RUNNER_NAME,
    run: (command) => runOne(parts, command),
    runBatch: (commands, batchOptions) => runMany(parts, commands, batchOptions),
    dispose: () => Promise.resolve(),
    control: createControl(engine),
    inspect: createInspector(engine),
    faults,
    log,
    optionProblems: [...problems],
    clock: createClock(engine),
    stats: () => ({ commands: counters.commands, roundTrips: counters.roundTrips, elapsedMs: engine.world.nowMs - engine.world.bootMs }),
    [ENGINE]: engine,
    [COUNTERS]: counters,
    [PARTS]: { faults, log, resolved },
  };
  return simulator;
}

/** A simulator with the internals persistence needs. @internal */
export type InternalSimulator = GpfsSimulator & {
  readonly [ENGINE]: Engine;
  readonly [COUNTERS]: RunnerCounters;
  readonly [PARTS]: { readonly faults: FaultRegistry; readonly log: CommandLog; readonly resolved: ResolvedOptions };
};

/** Key of a simulator's fault registry, log and options (for persistence in the CLI). @internal */
export const PARTS: unique symbol = Symbol('gpfs-sim parts');
/** Key of a simulator's engine (for persistence in the CLI). @internal */
export const ENGINE: unique symbol = Symbol('gpfs-sim engine');
/** Key of a simulator's counters (for persistence in the CLI). @internal */
export const COUNTERS: unique symbol = Symbol('gpfs-sim counters');
