/**
 * Group snapshot plans: point-in-time consistent across the group's volumes.
 *
 * Upstream snapshots the volumes one after another (cinder-gpfs-driver.md E.8 item 11), so a group
 * written to meanwhile gets snapshots from different instants. Here the consistent instant is one GPFS
 * fileset snapshot, `mmcrsnapshot <device> <id> -j consisgroup-<group>`, and every member snapshot is
 * cloned from that snapshot's frozen copy of its volume, whatever the volumes do afterwards:
 *
 * 1. checks and the group listing (candidates: regular files with volume names);
 * 2. `mmcrsnapshot ... -j`, the anchor directory, and `mmclone show` of the candidates' frozen copies
 *    (clone parents, i.e. snapshots, are not volumes);
 * 3. per volume: `mmclone copy <.snapshots/id/volume> <anchor>`, `mmclone snap <anchor>`,
 *    `mmclone copy <anchor> <member>`, `mmclone snap <member>`, `chmod 640 <member>`.
 *
 * The anchor (`.group-snapshots/<id>/<volume>`) exists because GPFS reports a clone of a snapshot file
 * with the parent inode of the live file it was frozen from: a member cloned straight from the fileset
 * snapshot would look, to every clone-tree walk of the group directory, like a child of its own live
 * volume (which could then never be deleted). The member's parent is the anchor instead, in a directory
 * those walks do not list. All of it is metadata: no volume data is copied.
 *
 * A failure anywhere undoes everything (members, anchors, the directory, the fileset snapshot).
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { InvalidNameError } from '../errors.js';
import { anchorDirectory, filesetSnapshotDirectory, groupFilesetName, memberSnapshotName } from '../group-names.js';
import { NAME_PATTERN, pathIn, tombstonePath } from '../names.js';
import { baseName, listStep, type ScannedFile } from '../scan.js';
import { removeFile, type StepCommand } from '../undoable.js';
import { groupCheck, mountedStep } from './groups.js';

/**
 * Round 1 of createGroupSnapshot: checks and the listing of the group.
 *
 * @param base - `mountPointBase`.
 * @param device - File system device.
 * @param groupPath - The group's directory.
 * @param snapshotId - The group snapshot id.
 * @returns The steps (the listing is `list-group`).
 * @example
 * ```ts
 * createGroupSnapshotChecks('/gpfs0/volumes', 'gpfs0', '/gpfs0/volumes/consisgroup-g1', 'gs1').map((c) => c.step);
 * // ['check-mounted', 'check-group', 'check-snapshot-absent', 'check-anchors-absent', 'list-group']
 * ```
 */
export function createGroupSnapshotChecks(base: string, device: string, groupPath: string, snapshotId: string): StepCommand[] {
  const snapshotPath = filesetSnapshotDirectory(groupPath, snapshotId);
  const anchors = anchorDirectory(groupPath, snapshotId);
  return [
    mountedStep(base),
    groupCheck(device, groupPath),
    { step: 'check-snapshot-absent', argv: ['test', '!', '-e', snapshotPath], asRoot: true, expect: { kind: 'absent', role: 'group snapshot', path: snapshotPath } },
    { step: 'check-anchors-absent', argv: ['test', '!', '-e', anchors], asRoot: true, expect: { kind: 'absent', role: 'group snapshot', path: anchors } },
    listStep([groupPath], { minDepth: 1, maxDepth: 1 }, 'list-group'),
  ];
}

/**
 * The read round of deleteGroupSnapshot (read-only, run to its end): mount and group checks, whether
 * the fileset snapshot, the anchor directory and a tombstoned anchor directory exist, and the listing of
 * the group and the anchors.
 *
 * @param base - `mountPointBase`.
 * @param device - File system device.
 * @param groupPath - The group's directory.
 * @param snapshotId - The group snapshot id.
 * @returns The steps.
 * @example
 * ```ts
 * deleteGroupSnapshotReads('/gpfs0/volumes', 'gpfs0', '/gpfs0/volumes/consisgroup-g1', 'gs1').map((c) => c.step);
 * // ['check-mounted', 'check-group', 'check-snapshot', 'check-anchors', 'check-tombstoned', 'list']
 * ```
 */
export function deleteGroupSnapshotReads(base: string, device: string, groupPath: string, snapshotId: string): StepCommand[] {
  const anchors = anchorDirectory(groupPath, snapshotId);
  return [
    mountedStep(base),
    groupCheck(device, groupPath),
    { step: 'check-snapshot', argv: ['test', '-e', filesetSnapshotDirectory(groupPath, snapshotId)], asRoot: true },
    { step: 'check-anchors', argv: ['test', '-d', anchors], asRoot: true },
    { step: 'check-tombstoned', argv: ['test', '-d', anchorDirectory(groupPath, snapshotId, true)], asRoot: true },
    listStep([groupPath, anchors], { minDepth: 1, maxDepth: 1 }, 'list'),
  ];
}

/**
 * The names that may be volumes: regular files whose name is a volume name (clone parents among them
 * are snapshots, told apart in round 2).
 *
 * @param files - The group listing's regular files.
 * @returns Candidate volume names, sorted.
 * @example
 * ```ts
 * volumeCandidates([{ path: '/g/v1', type: 'f' }, { path: '/g/v1.snap', type: 'f' }]); // ['v1']
 * ```
 */
export function volumeCandidates(files: readonly Pick<ScannedFile, 'path' | 'type'>[]): string[] {
  return files
    .filter((file) => file.type === 'f')
    .map((file) => baseName(file.path))
    .filter((name) => NAME_PATTERN.test(name) && !name.endsWith('.snap') && !name.endsWith('.ts'))
    .sort();
}

/**
 * Round 2 of createGroupSnapshot: the fileset snapshot (the consistent instant), the anchor directory.
 * The caller appends `mmclone show` of the candidates' frozen copies.
 *
 * @param device - File system device.
 * @param groupId - The group id.
 * @param groupPath - The group's directory.
 * @param snapshotId - The group snapshot id.
 * @returns The steps, each undone if a later one fails.
 * @example
 * ```ts
 * takeGroupSnapshotSteps('gpfs0', 'g1', '/gpfs0/volumes/consisgroup-g1', 'gs1')[0].argv; // ['mmcrsnapshot', 'gpfs0', 'gs1', '-j', 'consisgroup-g1']
 * ```
 */
export function takeGroupSnapshotSteps(device: string, groupId: string, groupPath: string, snapshotId: string): StepCommand[] {
  const filesetName = groupFilesetName(groupId);
  const anchors = anchorDirectory(groupPath, snapshotId);
  return [
    {
      step: 'create-fileset-snapshot',
      argv: ['mmcrsnapshot', device, snapshotId, '-j', filesetName],
      asRoot: true,
      undo: [{ step: 'undo', argv: ['mmdelsnapshot', device, snapshotId, '-j', filesetName], asRoot: true, target: `fileset snapshot ${filesetName}:${snapshotId}`, onlyAfterCleanUndo: true }],
    },
    {
      step: 'make-anchor-directory',
      argv: ['mkdir', '-p', '-m', '700', anchors],
      asRoot: true,
      undo: [{ step: 'undo', argv: ['rm', '-d', '--', anchors], asRoot: true, target: anchors }],
    },
  ];
}

/**
 * Round 3 of createGroupSnapshot: the anchor and member snapshot of each volume.
 *
 * @param groupPath - The group's directory.
 * @param snapshotId - The group snapshot id.
 * @param volumeNames - The volumes (non-parent files of the snapshot).
 * @returns The steps with their undo, and the member paths by volume; or `InvalidName` when a member
 *   name would be too long (nothing beyond round 2 was made; the caller undoes that).
 * @example
 * ```ts
 * memberSteps('/gpfs0/volumes/consisgroup-g1', 'gs1', ['v1'])._unsafeUnwrap().members; // Map { 'v1' => '/gpfs0/volumes/consisgroup-g1/gs1.v1' }
 * ```
 */
export function memberSteps(
  groupPath: string,
  snapshotId: string,
  volumeNames: readonly string[],
): Result<{ readonly commands: StepCommand[]; readonly members: Map<string, string> }, InvalidNameError> {
  const frozen = filesetSnapshotDirectory(groupPath, snapshotId);
  const anchors = anchorDirectory(groupPath, snapshotId);
  const members = new Map<string, string>();
  const checks: StepCommand[] = [];
  const commands: StepCommand[] = [];
  for (const volumeName of volumeNames) {
    const name = memberSnapshotName(snapshotId, volumeName);
    if (name.isErr()) return err(name.error);
    const member = pathIn(groupPath, name.value);
    const anchor = `${anchors}/${volumeName}`;
    members.set(volumeName, member);
    checks.push({ step: 'check-member-absent', argv: ['test', '!', '-e', member], asRoot: true, expect: { kind: 'absent', role: 'snapshot', path: member } });
    commands.push(
      { step: 'clone-frozen-volume', argv: ['mmclone', 'copy', `${frozen}/${volumeName}`, anchor], asRoot: true, undo: [removeFile(anchor, true)], undoIfFailed: true },
      { step: 'make-anchor-parent', argv: ['mmclone', 'snap', anchor], asRoot: true },
      { step: 'clone-member', argv: ['mmclone', 'copy', anchor, member], asRoot: true, undo: [removeFile(member)], undoIfFailed: true },
      { step: 'make-member-parent', argv: ['mmclone', 'snap', member], asRoot: true },
      { step: 'set-permissions', argv: ['chmod', '640', member], asRoot: true },
    );
  }
  return ok({ commands: [...checks, ...commands], members });
}

/**
 * What deleting a group snapshot removes, from the group's and the anchors' scanned files.
 *
 * Per anchor: a child (the member, or an old tombstone of it) without children is removed; the member
 * with children becomes a `.ts` tombstone; the anchor goes when all its children go. When every anchor
 * goes, the anchor directory and the fileset snapshot go too; otherwise the anchor directory becomes
 * `<id>.ts/` for garbage collection to finish once the clones are deleted.
 *
 * @param context - Paths, names and the files found.
 * @returns The removal steps (run stopping at the first failure: `rm` of a parent that got a child
 *   meanwhile fails, so the fileset snapshot is never deleted under a live clone) and the summary.
 * @example
 * ```ts
 * const removal = planGroupSnapshotRemoval({ device: 'gpfs0', groupId: 'g1', groupPath, snapshotId: 'gs1', files, tag: 'k3x1' });
 * ```
 */
export function planGroupSnapshotRemoval(context: {
  readonly device: string;
  readonly groupId: string;
  readonly groupPath: string;
  readonly snapshotId: string;
  readonly files: readonly ScannedFile[];
  readonly tag: string;
}): { readonly commands: StepCommand[]; readonly removed: string[]; readonly tombstones: string[]; readonly deletesSnapshot: boolean } {
  const { device, groupId, groupPath, snapshotId, files, tag } = context;
  const anchors = anchorDirectory(groupPath, snapshotId);
  const existing = new Set(files.map((file) => file.path));
  const childrenOf = (inode: number) => files.filter((file) => file.clone?.parentInode === inode && !file.path.startsWith(`${anchors}/`));
  const removals: StepCommand[] = [];
  const renames: StepCommand[] = [];
  const removed: string[] = [];
  const tombstones: string[] = [];
  let keptAnchors = 0;
  for (const anchor of files.filter((file) => file.path.startsWith(`${anchors}/`))) {
    let keep = false;
    for (const child of childrenOf(anchor.inode)) {
      if (childrenOf(child.inode).length === 0) {
        removals.push(remove(child.path));
        removed.push(child.path);
      } else {
        keep = true;
        if (child.path.endsWith('.ts')) continue;
        const tombstone = existing.has(tombstonePath(child.path)) ? tombstonePath(child.path, tag) : tombstonePath(child.path);
        renames.push({ step: 'rename-to-tombstone', argv: ['mv', '-T', '--', child.path, tombstone], asRoot: true });
        tombstones.push(tombstone);
      }
    }
    if (keep) keptAnchors += 1;
    else {
      removals.push(remove(anchor.path));
      removed.push(anchor.path);
    }
  }
  const deletesSnapshot = keptAnchors === 0;
  const finish: StepCommand[] = deletesSnapshot
    ? [
        { step: 'remove-anchor-directory', argv: ['rm', '-d', '--', anchors], asRoot: true },
        { step: 'delete-fileset-snapshot', argv: ['mmdelsnapshot', device, snapshotId, '-j', groupFilesetName(groupId)], asRoot: true },
      ]
    : [{ step: 'tombstone-group-snapshot', argv: ['mv', '-T', '--', anchors, anchorDirectory(groupPath, snapshotId, true)], asRoot: true }];
  // Members before anchors: an anchor can only go once its member is gone.
  const ordered = [...removals.filter((command) => !command.argv.at(-1)?.startsWith(`${anchors}/`)), ...removals.filter((command) => command.argv.at(-1)?.startsWith(`${anchors}/`) === true)];
  return { commands: [...renames, ...ordered, ...finish], removed, tombstones, deletesSnapshot };
}

// --- Internal helpers ---

function remove(path: string): StepCommand {
  return { step: 'remove', argv: ['rm', '-f', '--', path], asRoot: true };
}
