/**
 * The extendVolume plan, in one round trip: the current size is read (raw), then `truncate -c -s '>NG'`
 * grows the file to the new size and never shrinks it (GNU truncate's `>` means "at least"). A current
 * size above the request is refused as a shrink, and the resize changed nothing; equal sizes change
 * nothing. The read comes first so that a failure of either command leaves the volume as it was.
 *
 * Why not `qemu-img resize -f raw` here: it refuses to shrink without `--shrink` only since QEMU 2.11;
 * older releases (RHEL 7 ships 1.5.3) truncate silently, so a resize sent before the size is known
 * would destroy data on them. `truncate` never reads the content, so no format is ever probed.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { GpfsError } from '../errors.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import { allOk, validateSize, type VolumeRef } from '../types.js';
import { checkPresent, readRawSize } from './commands.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * An extendVolume plan.
 *
 * @example
 * ```ts
 * const plan: ExtendVolumePlan = planExtendVolume(options, { name: 'v1' }, 20)._unsafeUnwrap();
 * plan.sizeGiB; // 20
 * ```
 */
export interface ExtendVolumePlan extends OperationPlan {
  /** The volume file. */
  readonly path: string;
  /** The requested size. */
  readonly sizeGiB: number;
}

/**
 * Plans extendVolume.
 *
 * @param options - Resolved driver options.
 * @param volume - The volume.
 * @param newSizeGiB - Its new size.
 * @returns The plan, or a validation error (nothing runs).
 * @example
 * ```ts
 * planExtendVolume(options, { name: 'v1' }, 20)._unsafeUnwrap().rounds[0].commands.map((c) => c.argv.join(' '));
 * // ['df -P -t gpfs /gpfs0', 'test -f /gpfs0/v1', 'qemu-img info -f raw --output=json /gpfs0/v1', 'truncate -c -s >20G /gpfs0/v1']
 * ```
 */
export function planExtendVolume(options: ResolvedOptions, volume: VolumeRef, newSizeGiB: number): Result<ExtendVolumePlan, GpfsError> {
  return allOk([validateName(volume.name, 'volume'), validateSize(newSizeGiB, 'newSizeGiB')] as const).map(([name, sizeGiB]) => {
    const path = pathIn(options.mountPointBase, name);
    return {
      operation: 'extendVolume',
      path,
      sizeGiB,
      rounds: [{ commands: [mountCheck(options.mountPointBase), checkPresent('check-volume', 'volume', path), readRawSize(path), growTo(path, sizeGiB)] }],
    };
  });
}

/**
 * `truncate -c -s '>NG' <path>`: grows the file to at least `sizeGiB` GiB, never shrinks it, and never
 * creates it (`-c`).
 *
 * @param path - The volume file.
 * @param sizeGiB - The size it must reach.
 * @returns The command (step `resize`).
 * @example
 * ```ts
 * growTo('/gpfs0/v1', 20).argv; // ['truncate', '-c', '-s', '>20G', '/gpfs0/v1']
 * ```
 */
export function growTo(path: string, sizeGiB: number): PlannedCommand {
  return { step: 'resize', argv: ['truncate', '-c', '-s', `>${sizeGiB}G`, path], asRoot: true };
}
