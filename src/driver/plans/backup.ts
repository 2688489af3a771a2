/**
 * The backupVolume plan (the seed's backup_volume): a point-in-time clone streamed through the runner.
 *
 * 1. checks (mount, the volume is a regular file and not a symbolic link, the work names are free), then
 *    `mmclone snap <volume> <base>/.backup-<tag>.snap` (the volume becomes the child of a read-only
 *    parent holding its blocks as they are now) and `mmclone copy` of that parent to
 *    `<base>/.tmp.backup-<tag>`, its size (raw) and, when `maxCloneDepth` is set, the volume's depth;
 * 2. `cat <clone>` with the output streamed to the caller's sink (never buffered);
 * 3. `mmclone redirect <volume>` when its depth now exceeds `maxCloneDepth` (then the parent is left
 *    with the clone only, and goes with it);
 * 4. the clone-tree executor deletes the clone and any disposable parent it leaves without children
 *    (three round trips), also when streaming failed.
 *
 * The work files start with `.`, so they never collide with a volume or snapshot name; the parent ends
 * in `.snap`, so it is disposable: the clone-tree executor collects it with the volume.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { GpfsError } from '../errors.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import type { VolumeRef } from '../types.js';
import { checkAbsent, checkPresent, readCloneDepth, readRawSize, redirect } from './commands.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * A backupVolume plan.
 *
 * @example
 * ```ts
 * const plan = planBackupVolume(options, { name: 'v1' }, 'k3x')._unsafeUnwrap();
 * plan.clonePath; // '/gpfs0/volumes/.tmp.backup-k3x'
 * ```
 */
export interface BackupPlan extends OperationPlan {
  /** The volume. */
  readonly path: string;
  /** The point-in-time clone that is streamed, then deleted. */
  readonly clonePath: string;
  /** Its hidden clone parent (the volume's new parent). */
  readonly parentPath: string;
  /** The first round. */
  readonly first: readonly PlannedCommand[];
  /** The stream command (run alone, with the caller's sink). */
  readonly stream: PlannedCommand;
}

/**
 * Plans backupVolume.
 *
 * @param options - Resolved driver options.
 * @param volume - The volume.
 * @param tag - A short unique tag (letters and digits) for the work files.
 * @returns The plan, or `InvalidName` (nothing runs).
 * @example
 * ```ts
 * planBackupVolume(options, { name: 'v1' }, 'k3x')._unsafeUnwrap().rounds.length; // 6 with maxCloneDepth, 5 without
 * ```
 */
export function planBackupVolume(options: ResolvedOptions, volume: VolumeRef, tag: string): Result<BackupPlan, GpfsError> {
  return validateName(volume.name, 'volume').map((name): BackupPlan => {
    const base = options.mountPointBase;
    const path = pathIn(base, name);
    const parentPath = pathIn(base, `.backup-${tag}.snap`);
    const clonePath = pathIn(base, `.tmp.backup-${tag}`);
    const first: PlannedCommand[] = [
      mountCheck(base),
      { step: 'volume-not-symlink', argv: ['test', '!', '-h', path], asRoot: true },
      checkPresent('check-volume', 'volume', path),
      checkAbsent('check-parent-absent', 'clone parent', parentPath),
      checkAbsent('check-clone-absent', 'clone parent', clonePath),
      { step: 'snap', argv: ['mmclone', 'snap', path, parentPath], asRoot: true, creates: [{ path: parentPath, dispose: 'tombstone' }] },
      { step: 'clone', argv: ['mmclone', 'copy', parentPath, clonePath], asRoot: true, creates: [{ path: clonePath, dispose: 'remove' }] },
      readRawSize(clonePath),
      ...(options.maxCloneDepth > 0 ? [readCloneDepth([path])] : []),
    ];
    const stream: PlannedCommand = { step: 'stream', argv: ['cat', clonePath], asRoot: true };
    const cleanup = (argv: readonly string[]): PlannedCommand => ({ step: 'clone-tree', argv, asRoot: true });
    return {
      operation: 'backupVolume',
      path,
      clonePath,
      parentPath,
      first,
      stream,
      rounds: [
        { commands: first },
        { commands: [stream], condition: 'standard output streamed to the sink' },
        ...(options.maxCloneDepth > 0 ? [{ commands: [redirect(path)], condition: `when the volume's depth exceeds maxCloneDepth (${options.maxCloneDepth})` }] : []),
        { commands: [cleanup(['find', '<directories>', '-mindepth', '1', '-maxdepth', '1', '-printf', '...'])], condition: 'clone-tree executor: listing (always, also after a failed stream)' },
        { commands: [cleanup(['mmclone', 'show', '<every regular file listed>'])], condition: 'clone-tree executor: clone relations' },
        { commands: [cleanup(['rm', '-f', '--', clonePath]), cleanup(['rm', '-f', '--', '<parents left without children>'])], condition: 'clone-tree executor: removals' },
      ],
    };
  });
}
