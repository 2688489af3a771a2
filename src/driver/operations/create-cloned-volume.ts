/**
 * createClonedVolume: `mmclone snap <source> <dest>.snap`, `mmclone copy <dest>.snap <work>`, mode
 * 660, attributes, raw resize, publish as `<dest>`; redirect when too deep; at most two round trips.
 *
 * @module
 */
import { errAsync, type ResultAsync } from 'neverthrow';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { createExecution } from '../executor.js';
import { planCreateClonedVolume } from '../plans/clone-volume.js';
import { PUBLISH_TOLERATED } from '../plans/commands.js';
import { readCheck } from '../preconditions.js';
import type { TracedRunner } from '../trace.js';
import type { CreatedVolume, VolumeRef, VolumeSpec } from '../types.js';
import { finishClone } from './finish-clone.js';

/**
 * Creates a volume as a clone of another volume, through a hidden clone parent `<dest>.snap` as the
 * seed does. A failure removes the new volume; the hidden parent, once the source is its child, is
 * renamed to a tagged tombstone that deleting the source collects. When `<dest>.snap` is still taken
 * (an earlier volume of this name left it to its clones), a tagged `<dest>.<tag>.snap` is used, at the
 * cost of one more round trip.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param spec - The new volume (its size must be at least the source's).
 * @param source - The volume to clone.
 * @returns The volume made, with its size read back (raw).
 * @example
 * ```ts
 * createClonedVolume(context, runner, { name: 'v2', sizeGiB: 10 }, { name: 'v1' });
 * ```
 */
export function createClonedVolume(context: DriverContext, runner: TracedRunner, spec: VolumeSpec, source: VolumeRef): ResultAsync<CreatedVolume, GpfsError> {
  const planned = planCreateClonedVolume(context.options, spec, source);
  if (planned.isErr()) return errAsync(planned.error);
  return context.locks.withLocks([planned.value.path, planned.value.sourcePath], () =>
    context.ensureFacts(runner).andThen((facts) => {
      // Planned again with the facts: the pool assignment is left out where it cannot change anything.
      const final = planCreateClonedVolume(context.options, spec, source, undefined, facts.dataPools, context.makeTag());
      if (final.isErr()) return errAsync<CreatedVolume, GpfsError>(final.error);
      const plan = final.value;
      const execution = createExecution(runner, 'createClonedVolume', context.makeTag);
      return execution.round(plan.rounds[0]?.commands ?? [], ['check-parent-absent', ...PUBLISH_TOLERATED]).andThen((round) => {
        const parentFree = readCheck('createClonedVolume', 'check-parent-absent', round.output('check-parent-absent'));
        if (parentFree.isErr()) return execution.abort(parentFree.error);
        if (parentFree.value) return finishClone(context, execution, plan, round, spec.name);
        // `<dest>.snap` is still there: the hidden parent of an earlier volume of this name, kept by the
        // clones that depend on it. Use a tagged name (still disposable) instead: one more round trip.
        const retagged = planCreateClonedVolume(context.options, spec, source, context.makeTag(), facts.dataPools, context.makeTag());
        if (retagged.isErr()) return execution.abort(retagged.error);
        const second = retagged.value;
        return execution.round(second.rounds[0]?.commands ?? [], PUBLISH_TOLERATED).andThen((again) => finishClone(context, execution, second, again, spec.name));
      });
    }),
  );
}
