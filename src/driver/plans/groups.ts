/**
 * Consistency-group plans: a group is an independent fileset `consisgroup-<id>` linked at
 * `<base>/consisgroup-<id>` (upstream's layout, cinder-gpfs-driver.md C.1 rows 28 to 30), holding its
 * volumes and snapshots.
 *
 * createGroup, one round trip: mount check, "not there yet", `mmcrfileset --inode-space new`,
 * `mmlinkfileset -J`, `chmod 770`; a failed step unlinks and deletes what was made.
 *
 * deleteGroup, two round trips (three with group snapshots): read the fileset (`mmlsfileset` exit 2
 * means it is already gone, which is `Ok`: idempotent), its fileset snapshots, its files and its group
 * snapshots' anchors; with group snapshots, `mmclone show` of those files; then remove every file that
 * depends on a fileset snapshot (anchors, member snapshots and their clones, children first), unlink,
 * delete the fileset snapshots and delete the fileset (`-f`, with the volumes in it, as upstream does).
 * A fileset snapshot is never deleted under a clone of it: if the fileset deletion then fails, the
 * group that stays behind holds no unreadable file. A fileset of that name linked anywhere but
 * `<base>/consisgroup-<id>` is not ours and is never touched.
 *
 * @module
 */
import { listingCommand } from '../clone-deletion-facts.js';
import { groupDirectory, groupFilesetName, GROUP_SNAPSHOTS_DIRECTORY } from '../group-names.js';
import { mountCheck } from '../mount-check.js';
import { listStep, type ScannedFile } from '../scan.js';
import type { StepCommand, UndoCommand } from '../undoable.js';
import { fromPlanned } from '../undoable.js';
import type { OperationPlan } from './types.js';

/**
 * A group plan and what it names.
 *
 * @example
 * ```ts
 * const plan: GroupPlan = planCreateGroup('/gpfs0/volumes', 'gpfs0', 'g1'); // plan.path === '/gpfs0/volumes/consisgroup-g1'
 * ```
 */
export interface GroupPlan extends OperationPlan {
  /** The group id. */
  readonly groupId: string;
  /** Its fileset, `consisgroup-<id>`. */
  readonly filesetName: string;
  /** Its junction directory. */
  readonly path: string;
}

/**
 * Plans createGroup.
 *
 * @param base - `mountPointBase`.
 * @param device - The file system device (from the cached facts).
 * @param groupId - A validated group id.
 * @returns One round of steps with undo.
 * @example
 * ```ts
 * planCreateGroup('/gpfs0/volumes', 'gpfs0', 'g1').rounds[0].commands.map((c) => c.argv.join(' '));
 * // ['df -P -t gpfs /gpfs0/volumes', 'test ! -e /gpfs0/volumes/consisgroup-g1',
 * //  'mmcrfileset gpfs0 consisgroup-g1 --inode-space new -t gpfs-volumes consistency group',
 * //  'mmlinkfileset gpfs0 consisgroup-g1 -J /gpfs0/volumes/consisgroup-g1', 'chmod 770 /gpfs0/volumes/consisgroup-g1']
 * ```
 */
export function planCreateGroup(base: string, device: string, groupId: string): GroupPlan {
  return {
    operation: 'createGroup',
    rounds: [{ commands: createGroupSteps(base, device, groupId) }],
    groupId,
    filesetName: groupFilesetName(groupId),
    path: groupDirectory(base, groupId),
  };
}

/**
 * The steps of createGroup, with their undo.
 *
 * @param base - `mountPointBase`.
 * @param device - The file system device.
 * @param groupId - A validated group id.
 * @returns Mount check, absence check, `mmcrfileset`, `mmlinkfileset`, `chmod 770`.
 * @example
 * ```ts
 * createGroupSteps('/gpfs0/volumes', 'gpfs0', 'g1').map((c) => c.step);
 * // ['check-mounted', 'check-group-absent', 'create-fileset', 'link-fileset', 'set-permissions']
 * ```
 */
export function createGroupSteps(base: string, device: string, groupId: string): StepCommand[] {
  const filesetName = groupFilesetName(groupId);
  const path = groupDirectory(base, groupId);
  return [
    mountedStep(base),
    { step: 'check-group-absent', argv: ['test', '!', '-e', path], asRoot: true, expect: { kind: 'absent', role: 'group', path } },
    {
      step: 'create-fileset',
      argv: ['mmcrfileset', device, filesetName, '--inode-space', 'new', '-t', 'gpfs-volumes consistency group'],
      asRoot: true,
      undo: [deleteFilesetUndo(device, filesetName)],
    },
    {
      step: 'link-fileset',
      argv: ['mmlinkfileset', device, filesetName, '-J', path],
      asRoot: true,
      undo: [{ step: 'undo', argv: ['mmunlinkfileset', device, filesetName, '-f'], asRoot: true, target: `link ${path}` }],
    },
    { step: 'set-permissions', argv: ['chmod', '770', path], asRoot: true },
  ];
}

/**
 * The read round of deleteGroup (run to its end, whatever fails).
 *
 * @param base - `mountPointBase`.
 * @param device - The file system device.
 * @param groupId - A validated group id.
 * @returns Steps `check-mounted`, `read-fileset`, `read-snapshots`, `list-files`, `list-anchors`.
 * @example
 * ```ts
 * deleteGroupReadCommands('/gpfs0/volumes', 'gpfs0', 'g1').map((c) => c.step);
 * ```
 */
export function deleteGroupReadCommands(base: string, device: string, groupId: string): StepCommand[] {
  const filesetName = groupFilesetName(groupId);
  return [
    mountedStep(base),
    { step: 'read-fileset', argv: ['mmlsfileset', device, filesetName, '-Y'], asRoot: true },
    { step: 'read-snapshots', argv: ['mmlssnapshot', device, '-j', filesetName, '-Y'], asRoot: true },
    { step: 'list-files', argv: listingCommand([groupDirectory(base, groupId)], 1), asRoot: true },
    listStep([`${groupDirectory(base, groupId)}/${GROUP_SNAPSHOTS_DIRECTORY}`], { minDepth: 2, maxDepth: 2 }, 'list-anchors'),
  ];
}

/**
 * The files of a group that depend on its fileset snapshots: the anchors (clones of the snapshots'
 * frozen copies) and everything cloned from them (member snapshots, their tombstones, volumes made from
 * them and their own clones), children first, so that each can be removed before its parent.
 *
 * @param files - The group's and the anchors' regular files, with their `mmclone show` rows.
 * @param anchorsRoot - `<group>/.group-snapshots`.
 * @returns Their paths, deepest first.
 * @example
 * ```ts
 * snapshotDependents(files, '/gpfs0/volumes/consisgroup-g1/.group-snapshots'); // ['.../v2', '.../gs1.v1', '.../.group-snapshots/gs1/v1']
 * ```
 */
export function snapshotDependents(files: readonly ScannedFile[], anchorsRoot: string): string[] {
  // An anchor's parent inode is that of a frozen copy, which GPFS numbers like the live file it was
  // frozen from: anchors are roots here, never anyone's child.
  const isAnchor = (file: ScannedFile) => file.path.startsWith(`${anchorsRoot}/`);
  const found = new Map<string, number>();
  let level = files.filter(isAnchor);
  for (let depth = 0; level.length > 0 && depth <= files.length; depth++) {
    for (const file of level) found.set(file.path, depth);
    const inodes = new Set(level.map((file) => file.inode));
    level = files.filter((file) => {
      const parent = file.clone?.parentInode ?? null;
      return !isAnchor(file) && !found.has(file.path) && parent !== null && inodes.has(parent);
    });
  }
  return [...found].sort(([, a], [, b]) => b - a).map(([path]) => path);
}

/**
 * The change round of deleteGroup: unlink (undone by relinking if a later step fails), delete the
 * fileset snapshots (the point of no return), delete the fileset with everything in it.
 *
 * @param base - `mountPointBase`.
 * @param device - The file system device.
 * @param groupId - A validated group id.
 * @param linked - Whether the fileset is linked (a retry after a failed delete may find it unlinked).
 * @param snapshotNames - Its fileset snapshots.
 * @param dependents - The files that depend on them ({@link snapshotDependents}), removed first.
 * @returns The steps.
 * @example
 * ```ts
 * deleteGroupCommands('/gpfs0/volumes', 'gpfs0', 'g1', true, ['gs1'], []).map((c) => c.argv.join(' '));
 * // ['mmunlinkfileset gpfs0 consisgroup-g1 -f', 'mmdelsnapshot gpfs0 gs1 -j consisgroup-g1', 'mmdelfileset gpfs0 consisgroup-g1 -f']
 * ```
 */
export function deleteGroupCommands(base: string, device: string, groupId: string, linked: boolean, snapshotNames: readonly string[], dependents: readonly string[] = []): StepCommand[] {
  const filesetName = groupFilesetName(groupId);
  const path = groupDirectory(base, groupId);
  // While the fileset is still linked (its files have paths); the group is being deleted with them.
  const commands: StepCommand[] = dependents.map((dependent) => ({ step: 'remove-snapshot-dependent', argv: ['rm', '-f', '--', dependent], asRoot: true }));
  if (linked) {
    commands.push({
      step: 'unlink-fileset',
      argv: ['mmunlinkfileset', device, filesetName, '-f'],
      asRoot: true,
      undo: [{ step: 'undo', argv: ['mmlinkfileset', device, filesetName, '-J', path], asRoot: true, target: `link ${path}` }],
    });
  }
  if (snapshotNames.length > 0) {
    commands.push({ step: 'delete-fileset-snapshots', argv: ['mmdelsnapshot', device, snapshotNames.join(','), '-j', filesetName], asRoot: true });
  }
  commands.push({ step: 'delete-fileset', argv: ['mmdelfileset', device, filesetName, '-f'], asRoot: true });
  return commands;
}

/**
 * The check that a group exists and is linked where it belongs: `mmlsfileset <device> -J <dir>` fails
 * unless `<dir>` is a fileset junction, so nothing is ever written into a plain directory that merely
 * has a group's name.
 *
 * @param device - The file system device.
 * @param groupPath - The group's directory.
 * @returns The check (failure: `NotFound` with role `'group'`).
 * @example
 * ```ts
 * groupCheck('gpfs0', '/gpfs0/volumes/consisgroup-g1').argv; // ['mmlsfileset', 'gpfs0', '-J', '/gpfs0/volumes/consisgroup-g1']
 * ```
 */
export function groupCheck(device: string, groupPath: string): StepCommand {
  return { step: 'check-group', argv: ['mmlsfileset', device, '-J', groupPath], asRoot: true, expect: { kind: 'present', role: 'group', path: groupPath } };
}

/**
 * The mount check of a directory as a step.
 *
 * @param directory - The directory.
 * @returns `df -P -t gpfs <directory>` with a `mounted` expectation.
 * @example
 * ```ts
 * mountedStep('/gpfs0/volumes').argv; // ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes']
 * ```
 */
export function mountedStep(directory: string): StepCommand {
  return fromPlanned(mountCheck(directory));
}

// --- Internal helpers ---

function deleteFilesetUndo(device: string, filesetName: string): UndoCommand {
  return { step: 'undo', argv: ['mmdelfileset', device, filesetName, '-f'], asRoot: true, target: `fileset ${filesetName}` };
}
