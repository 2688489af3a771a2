/**
 * createGroupSnapshot (three round trips whatever the number of volumes) and deleteGroupSnapshot
 * (three round trips; one when it is already gone). See `plans/group-snapshots.ts` for the design.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { roundOutputs, sendRound } from '../executor.js';
import { anchorDirectory, filesetSnapshotDirectory, groupDirectory, groupFilesetName, validateGroupId, validateGroupSnapshotId } from '../group-names.js';
import type { CreatedGroupSnapshot, DeletedGroupSnapshot, GroupSnapshotRef } from '../group-types.js';
import { diagnoseMountFailure } from '../mount-check.js';
import { readCheck } from '../preconditions.js';
import { allOk } from '../types.js';
import { createGroupSnapshotChecks, deleteGroupSnapshotReads, memberSteps, planGroupSnapshotRemoval, takeGroupSnapshotSteps, volumeCandidates } from '../plans/group-snapshots.js';
import { cloneShowSteps, readCloneRows, readListing, scannedFiles, type ScannedFile } from '../scan.js';
import type { TracedRunner } from '../trace.js';
import { createUndoableExecution } from '../undoable.js';
import { groupKey } from './groups.js';

/**
 * Takes a point-in-time consistent snapshot of every volume of a group: one GPFS fileset snapshot, then
 * one ordinary snapshot per volume cloned from it (named `<id>.<volume>`). A failure undoes all of it.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param snapshot - The group snapshot id and the group.
 * @returns The group snapshot and its member snapshots.
 * @example
 * ```ts
 * createGroupSnapshot(context, runner, { id: 'gs1', groupId: 'g1' }).map((made) => made.snapshots.map((s) => s.name)); // ['gs1.v1', 'gs1.v2']
 * ```
 */
export function createGroupSnapshot(context: DriverContext, runner: TracedRunner, snapshot: GroupSnapshotRef): ResultAsync<CreatedGroupSnapshot, GpfsError> {
  const ids = allOk([validateGroupSnapshotId(snapshot.id), validateGroupId(snapshot.groupId)] as const);
  if (ids.isErr()) return errAsync(ids.error);
  const [snapshotId, groupId] = ids.value;
  const base = context.options.mountPointBase;
  const groupPath = groupDirectory(base, groupId);
  const frozen = filesetSnapshotDirectory(groupPath, snapshotId);
  const operation = 'createGroupSnapshot';
  return context.locks.withLocks([groupKey(groupId), anchorDirectory(groupPath, snapshotId)], () =>
    context.ensureFacts(runner).andThen((facts) => {
      const device = facts.base.device;
      const execution = createUndoableExecution(runner, operation);
      return execution.round(createGroupSnapshotChecks(base, device, groupPath, snapshotId)).andThen((first) => {
        const listing = readListing(first.output('list-group'), operation, 'list-group');
        if (listing.isErr()) return errAsync(listing.error);
        const candidates = volumeCandidates(listing.value);
        const second = [...takeGroupSnapshotSteps(device, groupId, groupPath, snapshotId), ...cloneShowSteps(candidates.map((name) => `${frozen}/${name}`))];
        return execution.round(second, ['show-clones']).andThen((round) => {
          const ran = second.slice(0, round.outputs.length);
          if (ran.length < second.length) {
            return execution.abort<CreatedGroupSnapshot>(changedMeanwhile(operation, groupPath));
          }
          const rows = readCloneRows(ran, round.outputs, operation);
          if (rows.isErr()) return execution.abort<CreatedGroupSnapshot>(rows.error);
          // Volumes: the candidates present in the snapshot that are not clone parents (snapshots).
          const volumes = candidates.filter((name) => {
            const row = rows.value.get(`${frozen}/${name}`);
            return row !== undefined && !row.isParent;
          });
          const steps = memberSteps(groupPath, snapshotId, volumes);
          if (steps.isErr()) return execution.abort<CreatedGroupSnapshot>(steps.error);
          return execution.round(steps.value.commands).map((): CreatedGroupSnapshot => ({
            id: snapshotId,
            groupId,
            filesetSnapshotPath: frozen,
            snapshots: volumes.map((volumeName) => ({
              name: `${snapshotId}.${volumeName}`,
              volumeName,
              groupId,
              path: steps.value.members.get(volumeName) ?? '',
            })),
          }));
        });
      });
    }),
  );
}

/**
 * Deletes a group snapshot: its member snapshots, their anchors and the fileset snapshot. Members that
 * volumes were cloned from become `.ts` tombstones, kept with the fileset snapshot until those volumes are
 * deleted (garbage collection then finishes the job). Idempotent: an absent group snapshot is `Ok`.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param snapshot - The group snapshot id and the group.
 * @returns What was removed and kept.
 * @example
 * ```ts
 * deleteGroupSnapshot(context, runner, { id: 'gs1', groupId: 'g1' }).map((deleted) => deleted.status); // 'removed'
 * ```
 */
export function deleteGroupSnapshot(context: DriverContext, runner: TracedRunner, snapshot: GroupSnapshotRef): ResultAsync<DeletedGroupSnapshot, GpfsError> {
  const ids = allOk([validateGroupSnapshotId(snapshot.id), validateGroupId(snapshot.groupId)] as const);
  if (ids.isErr()) return errAsync(ids.error);
  const [snapshotId, groupId] = ids.value;
  const base = context.options.mountPointBase;
  const groupPath = groupDirectory(base, groupId);
  const anchors = anchorDirectory(groupPath, snapshotId);
  const operation = 'deleteGroupSnapshot';
  const result = (status: DeletedGroupSnapshot['status'], changes: Partial<DeletedGroupSnapshot> = {}): DeletedGroupSnapshot => ({
    id: snapshotId,
    groupId,
    status,
    removed: [],
    tombstones: [],
    filesetSnapshotDeleted: false,
    ...changes,
  });
  return context.locks.withLocks([groupKey(groupId), anchors], () =>
    context.ensureFacts(runner).andThen((facts) => {
      const device = facts.base.device;
      const reads = deleteGroupSnapshotReads(base, device, groupPath, snapshotId);
      return sendRound(runner, reads, false).andThen((outputs): ResultAsync<DeletedGroupSnapshot, GpfsError> => {
        const first = roundOutputs(reads, outputs);
        const mounted = first.output('check-mounted');
        if (mounted?.exitCode !== 0) return diagnoseMountFailure(runner, base, mounted?.stderr ?? '').andThen((error) => errAsync(error));
        // Each check answers yes or no; one that could not be made stops here (never read as absence).
        const check = (step: string) => readCheck(operation, step, first.output(step));
        const group = check('check-group');
        if (group.isErr()) return errAsync(group.error);
        if (!group.value) return okAsync(result('absent'));
        const found = allOk([check('check-snapshot'), check('check-anchors')] as const);
        if (found.isErr()) return errAsync(found.error);
        const [snapshotExists, anchorsExist] = found.value;
        const execution = createUndoableExecution(runner, operation);
        if (!anchorsExist) {
          if (!snapshotExists) return okAsync(result('absent'));
          const tombstoned = check('check-tombstoned');
          if (tombstoned.isErr()) return errAsync(tombstoned.error);
          if (tombstoned.value) return okAsync(result('absent'));
          // A fileset snapshot without anchors: what a crash in the middle of createGroupSnapshot leaves.
          return execution
            .round([{ step: 'delete-fileset-snapshot', argv: ['mmdelsnapshot', device, snapshotId, '-j', groupFilesetName(groupId)], asRoot: true }])
            .map(() => result('removed', { filesetSnapshotDeleted: true }));
        }
        const listing = readListing(first.output('list'), operation, 'list');
        if (listing.isErr()) return errAsync(listing.error);
        const shows = cloneShowSteps(listing.value.filter((entry) => entry.type === 'f').map((entry) => entry.path));
        return sendRound(runner, shows, false).andThen((showOutputs) => {
          const rows = readCloneRows(shows, showOutputs, operation);
          if (rows.isErr()) return errAsync(rows.error);
          const files: ScannedFile[] = scannedFiles(listing.value, rows.value);
          const removal = planGroupSnapshotRemoval({ device, groupId, groupPath, snapshotId, files, tag: context.makeTag() });
          const commands = snapshotExists ? removal.commands : removal.commands.filter((command) => command.step !== 'delete-fileset-snapshot');
          return execution.round(commands).map(() =>
            result(removal.deletesSnapshot && removal.tombstones.length === 0 ? 'removed' : 'tombstoned', {
              removed: removal.removed,
              tombstones: removal.tombstones,
              filesetSnapshotDeleted: removal.deletesSnapshot && snapshotExists,
            }),
          );
        });
      });
    }),
  );
}

// --- Internal helpers ---

function changedMeanwhile(operation: string, groupPath: string): GpfsError {
  return {
    kind: 'CommandFailed',
    operation,
    step: 'show-clones',
    argv: ['mmclone', 'show'],
    exitCode: 1,
    signal: null,
    stderr: '',
    message: `${operation}: files of ${groupPath} vanished while the snapshot was taken; nothing was kept, retry`,
  };
}
