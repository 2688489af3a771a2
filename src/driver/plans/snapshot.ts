/**
 * Snapshot plans.
 *
 * createSnapshot: `mmclone snap <volume> <snapshot>` (the snapshot becomes the volume's clone parent),
 * mode 640, and the volume's depth when `maxCloneDepth` is set; a second round redirects the volume
 * when its depth exceeds it.
 *
 * deleteSnapshot: rename to the `.ts` tombstone and remove it unless clones depend on it, which its
 * link count tells (GPFS counts each clone child as a link of its parent): `find <tombstone>
 * -maxdepth 0 -printf '%n\n' -links 1 -delete` prints the count and deletes only a tombstone with a
 * count of 1, in one system command instead of an `mmclone show` (an mm* command) and an `rm`. The
 * clone-tree executor collects a kept tombstone with its last clone. Deleting a snapshot that is
 * already gone is `Ok`.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { GpfsError } from '../errors.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, tombstonePath, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import { allOk, type SnapshotRef } from '../types.js';
import { checkAll } from '../preconditions.js';
import { readCloneDepth, redirect, setMode } from './commands.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * A snapshot plan and the paths involved.
 *
 * @example
 * ```ts
 * const plan: SnapshotPlan = planDeleteSnapshot(options, { name: 's1', volumeName: 'v1' })._unsafeUnwrap();
 * plan.tombstonePath; // '/gpfs0/s1.ts'
 * ```
 */
export interface SnapshotPlan extends OperationPlan {
  /** The snapshot file. */
  readonly path: string;
  /** The volume file. */
  readonly volumePath: string;
  /** The tombstone it is renamed to on delete. */
  readonly tombstonePath: string;
}

/**
 * Plans createSnapshot.
 *
 * @param options - Resolved driver options.
 * @param snapshot - The snapshot to take.
 * @returns The plan, or `InvalidName` (nothing runs).
 * @example
 * ```ts
 * planCreateSnapshot(options, { name: 's1', volumeName: 'v1' })._unsafeUnwrap().rounds[0].commands.map((c) => c.step);
 * // ['check-mounted', 'check-preconditions', 'snap', 'set-permissions']
 * ```
 */
export function planCreateSnapshot(options: ResolvedOptions, snapshot: SnapshotRef): Result<SnapshotPlan, GpfsError> {
  return paths(options, snapshot).map(({ path, volumePath, tombstone }): SnapshotPlan => {
    const commands: PlannedCommand[] = [
      mountCheck(options.mountPointBase),
      checkAll('check-preconditions', [
        { kind: 'present', role: 'volume', path: volumePath },
        { kind: 'absent', role: 'snapshot', path },
      ]),
      { step: 'snap', argv: ['mmclone', 'snap', volumePath, path], asRoot: true, creates: [{ path, dispose: 'tombstone' }] },
      setMode(path, '640'),
      ...(options.maxCloneDepth > 0 ? [readCloneDepth([volumePath])] : []),
    ];
    const rounds: OperationPlan['rounds'] =
      options.maxCloneDepth === 0
        ? [{ commands }]
        : [{ commands }, { commands: [redirect(volumePath)], condition: `when the depth of ${volumePath} exceeds maxCloneDepth (${options.maxCloneDepth})` }];
    return { operation: 'createSnapshot', rounds, path, volumePath, tombstonePath: tombstone };
  });
}

/**
 * Plans deleteSnapshot. One `test` checks that the snapshot is there and its `.ts` name is free. When
 * it fails, the second round tells which: `test -f <snapshot>` failing means already deleted (`Ok`);
 * otherwise a tombstone of the same name is already there (a snapshot of that name was deleted before
 * while clones depended on it) and a tagged name is used.
 *
 * @param options - Resolved driver options.
 * @param snapshot - The snapshot to delete.
 * @returns The plan, or `InvalidName` (nothing runs).
 * @example
 * ```ts
 * planDeleteSnapshot(options, { name: 's1', volumeName: 'v1' })._unsafeUnwrap().rounds[0].commands.map((c) => c.argv.join(' '));
 * // ['df -P -t gpfs /gpfs0', 'test -f /gpfs0/s1 -a ! -e /gpfs0/s1.ts', 'mv /gpfs0/s1 /gpfs0/s1.ts',
 * //  'find /gpfs0/s1.ts -maxdepth 0 -printf %n\\n -links 1 -delete']
 * ```
 */
export function planDeleteSnapshot(options: ResolvedOptions, snapshot: SnapshotRef): Result<SnapshotPlan, GpfsError> {
  return paths(options, snapshot).map(({ path, volumePath, tombstone }): SnapshotPlan => ({
    operation: 'deleteSnapshot',
    rounds: [
      {
        commands: [
          mountCheck(options.mountPointBase),
          checkAll('check-preconditions', [
            { kind: 'present', role: 'snapshot', path },
            { kind: 'absent', role: 'snapshot', path: tombstone },
          ]),
          ...tombstoneCommands(path, tombstone),
        ],
      },
      {
        commands: [checkPresentSnapshot(path), ...tombstoneCommands(path, tombstonePath(path, '<tag>'))],
        condition: `only when the first check failed: ${path} missing means already deleted (nothing more runs); otherwise ${tombstone} already exists and a tagged tombstone name is used instead`,
      },
    ],
    path,
    volumePath,
    tombstonePath: tombstone,
  }));
}

/**
 * Rename a snapshot to a tombstone, then remove it unless clones depend on it: `find` prints its link
 * count (1 + its clone children) and deletes it only when the count is 1.
 *
 * @param path - The snapshot file.
 * @param tombstone - The tombstone path.
 * @returns The commands (`remove-tombstone` is last: it exits 0 whether it deleted or kept the
 *   tombstone, and non-zero when the deletion itself failed).
 * @example
 * ```ts
 * tombstoneCommands('/gpfs0/s1', '/gpfs0/s1.ts').map((c) => c.step); // ['rename-to-tombstone', 'remove-tombstone']
 * ```
 */
export function tombstoneCommands(path: string, tombstone: string): PlannedCommand[] {
  return [
    { step: 'rename-to-tombstone', argv: ['mv', path, tombstone], asRoot: true },
    { step: 'remove-tombstone', argv: ['find', tombstone, '-maxdepth', '0', '-printf', '%n\\n', '-links', '1', '-delete'], asRoot: true },
  ];
}

/**
 * `test -f <snapshot>` of deleteSnapshot's second round: exit 1 means already deleted.
 *
 * @param path - The snapshot file.
 * @returns The check (step `check-snapshot`, read by the operation).
 * @example
 * ```ts
 * checkPresentSnapshot('/gpfs0/s1').argv; // ['test', '-f', '/gpfs0/s1']
 * ```
 */
export function checkPresentSnapshot(path: string): PlannedCommand {
  return { step: 'check-snapshot', argv: ['test', '-f', path], asRoot: true };
}

// --- Internal helpers ---

function paths(options: ResolvedOptions, snapshot: SnapshotRef): Result<{ path: string; volumePath: string; tombstone: string }, GpfsError> {
  return allOk([validateName(snapshot.name, 'snapshot'), validateName(snapshot.volumeName, 'volume')] as const).map(([name, volumeName]) => {
    const path = pathIn(options.mountPointBase, name);
    return { path, volumePath: pathIn(options.mountPointBase, volumeName), tombstone: tombstonePath(path) };
  });
}
