/**
 * migrateVolume: move a volume file to another backend's directory of the same GPFS file system and
 * fileset (a rename), or say why not so that the caller migrates generically. Two round trips.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { parseDf } from '../../parsers/df.js';
import { parseMmlsattr } from '../../parsers/mmlsattr.js';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { createExecution } from '../executor.js';
import type { ClusterFacts } from '../facts.js';
import type { MigrationHost, MigrationResult } from '../migration-types.js';
import { readCheck } from '../preconditions.js';
import { isMigrationPlan, MIGRATION_PROBE_TOLERATED, notMigrated, planMigrateVolume, type MigrationPlan } from '../plans/migrate.js';
import type { TracedRunner } from '../trace.js';
import type { VolumeRef } from '../types.js';

/**
 * Migrates a volume within the cluster when the destination allows it (see `plans/migrate.ts`).
 * The volume's clone parents stay where they are; deleting the volume from the destination finds them
 * when the destination driver lists this driver's directory in its `migrationDirectories`.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param volume - The volume.
 * @param host - The destination backend.
 * @returns Whether it was migrated, and why.
 * @example
 * ```ts
 * migrateVolume(context, runner, { name: 'v1' }, { host: 'b', capabilities: { locationInfo: 'GPFSDriver:1388...:/gpfs0/b' } });
 * ```
 */
export function migrateVolume(context: DriverContext, runner: TracedRunner, volume: VolumeRef, host: MigrationHost): ResultAsync<MigrationResult, GpfsError> {
  // Validated before anything runs, the lazy setup included (the cluster id only decides the answer).
  const early = planMigrateVolume(context.options, context.facts.current()?.clusterId ?? null, volume, host);
  if (early.isErr()) return errAsync(early.error);
  return context.ensureFacts(runner).andThen((facts) => {
    const planned = planMigrateVolume(context.options, facts.clusterId, volume, host);
    if (planned.isErr()) return errAsync(planned.error);
    const plan = planned.value;
    if (!isMigrationPlan(plan)) return okAsync(plan);
    return context.locks.withLocks([plan.path, plan.destinationPath], () => runMigration(context, runner, facts, plan));
  });
}

/**
 * Runs a migration plan; the caller holds the locks of both paths.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param facts - The cluster facts (the base's device and fileset).
 * @param plan - The plan.
 * @returns Whether it was migrated, and why.
 * @example
 * ```ts
 * context.locks.withLocks([plan.path, plan.destinationPath], () => runMigration(context, runner, facts, plan));
 * ```
 */
export function runMigration(context: DriverContext, runner: TracedRunner, facts: ClusterFacts, plan: MigrationPlan): ResultAsync<MigrationResult, GpfsError> {
  const execution = createExecution(runner, 'migrateVolume', context.makeTag);
  const directory = plan.destinationDirectory;
  return execution.round(plan.first, MIGRATION_PROBE_TOLERATED).andThen((round) => {
    const isDirectory = readCheck('migrateVolume', 'destination-is-directory', round.output('destination-is-directory'));
    if (isDirectory.isErr()) return execution.abort(isDirectory.error);
    if (!isDirectory.value) return okAsync(notMigrated('DestinationNotADirectory', `${directory} is not a directory`));
    const attributes = round.output('destination-attributes');
    if (attributes?.exitCode !== 0) {
      return okAsync(notMigrated('DestinationNotOnGpfs', `${directory} is not on a mounted GPFS file system (${(attributes?.stderr ?? '').trim().split('\n')[0] ?? ''})`));
    }
    const fileset = parseMmlsattr(attributes.stdout).map((records) => records[0]?.filesetName ?? '');
    if (fileset.isErr()) return errAsync<MigrationResult, GpfsError>(fileset.error);
    const df = parseDf(round.output('destination-device')?.stdout ?? '');
    if (df.isErr()) return errAsync<MigrationResult, GpfsError>(df.error);
    const device = (df.value[0]?.filesystem ?? '').replace(/^\/dev\//, '');
    if (device !== facts.base.device) {
      return okAsync(notMigrated('DifferentFilesystem', `${directory} is in file system ${device}, not ${facts.base.device}: mv would copy the data`));
    }
    if (fileset.value !== facts.base.fileset) {
      return okAsync(notMigrated('DifferentFileset', `${directory} is in fileset ${fileset.value}, not ${facts.base.fileset}: mv would copy the data`));
    }
    return execution.round([plan.move], [plan.move.step]).map((moved): MigrationResult => {
      const output = moved.output(plan.move.step);
      if (output?.exitCode === 0) return { migrated: true, reason: 'Moved', path: plan.destinationPath, message: `moved ${plan.path} to ${plan.destinationPath}` };
      const stderr = (output?.stderr ?? '').trim().split('\n')[0] ?? '';
      try {
        context.options.logger.warn?.(`[gpfs] migrateVolume: mv ${plan.path} ${plan.destinationPath} failed: ${stderr}`);
      } catch {
        // Logging must never break an operation.
      }
      return notMigrated('MoveFailed', `mv ${plan.path} ${plan.destinationPath} failed (${stderr}); nothing was moved`);
    });
  });
}
