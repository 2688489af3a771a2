/**
 * The extendVolume plan: read the current size (raw), then resize (raw) when the new size is larger.
 * Shrinking is refused before anything changes; the same size is a no-op.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { GpfsError } from '../errors.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import { allOk, validateSize, type VolumeRef } from '../types.js';
import { checkPresent, readRawSize, resizeRaw } from './commands.js';
import type { OperationPlan } from './types.js';

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
 * planExtendVolume(options, { name: 'v1' }, 20)._unsafeUnwrap().rounds[1].commands[0].argv;
 * // ['qemu-img', 'resize', '-f', 'raw', '/gpfs0/v1', '20G']
 * ```
 */
export function planExtendVolume(options: ResolvedOptions, volume: VolumeRef, newSizeGiB: number): Result<ExtendVolumePlan, GpfsError> {
  return allOk([validateName(volume.name, 'volume'), validateSize(newSizeGiB, 'newSizeGiB')] as const).map(([name, sizeGiB]) => {
    const path = pathIn(options.mountPointBase, name);
    return {
      operation: 'extendVolume',
      path,
      sizeGiB,
      rounds: [
        { commands: [mountCheck(options.mountPointBase), checkPresent('check-volume', 'volume', path), readRawSize(path)] },
        { commands: [resizeRaw(path, sizeGiB)], condition: `when ${sizeGiB} GiB is more than the current size (smaller is refused, equal does nothing)` },
      ],
    };
  });
}
