/**
 * The default health probe: GPFS active on the node, and the mount point present.
 *
 * @module
 */
import type { BatchCommand, CommandOutput } from '../types.js';
import type { SshHealthProbe } from './options.js';

/**
 * The probe used when several hosts are given and no `probe` option: `mmgetstate -Y` (as root) must
 * report `active`, and `test -d <mountPoint>` must succeed when a mount point is given.
 *
 * @param mountPoint - GPFS mount point to check, if any.
 * @returns The probe.
 * @internal
 */
export function gpfsProbe(mountPoint: string | undefined): SshHealthProbe {
  const commands: BatchCommand[] = [{ argv: ['mmgetstate', '-Y'], asRoot: true, timeoutMs: 60_000 }];
  if (mountPoint !== undefined) commands.push({ argv: ['test', '-d', mountPoint], timeoutMs: 30_000 });
  return { commands, isHealthy: (outputs) => outputs.length === commands.length && isGpfsActive(outputs) };
}

// --- Internal helpers ---

/** Reads the `state` column of `mmgetstate -Y` (the HEADER line names the columns). */
function isGpfsActive(outputs: readonly CommandOutput[]): boolean {
  const [state, ...rest] = outputs;
  if (state === undefined || state.exitCode !== 0 || rest.some((output) => output.exitCode !== 0)) return false;
  const lines = state.stdout.split('\n').map((line) => line.split(':'));
  const header = lines.find((fields) => fields[0] === 'mmgetstate' && fields[2] === 'HEADER');
  const row = lines.find((fields) => fields[0] === 'mmgetstate' && fields[2] !== 'HEADER' && fields.length > 2);
  const stateIndex = header?.indexOf('state') ?? -1;
  return stateIndex >= 0 && row?.[stateIndex] === 'active';
}
