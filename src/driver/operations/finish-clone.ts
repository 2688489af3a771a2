/**
 * The shared second half of the clone creates: read the new size, then redirect what is too deep and
 * publish the new volume (when `maxCloneDepth` is 0 the first round published it already).
 *
 * @module
 */
import { okAsync, type ResultAsync } from 'neverthrow';
import { parseQemuImgInfo } from '../../parsers/qemu-img.js';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import type { Execution, RoundOutputs } from '../executor.js';
import { LAST_ROUND_TOLERATED, lastRoundCommands, type CloneVolumePlan } from '../plans/clone-volume.js';
import { GIB_BYTES } from '../plans/commands.js';
import { readDepths } from '../plans/depth.js';
import type { CreatedVolume } from '../types.js';
import { warnIfWorkNameKept } from './publish.js';

/**
 * Reads the first round of a clone create and runs the redirect round when `maxCloneDepth` asks for it.
 *
 * An unreadable size or depth output undoes the clone (the driver cannot vouch for what it made).
 *
 * @param context - The driver context.
 * @param execution - The operation's execution (for the redirect round and cleanup).
 * @param plan - The clone plan.
 * @param round - The first round's outputs.
 * @param name - The new volume's name.
 * @returns The volume made.
 * @example
 * ```ts
 * execution.round(plan.rounds[0].commands).andThen((round) => finishClone(context, execution, plan, round, 'v2'));
 * ```
 */
export function finishClone(context: DriverContext, execution: Execution, plan: CloneVolumePlan, round: RoundOutputs, name: string): ResultAsync<CreatedVolume, GpfsError> {
  const info = parseQemuImgInfo(round.output('read-size')?.stdout ?? '');
  if (info.isErr()) return execution.abort(info.error);
  const made: CreatedVolume = { name, path: plan.path, sizeGiB: Math.ceil(info.value.virtualSizeBytes / GIB_BYTES) };
  const { maxCloneDepth, logger } = context.options;
  if (maxCloneDepth === 0) {
    warnIfWorkNameKept(context, round, plan.workPath);
    return okAsync(made);
  }
  const depths = readDepths(plan.depthPaths, round.output('read-clone-depth')?.stdout ?? '');
  if (depths.isErr()) return execution.abort(depths.error);
  return execution.round(lastRoundCommands(plan, depths.value, maxCloneDepth), LAST_ROUND_TOLERATED).map((second) => {
    warnIfWorkNameKept(context, second, plan.workPath);
    const removal = second.output('remove-hidden-parent');
    if (removal !== undefined && removal.exitCode !== 0 && plan.hiddenParent !== null) {
      const hiddenParent = plan.hiddenParent;
      try {
        logger.warn?.(`[gpfs] kept ${hiddenParent}: rm failed after both clones were redirected (${removal.stderr.trim()}); garbage collection removes it`, {
          path: hiddenParent,
        });
      } catch {
        // Logging must never break an operation.
      }
    }
    return made;
  });
}
