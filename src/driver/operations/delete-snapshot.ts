/**
 * deleteSnapshot: rename to the `.ts` tombstone, then try to remove it; idempotent; at most two round
 * trips (the second only when a tombstone of the same name is already there).
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { parseMmcloneShow } from '../../parsers/mmclone.js';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { createExecution, sendRound, type Execution, type RoundOutputs } from '../executor.js';
import { tombstonePath } from '../names.js';
import { succeededOutput } from '../plans/outputs.js';
import { planDeleteSnapshot, tombstoneCommands } from '../plans/snapshot.js';
import type { TracedRunner } from '../trace.js';
import type { DeletedSnapshot, SnapshotRef } from '../types.js';

/**
 * Deletes a snapshot. Already deleted: `Ok` with status `'absent'`. Clones still depend on it: it stays
 * as a tombstone (status `'tombstoned'`) that deleting its last clone removes.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param snapshot - The snapshot.
 * @returns What happened.
 * @example
 * ```ts
 * deleteSnapshot(context, runner, { name: 's1', volumeName: 'v1' }).map((result) => result.status);
 * ```
 */
export function deleteSnapshot(context: DriverContext, runner: TracedRunner, snapshot: SnapshotRef): ResultAsync<DeletedSnapshot, GpfsError> {
  const plan = planDeleteSnapshot(context.options, snapshot);
  if (plan.isErr()) return errAsync(plan.error);
  const { path, tombstonePath: tombstone, rounds } = plan.value;
  const result = (status: DeletedSnapshot['status'], at: string | null): DeletedSnapshot => ({
    name: snapshot.name,
    volumeName: snapshot.volumeName,
    status,
    tombstonePath: at,
  });
  return context.locks.withLocks([path, tombstone], () =>
    context.ensureFacts(runner).andThen(() => {
      const execution = createExecution(runner, 'deleteSnapshot', context.makeTag);
      const tolerated = ['check-snapshot', 'check-tombstone-absent', 'remove-tombstone'];
      return execution.round(rounds[0]?.commands ?? [], tolerated).andThen((round) => {
        const check = round.output('check-snapshot');
        // `test -f` exits 1 when there is no such file; any other failure says nothing about the snapshot.
        if (check?.exitCode === 1) return okAsync(result('absent', null));
        if (check?.exitCode !== 0) {
          const failure = succeededOutput('deleteSnapshot', round, 'check-snapshot');
          return execution.abort(failure.isErr() ? failure.error : { kind: 'Internal', operation: 'deleteSnapshot', message: 'the snapshot check failed without output' });
        }
        if (round.output('check-tombstone-absent')?.exitCode === 0) return settle(runner, execution, round, path, tombstone, result);
        // A snapshot of this name was deleted before and its tombstone still has clones: use a tagged name.
        const tagged = tombstonePath(path, context.makeTag());
        return execution
          .round(tombstoneCommands(path, tagged), ['remove-tombstone'])
          .andThen((second) => settle(runner, execution, second, path, tagged, result));
      });
    }),
  );
}

// --- Internal helpers ---

function settle(
  runner: TracedRunner,
  execution: Execution,
  round: RoundOutputs,
  path: string,
  tombstone: string,
  result: (status: DeletedSnapshot['status'], at: string | null) => DeletedSnapshot,
): ResultAsync<DeletedSnapshot, GpfsError> {
  if (round.output('remove-tombstone')?.exitCode === 0) return okAsync(result('removed', null));
  const rows = parseMmcloneShow(round.output('read-tombstone-status')?.stdout ?? '');
  if (rows.isOk() && rows.value.some((row) => row.isParent)) {
    // GPFS refuses to remove a clone parent with children: expected. Its last clone's deletion collects it.
    return okAsync(result('tombstoned', tombstone));
  }
  // Not a clone parent, yet rm failed: give the snapshot its name back and report the failure.
  const failure = succeededOutput('deleteSnapshot', round, 'remove-tombstone');
  const restore = sendRound(runner, [{ step: 'restore-name', argv: ['mv', tombstone, path], asRoot: true }], false);
  return restore
    .orElse(() => okAsync([]))
    .andThen((outputs) => {
      const restored = outputs[0]?.exitCode === 0;
      const error = failure.isErr() ? failure.error : undefined;
      if (error === undefined) return execution.abort({ kind: 'Internal', operation: 'deleteSnapshot', message: 'rm failed without output' });
      return errAsync<DeletedSnapshot, GpfsError>({
        ...error,
        message: `${error.message}; the snapshot ${restored ? `keeps its name ${path}` : `is left as ${tombstone}`}`,
      });
    });
}
