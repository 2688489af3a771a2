/**
 * restoreBackup: write a backup stream over an existing volume through the runner (`dd` reading
 * standard input), never buffering it; two round trips, three when the backup is shorter than the volume.
 *
 * @module
 */
import { err, errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import { parseMmcloneShow } from '../../parsers/mmclone.js';
import { parseQemuImgInfo } from '../../parsers/qemu-img.js';
import type { ByteSource, Command } from '../../runners/types.js';
import type { DriverContext } from '../context.js';
import { invalidArgument, type GpfsError } from '../errors.js';
import { createExecution, roundOutputs, sendRound } from '../executor.js';
import type { RestoredVolume, StreamOptions } from '../image-backup-types.js';
import { readCheck } from '../preconditions.js';
import { succeededOutput } from '../plans/outputs.js';
import { extendCommand, planRestoreBackup, restoreCommand } from '../plans/restore.js';
import { limitSource, linkedController } from '../streams.js';
import type { TracedRunner } from '../trace.js';
import type { VolumeRef } from '../types.js';

/**
 * Restores a backup into an existing volume, keeping the volume's size. Refuses a symbolic link and a
 * clone parent (read-only: snapshots or clones depend on it). A backup longer than the volume is
 * refused once the volume is full (`InvalidArgument`); a failed or interrupted stream (a failing
 * source, dd failing, a runner error) leaves the volume's content undefined and its size put back, so
 * a retry restores into a volume of the right size.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param source - The backup's bytes: an async iterable of chunks (a Node `Readable` works), or bytes.
 * @param volume - The volume to overwrite.
 * @param options - An abort signal.
 * @returns What was written.
 * @example
 * ```ts
 * restoreBackup(context, runner, createReadStream('/backups/v1.raw'), { name: 'v1' });
 * ```
 */
export function restoreBackup(
  context: DriverContext,
  runner: TracedRunner,
  source: ByteSource,
  volume: VolumeRef,
  options: StreamOptions = {},
): ResultAsync<RestoredVolume, GpfsError> {
  if (!isSource(source)) return errAsync(invalidArgument('source', 'source must be bytes or an async iterable of byte chunks. Nothing was run.'));
  const planned = planRestoreBackup(context.options, volume);
  if (planned.isErr()) return errAsync(planned.error);
  const { path, first } = planned.value;
  return context.locks.withLocks([path], () =>
    context.ensureFacts(runner).andThen(() =>
      createExecution(runner, 'restoreBackup', context.makeTag)
        .round(first, ['volume-not-symlink'])
        .andThen((round) => {
          const notLink = readCheck('restoreBackup', 'volume-not-symlink', round.output('volume-not-symlink'));
          if (notLink.isErr()) return errAsync<RestoredVolume, GpfsError>(notLink.error);
          if (!notLink.value) {
            return errAsync<RestoredVolume, GpfsError>(invalidArgument('volume', `${path} is a symbolic link; the driver does not write through links. Nothing was written.`));
          }
          const state = succeededOutput('restoreBackup', round, 'read-clone-state').andThen((output) => parseMmcloneShow(output.stdout));
          if (state.isErr()) return errAsync<RestoredVolume, GpfsError>(state.error);
          const row = state.value.find((candidate) => candidate.fileName === path) ?? state.value[0];
          if (row?.isParent === true) {
            return errAsync<RestoredVolume, GpfsError>({
              kind: 'InUse',
              path,
              message: `${path} is a clone parent (read-only: snapshots or clones depend on it); restore into another volume. Nothing was written.`,
            });
          }
          const size = parseQemuImgInfo(round.output('read-size')?.stdout ?? '');
          if (size.isErr()) return errAsync<RestoredVolume, GpfsError>(size.error);
          const sparse = row === undefined || row.depth === null;
          return new ResultAsync(write(runner, path, volume.name, source, size.value.virtualSizeBytes, sparse, options.signal));
        }),
    ),
  );
}

// --- Internal helpers ---

async function write(
  runner: TracedRunner,
  path: string,
  name: string,
  source: ByteSource,
  sizeBytes: number,
  sparse: boolean,
  signal: AbortSignal | undefined,
): Promise<Result<RestoredVolume, GpfsError>> {
  const { controller, release } = linkedController(signal);
  const limited = limitSource(source, sizeBytes, controller);
  const planned = restoreCommand(path, sparse);
  const command: Command = { argv: planned.argv, asRoot: true, stdin: limited.source, signal: controller.signal };
  runner.label(command, planned.step);
  const outcome = await runner.run(command);
  release();
  const bytes = limited.bytes();
  const failure = limited.failure();
  const resize = async (): Promise<Result<unknown, GpfsError>> => {
    if (bytes >= sizeBytes) return ok(undefined);
    const extend = extendCommand(path, sizeBytes);
    return sendRound(runner, [extend], true).andThen((outputs) => succeededOutput('restoreBackup', roundOutputs([extend], outputs), extend.step));
  };
  if (failure !== null) {
    await resize();
    return err({ kind: 'StreamFailed', operation: 'restoreBackup', side: 'source', bytes, message: `the backup source failed after ${bytes} bytes: ${failure}; the content of ${path} is undefined (its size was kept)` });
  }
  if (outcome.isErr()) {
    // dd may have run and truncated the volume (Timeout, ConnectionLost): put its size back while the
    // runner still answers, so a retry restores into a volume of the right size.
    await resize();
    return err(outcome.error);
  }
  const written = succeededOutput('restoreBackup', roundOutputs([planned], [outcome.value]), planned.step);
  if (written.isErr()) {
    await resize();
    return err(written.error);
  }
  if (limited.overflowed()) {
    return err(
      invalidArgument(
        'source',
        `the backup is larger than ${path} (${sizeBytes} bytes); its first ${sizeBytes} bytes were written and the rest refused: restore into a volume at least as large as the backup`,
      ),
    );
  }
  const resized = await resize();
  if (resized.isErr()) return err(resized.error);
  return ok({ name, path, bytes, sizeBytes, sparse });
}

function isSource(source: unknown): source is ByteSource {
  return (
    typeof source === 'string' ||
    source instanceof Uint8Array ||
    (typeof source === 'object' && source !== null && typeof (source as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function')
  );
}
