/**
 * createGroupFromSource plans (upstream raises "unsupported"): a new group whose volumes are copies of a
 * source taken at one consistent instant.
 *
 * - From a group snapshot: the copies come from its fileset snapshot's frozen files; its members are
 *   the volumes listed in its anchor directory. Two round trips: checks and listings; then the new group
 *   (fileset, link, mode) and every copy in one batch.
 * - From a live group: a temporary fileset snapshot of the source group is the consistent instant.
 *   Round 1 checks and lists, round 2 takes the temporary snapshot and reads its files, round 3 makes the
 *   group and the copies, round 4 deletes the temporary snapshot.
 *
 * The copies are full copies (sparse `cp`): the new group is another independent fileset and GPFS clones
 * cannot cross filesets. Each is published with `ln` from a work file. A failure removes the copies, then
 * unlinks and deletes the new fileset (and the temporary snapshot).
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type GpfsError } from '../errors.js';
import { anchorDirectory, filesetSnapshotDirectory, groupFilesetName, temporaryPath } from '../group-names.js';
import { pathIn, validateName } from '../names.js';
import { listStep } from '../scan.js';
import type { StepCommand } from '../undoable.js';
import { copySteps } from './group-volumes.js';
import { createGroupSteps, groupCheck, mountedStep } from './groups.js';

/**
 * Paths and names of a createGroupFromSource call.
 *
 * @example
 * ```ts
 * const copy: GroupCopyContext = { base: '/gpfs0/volumes', device: 'gpfs0', groupId: 'g2', groupPath: '/gpfs0/volumes/consisgroup-g2', sourceGroupId: 'g1', sourcePath: '/gpfs0/volumes/consisgroup-g1' };
 * ```
 */
export interface GroupCopyContext {
  /** `mountPointBase`. */
  readonly base: string;
  /** File system device. */
  readonly device: string;
  /** The new group's id. */
  readonly groupId: string;
  /** The new group's directory. */
  readonly groupPath: string;
  /** The source group's id. */
  readonly sourceGroupId: string;
  /** The source group's directory. */
  readonly sourcePath: string;
}

/**
 * Round 1 from a group snapshot: checks, its members (anchors) and its frozen files.
 *
 * @param copy - Paths and names.
 * @param snapshotId - The source group snapshot.
 * @returns The steps (`list-members`, `list-frozen` read the sources).
 * @example
 * ```ts
 * fromSnapshotChecks(copy, 'gs1').map((c) => c.step);
 * ```
 */
export function fromSnapshotChecks(copy: GroupCopyContext, snapshotId: string): StepCommand[] {
  const anchors = anchorDirectory(copy.sourcePath, snapshotId);
  const frozen = filesetSnapshotDirectory(copy.sourcePath, snapshotId);
  return [
    mountedStep(copy.base),
    groupCheck(copy.device, copy.sourcePath),
    { step: 'check-group-snapshot', argv: ['test', '-d', anchors], asRoot: true, expect: { kind: 'present', role: 'group snapshot', path: anchors } },
    { step: 'check-fileset-snapshot', argv: ['test', '-d', frozen], asRoot: true, expect: { kind: 'present', role: 'group snapshot', path: frozen } },
    { step: 'check-group-absent', argv: ['test', '!', '-e', copy.groupPath], asRoot: true, expect: { kind: 'absent', role: 'group', path: copy.groupPath } },
    listStep([anchors], { minDepth: 1, maxDepth: 1 }, 'list-members'),
    listStep([frozen], { minDepth: 1, maxDepth: 1 }, 'list-frozen'),
  ];
}

/**
 * Round 1 from a live group: checks and the source listing.
 *
 * @param copy - Paths and names.
 * @returns The steps (`list-source` reads the candidates).
 * @example
 * ```ts
 * fromGroupChecks(copy).map((c) => c.step); // ['check-mounted', 'check-group', 'check-group-absent', 'list-source']
 * ```
 */
export function fromGroupChecks(copy: GroupCopyContext): StepCommand[] {
  return [
    mountedStep(copy.base),
    groupCheck(copy.device, copy.sourcePath),
    { step: 'check-group-absent', argv: ['test', '!', '-e', copy.groupPath], asRoot: true, expect: { kind: 'absent', role: 'group', path: copy.groupPath } },
    listStep([copy.sourcePath], { minDepth: 1, maxDepth: 1 }, 'list-source'),
  ];
}

/**
 * Round 2 from a live group: the temporary fileset snapshot and the listing of its files. The caller
 * appends `mmclone show` of the candidates' frozen copies.
 *
 * @param copy - Paths and names.
 * @param snapshotName - The temporary snapshot's name.
 * @returns The steps (the snapshot is deleted if a later step fails).
 * @example
 * ```ts
 * temporarySnapshotSteps(copy, 'gpfs-volumes-copy-k3x1')[0].argv; // ['mmcrsnapshot', 'gpfs0', 'gpfs-volumes-copy-k3x1', '-j', 'consisgroup-g1']
 * ```
 */
export function temporarySnapshotSteps(copy: GroupCopyContext, snapshotName: string): StepCommand[] {
  return [
    {
      step: 'create-fileset-snapshot',
      argv: ['mmcrsnapshot', copy.device, snapshotName, '-j', groupFilesetName(copy.sourceGroupId)],
      asRoot: true,
      undo: [deleteTemporarySnapshot(copy, snapshotName)],
    },
    listStep([filesetSnapshotDirectory(copy.sourcePath, snapshotName)], { minDepth: 1, maxDepth: 1 }, 'list-frozen'),
  ];
}

/**
 * The command that deletes the temporary fileset snapshot.
 *
 * @param copy - Paths and names.
 * @param snapshotName - The temporary snapshot's name.
 * @returns The command.
 * @example
 * ```ts
 * deleteTemporarySnapshot(copy, 'gpfs-volumes-copy-k3x1').argv; // ['mmdelsnapshot', 'gpfs0', 'gpfs-volumes-copy-k3x1', '-j', 'consisgroup-g1']
 * ```
 */
export function deleteTemporarySnapshot(copy: GroupCopyContext, snapshotName: string): StepCommand & { readonly target: string } {
  const filesetName = groupFilesetName(copy.sourceGroupId);
  return { step: 'delete-temporary-snapshot', argv: ['mmdelsnapshot', copy.device, snapshotName, '-j', filesetName], asRoot: true, target: `fileset snapshot ${filesetName}:${snapshotName}` };
}

/**
 * Checks `volumeNames` before anything runs: an object whose every new name is a valid volume name.
 * (Whether its keys are volumes of the source is only known after the listing.)
 *
 * @param volumeNames - The option.
 * @returns `Ok`, or `InvalidArgument`/`InvalidName` (nothing runs).
 * @example
 * ```ts
 * validateVolumeNames({ v1: 'v1-copy' }).isOk(); // true
 * validateVolumeNames({ v1: '../x' }).isErr(); // true
 * ```
 */
export function validateVolumeNames(volumeNames: unknown): Result<void, GpfsError> {
  if (volumeNames === undefined) return ok(undefined);
  if (typeof volumeNames !== 'object' || volumeNames === null || Array.isArray(volumeNames)) {
    return err(invalidArgument('volumeNames', 'volumeNames must map source volume names to new names. Nothing was run.'));
  }
  for (const name of Object.values(volumeNames as Record<string, unknown>)) {
    const valid = validateName(name, 'volume');
    if (valid.isErr()) return err(valid.error);
  }
  return ok(undefined);
}

/**
 * Maps source volume names to new names.
 *
 * @param sources - The source volumes.
 * @param volumeNames - Renames asked for (source name to new name).
 * @returns Pairs `[source, new]`, or `InvalidName`/`InvalidArgument` (nothing made).
 * @example
 * ```ts
 * renameVolumes(['v1', 'v2'], { v1: 'v1-copy' }); // Ok([['v1', 'v1-copy'], ['v2', 'v2']])
 * ```
 */
export function renameVolumes(sources: readonly string[], volumeNames: Readonly<Record<string, string>> | undefined): Result<[string, string][], GpfsError> {
  const renames = volumeNames ?? {};
  if (typeof renames !== 'object' || renames === null) return err(invalidArgument('volumeNames', 'volumeNames must map source volume names to new names. Nothing was run.'));
  for (const key of Object.keys(renames)) {
    if (!sources.includes(key)) return err(invalidArgument('volumeNames', `volumeNames names ${JSON.stringify(key)}, which is not a volume of the source. Nothing was changed.`));
  }
  const pairs: [string, string][] = [];
  const used = new Set<string>();
  for (const source of sources) {
    const name = validateName(Object.hasOwn(renames, source) ? renames[source] : source, 'volume');
    if (name.isErr()) return err(name.error);
    if (used.has(name.value)) return err(invalidArgument('volumeNames', `two volumes would be named ${name.value}. Nothing was changed.`));
    used.add(name.value);
    pairs.push([source, name.value]);
  }
  return ok(pairs);
}

/**
 * The change round: the new group, then a copy of each volume from the frozen directory.
 *
 * @param copy - Paths and names.
 * @param frozenDirectory - Where the consistent copies are (`.snapshots/<name>` of the source group).
 * @param pairs - `[source name, new name]` pairs.
 * @param mmchattrOptions - Attributes of the new volumes (the storage pool).
 * @param tag - Unique tag for work files.
 * @returns The steps with undo (copies removed, then the fileset unlinked and deleted).
 * @example
 * ```ts
 * makeGroupCopySteps(copy, '/gpfs0/volumes/consisgroup-g1/.snapshots/gs1', [['v1', 'v1']], ['-P', 'system'], 'k3x1');
 * ```
 */
export function makeGroupCopySteps(copy: GroupCopyContext, frozenDirectory: string, pairs: readonly (readonly [string, string])[], mmchattrOptions: readonly string[], tag: string): StepCommand[] {
  const makeGroup = createGroupSteps(copy.base, copy.device, copy.groupId).filter((command) => command.step !== 'check-mounted' && command.step !== 'check-group-absent');
  const copies = pairs.flatMap(([source, name], index) =>
    copySteps(`${frozenDirectory}/${source}`, temporaryPath(copy.groupPath, 'copy', `${tag}-${index}`), pathIn(copy.groupPath, name), mmchattrOptions, null),
  );
  return [...makeGroup, ...copies];
}
