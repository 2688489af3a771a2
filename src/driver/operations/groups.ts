/**
 * createGroup (one round trip) and deleteGroup (two round trips; one when the group is already gone).
 *
 * @module
 */
import { errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import { isDisposableByName } from '../../clone-tree/index.js';
import { parseFileListing, parseMmlsfileset, parseMmlssnapshot } from '../../parsers/index.js';
import type { DriverContext } from '../context.js';
import { alreadyExists, type GpfsError } from '../errors.js';
import { roundOutputs, sendRound, type RoundOutputs } from '../executor.js';
import { groupDirectory, groupFilesetName, GROUP_SNAPSHOTS_DIRECTORY, validateGroupId } from '../group-names.js';
import { diagnoseMountFailure } from '../mount-check.js';
import { NAME_PATTERN } from '../names.js';
import { succeededOutput } from '../plans/outputs.js';
import { createGroupSteps, deleteGroupCommands, deleteGroupReadCommands, planCreateGroup, snapshotDependents } from '../plans/groups.js';
import { cloneShowSteps, readCloneRows, readListing, scannedFiles } from '../scan.js';
import type { TracedRunner } from '../trace.js';
import { allOk } from '../types.js';
import { createUndoableExecution } from '../undoable.js';
import type { CreatedGroup, DeletedGroup, GroupRef } from '../group-types.js';

/**
 * Creates a consistency group: an independent fileset linked under the base, mode 770. A failure at any
 * step unlinks and deletes what was made.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param group - The group.
 * @returns The group made.
 * @example
 * ```ts
 * createGroup(context, runner, { id: 'g1' }).map((group) => group.path); // '/gpfs0/volumes/consisgroup-g1'
 * ```
 */
export function createGroup(context: DriverContext, runner: TracedRunner, group: GroupRef): ResultAsync<CreatedGroup, GpfsError> {
  const id = validateGroupId(group.id);
  if (id.isErr()) return errAsync(id.error);
  const base = context.options.mountPointBase;
  const path = groupDirectory(base, id.value);
  return context.locks.withLocks([groupKey(id.value), path], () =>
    context.ensureFacts(runner).andThen((facts) => {
      const plan = planCreateGroup(base, facts.base.device, id.value);
      return createUndoableExecution(runner, 'createGroup')
        .round(createGroupSteps(base, facts.base.device, id.value))
        .map((): CreatedGroup => ({ id: id.value, filesetName: plan.filesetName, path }))
        .mapErr((error) =>
          error.kind === 'CommandFailed' && error.step === 'create-fileset' && (error.exitCode === 17 || /already exists/i.test(error.stderr))
            ? { ...alreadyExists('group', path), message: `fileset ${plan.filesetName} already exists (group ${id.value}); choose another id or delete the group first (nothing was changed)` }
            : error,
        );
    }),
  );
}

/**
 * Deletes a consistency group: its fileset snapshots, then the fileset with every file in it (as upstream
 * does). Idempotent: a group whose fileset is gone (`mmlsfileset` exits 2) is `Ok` with `existed: false`.
 * A fileset of that name linked elsewhere than `<base>/consisgroup-<id>` is refused (`InUse`), untouched.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param group - The group.
 * @returns What was deleted.
 * @example
 * ```ts
 * deleteGroup(context, runner, { id: 'g1' }).map((deleted) => deleted.volumes); // ['v1', 'v2']
 * ```
 */
export function deleteGroup(context: DriverContext, runner: TracedRunner, group: GroupRef): ResultAsync<DeletedGroup, GpfsError> {
  const id = validateGroupId(group.id);
  if (id.isErr()) return errAsync(id.error);
  const base = context.options.mountPointBase;
  const path = groupDirectory(base, id.value);
  const filesetName = groupFilesetName(id.value);
  const gone: DeletedGroup = { id: id.value, filesetName, path, existed: false, volumes: [], groupSnapshots: [] };
  return context.locks.withLocks([groupKey(id.value), path], () =>
    context.ensureFacts(runner).andThen((facts) => {
      const device = facts.base.device;
      const reads = deleteGroupReadCommands(base, device, id.value);
      return sendRound(runner, reads, false).andThen((outputs): ResultAsync<DeletedGroup, GpfsError> => {
        const round = roundOutputs(reads, outputs);
        const mounted = round.output('check-mounted');
        if (mounted?.exitCode !== 0) return diagnoseMountFailure(runner, base, mounted?.stderr ?? '').andThen((error) => errAsync(error));
        const fileset = round.output('read-fileset');
        if (fileset?.exitCode === 2) return okAsync(gone);
        const records = succeededOutput('deleteGroup', round, 'read-fileset').andThen((output) => parseMmlsfileset(output.stdout));
        if (records.isErr()) return errAsync(records.error);
        const record = records.value.find((candidate) => candidate.filesetName === filesetName);
        if (record === undefined) return okAsync(gone);
        const linked = record.status === 'Linked';
        if (linked && record.path !== path) {
          return errAsync({
            kind: 'InUse',
            path: record.path,
            message: `fileset ${filesetName} is linked at ${record.path}, not at ${path}: it is not this driver's group ${id.value}. Nothing was deleted.`,
          });
        }
        const snapshots = readSnapshotNames(round);
        if (snapshots.isErr()) return errAsync(snapshots.error);
        const volumes = readVolumeNames(round.output('list-files')?.stdout ?? '');
        return snapshotDependentsOf(runner, round, path, snapshots.value.length > 0).andThen((dependents) =>
          createUndoableExecution(runner, 'deleteGroup')
            .round(deleteGroupCommands(base, device, id.value, linked, snapshots.value, dependents))
            .map((): DeletedGroup => ({ ...gone, existed: true, volumes, groupSnapshots: snapshots.value })),
        );
      });
    }),
  );
}

/**
 * The lock key of a group (taken by every operation that changes the group as a whole).
 *
 * @param groupId - A validated group id.
 * @returns The key.
 * @example
 * ```ts
 * groupKey('g1'); // 'group:g1'
 * ```
 */
export function groupKey(groupId: string): string {
  return `group:${groupId}`;
}

// --- Internal helpers ---

/**
 * The group's files that depend on its fileset snapshots (one more round trip, `mmclone show`, when it
 * has group snapshot anchors), children first; none when it has no fileset snapshots.
 */
function snapshotDependentsOf(runner: TracedRunner, round: RoundOutputs, groupPath: string, hasSnapshots: boolean): ResultAsync<string[], GpfsError> {
  if (!hasSnapshots) return okAsync([]);
  const listed = allOk([readListing(round.output('list-files'), 'deleteGroup', 'list-files'), readListing(round.output('list-anchors'), 'deleteGroup', 'list-anchors')] as const);
  if (listed.isErr()) return errAsync(listed.error);
  const [groupFiles, anchors] = listed.value;
  if (!anchors.some((entry) => entry.type === 'f')) return okAsync([]);
  const entries = [...groupFiles, ...anchors].filter((entry) => entry.type === 'f');
  const shows = cloneShowSteps(entries.map((entry) => entry.path));
  return sendRound(runner, shows, false).andThen((outputs) => {
    const rows = readCloneRows(shows, outputs, 'deleteGroup');
    if (rows.isErr()) return errAsync<string[], GpfsError>(rows.error);
    return okAsync(snapshotDependents(scannedFiles(entries, rows.value), `${groupPath}/${GROUP_SNAPSHOTS_DIRECTORY}`));
  });
}

function readSnapshotNames(round: RoundOutputs): Result<string[], GpfsError> {
  const output = round.output('read-snapshots');
  // mmlssnapshot reports "no snapshots" as a failure rather than as an empty table.
  if (output !== undefined && output.exitCode !== 0 && /no snapshots/i.test(output.stderr)) return ok([]);
  return succeededOutput('deleteGroup', round, 'read-snapshots')
    .andThen((succeeded) => parseMmlssnapshot(succeeded.stdout))
    .map((records) => records.map((record) => record.directory));
}

function readVolumeNames(stdout: string): string[] {
  const listing = parseFileListing(stdout);
  if (listing.isErr()) return [];
  return listing.value
    .filter((entry) => entry.type === 'f')
    .map((entry) => entry.path.slice(entry.path.lastIndexOf('/') + 1))
    .filter((name) => NAME_PATTERN.test(name) && !isDisposableByName(name))
    .sort();
}
