/**
 * The retype plan (the seed's retype and _update_volume_storage_pool): a change of backend is left to a
 * migration (`retyped: false`); a change of `capabilities:storage_pool` is one round trip
 * (`mmlspool <device> <pool>`, which must succeed, then `mmchattr -P <pool> <volume>` in the same
 * batch); a change of host is a {@link planMigrateVolume} migration after it.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type GpfsError } from '../errors.js';
import type { MigrationHost, MigrationResult, RetypeDiff, RetypeResult, RetypeVolume } from '../migration-types.js';
import { mountCheck } from '../mount-check.js';
import { NAME_PATTERN, pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import { checkPresent } from './commands.js';
import { isMigrationPlan, planMigrateVolume, type MigrationPlan } from './migrate.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * Extra spec naming the storage pool.
 *
 * @example
 * ```ts
 * diff.extraSpecs?.[STORAGE_POOL_SPEC]; // ['system', 'fast']
 * ```
 */
export const STORAGE_POOL_SPEC = 'capabilities:storage_pool';

/**
 * Extra spec naming the backend.
 *
 * @example
 * ```ts
 * diff.extraSpecs?.[BACKEND_NAME_SPEC]; // ['gpfs-a', 'gpfs-b']
 * ```
 */
export const BACKEND_NAME_SPEC = 'volume_backend_name';

/**
 * A retype plan.
 *
 * @example
 * ```ts
 * const plan = planRetype(options, facts, { name: 'v1' }, { extraSpecs: { 'capabilities:storage_pool': ['system', 'fast'] } }, host)._unsafeUnwrap();
 * plan.pool; // { from: 'system', to: 'fast' }
 * ```
 */
export interface RetypePlan extends OperationPlan {
  /** The volume. */
  readonly path: string;
  /** The answer when no command is needed, else `null`. */
  readonly early: RetypeResult | null;
  /** The pool change, or `null`. */
  readonly pool: { readonly from: string | null; readonly to: string } | null;
  /** The pool round (empty without a pool change). */
  readonly poolCommands: readonly PlannedCommand[];
  /** The migration (a plan, or a decision that needs no command), or `null` when the host does not change. */
  readonly migration: MigrationPlan | MigrationResult | null;
}

/**
 * Plans retype.
 *
 * @param options - Resolved driver options.
 * @param facts - The cluster id and base device, or `null` before setup (dry run: placeholders).
 * @param volume - The volume, with the host it is on.
 * @param diff - The extra-spec differences.
 * @param host - The destination backend.
 * @returns The plan, or a validation error (nothing runs).
 * @example
 * ```ts
 * planRetype(options, { clusterId: '1388...', device: 'gpfs0' }, { name: 'v1', host: 'a' }, diff, { host: 'a', capabilities: {} });
 * ```
 */
export function planRetype(
  options: ResolvedOptions,
  facts: { readonly clusterId: string; readonly device: string } | null,
  volume: RetypeVolume,
  diff: RetypeDiff,
  host: MigrationHost,
): Result<RetypePlan, GpfsError> {
  return validateName(volume.name, 'volume').andThen((name): Result<RetypePlan, GpfsError> => {
    const path = pathIn(options.mountPointBase, name);
    const specs = diff?.extraSpecs ?? {};
    const none = { path, pool: null, poolCommands: [], migration: null, operation: 'retype', rounds: [] } as const;
    if (differs(specs[BACKEND_NAME_SPEC])) {
      return ok({ ...none, early: { retyped: false, reason: 'DifferentBackends', storagePool: null, migration: null, message: 'the backend changes: retype by migration' } });
    }
    const poolChange = specs[STORAGE_POOL_SPEC];
    let pool: RetypePlan['pool'] = null;
    if (differs(poolChange)) {
      const [from, to] = poolChange as readonly [unknown, unknown];
      const wanted = to === null || to === undefined || to === '' ? 'system' : to;
      if (typeof wanted !== 'string' || !NAME_PATTERN.test(wanted)) {
        return err(invalidArgument('diff', `the new storage pool ${JSON.stringify(wanted)} is not a pool name (A-Z a-z 0-9 _ . -). Nothing was run.`));
      }
      pool = { from: typeof from === 'string' ? from : null, to: wanted };
    }
    const movesHost = typeof volume.host === 'string' && typeof host?.host === 'string' && volume.host !== host.host;
    let migration: RetypePlan['migration'] = null;
    if (movesHost) {
      const planned = planMigrateVolume(options, facts?.clusterId ?? null, volume, host);
      if (planned.isErr()) return err(planned.error);
      migration = planned.value;
    }
    if (pool === null && migration === null) {
      return ok({ ...none, early: { retyped: false, reason: 'NothingToDo', storagePool: null, migration: null, message: 'neither the storage pool nor the host changes' } });
    }
    const device = facts?.device ?? '<device>';
    const poolCommands: PlannedCommand[] =
      pool === null
        ? []
        : [
            mountCheck(options.mountPointBase),
            checkPresent('check-volume', 'volume', path),
            { step: 'check-pool', argv: ['mmlspool', device, pool.to], asRoot: true },
            { step: 'set-pool', argv: ['mmchattr', '-P', pool.to, path], asRoot: true },
          ];
    const rounds: OperationPlan['rounds'] = [
      ...(poolCommands.length > 0 ? [{ commands: poolCommands }] : []),
      ...(migration !== null && isMigrationPlan(migration)
        ? migration.rounds.map((round) => ({ ...round, condition: `${pool === null ? '' : 'after the pool change succeeded; '}${round.condition ?? 'migration checks'}` }))
        : []),
    ];
    return ok({ operation: 'retype', path, early: null, pool, poolCommands, migration, rounds });
  });
}

// --- Internal helpers ---

function differs(change: readonly [unknown, unknown] | undefined): boolean {
  if (!Array.isArray(change) || change.length !== 2) return false;
  return change[0] !== change[1];
}
