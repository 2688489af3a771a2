/**
 * The process-level simulator for suites that go through real processes (the local runner, SSH): the
 * `gpfs-sim` CLI bundled once per process, a state directory prepared in memory, and shims (one small
 * sh script per simulated command) to put first on PATH.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeShims } from '../../../src/simulator/cli/shims.js';
import { readState, writeState } from '../../../src/simulator/cli/state-store.js';
import type { GpfsSimulator } from '../../../src/simulator/index.js';
import type { InternalSimulator } from '../../../src/simulator/simulator.js';
import { bundleCli } from '../../bundle-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let bundled: Promise<string> | undefined;

/**
 * Bundles the `gpfs-sim` CLI with esbuild into `.tmp/reliability/` (once per process; the file name
 * carries the pid, so parallel vitest workers do not race).
 *
 * @returns The bundle's absolute path.
 */
export function bundleGpfsSimCli(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(ROOT, '.tmp', 'reliability', `gpfs-sim-${process.pid}.mjs`);
    await bundleCli('src/simulator/cli/gpfs-sim.ts', outfile);
    process.once('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return bundled;
}

/** A simulated cluster living in a state directory, driven through shims. */
export interface ProcessSimulator {
  /** The state directory. */
  readonly stateDirectory: string;
  /** The directory of shims (put it first on PATH). */
  readonly binDirectory: string;
  /** A scratch directory for canaries and working directories. */
  readonly workDirectory: string;
  /**
   * Loads the current state (the command log, files, local-disk writes), as the CLI would.
   *
   * @returns The simulator as saved by the last command.
   */
  load(): InternalSimulator;
  /** Removes the directories. */
  dispose(): void;
}

/**
 * Saves an in-memory simulator (prepared fast, in this process) to a fresh state directory and writes
 * root shims for it.
 *
 * @param sim - The prepared simulator (its command log is cleared first).
 * @returns The process-level simulator.
 */
export async function startProcessSimulator(sim: GpfsSimulator): Promise<ProcessSimulator> {
  const cliPath = await bundleGpfsSimCli();
  const directory = mkdtempSync(join(ROOT, '.tmp', 'reliability', 'sim-'));
  const stateDirectory = join(directory, 'state');
  const binDirectory = join(directory, 'bin');
  const workDirectory = join(directory, 'work');
  mkdirSync(workDirectory, { recursive: true });
  sim.log.clear();
  writeState(stateDirectory, sim as InternalSimulator, {});
  writeShims(binDirectory, { nodePath: process.execPath, cliPath, stateDirectory, asRoot: true });
  return {
    stateDirectory,
    binDirectory,
    workDirectory,
    load: () => readState(stateDirectory)._unsafeUnwrap().simulator,
    dispose: () => rmSync(directory, { recursive: true, force: true }),
  };
}
