/**
 * updateGroup plans: moving volumes into and out of a consistency group.
 *
 * A group is an independent fileset, and GPFS refuses to rename a file across fileset boundaries
 * (`EXDEV`; coreutils `mv` would silently fall back to copy and delete). So a move is explicit:
 *
 * 1. checks, and one listing of the base and the group;
 * 2. `mmclone show` of both directories' regular files: a volume whose clone chain holds a snapshot (a
 *    non-disposable clone parent) is refused, because the move copies its data and its snapshots would
 *    stay behind where its snapshot operations no longer look;
 * 3. one batch: a sparse copy of each volume to a work file in its new directory, published with `ln`
 *    (the work name stays: it is how the undo of a publish whose outcome is unknown tells its own copy);
 * 4. each old file is deleted through the clone-tree executor (three round trips each, the first one
 *    also dropping the copy's work name), which also removes the disposable clone parents (`.snap`,
 *    `.ts`) it leaves without children.
 *
 * A failure before step 4 removes every copy. When a deletion in step 4 fails, `test -f` tells whether
 * the old file is gone (after a lost connection, or when only the executor's last listing failed): then
 * the copy is the volume, its move is complete and the next one goes on. Otherwise the copies of the
 * volumes not yet deleted are removed, and the copy of this one only when its old file is known to be
 * there. So each volume is in at least one place afterwards, and in exactly one unless a rollback
 * command fails.
 *
 * Running it again converges: a volume whose old file is gone and whose new name holds a regular file
 * counts as moved (nothing is deleted on the strength of that).
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import { buildCloneForest } from '../../clone-tree/index.js';
import type { FileListingEntry } from '../../parsers/index.js';
import { alreadyExists, invalidArgument, notFound, type GpfsError } from '../errors.js';
import { temporaryPath } from '../group-names.js';
import { pathIn, validateName } from '../names.js';
import { baseName, cloneEntriesOf, directoryOf, listStep, type ScannedFile } from '../scan.js';
import type { VolumeRef } from '../types.js';
import type { StepCommand } from '../undoable.js';
import { copySteps } from './group-volumes.js';
import { groupCheck, mountedStep } from './groups.js';

/**
 * One volume to move.
 *
 * @example
 * ```ts
 * const move: PlannedMove = { name: 'v3', from: '/gpfs0/volumes/v3', to: '/gpfs0/volumes/consisgroup-g1/v3', direction: 'add' };
 * ```
 */
export interface PlannedMove {
  /** The volume's name. */
  readonly name: string;
  /** Its current file. */
  readonly from: string;
  /** Its new file. */
  readonly to: string;
  /** Into the group (`'add'`) or out of it (`'remove'`). */
  readonly direction: 'add' | 'remove';
}

/**
 * Validates the names and pairs each with its old and new path.
 *
 * @param base - `mountPointBase`.
 * @param groupPath - The group's directory.
 * @param changes - Volumes to add and remove.
 * @returns The moves, or `InvalidName`/`InvalidArgument` (nothing runs).
 * @example
 * ```ts
 * planMoves('/gpfs0/volumes', '/gpfs0/volumes/consisgroup-g1', { addVolumes: [{ name: 'v3' }] });
 * ```
 */
export function planMoves(base: string, groupPath: string, changes: { readonly addVolumes?: readonly VolumeRef[]; readonly removeVolumes?: readonly VolumeRef[] }): Result<PlannedMove[], GpfsError> {
  const moves: PlannedMove[] = [];
  const seen = new Set<string>();
  for (const [direction, list] of [
    ['add', changes.addVolumes ?? []],
    ['remove', changes.removeVolumes ?? []],
  ] as const) {
    if (!Array.isArray(list)) return err(invalidArgument(direction === 'add' ? 'addVolumes' : 'removeVolumes', 'must be an array of { name } volume references. Nothing was run.'));
    for (const volume of list as readonly VolumeRef[]) {
      const name = validateName(typeof volume === 'string' ? volume : volume?.name, 'volume');
      if (name.isErr()) return err(name.error);
      if (seen.has(name.value)) return err(invalidArgument('volumes', `volume ${name.value} is named twice in the changes. Nothing was run.`));
      seen.add(name.value);
      const inGroup = pathIn(groupPath, name.value);
      const inBase = pathIn(base, name.value);
      moves.push(direction === 'add' ? { name: name.value, from: inBase, to: inGroup, direction } : { name: name.value, from: inGroup, to: inBase, direction });
    }
  }
  return ok(moves);
}

/**
 * Round 1: mount and group checks, and the listing of the base and the group.
 *
 * @param base - `mountPointBase`.
 * @param device - File system device.
 * @param groupPath - The group's directory.
 * @returns The steps (`list` lists both directories).
 * @example
 * ```ts
 * updateGroupChecks('/gpfs0/volumes', 'gpfs0', '/gpfs0/volumes/consisgroup-g1').map((c) => c.step); // ['check-mounted', 'check-group', 'list']
 * ```
 */
export function updateGroupChecks(base: string, device: string, groupPath: string): StepCommand[] {
  return [mountedStep(base), groupCheck(device, groupPath), listStep([base, groupPath], { minDepth: 1, maxDepth: 1 }, 'list')];
}

/**
 * Checks the moves against the listing: each volume is where it should be and not yet where it goes,
 * or already moved: its old name is free and its new name is a regular file (what a move interrupted
 * after deleting the old file leaves). Such a move is not made again; nothing is deleted because of it.
 *
 * @param moves - The moves.
 * @param listing - The listing of both directories.
 * @returns The moves still to make, or `NotFound`/`AlreadyExists`.
 * @example
 * ```ts
 * checkMoves(moves, listing).map((pending) => pending.length);
 * ```
 */
export function checkMoves(moves: readonly PlannedMove[], listing: readonly FileListingEntry[]): Result<PlannedMove[], GpfsError> {
  const files = new Map(listing.map((entry) => [entry.path, entry]));
  const pending: PlannedMove[] = [];
  for (const move of moves) {
    const source = files.get(move.from);
    const destination = files.get(move.to);
    if (source === undefined && destination?.type === 'f') continue;
    if (source?.type !== 'f') return err(notFound('volume', move.from));
    if (destination !== undefined) return err(alreadyExists('volume', move.to));
    pending.push(move);
  }
  return ok(pending);
}

/**
 * Refuses moves of volumes whose clone chain holds a snapshot, or that are clone parents themselves.
 *
 * @param moves - The moves.
 * @param files - Scanned regular files of both directories.
 * @returns `Ok`, or `InUse` naming the snapshot files (nothing was changed).
 * @example
 * ```ts
 * checkMovable(moves, files);
 * ```
 */
export function checkMovable(moves: readonly PlannedMove[], files: readonly ScannedFile[]): Result<void, GpfsError> {
  const forest = buildCloneForest(cloneEntriesOf(files), { parentsOutsideListedDirectories: 'all-unlisted' });
  if (forest.isErr()) return err(forest.error);
  for (const move of moves) {
    const node = forest.value.nodes.get(forest.value.inodeByPath.get(move.from) ?? -1);
    if (node === undefined) continue;
    if (node.isParent) return err(inUse(move.from, `${move.from} is a clone parent; a volume file never is. Nothing was changed.`));
    const snapshots: string[] = [];
    for (let parent = node.parentInode; parent !== null;) {
      const ancestor = forest.value.nodes.get(parent);
      if (ancestor === undefined || ancestor.path === null) break;
      const name = baseName(ancestor.path);
      if (!name.endsWith('.snap') && !name.endsWith('.ts') && directoryOf(ancestor.path) === directoryOf(move.from)) snapshots.push(ancestor.path);
      parent = ancestor.parentInode;
    }
    if (snapshots.length > 0) {
      return err(
        inUse(
          move.from,
          `volume ${move.name} depends on snapshot file(s) ${snapshots.join(', ')}: moving it to another fileset copies its data and would leave them behind, where its snapshot operations no longer find them. Delete or copy out those snapshots first. Nothing was changed.`,
        ),
      );
    }
  }
  return ok(undefined);
}

/**
 * The work file of the `index`-th move: `<new directory>/.tmp.move.<tag>-<index>`.
 *
 * @param move - The move.
 * @param tag - The execution's unique tag.
 * @param index - The move's position in the batch.
 * @returns The path.
 * @example
 * ```ts
 * moveWorkPath({ name: 'v3', from: '/gpfs0/volumes/v3', to: '/gpfs0/volumes/consisgroup-g1/v3', direction: 'add' }, 'k3x1', 0);
 * // '/gpfs0/volumes/consisgroup-g1/.tmp.move.k3x1-0'
 * ```
 */
export function moveWorkPath(move: PlannedMove, tag: string, index: number): string {
  return temporaryPath(directoryOf(move.to), 'move', `${tag}-${index}`);
}

/**
 * Round 3: copy every volume to its new place, keeping each copy's work name (see {@link moveWorkPath};
 * dropped in the first round trip of the old file's deletion).
 *
 * @param moves - The moves.
 * @param mmchattrOptions - Attributes of the copies (the storage pool).
 * @param tag - Unique tag for work files.
 * @returns The steps; every copy is removed if any step fails, also after a runner error.
 * @example
 * ```ts
 * copyMoveSteps(moves, ['-P', 'system'], 'k3x1');
 * ```
 */
export function copyMoveSteps(moves: readonly PlannedMove[], mmchattrOptions: readonly string[], tag: string): StepCommand[] {
  return moves.flatMap((move, index): StepCommand[] => [
    { step: 'check-destination-absent', argv: ['test', '!', '-e', move.to], asRoot: true, expect: { kind: 'absent', role: 'volume', path: move.to } },
    ...copySteps(move.from, moveWorkPath(move, tag, index), move.to, mmchattrOptions, null, false),
  ]);
}

/**
 * After the deletion of `moves[index]`'s old file failed: drop the copy's work name and ask whether the
 * old file is still there (`test -f`: exit 1 means it is gone, and the copy is the volume).
 *
 * @param moves - The moves being made (as given to {@link copyMoveSteps}).
 * @param tag - The tag given to {@link copyMoveSteps}.
 * @param index - The move whose deletion failed.
 * @returns The commands (send without stopping; step `check-old-file` is the answer).
 * @example
 * ```ts
 * oldFileCheckSteps(moves, 'k3x1', 0).map((c) => c.step); // ['remove-work-name', 'check-old-file']
 * ```
 */
export function oldFileCheckSteps(moves: readonly PlannedMove[], tag: string, index: number): StepCommand[] {
  const move = moves[index];
  if (move === undefined) return [];
  return [
    { step: 'remove-work-name', argv: ['rm', '-f', '--', moveWorkPath(move, tag, index)], asRoot: true },
    { step: 'check-old-file', argv: ['test', '-f', move.from], asRoot: true },
  ];
}

/**
 * The rollback once a move cannot be completed: the copies (and work names) of the later moves, whose
 * old files were not touched, and the copy of `moves[index]` when its old file is known to be there.
 *
 * @param moves - The moves being made (as given to {@link copyMoveSteps}).
 * @param tag - The tag given to {@link copyMoveSteps}.
 * @param index - The move that failed.
 * @param removeCopy - Remove that move's copy too (its old file is there: `test -f` exited 0).
 * @returns The commands (send without stopping).
 * @example
 * ```ts
 * rollbackSteps(moves, 'k3x1', 0, true).map((c) => c.step); // ['remove-copy']
 * ```
 */
export function rollbackSteps(moves: readonly PlannedMove[], tag: string, index: number, removeCopy: boolean): StepCommand[] {
  const rm = (step: string, path: string): StepCommand => ({ step, argv: ['rm', '-f', '--', path], asRoot: true });
  const move = moves[index];
  return [
    ...(removeCopy && move !== undefined ? [rm('remove-copy', move.to)] : []),
    ...moves.slice(index + 1).flatMap((later, offset) => [rm('remove-copy', later.to), rm('remove-work-name', moveWorkPath(later, tag, index + 1 + offset))]),
  ];
}

// --- Internal helpers ---

function inUse(path: string, message: string): GpfsError {
  return { kind: 'InUse', path, message };
}
