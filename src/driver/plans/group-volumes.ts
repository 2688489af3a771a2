/**
 * Volume plans that involve consistency groups.
 *
 * createVolume with a `groupId`: the createVolume plan aimed at the group's directory, whose first round
 * checks the base mount and that the group's junction is there (`mmlsfileset -J`), so a volume is never
 * made in a plain directory that merely has a group's name. One round trip.
 *
 * Copies across groups (createVolumeFromSnapshot and createClonedVolume when source and new volume are
 * in different groups, createGroupFromSource, updateGroup): GPFS clones cannot cross independent
 * filesets and rename gives `EXDEV` there, so the data is copied, as upstream does (`cp`, sparse). The
 * copy goes to a work file in the destination directory and is published with `ln` (which never replaces
 * an existing file), so the new volume appears complete or not at all. One round trip.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { GpfsError } from '../errors.js';
import { temporaryPath } from '../group-names.js';
import { volumeAttributes } from '../metadata.js';
import { pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import { allOk, validateSize, type VolumeSpec } from '../types.js';
import { fromPlanned, removeFile, type StepCommand, type UndoCommand } from '../undoable.js';
import { readRawSize, resizeRaw, setAttributes } from './commands.js';
import { planCreateVolume } from './create-volume.js';
import { groupCheck, mountedStep } from './groups.js';
import type { OperationPlan } from './types.js';

/**
 * A plan that makes one volume file.
 *
 * @example
 * ```ts
 * const plan: VolumeFilePlan = planCreateGroupVolume(options, 'gpfs0', '/gpfs0/volumes/consisgroup-g1', { name: 'v1', sizeGiB: 1 })._unsafeUnwrap();
 * ```
 */
export interface VolumeFilePlan extends OperationPlan {
  /** The new volume's file. */
  readonly path: string;
  /** Its size in GiB. */
  readonly sizeGiB: number;
}

/**
 * Plans createVolume in a group.
 *
 * @param options - Resolved driver options.
 * @param device - File system device.
 * @param groupPath - The group's directory.
 * @param spec - The volume.
 * @param tag - The execution's unique tag for the work file (`<tag>` in dry runs).
 * @returns One round of steps, or a validation error.
 * @example
 * ```ts
 * planCreateGroupVolume(options, 'gpfs0', '/gpfs0/volumes/consisgroup-g1', { name: 'v1', sizeGiB: 1 })._unsafeUnwrap().rounds[0].commands.map((c) => c.step);
 * // ['check-mounted', 'check-group', 'check-volume-absent', 'create-sparse-file', 'set-permissions', 'set-attributes']
 * ```
 */
export function planCreateGroupVolume(options: ResolvedOptions, device: string, groupPath: string, spec: VolumeSpec, tag = '<tag>'): Result<VolumeFilePlan, GpfsError> {
  return planCreateVolume({ ...options, mountPointBase: groupPath }, spec, null, tag).map((plan) => {
    const rest = (plan.rounds[0]?.commands ?? []).filter((command) => command.step !== 'check-mounted').map(fromPlanned);
    const commands: StepCommand[] = [mountedStep(options.mountPointBase), groupCheck(device, groupPath), ...rest];
    return { operation: 'createVolume', rounds: [{ commands }], path: plan.path, sizeGiB: plan.sizeGiB };
  });
}

/**
 * Plans a full copy of `sourcePath` into a new volume of `destinationDirectory`.
 *
 * @param options - Resolved driver options.
 * @param copy - Operation name, source (path and what it is), destination directory (and its group check,
 *   if any), the new volume's spec, and a unique tag for the work file.
 * @returns One round of steps, or a validation error (nothing runs).
 * @example
 * ```ts
 * planCopyVolume(options, { operation: 'createClonedVolume', sourcePath: '/gpfs0/volumes/v1', sourceRole: 'volume', destinationDirectory: '/gpfs0/volumes/consisgroup-g1', groupCheck: check, spec: { name: 'v2', sizeGiB: 1 }, tag: 'k3x1' });
 * ```
 */
export function planCopyVolume(
  options: ResolvedOptions,
  copy: {
    readonly operation: string;
    readonly sourcePath: string;
    readonly sourceRole: 'volume' | 'snapshot';
    readonly destinationDirectory: string;
    readonly groupCheck: StepCommand | null;
    readonly spec: VolumeSpec;
    readonly tag: string;
  },
): Result<VolumeFilePlan, GpfsError> {
  return allOk([validateName(copy.spec.name, 'volume'), validateSize(copy.spec.sizeGiB, 'sizeGiB')] as const).andThen(([name, sizeGiB]) =>
    volumeAttributes(copy.spec.metadata, options.storagePool).andThen((attributes): Result<VolumeFilePlan, GpfsError> => {
      if (attributes.fstype !== null) {
        return err({
          kind: 'InvalidMetadata',
          key: 'fstype',
          value: attributes.fstype,
          message: 'metadata fstype applies only to new empty volumes: making a file system on a copy would destroy the copied data. Nothing was run.',
        });
      }
      const path = pathIn(copy.destinationDirectory, name);
      const work = temporaryPath(copy.destinationDirectory, 'copy', copy.tag);
      const commands: StepCommand[] = [
        mountedStep(options.mountPointBase),
        ...(copy.groupCheck === null ? [] : [copy.groupCheck]),
        { step: 'check-source', argv: ['test', '-f', copy.sourcePath], asRoot: true, expect: { kind: 'present', role: copy.sourceRole, path: copy.sourcePath } },
        { step: 'check-volume-absent', argv: ['test', '!', '-e', path], asRoot: true, expect: { kind: 'absent', role: 'volume', path } },
        ...copySteps(copy.sourcePath, work, path, attributes.mmchattrOptions, sizeGiB),
      ];
      return ok({ operation: copy.operation, rounds: [{ commands }], path, sizeGiB });
    }),
  );
}

/**
 * The copy itself: sparse `cp` to a work file, mode 660, attributes, raw resize (when a size is given),
 * raw size read back, then publish with `ln` (never replaces a file) and drop the work name.
 *
 * The publish is undone with `rm -f <path>`; when the work name is kept (`dropWorkName` false), with
 * `find <path> -maxdepth 0 -samefile <work> -delete` instead: it removes the new name only while it is the
 * work file (this execution's alone), so it is safe also when it is unknown whether `ln` ran (a runner
 * error), and then runs too.
 *
 * @param sourcePath - What to copy (a volume, a snapshot, or a fileset snapshot's frozen copy).
 * @param work - The work file (same directory as `path`).
 * @param path - The new volume.
 * @param mmchattrOptions - Attributes to set.
 * @param sizeGiB - Resize to this size, or `null` to keep the source's size.
 * @param dropWorkName - End with `rm -f <work>`; `false` leaves the work name to the caller (updateGroup
 *   keeps it until its next round trip, so the undo of the publish can still tell its copy). @defaultValue true
 * @returns The steps; the new volume and the work file are removed if a later step fails.
 * @example
 * ```ts
 * copySteps('/gpfs0/volumes/v1', '/gpfs0/volumes/consisgroup-g1/.tmp.copy.k3x1', '/gpfs0/volumes/consisgroup-g1/v1', [], null).map((c) => c.step);
 * // ['copy', 'set-permissions', 'read-size', 'publish', 'drop-work-name']
 * ```
 */
export function copySteps(sourcePath: string, work: string, path: string, mmchattrOptions: readonly string[], sizeGiB: number | null, dropWorkName = true): StepCommand[] {
  return [
    { step: 'copy', argv: ['cp', '--sparse=always', '--', sourcePath, work], asRoot: true, undo: [removeFile(work, true)], undoIfFailed: true },
    { step: 'set-permissions', argv: ['chmod', '660', work], asRoot: true },
    ...setAttributes(work, mmchattrOptions).map(fromPlanned),
    ...(sizeGiB === null ? [] : [fromPlanned(resizeRaw(work, sizeGiB))]),
    fromPlanned(readRawSize(work)),
    { step: 'publish', argv: ['ln', '--', work, path], asRoot: true, undo: [dropWorkName ? removeFile(path) : removeIfSameFile(path, work)] },
    ...(dropWorkName ? [{ step: 'drop-work-name', argv: ['rm', '-f', '--', work], asRoot: true }] : []),
  ];
}

// --- Internal helpers ---

/** Removes `path` only while it is another name of `work`; safe whether or not the publish ran. */
function removeIfSameFile(path: string, work: string): UndoCommand {
  return { step: 'undo', argv: ['find', path, '-maxdepth', '0', '-samefile', work, '-delete'], asRoot: true, target: path, exclusive: true };
}
