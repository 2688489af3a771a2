/**
 * updateGroup: moves volumes into and out of a consistency group; 3 + 3 × (volumes moved) round trips.
 * See `plans/update-group.ts`.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { deleteWithCloneTree, type DeletionReport } from '../clone-deletion.js';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { sendRound } from '../executor.js';
import { groupDirectory, validateGroupId } from '../group-names.js';
import { mountCheck } from '../mount-check.js';
import type { GroupChanges, GroupRef, MovedVolume, UpdatedGroup } from '../group-types.js';
import { volumeAttributes } from '../metadata.js';
import { checkMovable, checkMoves, copyMoveSteps, moveWorkPath, oldFileCheckSteps, planMoves, rollbackSteps, updateGroupChecks, type PlannedMove } from '../plans/update-group.js';
import { cloneShowSteps, directoryOf, readCloneRows, readListing, scannedFiles } from '../scan.js';
import type { TracedRunner } from '../trace.js';
import { createUndoableExecution } from '../undoable.js';
import { groupKey } from './groups.js';

/**
 * Moves volumes of the base into a group (`addVolumes`) and volumes of the group back to the base
 * (`removeVolumes`). Each volume's data is copied (filesets cannot share clones or renames) and its old
 * file deleted through the clone-tree executor. Volumes with snapshots are refused (`InUse`). A volume
 * whose old file is gone and whose new name holds a regular file (an earlier call interrupted after
 * deleting the old file) counts as moved: running an interrupted updateGroup again completes it.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param group - The group.
 * @param changes - Volumes to add and remove.
 * @returns The volumes moved.
 * @example
 * ```ts
 * updateGroup(context, runner, { id: 'g1' }, { addVolumes: [{ name: 'v3' }] }).map((updated) => updated.added[0]?.to);
 * ```
 */
export function updateGroup(context: DriverContext, runner: TracedRunner, group: GroupRef, changes: GroupChanges): ResultAsync<UpdatedGroup, GpfsError> {
  const id = validateGroupId(group.id);
  if (id.isErr()) return errAsync(id.error);
  const base = context.options.mountPointBase;
  const groupPath = groupDirectory(base, id.value);
  const moves = planMoves(base, groupPath, changes ?? {});
  if (moves.isErr()) return errAsync(moves.error);
  const attributes = volumeAttributes(undefined, context.options.storagePool);
  if (attributes.isErr()) return errAsync(attributes.error);
  const operation = 'updateGroup';
  const keys = [groupKey(id.value), ...moves.value.flatMap((move) => [move.from, move.to])];
  return context.locks.withLocks(keys, () =>
    context.ensureFacts(runner).andThen((facts) => {
      const execution = createUndoableExecution(runner, operation);
      return execution.round(updateGroupChecks(base, facts.base.device, groupPath)).andThen((first) => {
        const listing = readListing(first.output('list'), operation, 'list');
        if (listing.isErr()) return errAsync(listing.error);
        const checked = checkMoves(moves.value, listing.value);
        if (checked.isErr()) return errAsync(checked.error);
        const pending = checked.value;
        // Moves an earlier, interrupted call completed (old file gone, new one there) are reported as moved.
        const updated = (moved: readonly MovedVolume[]): UpdatedGroup => {
          const all = moves.value.map((move) => moved.find((volume) => volume.name === move.name) ?? { name: move.name, from: move.from, to: move.to, removedParents: [] });
          return {
            id: id.value,
            added: all.filter((_, index) => moves.value[index]?.direction === 'add'),
            removed: all.filter((_, index) => moves.value[index]?.direction === 'remove'),
          };
        };
        if (pending.length === 0) return okAsync<UpdatedGroup, GpfsError>(updated([]));
        const shows = cloneShowSteps(listing.value.filter((entry) => entry.type === 'f').map((entry) => entry.path));
        return sendRound(runner, shows, false).andThen((outputs) => {
          const rows = readCloneRows(shows, outputs, operation);
          if (rows.isErr()) return errAsync(rows.error);
          const movable = checkMovable(pending, scannedFiles(listing.value, rows.value));
          if (movable.isErr()) return errAsync(movable.error);
          const tag = context.makeTag();
          return execution
            .round(copyMoveSteps(pending, attributes.value.mmchattrOptions, tag))
            .andThen(() => {
              execution.commit();
              return deleteOldFiles(runner, base, operation, pending, tag, 0, []);
            })
            .map(updated);
        });
      });
    }),
  );
}

// --- Internal helpers ---

/**
 * Deletes the old files one by one, dropping each copy's work name in the deletion's first round trip.
 * When a deletion fails, one more round trip asks whether the old file is gone: then the move is
 * complete (a disposable parent the executor did not reach is left to collectGarbage) and the next one
 * goes on; otherwise the rollback runs (see `rollbackSteps`) and the error is returned.
 */
function deleteOldFiles(runner: TracedRunner, base: string, operation: string, moves: readonly PlannedMove[], tag: string, index: number, done: MovedVolume[]): ResultAsync<MovedVolume[], GpfsError> {
  const move = moves[index];
  if (move === undefined) return okAsync(done);
  // Each deletion re-checks the mount in its first round trip.
  const preflight = [
    { argv: mountCheck(base).argv, asRoot: true },
    { argv: ['rm', '-f', '--', moveWorkPath(move, tag, index)], asRoot: true },
  ];
  const moved = (removedParents: readonly string[]): MovedVolume => ({ name: move.name, from: move.from, to: move.to, removedParents });
  return deleteWithCloneTree(runner, { targetPath: move.from, directories: [directoryOf(move.from)], operation, preflight })
    .mapErr((error): GpfsError => error)
    .andThen((report: DeletionReport) => {
      if (!report.targetFound) return errAsync<MovedVolume, GpfsError>({ kind: 'NotFound', role: 'volume', path: move.from, message: `${move.from} vanished during the move` });
      return okAsync(moved(report.removed.filter((path) => path !== move.from)));
    })
    .orElse((error) => {
      const check = oldFileCheckSteps(moves, tag, index);
      return sendRound(runner, check, false)
        .map((outputs) => outputs[check.findIndex((command) => command.step === 'check-old-file')]?.exitCode ?? null)
        .orElse(() => okAsync<number | null, GpfsError>(null))
        .andThen((oldFile) => {
          // `test -f` exit 1: the old file is gone, so the copy is the volume and this move is complete.
          if (oldFile === 1) return okAsync<MovedVolume, GpfsError>(moved([]));
          const rollback = rollbackSteps(moves, tag, index, oldFile === 0);
          const before = done.map((volume) => volume.name).join(', ') || 'none';
          const kept = oldFile === 0 ? `its copy was removed, ${move.from} stays where it was` : `whether ${move.from} is still there could not be checked, so its copy ${move.to} was kept beside it`;
          return sendRound(runner, rollback, false)
            .orElse(() => okAsync([]))
            .andThen(() =>
              errAsync<MovedVolume, GpfsError>({
                ...error,
                message: `${error.message}; volumes moved before the failure: ${before}; ${move.name}: ${kept}; copies of the others were removed, they stay where they were`,
              }),
            );
        });
    })
    .andThen((volume) => deleteOldFiles(runner, base, operation, moves, tag, index + 1, [...done, volume]));
}
