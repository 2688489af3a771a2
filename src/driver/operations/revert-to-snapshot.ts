/**
 * revertToSnapshot: four round trips (the new content, then the swap and the deletion of the old
 * content through the clone-tree executor). See `plans/revert-to-snapshot.ts` for the crash-safety
 * argument.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { deleteWithCloneTree, type CloneDeletionError } from '../clone-deletion.js';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { sendRound } from '../executor.js';
import { volumeDirectory } from '../group-names.js';
import { volumeAttributes } from '../metadata.js';
import { validateName } from '../names.js';
import { revertFirstRound, revertPaths, swapCommands, type RevertPaths } from '../plans/revert-to-snapshot.js';
import { readListing } from '../scan.js';
import type { TracedRunner } from '../trace.js';
import { allOk, type SnapshotRef, type VolumeRef } from '../types.js';
import { createUndoableExecution, removeFile, stepFailed } from '../undoable.js';

/**
 * What revertToSnapshot did.
 *
 * @example
 * ```ts
 * const reverted: RevertedVolume = { name: 'v1', path: '/gpfs0/volumes/v1', snapshotPath: '/gpfs0/volumes/s1', sizeBytes: 1073741824, removed: ['/gpfs0/volumes/.tmp.revert-old.k3x1'], kept: [] };
 * ```
 */
export interface RevertedVolume {
  /** The volume's name. */
  readonly name: string;
  /** Its file (now a clone of the snapshot). */
  readonly path: string;
  /** The snapshot it was reverted to (unchanged). */
  readonly snapshotPath: string;
  /** Its size in bytes: the larger of its size before and the snapshot's. */
  readonly sizeBytes: number;
  /** The old content's file and the disposable clone parents only it kept alive, removed. */
  readonly removed: readonly string[];
  /** What could not be removed (the old content under its work name, if its deletion failed), and why. */
  readonly kept: readonly {
    /** The file. */
    readonly path: string;
    /** Why it is still there. */
    readonly reason: string;
  }[];
}

/**
 * Reverts a volume to one of its snapshots. The volume keeps its name at every instant; the snapshot and
 * any other clones of it are untouched; the old content is deleted through the clone-tree executor.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param volume - The volume (with an optional `groupId`).
 * @param snapshot - The snapshot (beside the volume).
 * @returns What was done.
 * @example
 * ```ts
 * revertToSnapshot(context, runner, { name: 'v1' }, { name: 's1', volumeName: 'v1' }).map((reverted) => reverted.path);
 * ```
 */
export function revertToSnapshot(context: DriverContext, runner: TracedRunner, volume: VolumeRef, snapshot: SnapshotRef): ResultAsync<RevertedVolume, GpfsError> {
  const names = allOk([validateName(volume?.name, 'volume'), validateName(snapshot?.name, 'snapshot'), validateName(snapshot?.volumeName, 'volume')] as const);
  if (names.isErr()) return errAsync(names.error);
  const [volumeName, snapshotName] = names.value;
  const base = context.options.mountPointBase;
  const where = volumeDirectory(base, volume.groupId);
  if (where.isErr()) return errAsync(where.error);
  const snapshotWhere = volumeDirectory(base, snapshot.groupId ?? volume.groupId);
  if (snapshotWhere.isErr()) return errAsync(snapshotWhere.error);
  if (snapshotWhere.value.directory !== where.value.directory) {
    return errAsync({ kind: 'InvalidArgument', argument: 'snapshot', message: "the snapshot must be in the volume's group (snapshots live beside their volume). Nothing was run." });
  }
  const attributes = volumeAttributes(undefined, context.options.storagePool);
  if (attributes.isErr()) return errAsync(attributes.error);
  const directory = where.value.directory;
  const paths = revertPaths(directory, volumeName, snapshotName, context.makeTag());
  const operation = 'revertToSnapshot';
  return context.locks.withLocks([paths.volumePath, paths.snapshotPath], () =>
    context.ensureFacts(runner).andThen(() => {
      const execution = createUndoableExecution(runner, operation);
      return execution.round(revertFirstRound(base, paths, attributes.value.mmchattrOptions)).andThen((first) => {
        const sizes = readListing(first.output('sizes'), operation, 'sizes');
        if (sizes.isErr()) return execution.abort<RevertedVolume>(sizes.error);
        const sizeOf = (path: string) => sizes.value.find((entry) => entry.path === path)?.sizeBytes ?? 0;
        const volumeBytes = sizeOf(paths.volumePath);
        const snapshotBytes = sizeOf(paths.snapshotPath);
        const swap = swapCommands(paths, volumeBytes > snapshotBytes ? volumeBytes : null);
        for (const { step, command } of swap) runner.label(command, step);
        const done = (removed: readonly string[], kept: RevertedVolume['kept']): RevertedVolume => ({
          name: volumeName,
          path: paths.volumePath,
          snapshotPath: paths.snapshotPath,
          sizeBytes: Math.max(volumeBytes, snapshotBytes),
          removed,
          kept,
        });
        return deleteWithCloneTree(runner, { targetPath: paths.oldPath, directories: [directory], operation, preflight: swap.map(({ command }) => command) })
          .map((report) =>
            done(
              report.removed,
              report.kept.map((kept) => ({ path: kept.path ?? `inode ${kept.inode}`, reason: kept.reason })),
            ),
          )
          .orElse((error) => afterSwapFailure(context, runner, operation, paths, swap, error, done));
      });
    }),
  );
}

// --- Internal helpers ---

/**
 * A failed preflight means the swap did not complete: take back the second name and the work file, the
 * volume is as it was. Any later failure means the swap is done: the revert succeeded and the old content
 * is left under its work name for inventory and a later cleanup.
 */
function afterSwapFailure(
  context: DriverContext,
  runner: TracedRunner,
  operation: string,
  paths: RevertPaths,
  swap: ReturnType<typeof swapCommands>,
  error: CloneDeletionError,
  done: (removed: readonly string[], kept: RevertedVolume['kept']) => RevertedVolume,
): ResultAsync<RevertedVolume, GpfsError> {
  if (error.kind === 'CommandFailed' && error.step === 'preflight') {
    const failed = swap.find(({ command }) => command.argv.length === error.argv.length && command.argv.every((arg, index) => arg === error.argv[index]));
    const failedIndex = failed === undefined ? -1 : swap.indexOf(failed);
    const linked = failedIndex === -1 || swap.slice(0, failedIndex).some(({ step }) => step === 'keep-old-content');
    const undo = [...(linked ? [removeFile(paths.oldPath)] : []), removeFile(paths.newPath)];
    return sendRound(runner, undo, false)
      .orElse(() => okAsync([]))
      .andThen((outputs) => {
        const removed = undo.filter((_, index) => outputs[index]?.exitCode === 0).map((command) => command.target);
        const leftovers = undo.filter((_, index) => outputs[index]?.exitCode !== 0).map((command) => ({ path: command.target, reason: 'rm failed' }));
        const step = failed ?? { step: 'swap', command: { argv: error.argv, asRoot: true } };
        const output = { argv: error.argv, exitCode: error.exitCode, signal: error.signal, stderr: error.stderr, stdout: '', durationMs: 0 };
        return errAsync<RevertedVolume, GpfsError>(stepFailed(operation, { step: step.step, argv: step.command.argv, asRoot: true }, output, { complete: leftovers.length === 0, removed, leftovers }));
      });
  }
  if (error.kind === 'CommandFailed' || error.kind === 'ParseError' || error.kind === 'PlanError') {
    try {
      context.options.logger.warn?.(`[gpfs] revertToSnapshot: ${paths.volumePath} is reverted, but its old content stays as ${paths.oldPath}: ${error.message}`);
    } catch {
      // Logging must never break an operation.
    }
    return okAsync(done([], [{ path: paths.oldPath, reason: `the old content could not be deleted: ${error.message}` }]));
  }
  return errAsync({
    ...error,
    message: `${error.message}; the revert may or may not have happened: ${paths.volumePath} is either as it was or reverted, with work files ${paths.newPath} / ${paths.oldPath} possibly left (inventory lists them)`,
  });
}
