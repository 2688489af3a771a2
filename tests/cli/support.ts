/**
 * Helpers for the operator CLI tests: run the bundled `gpfs-volumes` and `gpfs-sim` as processes, and
 * make simulator state directories with the gpfs-sim CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import type { SimulatedFile, SimulatorStateSnapshot } from '../../src/simulator/index.js';

/** The base directory every test uses. */
export const BASE = '/gpfs0/volumes';

/** How a process ended. */
export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The bundled CLIs; fails the calling test when bundling failed. */
export function bundledClis(): { readonly gpfsVolumes: string; readonly gpfsSim: string } {
  expect(inject('gpfsVolumesCliError'), 'bundling the gpfs-volumes CLI failed').toBe('');
  expect(inject('gpfsSimCliError'), 'bundling the gpfs-sim CLI failed').toBe('');
  return { gpfsVolumes: inject('gpfsVolumesCli'), gpfsSim: inject('gpfsSimCli') };
}

/** Runs `node <cli> ...args` with a clean environment (no GPFS_VOLUMES_* from the caller). */
export function runNode(cli: string, args: readonly string[], environment: Readonly<Record<string, string>> = {}): Ran {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GPFS_VOLUMES_') && name !== 'SSH_AUTH_SOCK'));
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...inherited, ...environment }, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A simulator state directory made with `gpfs-sim init`, with the base directory created. */
export interface SimState {
  /** The work directory (state, backups, ...). */
  readonly work: string;
  /** The state directory. */
  readonly state: string;
  /** Runs `gpfs-volumes <args> --sim <state> --base <BASE>`. */
  cli(...args: string[]): Ran;
  /** Runs `gpfs-volumes <args> --sim <state>` (no `--base`), with extra environment variables. */
  cliWithout(environment: Readonly<Record<string, string>>, ...args: string[]): Ran;
  /** Runs `gpfs-sim <args>` (add `--state` yourself). */
  sim(...args: string[]): Ran;
  /** `gpfs-sim inspect --files --under BASE`: the regular files under the base, by name. */
  files(): Map<string, SimulatedFile>;
  /** `gpfs-sim inspect`: the whole state (without times). */
  snapshot(): SimulatorStateSnapshot;
  /** Removes the work directory. */
  remove(): void;
}

/** Makes a state directory: `gpfs-sim init`, then `mkdir -p BASE` in the simulated cluster. */
export function createSimState(prefix = 'gv-cli-'): SimState {
  const { gpfsVolumes, gpfsSim } = bundledClis();
  const work = mkdtempSync(join(tmpdir(), prefix));
  const state = join(work, 'state');
  const sim = (...args: string[]): Ran => runNode(gpfsSim, args);
  expect(sim('init', '--state', state).status).toBe(0);
  const made = sim('exec', '--state', state, '--as-root', '--', 'mkdir', '-p', BASE);
  expect(made.status, made.stderr).toBe(0);
  return {
    work,
    state,
    cli: (...args) => runNode(gpfsVolumes, [...args, '--sim', state, '--base', BASE]),
    cliWithout: (environment, ...args) => runNode(gpfsVolumes, [...args, '--sim', state], environment),
    sim,
    files() {
      const result = sim('inspect', '--state', state, '--under', BASE);
      expect(result.status, result.stderr).toBe(0);
      const files = (JSON.parse(result.stdout) as SimulatedFile[]).filter((file) => file.type === 'file');
      return new Map(files.map((file) => [file.path.slice(BASE.length + 1), file]));
    },
    snapshot() {
      const result = sim('inspect', '--state', state);
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as SimulatorStateSnapshot;
    },
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}

/** Parses stdout as exactly one JSON document (fails the test otherwise). */
export function parseJson<T>(ran: Ran): T {
  expect(() => JSON.parse(ran.stdout) as unknown, `stdout is not one JSON document: ${ran.stdout}`).not.toThrow();
  return JSON.parse(ran.stdout) as T;
}

/** The error line a failed command printed: exactly one line on stderr. */
export function errorLine(ran: Ran): string {
  const lines = ran.stderr.split('\n').filter((line) => line !== '');
  expect(lines, `expected one error line, got: ${ran.stderr}`).toHaveLength(1);
  return lines[0] ?? '';
}
