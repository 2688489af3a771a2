/**
 * The cheap mount check every mutating operation sends first in its first round trip, and the
 * diagnosis that tells "GPFS not active" from "not mounted" when it fails.
 *
 * `df -P -t gpfs <base>` (a system command: no GPFS daemon round trip, unlike the `mmlsattr <base>`
 * used before) exits 0 only when `<base>` is on a mounted file system of type `gpfs`. On an unmounted
 * file system the same path is a directory of the root disk (or missing): GNU df leaves the root
 * disk's row out and exits 1 with `df: no file systems processed`, or exits 1 with `No such file or
 * directory`; a file system whose daemon died answers `statfs` with an error (exit 1). Sent with
 * `stopOnFailure`, the check keeps every later command of the batch from running, so nothing is ever
 * written to the local disk under an unmounted mount point (upstream bugs 1242511 and 1249411).
 *
 * The check answers with its exit code alone because a batch runs without a shell: a check whose
 * output had to be compared (`stat -f -c '%T %i'` against the cached file system id) could only stop
 * the writes from a second round trip. Like `mmlsattr` before it, it proves "a mounted GPFS", not
 * "the same GPFS file system setup found"; that stronger check would cost a round trip per operation.
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
 * @returns A planned `df -P -t gpfs <directory>` whose failure means `NotMounted` or `GpfsNotActive`.
 * @example
 * ```ts
 * mountCheck('/gpfs0/volumes'); // { step: 'check-mounted', argv: ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'], asRoot: true, check: { kind: 'mounted', path: '/gpfs0/volumes' } }
 * ```
 */
export function mountCheck(directory: string): PlannedCommand {
  return { step: 'check-mounted', argv: mountCheckArgv(directory), asRoot: true, check: { kind: 'mounted', path: directory } };
}

/**
 * The argv of the mount check: `df -P -t gpfs <path>`, which exits non-zero unless `path` is on a
 * mounted GPFS file system. Also used on single files (an image must be on GPFS to be cloned).
 *
 * @param path - A directory or file.
 * @returns The argv.
 * @example
 * ```ts
 * mountCheckArgv('/gpfs0/images/img-1'); // ['df', '-P', '-t', 'gpfs', '/gpfs0/images/img-1']
 * ```
 */
export function mountCheckArgv(path: string): readonly string[] {
  return ['df', '-P', '-t', 'gpfs', path];
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
 * diagnoseMountFailure(runner, '/gpfs0/volumes', 'df: no file systems processed').map((error) => error.kind);
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
