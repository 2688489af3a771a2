/**
 * The cheap mount check every mutating operation sends first in its first round trip, and the
 * diagnosis that tells "GPFS not active" from "not mounted" when it fails.
 *
 * `mmlsattr <base>` succeeds only when `<base>` is on a mounted GPFS file system with the daemon up:
 * on an unmounted file system the same path is a directory of the local disk (or missing), and
 * `mmlsattr` refuses it. Sent with `stopOnFailure`, it keeps every later command of the batch from
 * running, so nothing is ever written to the local disk under an unmounted mount point (upstream
 * bugs 1242511 and 1249411).
 *
 * @module
 */
import { okAsync, type ResultAsync } from 'neverthrow';
import { parseMmgetstate } from '../parsers/index.js';
import { gpfsNotActive, notMounted, type GpfsError } from './errors.js';
import { sendRound } from './executor.js';
import type { PlannedCommand } from './plans/types.js';
import type { TracedRunner } from './trace.js';

/**
 * The mount check of `directory`.
 *
 * @param directory - The directory that must be on a mounted GPFS.
 * @returns A planned `mmlsattr <directory>` whose failure means `NotMounted` or `GpfsNotActive`.
 * @example
 * ```ts
 * mountCheck('/gpfs0/volumes'); // { step: 'check-mounted', argv: ['mmlsattr', '/gpfs0/volumes'], asRoot: true, check: { kind: 'mounted', path: '/gpfs0/volumes' } }
 * ```
 */
export function mountCheck(directory: string): PlannedCommand {
  return { step: 'check-mounted', argv: ['mmlsattr', directory], asRoot: true, check: { kind: 'mounted', path: directory } };
}

/**
 * Works out why the mount check of `directory` failed: one more round trip runs `mmgetstate -Y`; a
 * state other than `active` is `GpfsNotActive`, anything else `NotMounted`.
 *
 * @param runner - The operation's traced runner.
 * @param directory - The directory whose check failed.
 * @param stderr - Standard error of the failed check.
 * @returns The error to report (never fails itself).
 * @example
 * ```ts
 * diagnoseMountFailure(runner, '/gpfs0/volumes', 'mmlsattr: not a GPFS file').map((error) => error.kind);
 * ```
 */
export function diagnoseMountFailure(runner: TracedRunner, directory: string, stderr: string): ResultAsync<GpfsError, never> {
  const probe: PlannedCommand = { step: 'diagnose-gpfs-state', argv: ['mmgetstate', '-Y'], asRoot: true };
  return sendRound(runner, [probe], false)
    .map((outputs): GpfsError => {
      const output = outputs[0];
      if (output === undefined) return notMounted(directory, stderr);
      if (output.exitCode !== 0) return gpfsNotActive('unknown', null);
      const state = inactiveState(output.stdout);
      return state === null ? notMounted(directory, stderr) : gpfsNotActive(state.state, state.node);
    })
    .orElse(() => okAsync<GpfsError, never>(notMounted(directory, stderr)));
}

/**
 * Reads `mmgetstate -Y` output and returns the first node whose state is not `active`, or `null`
 * when every node listed is active (or the output cannot be read).
 *
 * @param stdout - Output of `mmgetstate -Y`.
 * @returns The inactive state and node, or `null`.
 * @example
 * ```ts
 * inactiveState('mmgetstate::HEADER:version:reserved:reserved:nodeName:nodeNumber:state:\nmmgetstate::0:1:::node1:1:down:\n');
 * // { state: 'down', node: 'node1' }
 * ```
 */
export function inactiveState(stdout: string): { readonly state: string; readonly node: string | null } | null {
  const parsed = parseMmgetstate(stdout);
  if (parsed.isErr()) return null;
  const inactive = parsed.value.find((row) => row.state !== 'active');
  if (inactive === undefined) return parsed.value.length === 0 ? { state: 'unknown', node: null } : null;
  return { state: inactive.state, node: inactive.nodeName === '' ? null : inactive.nodeName };
}
