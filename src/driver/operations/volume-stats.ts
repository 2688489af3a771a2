/**
 * getVolumeStats: capacity, location and capabilities; one round trip, cached until `refresh`.
 *
 * @module
 */
import { okAsync, type ResultAsync } from 'neverthrow';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { roundOutputs, sendRound } from '../executor.js';
import { readVolumeStats, volumeStatsCommands, type VolumeStats } from '../plans/volume-stats.js';
import type { TracedRunner } from '../trace.js';

/**
 * Returns the cached stats, or takes them when `refresh` is set or none are cached. Never needs setup:
 * the cluster id is read in the same round trip when it is not cached. An unmounted base reports zero
 * capacity instead of failing.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param refresh - Take fresh stats.
 * @returns The stats.
 * @example
 * ```ts
 * getVolumeStats(context, runner, true).map((stats) => stats.freeCapacityGiB);
 * ```
 */
export function getVolumeStats(context: DriverContext, runner: TracedRunner, refresh: boolean): ResultAsync<VolumeStats, GpfsError> {
  if (!refresh && context.stats !== null) return okAsync(context.stats);
  const facts = context.facts.current();
  const commands = volumeStatsCommands(context.options, facts);
  return sendRound(runner, commands, false).map((outputs) => {
    const stats = readVolumeStats(context.options, facts, roundOutputs(commands, outputs));
    context.stats = stats;
    return stats;
  });
}
