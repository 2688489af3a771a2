/**
 * createGroupFromSource: a new consistency group holding copies of a group snapshot's volumes (two round
 * trips) or of a live group's volumes at one instant (four round trips). See `plans/group-from-source.ts`.
 *
 * @module
 */
import { err, errAsync, okAsync, type Result, type ResultAsync } from 'neverthrow';
import type { FileListingEntry } from '../../parsers/index.js';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { sendRound, type RoundOutputs } from '../executor.js';
import { filesetSnapshotDirectory, groupDirectory, groupFilesetName, validateGroupId, validateGroupSnapshotId } from '../group-names.js';
import type { CopiedVolume, CreateGroupFromSourceOptions, CreatedGroupFromSource, GroupRef, GroupSource } from '../group-types.js';
import { volumeAttributes } from '../metadata.js';
import { pathIn } from '../names.js';
import { allOk } from '../types.js';
import {
  deleteTemporarySnapshot,
  fromGroupChecks,
  fromSnapshotChecks,
  makeGroupCopySteps,
  renameVolumes,
  temporarySnapshotSteps,
  validateVolumeNames,
  type GroupCopyContext,
} from '../plans/group-from-source.js';
import { volumeCandidates } from '../plans/group-snapshots.js';
import { baseName, cloneShowSteps, readCloneRows, readListing } from '../scan.js';
import type { TracedRunner } from '../trace.js';
import { createUndoableExecution, type StepCommand, type UndoableExecution } from '../undoable.js';
import { groupKey } from './groups.js';

/**
 * Creates a group from a group snapshot (`{ id, groupId }`) or from a live group (`{ id }`). Every volume
 * is copied from one consistent instant. A failure removes the new group and everything in it.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param group - The new group.
 * @param source - A group snapshot or a group.
 * @param options - Optional new names for the volumes.
 * @returns The new group and its volumes.
 * @example
 * ```ts
 * createGroupFromSource(context, runner, { id: 'g2' }, { id: 'gs1', groupId: 'g1' }).map((made) => made.volumes.map((v) => v.path));
 * ```
 */
export function createGroupFromSource(
  context: DriverContext,
  runner: TracedRunner,
  group: GroupRef,
  source: GroupSource,
  options: CreateGroupFromSourceOptions = {},
): ResultAsync<CreatedGroupFromSource, GpfsError> {
  const fromSnapshot = typeof source === 'object' && source !== null && 'groupId' in source;
  const ids = allOk([
    validateGroupId(group.id),
    fromSnapshot ? validateGroupId((source as { groupId: unknown }).groupId) : validateGroupId(source.id),
    fromSnapshot ? validateGroupSnapshotId(source.id) : validateGroupId(source.id),
  ] as const);
  if (ids.isErr()) return errAsync(ids.error);
  const names = validateVolumeNames(options?.volumeNames);
  if (names.isErr()) return errAsync(names.error);
  const [groupId, sourceGroupId, sourceId] = ids.value;
  const base = context.options.mountPointBase;
  const attributes = volumeAttributes(undefined, context.options.storagePool);
  if (attributes.isErr()) return errAsync(attributes.error);
  const operation = 'createGroupFromSource';
  return context.locks.withLocks([groupKey(groupId), groupKey(sourceGroupId)], () =>
    context.ensureFacts(runner).andThen((facts) => {
      const copy: GroupCopyContext = {
        base,
        device: facts.base.device,
        groupId,
        groupPath: groupDirectory(base, groupId),
        sourceGroupId,
        sourcePath: groupDirectory(base, sourceGroupId),
      };
      const execution = createUndoableExecution(runner, operation);
      const finish = (frozen: string, sources: readonly string[], frozenListing: readonly FileListingEntry[]) =>
        copyAll(context, execution, copy, frozen, sources, frozenListing, options, attributes.value.mmchattrOptions);
      if (fromSnapshot) {
        const frozen = filesetSnapshotDirectory(copy.sourcePath, sourceId);
        return execution.round(fromSnapshotChecks(copy, sourceId)).andThen((first) => {
          const members = readListing(first.output('list-members'), operation, 'list-members');
          const frozenListing = readListing(first.output('list-frozen'), operation, 'list-frozen');
          if (members.isErr()) return errAsync(members.error);
          if (frozenListing.isErr()) return errAsync(frozenListing.error);
          return finish(frozen, members.value.map((entry) => baseName(entry.path)).sort(), frozenListing.value);
        });
      }
      const snapshotName = `gpfs-volumes-copy-${context.makeTag()}`;
      const frozen = filesetSnapshotDirectory(copy.sourcePath, snapshotName);
      return execution.round(fromGroupChecks(copy)).andThen((first) => {
        const listing = readListing(first.output('list-source'), operation, 'list-source');
        if (listing.isErr()) return errAsync(listing.error);
        const candidates = volumeCandidates(listing.value);
        const second = [...temporarySnapshotSteps(copy, snapshotName), ...cloneShowSteps(candidates.map((name) => `${frozen}/${name}`))];
        return execution.round(second, ['show-clones']).andThen((round) => {
          const volumes = frozenVolumes(round, second, candidates, frozen, operation);
          const frozenListing = readListing(round.output('list-frozen'), operation, 'list-frozen');
          if (volumes.isErr()) return execution.abort<CreatedGroupFromSource>(volumes.error);
          if (frozenListing.isErr()) return execution.abort<CreatedGroupFromSource>(frozenListing.error);
          return finish(frozen, volumes.value, frozenListing.value).andThen((made) => {
            // The copies are done and kept; the temporary snapshot goes in a last round trip.
            execution.commit();
            return sendRound(runner, [deleteTemporarySnapshot(copy, snapshotName)], false)
              .map((outputs) => {
                if (outputs[0]?.exitCode !== 0) warn(context, `[gpfs] kept temporary fileset snapshot ${groupFilesetName(sourceGroupId)}:${snapshotName}: mmdelsnapshot failed`);
                return made;
              })
              .orElse(() => okAsync(made));
          });
        });
      });
    }),
  );
}

// --- Internal helpers ---

function copyAll(
  context: DriverContext,
  execution: UndoableExecution,
  copy: GroupCopyContext,
  frozen: string,
  sources: readonly string[],
  frozenListing: readonly FileListingEntry[],
  options: CreateGroupFromSourceOptions,
  mmchattrOptions: readonly string[],
): ResultAsync<CreatedGroupFromSource, GpfsError> {
  const pairs = renameVolumes(sources, options.volumeNames);
  if (pairs.isErr()) return execution.abort(pairs.error);
  const sizes = new Map(frozenListing.map((entry) => [baseName(entry.path), entry.sizeBytes]));
  const steps = makeGroupCopySteps(copy, frozen, pairs.value, mmchattrOptions, context.makeTag());
  return execution.round(steps).map((): CreatedGroupFromSource => ({
    id: copy.groupId,
    filesetName: groupFilesetName(copy.groupId),
    path: copy.groupPath,
    volumes: pairs.value.map(([sourceName, name]): CopiedVolume => ({ name, sourceName, groupId: copy.groupId, path: pathIn(copy.groupPath, name), sizeBytes: sizes.get(sourceName) ?? 0 })),
  }));
}

function frozenVolumes(round: RoundOutputs, commands: readonly StepCommand[], candidates: readonly string[], frozen: string, operation: string): Result<string[], GpfsError> {
  const ran = commands.slice(0, round.outputs.length);
  if (ran.length < commands.length) {
    return err({
      kind: 'CommandFailed',
      operation,
      step: 'show-clones',
      argv: ['mmclone', 'show'],
      exitCode: 1,
      signal: null,
      stderr: '',
      message: `${operation}: files of ${frozen} could not be read; nothing was kept, retry`,
    });
  }
  return readCloneRows(ran, round.outputs, operation).map((rows) =>
    candidates.filter((name) => {
      const row = rows.get(`${frozen}/${name}`);
      return row !== undefined && !row.isParent;
    }),
  );
}

function warn(context: DriverContext, message: string): void {
  try {
    context.options.logger.warn?.(message);
  } catch {
    // Logging must never break an operation.
  }
}
