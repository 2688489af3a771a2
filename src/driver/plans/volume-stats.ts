/**
 * The volume-stats plan and reader: one round trip, read-only, run to its end. Capacity is zero when
 * the base is not on a mounted GPFS (so a scheduler places volumes elsewhere; upstream bug 1246779):
 * `df` of an unmounted mount point would report the local disk.
 *
 * @module
 */
import { parseDf } from '../../parsers/df.js';
import { parseMmlsconfig } from '../../parsers/mmlsconfig.js';
import type { RoundOutputs } from '../executor.js';
import type { ClusterFacts } from '../facts.js';
import type { ResolvedOptions } from '../options.js';
import { GIB_BYTES } from './commands.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * The version this driver reports in its stats.
 *
 * @example
 * ```ts
 * (await driver.getVolumeStats())._unsafeUnwrap().driverVersion === DRIVER_VERSION; // true
 * ```
 */
export const DRIVER_VERSION = '2.0.0';

/**
 * Backend capabilities and capacity, as Cinder's `get_volume_stats` reports them.
 *
 * @example
 * ```ts
 * const stats = (await driver.getVolumeStats({ refresh: true }))._unsafeUnwrap();
 * console.log(stats.freeCapacityGiB, stats.locationInfo);
 * ```
 */
export interface VolumeStats {
  /** `backendName` (default `'GPFS'`). */
  readonly volumeBackendName: string;
  /** Always `'IBM'`. */
  readonly vendorName: 'IBM';
  /** This driver's version. */
  readonly driverVersion: string;
  /** Always `'file'`. */
  readonly storageProtocol: 'file';
  /** File system size in GiB, rounded up; 0 when not mounted. */
  readonly totalCapacityGiB: number;
  /** Free space in GiB, rounded up; 0 when not mounted. */
  readonly freeCapacityGiB: number;
  /** Always 0. */
  readonly reservedPercentage: 0;
  /** Always `false`. */
  readonly qosSupport: false;
  /** The storage pool volumes go to. */
  readonly storagePool: string;
  /** `GPFSDriver:<clusterId>:<mountPointBase>`, or `null` when the cluster id could not be read. */
  readonly locationInfo: string | null;
  /** Encryption at rest, or `null` when unknown (cluster below 1404, or setup has not run). */
  readonly encryptionAtRest: boolean | null;
  /** Whether the base was on a mounted GPFS when the stats were taken. */
  readonly mounted: boolean;
}

/**
 * The stats round: the cluster id when it is not cached, and `df -P -B 1 -t gpfs` of the base, which is
 * both the mount check (it exits non-zero unless the base is on a mounted GPFS) and the capacity.
 *
 * @param options - Resolved driver options.
 * @param facts - Cached facts, if any.
 * @returns The commands.
 * @example
 * ```ts
 * volumeStatsCommands(options, null).map((c) => c.argv.join(' '));
 * // ['mmlsconfig clusterId -Y', 'df -P -B 1 -t gpfs /gpfs0']
 * ```
 */
export function volumeStatsCommands(options: ResolvedOptions, facts: ClusterFacts | null): PlannedCommand[] {
  return [
    ...(facts === null ? [{ step: 'cluster-id', argv: ['mmlsconfig', 'clusterId', '-Y'], asRoot: true }] : []),
    { step: 'capacity', argv: ['df', '-P', '-B', '1', '-t', 'gpfs', options.mountPointBase], asRoot: true },
  ];
}

/**
 * The stats plan as a dry run.
 *
 * @param options - Resolved driver options.
 * @param facts - Cached facts, if any.
 * @returns The plan.
 * @example
 * ```ts
 * planVolumeStats(options, null).rounds.length; // 1
 * ```
 */
export function planVolumeStats(options: ResolvedOptions, facts: ClusterFacts | null): OperationPlan {
  return { operation: 'getVolumeStats', rounds: [{ commands: volumeStatsCommands(options, facts) }] };
}

/**
 * Reads the stats round.
 *
 * @param options - Resolved driver options.
 * @param facts - Cached facts, if any.
 * @param round - The round's outputs.
 * @returns The stats (never an error: what cannot be read is reported as zero or `null`).
 * @example
 * ```ts
 * readVolumeStats(options, facts, round).totalCapacityGiB;
 * ```
 */
export function readVolumeStats(options: ResolvedOptions, facts: ClusterFacts | null, round: RoundOutputs): VolumeStats {
  const capacity = round.output('capacity');
  const mounted = capacity?.exitCode === 0;
  let totalBytes = 0;
  let availableBytes = 0;
  if (mounted) {
    const row = parseDf(capacity.stdout)
      .map((rows) => rows[rows.length - 1])
      .unwrapOr(undefined);
    totalBytes = row?.totalBytes ?? 0;
    availableBytes = row?.availableBytes ?? 0;
  }
  const clusterId = facts?.clusterId ?? readClusterId(round);
  return {
    volumeBackendName: options.backendName,
    vendorName: 'IBM',
    driverVersion: DRIVER_VERSION,
    storageProtocol: 'file',
    totalCapacityGiB: Math.ceil(totalBytes / GIB_BYTES),
    freeCapacityGiB: Math.ceil(availableBytes / GIB_BYTES),
    reservedPercentage: 0,
    qosSupport: false,
    storagePool: options.storagePool,
    locationInfo: clusterId === null ? null : `GPFSDriver:${clusterId}:${options.mountPointBase}`,
    encryptionAtRest: facts?.encryption ?? null,
    mounted,
  };
}

// --- Internal helpers ---

function readClusterId(round: RoundOutputs): string | null {
  const output = round.output('cluster-id');
  if (output?.exitCode !== 0) return null;
  const entries = parseMmlsconfig(output.stdout).unwrapOr([]);
  const value = entries[0]?.value;
  return value === undefined || value === '' ? null : value;
}
