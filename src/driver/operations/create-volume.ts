/**
 * createVolume: a sparse file, mode 660, attributes, optional zero fill, then mkfs; one round trip.
 *
 * @module
 */
import { errAsync, type ResultAsync } from 'neverthrow';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { createExecution } from '../executor.js';
import { PUBLISH_TOLERATED } from '../plans/commands.js';
import { planCreateVolume } from '../plans/create-volume.js';
import { warnIfWorkNameKept } from './publish.js';
import type { TracedRunner } from '../trace.js';
import type { CreatedVolume, VolumeSpec } from '../types.js';

/**
 * Creates a volume. A failure at any step removes the file and names the step.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param spec - The volume.
 * @returns The volume made.
 * @example
 * ```ts
 * createVolume(context, runner, { name: 'v1', sizeGiB: 10 });
 * ```
 */
export function createVolume(context: DriverContext, runner: TracedRunner, spec: VolumeSpec): ResultAsync<CreatedVolume, GpfsError> {
  const plan = planCreateVolume(context.options, spec);
  if (plan.isErr()) return errAsync(plan.error);
  const { path, sizeGiB } = plan.value;
  return context.locks.withLocks([path], () =>
    context.ensureFacts(runner).andThen((facts) => {
      // Planned again with the facts (the pool assignment is left out where it cannot change anything)
      // and this execution's tag for the work file.
      const final = planCreateVolume(context.options, spec, facts.dataPools, context.makeTag());
      if (final.isErr()) return errAsync<CreatedVolume, GpfsError>(final.error);
      return createExecution(runner, 'createVolume', context.makeTag)
        .round(final.value.rounds[0]?.commands ?? [], PUBLISH_TOLERATED)
        .map((round): CreatedVolume => {
          warnIfWorkNameKept(context, round, final.value.workPath);
          return { name: spec.name, path, sizeGiB };
        });
    }),
  );
}
