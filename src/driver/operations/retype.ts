/**
 * retype: change a volume's storage pool in place (one round trip) and, when its host changes, migrate
 * it (two more); anything else is left to the caller's migration-based retype.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { createExecution } from '../executor.js';
import type { ClusterFacts } from '../facts.js';
import type { MigrationHost, MigrationResult, RetypeDiff, RetypeResult, RetypeVolume } from '../migration-types.js';
import { isMigrationPlan } from '../plans/migrate.js';
import { planRetype, type RetypePlan } from '../plans/retype.js';
import type { TracedRunner } from '../trace.js';
import { runMigration } from './migrate-volume.js';

/**
 * Retypes a volume. A pool that does not exist is `InvalidStoragePool` (nothing changed); an
 * `mmchattr -P` that fails is `retyped: false` (the caller migrates instead), and then no migration is
 * attempted, so a `true` answer always means the whole new type is in place.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param volume - The volume and the host it is on.
 * @param diff - The extra-spec differences between the types.
 * @param host - The destination backend (the same host for a pool-only retype).
 * @returns What was changed.
 * @example
 * ```ts
 * retype(context, runner, { name: 'v1', host: 'a' }, { extraSpecs: { 'capabilities:storage_pool': ['system', 'fast'] } }, { host: 'a', capabilities: {} });
 * ```
 */
export function retype(context: DriverContext, runner: TracedRunner, volume: RetypeVolume, diff: RetypeDiff, host: MigrationHost): ResultAsync<RetypeResult, GpfsError> {
  const early = planRetype(context.options, null, volume, diff, host);
  if (early.isErr()) return errAsync(early.error);
  if (early.value.early !== null) return okAsync(early.value.early);
  return context.ensureFacts(runner).andThen((facts) => {
    const planned = planRetype(context.options, { clusterId: facts.clusterId, device: facts.base.device }, volume, diff, host);
    if (planned.isErr()) return errAsync(planned.error);
    const plan = planned.value;
    const migration = plan.migration;
    const keys = [plan.path, ...(migration !== null && isMigrationPlan(migration) ? [migration.destinationPath] : [])];
    return context.locks.withLocks(keys, () =>
      changePool(context, runner, facts, plan).andThen((pool): ResultAsync<RetypeResult, GpfsError> => {
        const storagePool = plan.pool === null ? null : { ...plan.pool, changed: pool === 'changed' };
        if (pool === 'failed') {
          return okAsync({ retyped: false, reason: 'PoolChangeFailed', storagePool, migration: null, message: `mmchattr -P ${plan.pool?.to ?? ''} failed: retype by migration` });
        }
        if (migration === null) return okAsync({ retyped: true, reason: 'Done', storagePool, migration: null, message: `storage pool ${plan.pool?.to ?? ''}` });
        const migrated: ResultAsync<MigrationResult, GpfsError> = isMigrationPlan(migration) ? runMigration(context, runner, facts, migration) : okAsync(migration);
        return migrated.map((result): RetypeResult => ({
          retyped: result.migrated,
          reason: result.migrated ? 'Done' : 'NotMigrated',
          storagePool,
          migration: result,
          message: result.migrated ? `${storagePool === null ? '' : `storage pool ${storagePool.to}; `}${result.message}` : `not migrated: ${result.message}`,
        }));
      }),
    );
  });
}

// --- Internal helpers ---

function changePool(context: DriverContext, runner: TracedRunner, facts: ClusterFacts, plan: RetypePlan): ResultAsync<'changed' | 'failed' | 'unchanged', GpfsError> {
  if (plan.pool === null) return okAsync('unchanged');
  const pool = plan.pool.to;
  return createExecution(runner, 'retype', context.makeTag)
    .round(plan.poolCommands, ['check-pool', 'set-pool'])
    .andThen((round) => {
      const check = round.output('check-pool');
      if (check?.exitCode !== 0) {
        return errAsync<'changed' | 'failed', GpfsError>({
          kind: 'InvalidStoragePool',
          pool,
          device: facts.base.device,
          message: `storage pool '${pool}' does not exist in file system ${facts.base.device} (${(check?.stderr ?? '').trim().split('\n')[0] ?? ''}); nothing was changed`,
        });
      }
      const set = round.output('set-pool');
      if (set?.exitCode === 0) return okAsync<'changed' | 'failed', GpfsError>('changed');
      try {
        context.options.logger.warn?.(`[gpfs] retype: mmchattr -P ${pool} ${plan.path} failed: ${(set?.stderr ?? '').trim()}`);
      } catch {
        // Logging must never break an operation.
      }
      return okAsync<'changed' | 'failed', GpfsError>('failed');
    });
}
