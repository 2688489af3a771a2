/**
 * createVolumeFromSnapshot: `mmclone copy <snapshot> <volume>`, mode 660, attributes, raw resize;
 * redirect when too deep; at most two round trips.
 *
 * @module
 */
import { errAsync, type ResultAsync } from 'neverthrow';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { createExecution } from '../executor.js';
import { planCreateVolumeFromSnapshot } from '../plans/clone-volume.js';
import { PUBLISH_TOLERATED } from '../plans/commands.js';
import type { TracedRunner } from '../trace.js';
import type { CreatedVolume, SnapshotRef, VolumeSpec } from '../types.js';
import { finishClone } from './finish-clone.js';

/**
 * Creates a volume as a clone of a snapshot. A failure at any step removes the new volume.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param spec - The new volume (its size must be at least the snapshot's).
 * @param snapshot - The snapshot.
 * @returns The volume made, with its size read back (raw).
 * @example
 * ```ts
 * createVolumeFromSnapshot(context, runner, { name: 'v2', sizeGiB: 10 }, { name: 's1', volumeName: 'v1' });
 * ```
 */
export function createVolumeFromSnapshot(context: DriverContext, runner: TracedRunner, spec: VolumeSpec, snapshot: SnapshotRef): ResultAsync<CreatedVolume, GpfsError> {
  const planned = planCreateVolumeFromSnapshot(context.options, spec, snapshot);
  if (planned.isErr()) return errAsync(planned.error);
  return context.locks.withLocks([planned.value.path, planned.value.sourcePath], () =>
    context.ensureFacts(runner).andThen((facts) => {
      // Planned again with the facts: the pool assignment is left out where it cannot change anything.
      const final = planCreateVolumeFromSnapshot(context.options, spec, snapshot, facts.dataPools, context.makeTag());
      if (final.isErr()) return errAsync<CreatedVolume, GpfsError>(final.error);
      const plan = final.value;
      const execution = createExecution(runner, 'createVolumeFromSnapshot', context.makeTag);
      return execution.round(plan.rounds[0]?.commands ?? [], PUBLISH_TOLERATED).andThen((round) => finishClone(context, execution, plan, round, spec.name));
    }),
  );
}
