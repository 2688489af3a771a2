/**
 * The volume and snapshot operations with consistency groups: a ref with a `groupId` is served by the
 * same operation aimed at the group's directory (same round trips as without a group); createVolume in a
 * group checks the group's junction first; a clone whose source is in another group (or the base) is a
 * full copy, as upstream does (GPFS clones cannot cross filesets).
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { parseQemuImgInfo } from '../../parsers/qemu-img.js';
import type { DriverContext } from '../context.js';
import { notFound, type GpfsError } from '../errors.js';
import { sendRound } from '../executor.js';
import { volumeDirectory } from '../group-names.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import { buildPath, GIB_BYTES, PUBLISH_TOLERATED } from '../plans/commands.js';
import { groupCheck } from '../plans/groups.js';
import { planCopyVolume, planCreateGroupVolume } from '../plans/group-volumes.js';
import type { TracedRunner } from '../trace.js';
import type { CreatedSnapshot, CreatedVolume, DeletedSnapshot, DeletedVolume, SnapshotRef, VolumeRef, VolumeSpec } from '../types.js';
import { createUndoableExecution } from '../undoable.js';
import { createClonedVolume } from './create-cloned-volume.js';
import { createSnapshot } from './create-snapshot.js';
import { createVolumeFromSnapshot } from './create-volume-from-snapshot.js';
import { createVolume } from './create-volume.js';
import { deleteSnapshot } from './delete-snapshot.js';
import { deleteVolume } from './delete-volume.js';
import { extendVolume } from './extend-volume.js';
import { warnIfWorkNameKept } from './publish.js';

/**
 * The driver context aimed at another directory of the base (a group's): the same caches, locks and
 * runner, with `mountPointBase` replaced.
 *
 * @param context - The driver context.
 * @param directory - The directory (a group's junction under the base).
 * @returns The re-aimed context.
 * @example
 * ```ts
 * createSnapshot(inDirectory(context, '/gpfs0/volumes/consisgroup-g1'), runner, { name: 's1', volumeName: 'v1' });
 * ```
 */
export function inDirectory(context: DriverContext, directory: string): DriverContext {
  if (directory === context.options.mountPointBase) return context;
  return { ...context, options: { ...context.options, mountPointBase: directory } };
}

/**
 * createVolume, in the base or in a group (one round trip either way).
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param spec - The volume, with an optional `groupId`.
 * @returns The volume made.
 * @example
 * ```ts
 * createVolumeAnywhere(context, runner, { name: 'v1', sizeGiB: 1, groupId: 'g1' });
 * ```
 */
export function createVolumeAnywhere(context: DriverContext, runner: TracedRunner, spec: VolumeSpec): ResultAsync<CreatedVolume, GpfsError> {
  const where = volumeDirectory(context.options.mountPointBase, spec.groupId);
  if (where.isErr()) return errAsync(where.error);
  const { directory, groupId } = where.value;
  if (groupId === null) return createVolume(context, runner, spec);
  return context.ensureFacts(runner).andThen((facts) => {
    const tag = context.makeTag();
    const plan = planCreateGroupVolume(context.options, facts.base.device, directory, spec, tag);
    if (plan.isErr()) return errAsync(plan.error);
    const { path, sizeGiB } = plan.value;
    return context.locks.withLocks([path], () =>
      createUndoableExecution(runner, 'createVolume')
        .round(plan.value.rounds[0]?.commands ?? [], PUBLISH_TOLERATED)
        .map((round): CreatedVolume => {
          warnIfWorkNameKept(context, round, buildPath(path, tag));
          return { name: spec.name, path, sizeGiB };
        }),
    );
  });
}

/**
 * deleteVolume, in the base or in a group.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param volume - The volume, with an optional `groupId`.
 * @returns What was removed.
 * @example
 * ```ts
 * deleteVolumeAnywhere(context, runner, { name: 'v1', groupId: 'g1' });
 * ```
 */
export function deleteVolumeAnywhere(context: DriverContext, runner: TracedRunner, volume: VolumeRef): ResultAsync<DeletedVolume, GpfsError> {
  return inGroup(context, runner, volume.groupId, (aimed) => deleteVolume(aimed, runner, volume));
}

/**
 * createSnapshot, beside a volume of the base or of a group.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param snapshot - The snapshot, with an optional `groupId`.
 * @returns The snapshot made.
 * @example
 * ```ts
 * createSnapshotAnywhere(context, runner, { name: 's1', volumeName: 'v1', groupId: 'g1' });
 * ```
 */
export function createSnapshotAnywhere(context: DriverContext, runner: TracedRunner, snapshot: SnapshotRef): ResultAsync<CreatedSnapshot, GpfsError> {
  return inGroup(context, runner, snapshot.groupId, (aimed) => createSnapshot(aimed, runner, snapshot));
}

/**
 * deleteSnapshot, beside a volume of the base or of a group.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param snapshot - The snapshot, with an optional `groupId`.
 * @returns What happened.
 * @example
 * ```ts
 * deleteSnapshotAnywhere(context, runner, { name: 's1', volumeName: 'v1', groupId: 'g1' });
 * ```
 */
export function deleteSnapshotAnywhere(context: DriverContext, runner: TracedRunner, snapshot: SnapshotRef): ResultAsync<DeletedSnapshot, GpfsError> {
  return inGroup(context, runner, snapshot.groupId, (aimed) => deleteSnapshot(aimed, runner, snapshot));
}

/**
 * extendVolume, in the base or in a group.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param volume - The volume, with an optional `groupId`.
 * @param newSizeGiB - The new size.
 * @returns The volume with its new size.
 * @example
 * ```ts
 * extendVolumeAnywhere(context, runner, { name: 'v1', groupId: 'g1' }, 20);
 * ```
 */
export function extendVolumeAnywhere(context: DriverContext, runner: TracedRunner, volume: VolumeRef, newSizeGiB: number): ResultAsync<CreatedVolume, GpfsError> {
  return inGroup(context, runner, volume.groupId, (aimed) => extendVolume(aimed, runner, volume, newSizeGiB));
}

/**
 * createVolumeFromSnapshot: a clone when the new volume and the snapshot are in the same group (or both in
 * the base), otherwise a full copy of the snapshot.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param spec - The new volume, with an optional `groupId`.
 * @param snapshot - The snapshot, with an optional `groupId`.
 * @returns The volume made.
 * @example
 * ```ts
 * createVolumeFromSnapshotAnywhere(context, runner, { name: 'v2', sizeGiB: 1 }, { name: 'gs1.v1', volumeName: 'v1', groupId: 'g1' }); // a copy
 * ```
 */
export function createVolumeFromSnapshotAnywhere(context: DriverContext, runner: TracedRunner, spec: VolumeSpec, snapshot: SnapshotRef): ResultAsync<CreatedVolume, GpfsError> {
  if (spec.groupId === snapshot.groupId) return inGroup(context, runner, spec.groupId, (aimed) => createVolumeFromSnapshot(aimed, runner, spec, snapshot));
  const source = volumeDirectory(context.options.mountPointBase, snapshot.groupId);
  if (source.isErr()) return errAsync(source.error);
  const names = validateName(snapshot.name, 'snapshot').andThen((name) => validateName(snapshot.volumeName, 'source volume').map(() => name));
  if (names.isErr()) return errAsync(names.error);
  return copyToVolume(context, runner, 'createVolumeFromSnapshot', spec, pathIn(source.value.directory, names.value), 'snapshot');
}

/**
 * createClonedVolume: a clone within one group (or within the base), otherwise a full copy.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param spec - The new volume, with an optional `groupId`.
 * @param source - The source volume, with an optional `groupId`.
 * @returns The volume made.
 * @example
 * ```ts
 * createClonedVolumeAnywhere(context, runner, { name: 'v2', sizeGiB: 1, groupId: 'g1' }, { name: 'v1' }); // a copy into the group
 * ```
 */
export function createClonedVolumeAnywhere(context: DriverContext, runner: TracedRunner, spec: VolumeSpec, source: VolumeRef): ResultAsync<CreatedVolume, GpfsError> {
  if (spec.groupId === source.groupId) return inGroup(context, runner, spec.groupId, (aimed) => createClonedVolume(aimed, runner, spec, source));
  const where = volumeDirectory(context.options.mountPointBase, source.groupId);
  if (where.isErr()) return errAsync(where.error);
  const name = validateName(source.name, 'source volume');
  if (name.isErr()) return errAsync(name.error);
  return copyToVolume(context, runner, 'createClonedVolume', spec, pathIn(where.value.directory, name.value), 'volume');
}

// --- Internal helpers ---

function inGroup<T>(context: DriverContext, runner: TracedRunner, groupId: string | undefined, operation: (aimed: DriverContext) => ResultAsync<T, GpfsError>): ResultAsync<T, GpfsError> {
  const where = volumeDirectory(context.options.mountPointBase, groupId);
  if (where.isErr()) return errAsync(where.error);
  const { directory } = where.value;
  return operation(inDirectory(context, directory)).orElse((error) => explainGroupFailure<T>(context, runner, directory, error));
}

/** A mount-check failure on a group directory usually means the group does not exist: tell which. */
function explainGroupFailure<T>(context: DriverContext, runner: TracedRunner, directory: string, error: GpfsError): ResultAsync<T, GpfsError> {
  const base = context.options.mountPointBase;
  if (error.kind !== 'NotMounted' || error.path !== directory || directory === base) return errAsync(error);
  const check = mountCheck(base);
  return sendRound(runner, [check], false)
    .orElse(() => okAsync([]))
    .andThen((outputs) =>
      errAsync<T, GpfsError>(
        outputs[0]?.exitCode === 0
          ? { ...notFound('group', directory), message: `group directory ${directory} does not exist (create the group first, or check the groupId). Nothing was changed.` }
          : error,
      ),
    );
}

function copyToVolume(context: DriverContext, runner: TracedRunner, operation: string, spec: VolumeSpec, sourcePath: string, sourceRole: 'volume' | 'snapshot'): ResultAsync<CreatedVolume, GpfsError> {
  const destination = volumeDirectory(context.options.mountPointBase, spec.groupId);
  if (destination.isErr()) return errAsync(destination.error);
  return context.ensureFacts(runner).andThen((facts) => {
    const { directory, groupId } = destination.value;
    const plan = planCopyVolume(context.options, {
      operation,
      sourcePath,
      sourceRole,
      destinationDirectory: directory,
      groupCheck: groupId === null ? null : groupCheck(facts.base.device, directory),
      spec,
      tag: context.makeTag(),
    });
    if (plan.isErr()) return errAsync(plan.error);
    const { path } = plan.value;
    return context.locks.withLocks([path, sourcePath], () => {
      const execution = createUndoableExecution(runner, operation);
      return execution.round(plan.value.rounds[0]?.commands ?? []).andThen((round) => {
        const info = parseQemuImgInfo(round.output('read-size')?.stdout ?? '');
        if (info.isErr()) return execution.abort<CreatedVolume>(info.error);
        return okAsync({ name: spec.name, path, sizeGiB: Math.ceil(info.value.virtualSizeBytes / GIB_BYTES) });
      });
    });
  });
}
