/**
 * backupVolume: stream a point-in-time clone of a volume to the caller's sink, then delete the clone
 * through the clone-tree executor, whatever happened to the stream. Five round trips (six when the
 * volume is redirected): checks and clone, stream, [redirect], and the executor's three.
 *
 * @module
 */
import { err, errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import { parseQemuImgInfo } from '../../parsers/qemu-img.js';
import type { ByteSink, Command } from '../../runners/types.js';
import { deleteWithCloneTree, type CloneDeletionError, type DeletionReport } from '../clone-deletion.js';
import type { DriverContext } from '../context.js';
import { invalidArgument, type GpfsError } from '../errors.js';
import { createExecution, roundOutputs, sendRound } from '../executor.js';
import type { BackupResult, StreamOptions } from '../image-backup-types.js';
import { planBackupVolume, type BackupPlan } from '../plans/backup.js';
import { redirect } from '../plans/commands.js';
import { readDepths } from '../plans/depth.js';
import { succeededOutput } from '../plans/outputs.js';
import { readCheck } from '../preconditions.js';
import { guardSink, linkedController } from '../streams.js';
import type { TracedRunner } from '../trace.js';
import type { VolumeRef } from '../types.js';

/**
 * Backs a volume up: its bytes, as they were when the clone was taken, go to `sink` chunk by chunk (the
 * runner waits for a returned promise before the next chunk). The volume stays usable meanwhile.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param volume - The volume.
 * @param sink - Receives the bytes; may return a promise (back-pressure) and may throw (`StreamFailed`).
 * @param options - An abort signal.
 * @returns What was streamed and cleaned up.
 * @example
 * ```ts
 * backupVolume(context, runner, { name: 'v1' }, async (chunk) => { await file.write(chunk); });
 * ```
 */
export function backupVolume(context: DriverContext, runner: TracedRunner, volume: VolumeRef, sink: ByteSink, options: StreamOptions = {}): ResultAsync<BackupResult, GpfsError> {
  if (typeof sink !== 'function') return errAsync(invalidArgument('sink', 'sink must be a function receiving byte chunks. Nothing was run.'));
  const planned = planBackupVolume(context.options, volume, context.makeTag());
  if (planned.isErr()) return errAsync(planned.error);
  const plan = planned.value;
  return context.locks.withLocks([plan.path, plan.clonePath, plan.parentPath], () =>
    context.ensureFacts(runner).andThen(() => {
      const execution = createExecution(runner, 'backupVolume', context.makeTag);
      return execution.round(plan.first, ['volume-not-symlink']).andThen((round) => {
        const notLink = readCheck('backupVolume', 'volume-not-symlink', round.output('volume-not-symlink'));
        if (notLink.isErr()) return errAsync<BackupResult, GpfsError>(notLink.error);
        if (!notLink.value) {
          return errAsync<BackupResult, GpfsError>(invalidArgument('volume', `${plan.path} is a symbolic link; the driver does not follow links out of the base. Nothing was changed.`));
        }
        const size = parseQemuImgInfo(round.output('read-size')?.stdout ?? '');
        if (size.isErr()) return execution.abort(size.error);
        let deep = false;
        if (context.options.maxCloneDepth > 0) {
          const depths = readDepths([plan.path], round.output('read-clone-depth')?.stdout ?? '');
          if (depths.isErr()) return execution.abort(depths.error);
          deep = (depths.value.get(plan.path) ?? 0) > context.options.maxCloneDepth;
        }
        return new ResultAsync(streamAndClean(context, runner, volume.name, plan, sink, size.value.virtualSizeBytes, deep, options.signal));
      });
    }),
  );
}

// --- Internal helpers ---

async function streamAndClean(
  context: DriverContext,
  runner: TracedRunner,
  name: string,
  plan: BackupPlan,
  sink: ByteSink,
  sizeBytes: number,
  deep: boolean,
  signal: AbortSignal | undefined,
): Promise<Result<BackupResult, GpfsError>> {
  const streamed = await stream(runner, plan, sink, sizeBytes, signal);
  let redirected = false;
  if (deep) {
    // Housekeeping for the depth limit: a failure leaves the chain one level too deep, not a bad backup.
    const outcome = await sendRound(runner, [redirect(plan.path)], true);
    redirected = outcome.isOk() && outcome.value[0]?.exitCode === 0;
    if (!redirected) warn(context, `[gpfs] backupVolume: could not redirect ${plan.path}; its clone chain exceeds maxCloneDepth until the next redirect`);
  }
  const cleanup = await deleteWithCloneTree(runner, {
    targetPath: plan.clonePath,
    directories: [context.options.mountPointBase, ...context.options.migrationDirectories],
    operation: 'backupVolume',
  });
  const cleanupError = cleanup.isErr() ? describeCleanupError(cleanup.error) : null;
  if (cleanupError !== null) warn(context, `[gpfs] backupVolume: could not remove the backup clone ${plan.clonePath}: ${cleanupError}`);
  if (streamed.isErr()) {
    const error = streamed.error;
    return err(cleanupError === null ? error : { ...error, message: `${error.message}; the backup clone ${plan.clonePath} could not be removed (${cleanupError})` });
  }
  return ok({
    name,
    path: plan.path,
    bytes: streamed.value,
    sourcePath: plan.clonePath,
    parentPath: plan.parentPath,
    redirected,
    cleanup: cleanup.isOk() ? cleanupOf(cleanup.value) : { removed: [], kept: [], error: cleanupError },
  });
}

async function stream(runner: TracedRunner, plan: BackupPlan, sink: ByteSink, sizeBytes: number, signal: AbortSignal | undefined): Promise<Result<number, GpfsError>> {
  const { controller, release } = linkedController(signal);
  const guarded = guardSink(sink, controller);
  const command: Command = { argv: plan.stream.argv, asRoot: true, stdoutSink: guarded.sink, signal: controller.signal };
  runner.label(command, plan.stream.step);
  const outcome = await runner.run(command);
  release();
  const failure = guarded.failure();
  const bytes = guarded.bytes();
  if (failure !== null) {
    return err({
      kind: 'StreamFailed',
      operation: 'backupVolume',
      side: 'sink',
      bytes,
      message: `the backup sink failed after ${bytes} bytes: ${failure}; the backup is incomplete and the volume was not changed`,
    });
  }
  if (outcome.isErr()) return err(outcome.error);
  const output = succeededOutput('backupVolume', roundOutputs([plan.stream], [outcome.value]), plan.stream.step);
  if (output.isErr()) return err(output.error);
  if (bytes !== sizeBytes) {
    return err({
      kind: 'StreamFailed',
      operation: 'backupVolume',
      side: 'length',
      bytes,
      message: `the backup stream held ${bytes} bytes where the volume has ${sizeBytes}; the backup is incomplete`,
    });
  }
  return ok(bytes);
}

function cleanupOf(report: DeletionReport): BackupResult['cleanup'] {
  return {
    removed: report.removed,
    kept: report.kept.map((kept) => ({ path: kept.path ?? `inode ${kept.inode}`, reason: kept.reason })),
    error: null,
  };
}

function describeCleanupError(error: CloneDeletionError): string {
  return `${error.kind}: ${error.message}`;
}

function warn(context: DriverContext, message: string): void {
  try {
    context.options.logger.warn?.(message);
  } catch {
    // Logging must never break an operation.
  }
}
