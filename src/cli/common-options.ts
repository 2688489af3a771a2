/**
 * The options every `gpfs-volumes` command shares (target, directories, output), declared once on the
 * program and read back, checked, from any subcommand's `optsWithGlobals()`.
 *
 * @module
 */
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { err, ok, type Result } from 'neverthrow';
import { parseSshTarget, type SshTarget } from './ssh-target.js';

/** Environment variable that may hold `--base`. */
export const BASE_ENV = 'GPFS_VOLUMES_BASE';

/**
 * Where commands run: the process-level simulator's state directory, or GPFS nodes over SSH.
 *
 * @example
 * ```ts
 * const target: Target = { kind: 'sim', stateDirectory: '/tmp/sim' };
 * ```
 */
export type Target = { readonly kind: 'sim'; readonly stateDirectory: string } | SshTarget;

/**
 * The shared options after checking.
 *
 * @example
 * ```ts
 * const options: CommonOptions = { target: { kind: 'sim', stateDirectory: '/tmp/sim' }, mountPointBase: '/gpfs0/volumes', json: false, quiet: false };
 * ```
 */
export interface CommonOptions {
  /** Where commands run. */
  readonly target: Target;
  /** The driver's `mountPointBase`. */
  readonly mountPointBase: string;
  /** The driver's `imagesDir`, when given. */
  readonly imagesDir?: string;
  /** The driver's `storagePool`, when given. */
  readonly storagePool?: string;
  /** The driver's `maxCloneDepth`, when given. */
  readonly maxCloneDepth?: number;
  /** One JSON document on stdout instead of text. */
  readonly json: boolean;
  /** No progress output on stderr. */
  readonly quiet: boolean;
}

/**
 * Declares the shared options on the program (commander recognises them before and after the subcommand).
 *
 * @param program - The root command.
 * @returns The same command.
 */
export function addCommonOptions(program: Command): Command {
  return program
    .addOption(new Option('--sim <state-dir>', 'target: the gpfs-sim simulator state directory').conflicts('ssh'))
    .addOption(new Option('--ssh <user@host[:port]>', 'target: a GPFS node over SSH (several hosts: user@node1,node2 for failover)'))
    .addOption(new Option('--port <port>', 'SSH port for hosts given without one (default 22)').argParser(wholeNumber('--port')))
    .addOption(new Option('--identity <file>', 'SSH private key file (passphrase from GPFS_VOLUMES_SSH_PASSPHRASE)'))
    .addOption(new Option('--agent', 'authenticate with the ssh-agent at SSH_AUTH_SOCK'))
    .addOption(new Option('--known-hosts <file>', 'OpenSSH known_hosts file to trust host keys from (default ~/.ssh/known_hosts when no fingerprint is given)'))
    .addOption(
      new Option('--host-key-fingerprint <SHA256:...>', 'trusted host key fingerprint (repeatable)').argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .addOption(new Option('--base <dir>', 'GPFS directory of the volumes (mountPointBase)').env(BASE_ENV))
    .addOption(new Option('--images-dir <dir>', 'GPFS directory of the image repository (imagesDir)'))
    .addOption(new Option('--storage-pool <pool>', 'storage pool of new volumes (default system)'))
    .addOption(new Option('--max-clone-depth <n>', 'longest clone chain before redirect; 0 is unlimited').argParser(wholeNumber('--max-clone-depth')))
    .addOption(new Option('--json', 'print one JSON document on stdout'))
    .addOption(new Option('-q, --quiet', 'no progress output on stderr'));
}

/**
 * Checks the shared options of a subcommand.
 *
 * @param values - `command.optsWithGlobals()`.
 * @param environment - Where the SSH password and passphrase are read from (never from flags).
 * @param homeDirectory - For the default known_hosts file.
 * @returns The options, or a usage problem (one line).
 */
export function readCommonOptions(values: Record<string, unknown>, environment: NodeJS.ProcessEnv, homeDirectory: string): Result<CommonOptions, string> {
  const json = values['json'] === true;
  const quiet = values['quiet'] === true;
  const base = stringValue(values['base']);
  if (base === undefined) return err(`--base <dir> is required (or set ${BASE_ENV})`);
  const sim = stringValue(values['sim']);
  const ssh = stringValue(values['ssh']);
  let target: Target;
  if (sim !== undefined) {
    target = { kind: 'sim', stateDirectory: resolve(sim) };
  } else if (ssh !== undefined) {
    const parsed = parseSshTarget(ssh, values, environment, homeDirectory);
    if (parsed.isErr()) return err(parsed.error);
    target = parsed.value;
  } else {
    return err('a target is required: --sim <state-dir> or --ssh <user@host>');
  }
  const imagesDir = stringValue(values['imagesDir']);
  const storagePool = stringValue(values['storagePool']);
  const maxCloneDepth = typeof values['maxCloneDepth'] === 'number' ? values['maxCloneDepth'] : undefined;
  return ok({
    target,
    mountPointBase: base,
    ...(imagesDir === undefined ? {} : { imagesDir }),
    ...(storagePool === undefined ? {} : { storagePool }),
    ...(maxCloneDepth === undefined ? {} : { maxCloneDepth }),
    json,
    quiet,
  });
}

/**
 * An argument parser for whole numbers (digits only); anything else is a usage error.
 *
 * @param label - The option or argument, for the message.
 * @returns The parser.
 */
export function wholeNumber(label: string): (value: string) => number {
  return (value) => {
    if (!/^\d{1,15}$/.test(value)) throw new InvalidArgumentError(`${label} must be a whole number (got ${JSON.stringify(value)})`);
    return Number(value);
  };
}

// --- Internal helpers ---

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
