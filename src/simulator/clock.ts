/**
 * The virtual clock: commands advance it by their cost instead of sleeping.
 *
 * @module
 */
import { err, ok } from 'neverthrow';
import type { Engine } from './engine.js';
import { resolveSimulatorOptions } from './options.js';
import type { LatencyModel } from './options-types.js';
import type { SimulatorClock } from './simulator-types.js';

/**
 * Builds the clock API over a simulator's state.
 *
 * @param engine - Simulator state (its world holds the time, the engine the latency model).
 * @returns The clock.
 */
export function createClock(engine: Engine): SimulatorClock {
  return {
    now: () => engine.world.nowMs,
    elapsedMs: () => engine.world.nowMs - engine.world.bootMs,
    advance(ms: number) {
      if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0) engine.world.nowMs += ms;
    },
    latency: () => engine.latency,
    setLatency(changes: Partial<LatencyModel>) {
      const merged = resolveSimulatorOptions({ latency: { ...engine.latency, ...changes } });
      if (merged.problems.length > 0) return err({ kind: 'SimulatorError', reason: 'InvalidOptions', message: merged.problems.join('; '), problems: merged.problems });
      engine.latency = merged.resolved.latency;
      return ok(engine.latency);
    },
  };
}
