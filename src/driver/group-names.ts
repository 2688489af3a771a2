/**
 * Names and paths of the features beyond the seed: consistency groups, group snapshots, unmanaged
 * volumes and temporary files. Like `names.ts`, every path is built by joining validated names onto
 * `mountPointBase`, so nothing here can point outside it.
 *
 * Layout under `<base>`:
 * - `consisgroup-<id>/`: the junction of group `<id>`'s independent fileset (upstream's name), holding
 *   its volumes and snapshots;
 * - `consisgroup-<id>/.group-snapshots/<snapshot>/<volume>`: the anchor of each volume of a group
 *   snapshot (a clone of the fileset snapshot's copy of the volume; see `plans/group-snapshots.ts`);
 *   `<snapshot>.ts/` once the group snapshot is deleted while clones still depend on it;
 * - `.unmanaged-<name>`: a volume let go by `unmanage`;
 * - `.tmp.<purpose>.<tag>`: work files of an operation in progress (left only by a crash).
 *
 * Names starting with `.` can never be volume or snapshot names, so none of these collide with them.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { InvalidNameError } from './errors.js';
import { pathIn, validateName } from './names.js';

/**
 * Prefix of a consistency group's fileset and junction directory (upstream's).
 *
 * @example
 * ```ts
 * `${GROUP_PREFIX}g1`; // 'consisgroup-g1'
 * ```
 */
export const GROUP_PREFIX = 'consisgroup-';

/**
 * Directory, inside a group, holding the anchors of its group snapshots.
 *
 * @example
 * ```ts
 * `/gpfs0/volumes/consisgroup-g1/${GROUP_SNAPSHOTS_DIRECTORY}/gs1/v1`; // an anchor
 * ```
 */
export const GROUP_SNAPSHOTS_DIRECTORY = '.group-snapshots';

/**
 * Prefix of a volume file let go by `unmanage`.
 *
 * @example
 * ```ts
 * `${UNMANAGED_PREFIX}volume-1`; // '.unmanaged-volume-1'
 * ```
 */
export const UNMANAGED_PREFIX = '.unmanaged-';

/**
 * Prefix of an operation's work files.
 *
 * @example
 * ```ts
 * `${TEMPORARY_PREFIX}revert-old.k3x1`; // '.tmp.revert-old.k3x1'
 * ```
 */
export const TEMPORARY_PREFIX = '.tmp.';

/**
 * Whether a path is an operation's work file (its last component starts with `.tmp.`).
 *
 * @param path - Any path.
 * @returns `true` for `<dir>/.tmp.<purpose>.<tag>`.
 * @example
 * ```ts
 * isWorkName('/gpfs0/volumes/.tmp.create.k3x1'); // true
 * ```
 */
export function isWorkName(path: string): boolean {
  return path.slice(path.lastIndexOf('/') + 1).startsWith(TEMPORARY_PREFIX);
}

/** Longest file name GPFS accepts, bytes (our names are ASCII). */
const NAME_MAX = 255;

/** Longest suffix a group snapshot id gets in a derived name: `.ts` (and `.<volume>`, at least `.x`). */
const LONGEST_ID_SUFFIX = Math.max('.ts'.length, '.x'.length);

/**
 * Checks a consistency group id: a volume-style name short enough for `consisgroup-<id>`.
 *
 * @param id - Candidate id (any value).
 * @returns `Ok(id)` or `InvalidName` with role `'group'`.
 * @example
 * ```ts
 * validateGroupId('g1');    // Ok('g1')
 * validateGroupId('a/b');   // Err({ kind: 'InvalidName', role: 'group', ... })
 * ```
 */
export function validateGroupId(id: unknown): Result<string, InvalidNameError> {
  return validateName(id, 'group').andThen((valid) =>
    GROUP_PREFIX.length + valid.length > NAME_MAX ? err(tooLong(valid, 'group', `the fileset name ${GROUP_PREFIX}<id> must fit in ${NAME_MAX} characters`)) : ok(valid),
  );
}

/**
 * Checks a group snapshot id (it is also the GPFS fileset snapshot's name), including the names derived
 * from it: `<id>.<volume>` (a member snapshot; a volume name has at least one character) and `<id>.ts`
 * (the anchor directory of a deleted group snapshot) must fit in 255 characters, so an id that could
 * never make them is refused before anything runs. Member names of long volume names are checked
 * against the volumes found ({@link memberSnapshotName}).
 *
 * @param id - Candidate id (any value).
 * @returns `Ok(id)` or `InvalidName` with role `'group snapshot'`.
 * @example
 * ```ts
 * validateGroupSnapshotId('gs-2024-01-15'); // Ok
 * validateGroupSnapshotId('a'.repeat(255)); // Err: '<id>.<volume>' cannot fit
 * ```
 */
export function validateGroupSnapshotId(id: unknown): Result<string, InvalidNameError> {
  return validateName(id, 'group snapshot').andThen((valid) =>
    valid.length + LONGEST_ID_SUFFIX > NAME_MAX
      ? err(
          tooLong(
            valid,
            'group snapshot',
            `its member snapshots '<id>.<volume>' and its deleted anchors '<id>.ts' must fit in ${NAME_MAX} characters, so an id has at most ${NAME_MAX - LONGEST_ID_SUFFIX}`,
          ),
        )
      : ok(valid),
  );
}

/**
 * The GPFS fileset of group `id`.
 *
 * @param id - A validated group id.
 * @returns `consisgroup-<id>`.
 * @example
 * ```ts
 * groupFilesetName('g1'); // 'consisgroup-g1'
 * ```
 */
export function groupFilesetName(id: string): string {
  return `${GROUP_PREFIX}${id}`;
}

/**
 * The junction directory of group `id`, where its volumes live.
 *
 * @param base - `mountPointBase`.
 * @param id - A validated group id.
 * @returns `<base>/consisgroup-<id>`.
 * @example
 * ```ts
 * groupDirectory('/gpfs0/volumes', 'g1'); // '/gpfs0/volumes/consisgroup-g1'
 * ```
 */
export function groupDirectory(base: string, id: string): string {
  return pathIn(base, groupFilesetName(id));
}

/**
 * The group id of a directory entry name, or `null` when it is not `consisgroup-<valid id>`.
 *
 * @param name - A file name in the base directory.
 * @returns The id, or `null`.
 * @example
 * ```ts
 * groupIdOf('consisgroup-g1'); // 'g1'
 * groupIdOf('volume-1');       // null
 * ```
 */
export function groupIdOf(name: string): string | null {
  if (!name.startsWith(GROUP_PREFIX)) return null;
  const id = name.slice(GROUP_PREFIX.length);
  return validateGroupId(id).isOk() ? id : null;
}

/**
 * Where the anchors of a group snapshot live.
 *
 * @param groupPath - The group's directory.
 * @param snapshotId - The group snapshot id.
 * @param tombstoned - The directory of a deleted group snapshot kept for its clones (`<id>.ts`).
 * @returns `<group>/.group-snapshots/<id>` (or `<id>.ts`).
 * @example
 * ```ts
 * anchorDirectory('/gpfs0/volumes/consisgroup-g1', 'gs1'); // '/gpfs0/volumes/consisgroup-g1/.group-snapshots/gs1'
 * ```
 */
export function anchorDirectory(groupPath: string, snapshotId: string, tombstoned = false): string {
  return `${groupPath}/${GROUP_SNAPSHOTS_DIRECTORY}/${snapshotId}${tombstoned ? '.ts' : ''}`;
}

/**
 * The path of a group's fileset snapshot as GPFS shows it (read-only).
 *
 * @param groupPath - The group's directory (the fileset's junction).
 * @param snapshotId - The fileset snapshot's name.
 * @returns `<group>/.snapshots/<id>`.
 * @example
 * ```ts
 * filesetSnapshotDirectory('/gpfs0/volumes/consisgroup-g1', 'gs1'); // '/gpfs0/volumes/consisgroup-g1/.snapshots/gs1'
 * ```
 */
export function filesetSnapshotDirectory(groupPath: string, snapshotId: string): string {
  return `${groupPath}/.snapshots/${snapshotId}`;
}

/**
 * The name of the per-volume snapshot a group snapshot makes: `<snapshot id>.<volume name>`, an
 * ordinary snapshot of that volume (usable with createVolumeFromSnapshot, revertToSnapshot, ...).
 *
 * @param snapshotId - The group snapshot id.
 * @param volumeName - The volume's name.
 * @returns The name, or `InvalidName` when it would exceed 255 characters.
 * @example
 * ```ts
 * memberSnapshotName('gs1', 'volume-1'); // Ok('gs1.volume-1')
 * ```
 */
export function memberSnapshotName(snapshotId: string, volumeName: string): Result<string, InvalidNameError> {
  const name = `${snapshotId}.${volumeName}`;
  return name.length > NAME_MAX ? err(tooLong(snapshotId, 'group snapshot', `the snapshot of volume ${volumeName} would be named '<id>.${volumeName}', longer than ${NAME_MAX} characters`)) : ok(name);
}

/**
 * Where `unmanage` puts a volume: `<dir>/.unmanaged-<name>`, out of the naming scheme but in the same
 * directory (its clone relations stay visible to the clone-tree executor).
 *
 * @param directory - The volume's directory.
 * @param name - The volume's name.
 * @returns The path, or `InvalidName` when the name is too long to carry the prefix.
 * @example
 * ```ts
 * unmanagedPath('/gpfs0/volumes', 'volume-1'); // Ok('/gpfs0/volumes/.unmanaged-volume-1')
 * ```
 */
export function unmanagedPath(directory: string, name: string): Result<string, InvalidNameError> {
  return UNMANAGED_PREFIX.length + name.length > NAME_MAX
    ? err(tooLong(name, 'volume', `unmanage renames it to ${UNMANAGED_PREFIX}<name>, which must fit in ${NAME_MAX} characters`))
    : ok(pathIn(directory, `${UNMANAGED_PREFIX}${name}`));
}

/**
 * A work file of an operation: `<dir>/.tmp.<purpose>.<tag>`.
 *
 * @param directory - Directory (the work file must be in the same fileset as what it replaces).
 * @param purpose - Short word, e.g. `'revert-new'`.
 * @param tag - Unique tag from the driver.
 * @returns The path.
 * @example
 * ```ts
 * temporaryPath('/gpfs0/volumes', 'revert-new', 'k3x1'); // '/gpfs0/volumes/.tmp.revert-new.k3x1'
 * ```
 */
export function temporaryPath(directory: string, purpose: string, tag: string): string {
  return pathIn(directory, `${TEMPORARY_PREFIX}${purpose}.${tag}`);
}

/**
 * Where a volume or snapshot of an optional group lives.
 *
 * @param base - `mountPointBase`.
 * @param groupId - The group, or `undefined` for the base directory.
 * @returns The directory and the validated group id (`null` for the base), or `InvalidName`.
 * @example
 * ```ts
 * volumeDirectory('/gpfs0/volumes', 'g1'); // Ok({ directory: '/gpfs0/volumes/consisgroup-g1', groupId: 'g1' })
 * volumeDirectory('/gpfs0/volumes', undefined); // Ok({ directory: '/gpfs0/volumes', groupId: null })
 * ```
 */
export function volumeDirectory(base: string, groupId: unknown): Result<{ readonly directory: string; readonly groupId: string | null }, InvalidNameError> {
  if (groupId === undefined || groupId === null) return ok({ directory: base, groupId: null });
  return validateGroupId(groupId).map((id) => ({ directory: groupDirectory(base, id), groupId: id }));
}

// --- Internal helpers ---

function tooLong(name: string, role: 'group' | 'group snapshot' | 'volume', reason: string): InvalidNameError {
  return { kind: 'InvalidName', role, name, message: `invalid ${role} name ${JSON.stringify(name)}: ${reason}. Nothing was run.` };
}
