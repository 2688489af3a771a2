/**
 * The migrateVolume plan (the seed's _migrate_volume and _can_migrate_locally).
 *
 * The destination's location info `GPFSDriver:<clusterId>:<path>` (or `GPFSNFSDriver:...`, as upstream
 * allows) must name this cluster. The same path as `mountPointBase` needs no work. Any other path must be
 * listed in `migrationDirectories`: the driver never touches a directory it was not configured with, so
 * an unlisted destination is "not migrated" and the caller falls back to a generic migration. Then two
 * round trips: checks (the destination is a directory on a mounted GPFS, in the base's file system and
 * fileset, so that `mv` is a rename and never a copy; nothing is in the way), and `mv -T`.
 *
 * @module
 */
import { ok, type Result } from 'neverthrow';
import type { GpfsError } from '../errors.js';
import type { MigrationHost, MigrationResult } from '../migration-types.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import type { VolumeRef } from '../types.js';
import { checkAbsent, checkPresent } from './commands.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * Location-info types whose path is a GPFS directory this driver can move files into (upstream's list).
 *
 * @example
 * ```ts
 * MIGRATION_DRIVER_TYPES.includes('GPFSDriver'); // true
 * ```
 */
export const MIGRATION_DRIVER_TYPES: readonly string[] = ['GPFSDriver', 'GPFSNFSDriver'];

/**
 * Probe steps whose failure means "not migrated" rather than an error.
 *
 * @example
 * ```ts
 * execution.round(plan.first, MIGRATION_PROBE_TOLERATED);
 * ```
 */
export const MIGRATION_PROBE_TOLERATED: readonly string[] = ['destination-is-directory', 'destination-attributes'];

/**
 * A migration that needs commands.
 *
 * @example
 * ```ts
 * const plan: MigrationPlan = planMigrateVolume(options, '1388...', { name: 'v1' }, host)._unsafeUnwrap() as MigrationPlan;
 * plan.destinationPath; // '/gpfs0/b/v1'
 * ```
 */
export interface MigrationPlan extends OperationPlan {
  /** The volume now. */
  readonly path: string;
  /** The destination directory (from the location info). */
  readonly destinationDirectory: string;
  /** The volume's file after the move. */
  readonly destinationPath: string;
  /** Checks. */
  readonly first: readonly PlannedCommand[];
  /** The move. */
  readonly move: PlannedCommand;
}

/**
 * Plans migrateVolume: either a decision that needs no command (a {@link MigrationResult}) or the commands.
 *
 * @param options - Resolved driver options.
 * @param clusterId - This cluster's id, or `null` before setup (the dry run then skips that check).
 * @param volume - The volume.
 * @param host - The destination.
 * @returns The decision or plan, or `InvalidName`.
 * @example
 * ```ts
 * planMigrateVolume(options, '13882361916354541312', { name: 'v1' }, { host: 'b', capabilities: { locationInfo: 'GPFSDriver:13882361916354541312:/gpfs0/b' } });
 * ```
 */
export function planMigrateVolume(options: ResolvedOptions, clusterId: string | null, volume: VolumeRef, host: MigrationHost): Result<MigrationPlan | MigrationResult, GpfsError> {
  return validateName(volume.name, 'volume').andThen((name): Result<MigrationPlan | MigrationResult, GpfsError> => {
    const path = pathIn(options.mountPointBase, name);
    const no = (reason: MigrationResult['reason'], message: string): Result<MigrationResult, never> => ok({ migrated: false, reason, path: null, message });
    const info: unknown = host?.capabilities?.locationInfo;
    if (typeof info !== 'string' || info === '') return no('NoLocationInfo', 'the destination reports no location info: use a generic migration');
    const fields = info.split(':');
    const [type, id, directory] = fields;
    if (fields.length !== 3 || type === undefined || id === undefined || directory === undefined || !isNormalDirectory(directory)) {
      return no('UnexpectedLocationInfo', `unexpected location info ${JSON.stringify(info)} (want <type>:<clusterId>:<absolute path>)`);
    }
    if (!MIGRATION_DRIVER_TYPES.includes(type)) return no('DifferentDriver', `the destination is a ${type} backend`);
    if (clusterId !== null && id !== clusterId) return no('DifferentCluster', `the destination is in GPFS cluster ${id}, not ${clusterId}`);
    if (directory === options.mountPointBase) return ok<MigrationResult, never>({ migrated: true, reason: 'SameLocation', path, message: `${path} is already where the destination keeps volumes` });
    if (!options.migrationDirectories.includes(directory)) {
      return no(
        'DestinationNotAllowed',
        `${directory} is not in migrationDirectories (${options.migrationDirectories.join(', ') || 'empty'}); the driver only moves volumes into configured directories`,
      );
    }
    const destinationPath = pathIn(directory, name);
    const first: PlannedCommand[] = [
      mountCheck(options.mountPointBase),
      checkPresent('check-volume', 'volume', path),
      { step: 'destination-is-directory', argv: ['test', '-d', directory], asRoot: true },
      { step: 'destination-attributes', argv: ['mmlsattr', '-L', directory], asRoot: true },
      { step: 'destination-device', argv: ['df', '-P', '-B', '1', directory], asRoot: true },
      checkAbsent('check-destination-absent', 'volume', destinationPath),
    ];
    const move: PlannedCommand = { step: 'move', argv: ['mv', '-T', '--', path, destinationPath], asRoot: true };
    const plan: MigrationPlan = {
      operation: 'migrateVolume',
      path,
      destinationDirectory: directory,
      destinationPath,
      first,
      move,
      rounds: [{ commands: first }, { commands: [move], condition: "when the destination is a directory in the base's file system and fileset" }],
    };
    return ok<MigrationPlan, never>(plan);
  });
}

/**
 * Tells a plan from a decision.
 *
 * @param planned - What {@link planMigrateVolume} returned.
 * @returns `true` for a plan that needs commands.
 * @example
 * ```ts
 * if (isMigrationPlan(planned)) run(planned.first);
 * ```
 */
export function isMigrationPlan(planned: MigrationPlan | MigrationResult): planned is MigrationPlan {
  return 'destinationPath' in planned;
}

/**
 * Checks that a location-info path is an absolute, normalised directory without control characters.
 *
 * @param path - Candidate.
 * @returns Whether it can be used.
 * @example
 * ```ts
 * isNormalDirectory('/gpfs0/b');    // true
 * isNormalDirectory('/gpfs0/../x'); // false
 * ```
 */
export function isNormalDirectory(path: string): boolean {
  if (!path.startsWith('/') || path === '/' || path.endsWith('/') || /[\u0000-\u001f\u007f]/.test(path)) return false;
  return path
    .split('/')
    .slice(1)
    .every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * A decision as an `Err`-free result, for callers that want one type.
 *
 * @param reason - Why not.
 * @param message - For people.
 * @returns A "not migrated" result.
 * @example
 * ```ts
 * notMigrated('DestinationNotOnGpfs', '/gpfs1/b is not on GPFS');
 * ```
 */
export function notMigrated(reason: MigrationResult['reason'], message: string): MigrationResult {
  return { migrated: false, reason, path: null, message };
}
