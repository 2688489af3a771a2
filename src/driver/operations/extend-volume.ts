/**
 * extendVolume: read the size (raw) and grow (never shrink), in one round trip.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { parseQemuImgInfo } from '../../parsers/qemu-img.js';
import type { DriverContext } from '../context.js';
import { invalidArgument, type GpfsError } from '../errors.js';
import { createExecution } from '../executor.js';
import { GIB_BYTES } from '../plans/commands.js';
import { planExtendVolume } from '../plans/extend-volume.js';
import type { TracedRunner } from '../trace.js';
import type { CreatedVolume, VolumeRef } from '../types.js';

/**
 * Grows a volume to `newSizeGiB`. A smaller size is `InvalidArgument` and changes nothing (the resize
 * only ever grows); the same size does nothing.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param volume - The volume.
 * @param newSizeGiB - The new size.
 * @returns The volume with its new size.
 * @example
 * ```ts
 * extendVolume(context, runner, { name: 'v1' }, 20);
 * ```
 */
export function extendVolume(context: DriverContext, runner: TracedRunner, volume: VolumeRef, newSizeGiB: number): ResultAsync<CreatedVolume, GpfsError> {
  const planned = planExtendVolume(context.options, volume, newSizeGiB);
  if (planned.isErr()) return errAsync(planned.error);
  const { path, sizeGiB, rounds } = planned.value;
  return context.locks.withLocks([path], () =>
    context.ensureFacts(runner).andThen(() => {
      const execution = createExecution(runner, 'extendVolume', context.makeTag);
      return execution.round(rounds[0]?.commands ?? []).andThen((round) => {
        const info = parseQemuImgInfo(round.output('read-size')?.stdout ?? '');
        if (info.isErr()) return errAsync<CreatedVolume, GpfsError>(info.error);
        // The size before the resize, which only grows: a larger volume was left as it was.
        const currentBytes = info.value.virtualSizeBytes;
        const wantedBytes = sizeGiB * GIB_BYTES;
        if (currentBytes > wantedBytes) {
          return errAsync<CreatedVolume, GpfsError>(
            invalidArgument(
              'newSizeGiB',
              `refusing to shrink ${path} from ${currentBytes} bytes (${Math.ceil(currentBytes / GIB_BYTES)} GiB) to ${sizeGiB} GiB: shrinking destroys data. Nothing was changed.`,
            ),
          );
        }
        return okAsync<CreatedVolume, GpfsError>({ name: volume.name, path, sizeGiB });
      });
    }),
  );
}
