/**
 * deleteVolume: through the clone-tree executor, with the mount check in its first round trip;
 * at most three round trips whatever the clone depth; idempotent.
 *
 * @module
 */
import { errAsync, type ResultAsync } from 'neverthrow';
import { deleteWithCloneTree, type CloneDeletionError } from '../clone-deletion.js';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { diagnoseMountFailure, mountCheck } from '../mount-check.js';
import { planDeleteVolume } from '../plans/delete-volume.js';
import type { TracedRunner } from '../trace.js';
import type { DeletedVolume, VolumeRef } from '../types.js';

/**
 * Deletes a volume and every disposable clone parent (`.snap`, `.ts`) it leaves without children.
 * A volume that does not exist is `Ok` with `existed: false`.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param volume - The volume.
 * @returns What was removed and what was kept.
 * @example
 * ```ts
 * deleteVolume(context, runner, { name: 'v1' }).map((result) => result.removed);
 * ```
 */
export function deleteVolume(context: DriverContext, runner: TracedRunner, volume: VolumeRef): ResultAsync<DeletedVolume, GpfsError> {
  const planned = planDeleteVolume(context.options, volume);
  if (planned.isErr()) return errAsync(planned.error);
  const { path, directories } = planned.value;
  const base = context.options.mountPointBase;
  const check = mountCheck(base);
  const preflight = { argv: check.argv, asRoot: check.asRoot };
  runner.label(preflight, check.step);
  return context.locks.withLocks([path], () =>
    context.ensureFacts(runner).andThen(() =>
      deleteWithCloneTree(runner, { targetPath: path, directories, operation: 'deleteVolume', preflight: [preflight] })
        .map((report): DeletedVolume => ({
          name: volume.name,
          path,
          existed: report.targetFound,
          removed: report.removed,
          kept: report.kept.map((kept) => ({
            path: kept.path ?? `inode ${kept.inode} (outside ${directories.join(', ')})`,
            reason: kept.reason,
          })),
        }))
        .orElse((error: CloneDeletionError) => mapDeletionError(runner, base, path, error)),
    ),
  );
}

// --- Internal helpers ---

function mapDeletionError(runner: TracedRunner, base: string, path: string, error: CloneDeletionError): ResultAsync<never, GpfsError> {
  if (error.kind === 'CommandFailed' && error.step === 'preflight') {
    return diagnoseMountFailure(runner, base, error.stderr).andThen((diagnosed) => errAsync(diagnosed));
  }
  if (error.kind === 'PlanError' && error.reason === 'TargetHasChildren') {
    return errAsync({ kind: 'InUse', path, message: `${path} is a clone parent that other files still depend on; delete those clones first. Nothing was removed.` });
  }
  return errAsync(error);
}
