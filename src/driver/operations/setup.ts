/**
 * setup(): the seed's do_setup and check_for_setup_error, in two round trips; caches the facts.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { roundOutputs, sendRound } from '../executor.js';
import type { ClusterFacts } from '../facts.js';
import { setupFilesystemCommands, setupProbeCommands } from '../plans/setup.js';
import { readSetupFilesystems, readSetupProbe } from '../plans/setup-read.js';
import type { TracedRunner } from '../trace.js';

/**
 * Runs setup through `runner` and stores the facts in the context's cache.
 *
 * Both rounds are read-only and run to their end, so one failure does not hide the others' output.
 *
 * @param context - The driver context.
 * @param runner - The traced runner of the calling operation.
 * @returns The facts, or the first problem found (`GpfsNotActive`, `NotMounted`, `DownlevelCluster`,
 *   `DownlevelFilesystem`, `InvalidStoragePool`, `InvalidConfig`, ...).
 * @example
 * ```ts
 * runSetup(context, traceRunner(context.options, 'setup', 'setup')).map((facts) => facts.clusterId);
 * ```
 */
export function runSetup(context: DriverContext, runner: TracedRunner): ResultAsync<ClusterFacts, GpfsError> {
  const { options } = context;
  const probeCommands = setupProbeCommands(options);
  return sendRound(runner, probeCommands, false)
    .andThen((outputs) => {
      const probe = readSetupProbe(options, roundOutputs(probeCommands, outputs));
      return probe.isErr() ? errAsync<never, GpfsError>(probe.error) : okAsync(probe.value);
    })
    .andThen((probe) => {
      const commands = setupFilesystemCommands(options, probe);
      return sendRound(runner, commands, false).andThen((outputs) => {
        const facts = readSetupFilesystems(options, probe, roundOutputs(commands, outputs));
        if (facts.isErr()) return errAsync<ClusterFacts, GpfsError>(facts.error);
        context.facts.store(facts.value);
        return okAsync(facts.value);
      });
    });
}
