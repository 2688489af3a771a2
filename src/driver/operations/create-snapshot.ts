/**
 * createSnapshot: `mmclone snap <volume> <snapshot>`, mode 640, and a redirect of the volume when its
 * depth exceeds `maxCloneDepth`; at most two round trips.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { createExecution } from '../executor.js';
import { readDepths } from '../plans/depth.js';
import { redirect } from '../plans/commands.js';
import { planCreateSnapshot } from '../plans/snapshot.js';
import type { TracedRunner } from '../trace.js';
import type { CreatedSnapshot, SnapshotRef } from '../types.js';

/**
 * Takes a snapshot. A failure after the snapshot file exists turns it into a tombstone (the volume is
 * already its clone child, so it cannot simply be removed) and names the step that failed.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param snapshot - The snapshot to take.
 * @returns The snapshot made.
 * @example
 * ```ts
 * createSnapshot(context, runner, { name: 's1', volumeName: 'v1' });
 * ```
 */
export function createSnapshot(context: DriverContext, runner: TracedRunner, snapshot: SnapshotRef): ResultAsync<CreatedSnapshot, GpfsError> {
  const plan = planCreateSnapshot(context.options, snapshot);
  if (plan.isErr()) return errAsync(plan.error);
  const { path, volumePath, rounds } = plan.value;
  const { maxCloneDepth } = context.options;
  const made = (redirected: boolean): CreatedSnapshot => ({ name: snapshot.name, volumeName: snapshot.volumeName, path, redirected });
  return context.locks.withLocks([path, volumePath], () =>
    context.ensureFacts(runner).andThen(() => {
      const execution = createExecution(runner, 'createSnapshot', context.makeTag);
      return execution.round(rounds[0]?.commands ?? []).andThen((round) => {
        if (maxCloneDepth === 0) return okAsync(made(false));
        const depths = readDepths([volumePath], round.output('read-clone-depth')?.stdout ?? '');
        if (depths.isErr()) return execution.abort(depths.error);
        if ((depths.value.get(volumePath) ?? 0) <= maxCloneDepth) return okAsync(made(false));
        return execution.round([redirect(volumePath)]).map(() => made(true));
      });
    }),
  );
}
