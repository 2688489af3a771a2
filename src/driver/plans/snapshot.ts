/**
 * Snapshot plans.
 *
 * createSnapshot: `mmclone snap <volume> <snapshot>` (the snapshot becomes the volume's clone parent),
 * mode 640, and the volume's depth when `maxCloneDepth` is set; a second round redirects the volume
 * when its depth exceeds it.
 *
 * deleteSnapshot: rename to the `.ts` tombstone, read its clone status, and try to remove it; GPFS
 * refuses while clones depend on it, and the clone-tree executor collects it with its last clone.
 * Deleting a snapshot that is already gone is `Ok`.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { GpfsError } from '../errors.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, tombstonePath, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import { allOk, type SnapshotRef } from '../types.js';
import { checkAbsent, checkPresent, readCloneDepth, redirect, setMode } from './commands.js';
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
 * // ['check-mounted', 'check-volume', 'check-snapshot-absent', 'snap', 'set-permissions']
 * ```
 */
export function planCreateSnapshot(options: ResolvedOptions, snapshot: SnapshotRef): Result<SnapshotPlan, GpfsError> {
  return paths(options, snapshot).map(({ path, volumePath, tombstone }): SnapshotPlan => {
    const commands: PlannedCommand[] = [
      mountCheck(options.mountPointBase),
      checkPresent('check-volume', 'volume', volumePath),
      checkAbsent('check-snapshot-absent', 'snapshot', path),
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
 * Plans deleteSnapshot. The second round runs only when a tombstone of the same name is already there
 * (a snapshot of that name was deleted before while clones depended on it): it uses a tagged name.
 *
 * @param options - Resolved driver options.
 * @param snapshot - The snapshot to delete.
 * @returns The plan, or `InvalidName` (nothing runs).
 * @example
 * ```ts
 * planDeleteSnapshot(options, { name: 's1', volumeName: 'v1' })._unsafeUnwrap().rounds[0].commands.map((c) => c.argv.join(' '));
 * // ['mmlsattr /gpfs0', 'test -f /gpfs0/s1', 'test ! -e /gpfs0/s1.ts', 'mv /gpfs0/s1 /gpfs0/s1.ts', 'mmclone show /gpfs0/s1.ts', 'rm -f /gpfs0/s1.ts']
 * ```
 */
export function planDeleteSnapshot(options: ResolvedOptions, snapshot: SnapshotRef): Result<SnapshotPlan, GpfsError> {
  return paths(options, snapshot).map(({ path, volumePath, tombstone }): SnapshotPlan => ({
    operation: 'deleteSnapshot',
    rounds: [
      {
        commands: [
          mountCheck(options.mountPointBase),
          checkPresent('check-snapshot', 'snapshot', path),
          checkAbsent('check-tombstone-absent', 'snapshot', tombstone),
          ...tombstoneCommands(path, tombstone),
        ],
      },
      {
        commands: tombstoneCommands(path, tombstonePath(path, '<tag>')),
        condition: `only when ${tombstone} already exists: a tagged tombstone name is used instead`,
      },
    ],
    path,
    volumePath,
    tombstonePath: tombstone,
  }));
}

/**
 * Rename a snapshot to a tombstone, read its clone status, and try to remove it.
 *
 * @param path - The snapshot file.
 * @param tombstone - The tombstone path.
 * @returns The commands (`remove-tombstone` is last: its failure means clones depend on it).
 * @example
 * ```ts
 * tombstoneCommands('/gpfs0/s1', '/gpfs0/s1.ts').map((c) => c.step); // ['rename-to-tombstone', 'read-tombstone-status', 'remove-tombstone']
 * ```
 */
export function tombstoneCommands(path: string, tombstone: string): PlannedCommand[] {
  return [
    { step: 'rename-to-tombstone', argv: ['mv', path, tombstone], asRoot: true },
    { step: 'read-tombstone-status', argv: ['mmclone', 'show', tombstone], asRoot: true },
    { step: 'remove-tombstone', argv: ['rm', '-f', tombstone], asRoot: true },
  ];
}

// --- Internal helpers ---

function paths(options: ResolvedOptions, snapshot: SnapshotRef): Result<{ path: string; volumePath: string; tombstone: string }, GpfsError> {
  return allOk([validateName(snapshot.name, 'snapshot'), validateName(snapshot.volumeName, 'volume')] as const).map(
    ([name, volumeName]) => {
      const path = pathIn(options.mountPointBase, name);
      return { path, volumePath: pathIn(options.mountPointBase, volumeName), tombstone: tombstonePath(path) };
    },
  );
}
