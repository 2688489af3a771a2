/**
 * deleteSnapshot: rename to the `.ts` tombstone, then remove it unless clones depend on it; idempotent;
 * one round trip, two when the first check fails (already deleted, or a tombstone of the same name is
 * already there).
 *
 * @module
 */
import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { createExecution, sendRound, type Execution, type RoundOutputs } from '../executor.js';
import { tombstonePath } from '../names.js';
import { succeededOutput } from '../plans/outputs.js';
import { checkPresentSnapshot, planDeleteSnapshot, tombstoneCommands } from '../plans/snapshot.js';
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
      return execution.round(rounds[0]?.commands ?? [], ['check-preconditions', 'remove-tombstone']).andThen((round) => {
        const first = round.output('check-preconditions');
        if (first?.exitCode === 0) return settle(runner, execution, round, path, tombstone, result);
        // `test` exits 1 when a condition is false; anything else says nothing about the files.
        if (first?.exitCode !== 1) {
          const failure = succeededOutput('deleteSnapshot', round, 'check-preconditions');
          return execution.abort(failure.isErr() ? failure.error : { kind: 'Internal', operation: 'deleteSnapshot', message: 'the snapshot check failed without output' });
        }
        // The snapshot is missing, or `<snapshot>.ts` is taken (a snapshot of this name was deleted
        // before and its tombstone still has clones). The second round tells which and, in the second
        // case, uses a tagged tombstone name.
        const tagged = tombstonePath(path, context.makeTag());
        return execution.round([checkPresentSnapshot(path), ...tombstoneCommands(path, tagged)], ['check-snapshot', 'remove-tombstone']).andThen((second) => {
          const check = second.output('check-snapshot');
          // `test -f` exits 1 when there is no such file; any other failure says nothing about the snapshot.
          if (check?.exitCode === 1) return okAsync(result('absent', null));
          if (check?.exitCode !== 0) {
            const failure = succeededOutput('deleteSnapshot', second, 'check-snapshot');
            return execution.abort(failure.isErr() ? failure.error : { kind: 'Internal', operation: 'deleteSnapshot', message: 'the snapshot check failed without output' });
          }
          return settle(runner, execution, second, path, tagged, result);
        });
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
  const removal = round.output('remove-tombstone');
  if (removal?.exitCode === 0) {
    const links = linkCount(removal.stdout);
    if (links.isErr()) return execution.abort(links.error);
    // A count above 1: clones depend on it (GPFS counts each clone as a link of its parent). It stays as
    // a tombstone, which its last clone's deletion collects.
    return okAsync(links.value === 1 ? result('removed', null) : result('tombstoned', tombstone));
  }
  // The deletion itself failed: give the snapshot its name back and report the failure.
  const failure = succeededOutput('deleteSnapshot', round, 'remove-tombstone');
  const restore = sendRound(runner, [{ step: 'restore-name', argv: ['mv', tombstone, path], asRoot: true }], false);
  return restore
    .orElse(() => okAsync([]))
    .andThen((outputs) => {
      const restored = outputs[0]?.exitCode === 0;
      const error = failure.isErr() ? failure.error : undefined;
      if (error === undefined) return execution.abort({ kind: 'Internal', operation: 'deleteSnapshot', message: 'the tombstone removal failed without output' });
      return errAsync<DeletedSnapshot, GpfsError>({
        ...error,
        message: `${error.message}; the snapshot ${restored ? `keeps its name ${path}` : `is left as ${tombstone}`}`,
      });
    });
}

function linkCount(stdout: string): Result<number, GpfsError> {
  const text = stdout.trim();
  return /^\d+$/.test(text) && Number(text) >= 1
    ? ok(Number(text))
    : err({ kind: 'ParseError', parser: 'find -printf %n', message: `expected the tombstone's link count, got ${JSON.stringify(stdout)}` });
}
