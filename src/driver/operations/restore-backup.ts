/**
 * restoreBackup: write a backup stream into a new file beside the volume through the runner (`dd`
 * reading standard input, never buffered), then rename it over the volume; three round trips. See
 * `plans/restore.ts`.
 *
 * @module
 */
import { err, errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import { parseMmcloneShow } from '../../parsers/mmclone.js';
import { parseMmlsattr } from '../../parsers/mmlsattr.js';
import { parseQemuImgInfo } from '../../parsers/qemu-img.js';
import type { ByteSource, Command } from '../../runners/types.js';
import type { DriverContext } from '../context.js';
import { invalidArgument, type GpfsError } from '../errors.js';
import { createExecution, roundOutputs, type Execution, type RoundOutputs } from '../executor.js';
import type { RestoredVolume, StreamOptions } from '../image-backup-types.js';
import { readCheck } from '../preconditions.js';
import { succeededOutput } from '../plans/outputs.js';
import { attributeOptions, planRestoreBackup, publishCommands, restoreCommand, type RestorePlan } from '../plans/restore.js';
import { limitSource, linkedController } from '../streams.js';
import type { TracedRunner } from '../trace.js';
import type { VolumeRef } from '../types.js';

/**
 * Restores a backup into an existing volume, keeping the volume's size, owner, mode and GPFS attributes.
 * Refuses a symbolic link and a clone parent (read-only: snapshots or clones depend on it). The backup
 * goes into a work file that replaces the volume only once it is complete, so a failed or interrupted
 * restore (a failing source, dd failing, a backup longer than the volume (`InvalidArgument`), a runner
 * error) leaves the volume as it was, or, when the final rename's outcome is unknown, either as it was
 * or restored; the work file is removed either way. The volume is a new file afterwards (its clone
 * relations end with its old content), and the restore needs room for the restored data while the old
 * content still exists.
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
export function restoreBackup(context: DriverContext, runner: TracedRunner, source: ByteSource, volume: VolumeRef, options: StreamOptions = {}): ResultAsync<RestoredVolume, GpfsError> {
  if (!isSource(source)) return errAsync(invalidArgument('source', 'source must be bytes or an async iterable of byte chunks. Nothing was run.'));
  const planned = planRestoreBackup(context.options, volume, context.makeTag());
  if (planned.isErr()) return errAsync(planned.error);
  const plan = planned.value;
  const { path } = plan;
  return context.locks.withLocks([path, plan.workPath], () =>
    context.ensureFacts(runner).andThen(() => {
      const execution = createExecution(runner, 'restoreBackup', context.makeTag);
      return execution.round(plan.first, ['volume-not-symlink']).andThen((round) => {
        const notLink = readCheck('restoreBackup', 'volume-not-symlink', round.output('volume-not-symlink'));
        if (notLink.isErr()) return errAsync<RestoredVolume, GpfsError>(notLink.error);
        if (!notLink.value) {
          return errAsync<RestoredVolume, GpfsError>(invalidArgument('volume', `${path} is a symbolic link; the driver does not write through links. Nothing was written.`));
        }
        const target = readTarget(plan, round);
        if (target.isErr()) return execution.abort(target.error);
        return new ResultAsync(write(runner, execution, plan, volume.name, source, target.value, options.signal));
      });
    }),
  );
}

// --- Internal helpers ---

/** What the first round found out about the volume. */
interface RestoreTarget {
  readonly sizeBytes: number;
  /** `<uid>:<gid>`. */
  readonly owner: string;
  /** Octal permission bits. */
  readonly mode: string;
  /** `mmchattr` options giving the work file the volume's attributes. */
  readonly attributeOptions: readonly string[];
}

function readTarget(plan: RestorePlan, round: RoundOutputs): Result<RestoreTarget, GpfsError> {
  const { path, workPath } = plan;
  const state = succeededOutput('restoreBackup', round, 'read-clone-state').andThen((output) => parseMmcloneShow(output.stdout));
  if (state.isErr()) return err(state.error);
  const row = state.value.find((candidate) => candidate.fileName === path) ?? state.value[0];
  if (row?.isParent === true) {
    return err({ kind: 'InUse', path, message: `${path} is a clone parent (read-only: snapshots or clones depend on it); restore into another volume. Nothing was written.` });
  }
  const size = parseQemuImgInfo(round.output('read-size')?.stdout ?? '');
  if (size.isErr()) return err(size.error);
  const ownerMode = /^(\d+:\d+):([0-7]{1,4})\n?$/.exec(round.output('read-owner-mode')?.stdout ?? '');
  if (ownerMode === null) {
    return err({ kind: 'Internal', operation: 'restoreBackup', message: `stat printed no owner and mode for ${path}: ${JSON.stringify(round.output('read-owner-mode')?.stdout ?? '')}` });
  }
  const records = succeededOutput('restoreBackup', round, 'read-attributes').andThen((output) => parseMmlsattr(output.stdout));
  if (records.isErr()) return err(records.error);
  const of = (file: string) => records.value.find((record) => record.fileName === file);
  const volumeRecord = of(path);
  const workRecord = of(workPath);
  if (volumeRecord === undefined || workRecord === undefined) {
    return err({ kind: 'Internal', operation: 'restoreBackup', message: `mmlsattr -L did not describe both ${path} and ${workPath}` });
  }
  return ok({ sizeBytes: size.value.virtualSizeBytes, owner: ownerMode[1] ?? '0:0', mode: ownerMode[2] ?? '660', attributeOptions: attributeOptions(volumeRecord, workRecord) });
}

async function write(
  runner: TracedRunner,
  execution: Execution,
  plan: RestorePlan,
  name: string,
  source: ByteSource,
  target: RestoreTarget,
  signal: AbortSignal | undefined,
): Promise<Result<RestoredVolume, GpfsError>> {
  const { path, workPath } = plan;
  const { sizeBytes } = target;
  const { controller, release } = linkedController(signal);
  const limited = limitSource(source, sizeBytes, controller);
  const planned = restoreCommand(workPath);
  const command: Command = { argv: planned.argv, asRoot: true, stdin: limited.source, signal: controller.signal };
  runner.label(command, planned.step);
  const outcome = await runner.run(command);
  release();
  const bytes = limited.bytes();
  const failure = limited.failure();
  // Until the rename, only the work file was written: removing it leaves the volume exactly as it was.
  if (failure !== null) {
    return execution.abort({ kind: 'StreamFailed', operation: 'restoreBackup', side: 'source', bytes, message: `the backup source failed after ${bytes} bytes: ${failure}; ${path} was not changed` });
  }
  if (outcome.isErr()) return execution.abort(outcome.error);
  const written = succeededOutput('restoreBackup', roundOutputs([planned], [outcome.value]), planned.step);
  if (written.isErr()) return execution.abort(written.error);
  if (limited.overflowed()) {
    return execution.abort(
      invalidArgument('source', `the backup is larger than ${path} (${sizeBytes} bytes); nothing was written to the volume: restore into a volume at least as large as the backup`),
    );
  }
  // The rename is the only change to the volume; after a runner error here the work name is removed
  // (a no-op once the rename took effect), and the volume is either as it was or restored.
  const published = await execution.round(publishCommands({ path, workPath, owner: target.owner, mode: target.mode, attributeOptions: target.attributeOptions }));
  if (published.isErr()) return err(published.error);
  return ok({ name, path, bytes, sizeBytes, sparse: true });
}

function isSource(source: unknown): source is ByteSource {
  return (
    typeof source === 'string' ||
    source instanceof Uint8Array ||
    (typeof source === 'object' && source !== null && typeof (source as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function')
  );
}
