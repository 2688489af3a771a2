/**
 * The restoreBackup plan (the seed's restore_backup), streamed through the runner:
 *
 * 1. checks: mount, the volume is a regular file and not a symbolic link (nothing is written through a
 *    link out of the base), its clone state (a clone parent is read-only: refused) and its size (raw);
 * 2. `dd of=<volume> bs=4M iflag=fullblock [conv=sparse] status=none` with the caller's source on
 *    standard input, capped at the volume's size. dd truncates the file first, so no old block survives
 *    under a hole of the backup (the leak upstream fixed for re-imaging in 1a8ea0eac); zero blocks become
 *    holes only when the volume is not a clone (a clone child's holes are never relied on);
 * 3. when the backup was shorter than the volume, `truncate -s <size>` gives the volume its size back.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { GpfsError } from '../errors.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import type { VolumeRef } from '../types.js';
import { checkPresent, readRawSize } from './commands.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * A restoreBackup plan.
 *
 * @example
 * ```ts
 * const plan = planRestoreBackup(options, { name: 'v1' })._unsafeUnwrap();
 * plan.first.map((command) => command.step); // ['check-mounted', 'volume-not-symlink', 'check-volume', 'read-clone-state', 'read-size']
 * ```
 */
export interface RestorePlan extends OperationPlan {
  /** The volume. */
  readonly path: string;
  /** The first round. */
  readonly first: readonly PlannedCommand[];
}

/**
 * Plans restoreBackup.
 *
 * @param options - Resolved driver options.
 * @param volume - The volume to overwrite.
 * @returns The plan, or `InvalidName` (nothing runs).
 * @example
 * ```ts
 * planRestoreBackup(options, { name: 'v1' })._unsafeUnwrap().rounds.length; // 3
 * ```
 */
export function planRestoreBackup(options: ResolvedOptions, volume: VolumeRef): Result<RestorePlan, GpfsError> {
  return validateName(volume.name, 'volume').map((name): RestorePlan => {
    const path = pathIn(options.mountPointBase, name);
    const first: PlannedCommand[] = [
      mountCheck(options.mountPointBase),
      { step: 'volume-not-symlink', argv: ['test', '!', '-h', path], asRoot: true },
      checkPresent('check-volume', 'volume', path),
      { step: 'read-clone-state', argv: ['mmclone', 'show', path], asRoot: true },
      readRawSize(path),
    ];
    return {
      operation: 'restoreBackup',
      path,
      first,
      rounds: [
        { commands: first },
        { commands: [restoreCommand(path, true)], condition: 'standard input streamed from the source, capped at the volume size; conv=sparse only when the volume is not a clone' },
        { commands: [extendCommand(path, '<volume size>')], condition: 'when the backup is shorter than the volume' },
      ],
    };
  });
}

/**
 * The `dd` that writes standard input over the volume (truncating it first).
 *
 * @param path - The volume.
 * @param sparse - Turn zero blocks into holes.
 * @returns The command (step `stream`).
 * @example
 * ```ts
 * restoreCommand('/gpfs0/v1', true).argv; // ['dd', 'of=/gpfs0/v1', 'bs=4M', 'iflag=fullblock', 'conv=sparse', 'status=none']
 * ```
 */
export function restoreCommand(path: string, sparse: boolean): PlannedCommand {
  return { step: 'stream', argv: ['dd', `of=${path}`, 'bs=4M', 'iflag=fullblock', ...(sparse ? ['conv=sparse'] : []), 'status=none'], asRoot: true };
}

/**
 * `truncate -s <bytes> <path>`: gives the volume its size back after a shorter backup.
 *
 * @param path - The volume.
 * @param sizeBytes - Its size.
 * @returns The command (step `restore-size`).
 * @example
 * ```ts
 * extendCommand('/gpfs0/v1', 1073741824).argv; // ['truncate', '-s', '1073741824', '/gpfs0/v1']
 * ```
 */
export function extendCommand(path: string, sizeBytes: number | string): PlannedCommand {
  return { step: 'restore-size', argv: ['truncate', '-s', String(sizeBytes), path], asRoot: true };
}
