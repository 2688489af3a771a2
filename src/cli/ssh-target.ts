/**
 * The `--ssh` target: `user@host[:port][,host[:port]...]` and the SSH options, read into the SSH
 * runner's options. Secrets come from the environment only (`GPFS_VOLUMES_SSH_PASSWORD`,
 * `GPFS_VOLUMES_SSH_PASSPHRASE`), never from flags, so that they never appear in process listings.
 * `ssh2` is loaded only here, and only when `--ssh` is used (a dynamic import of the SSH subpath).
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import type { SshHost, SshRunner, SshRunnerOptions } from '../runners/ssh/options.js';

/** Environment variable holding the SSH password. */
export const PASSWORD_ENV = 'GPFS_VOLUMES_SSH_PASSWORD';
/** Environment variable holding the passphrase of `--identity`. */
export const PASSPHRASE_ENV = 'GPFS_VOLUMES_SSH_PASSPHRASE';

/**
 * An SSH target, as the options describe it (files not read yet).
 *
 * @example
 * ```ts
 * const target: SshTarget = { kind: 'ssh', username: 'cinder', hosts: [{ host: 'node1' }], hostKeyFingerprints: [], agent: false };
 * ```
 */
export interface SshTarget {
  /** Always `'ssh'`. */
  readonly kind: 'ssh';
  /** Login user. */
  readonly username: string;
  /** Hosts in order of preference. */
  readonly hosts: readonly { readonly host: string; readonly port?: number }[];
  /** Port for hosts given without one. */
  readonly port?: number;
  /** Private key file. */
  readonly identityFile?: string;
  /** Use the agent at `SSH_AUTH_SOCK`. */
  readonly agent: boolean;
  /** known_hosts file. */
  readonly knownHostsFile?: string;
  /** Pinned host key fingerprints. */
  readonly hostKeyFingerprints: readonly string[];
  /** Password (from the environment). */
  readonly password?: string;
  /** Passphrase of the key (from the environment). */
  readonly passphrase?: string;
}

/**
 * Reads `--ssh` and the SSH options.
 *
 * @param spec - The `--ssh` value.
 * @param values - Every option value (`port`, `identity`, `agent`, `knownHosts`, `hostKeyFingerprint`).
 * @param environment - Source of the password and passphrase.
 * @param homeDirectory - For the default known_hosts file.
 * @returns The target, or a usage problem.
 */
export function parseSshTarget(spec: string, values: Record<string, unknown>, environment: NodeJS.ProcessEnv, homeDirectory: string): Result<SshTarget, string> {
  const at = spec.lastIndexOf('@');
  const username = at > 0 ? spec.slice(0, at) : '';
  if (username === '') return err(`--ssh must be user@host[:port] (got ${JSON.stringify(spec)})`);
  const hosts: { host: string; port?: number }[] = [];
  for (const part of spec.slice(at + 1).split(',')) {
    const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(part);
    if (match?.[1] === undefined) return err(`--ssh: ${JSON.stringify(part)} is not host or host:port`);
    const host = match[1].replace(/^\[(.*)\]$/, '$1');
    hosts.push(match[2] === undefined ? { host } : { host, port: Number(match[2]) });
  }
  const fingerprints = Array.isArray(values['hostKeyFingerprint']) ? (values['hostKeyFingerprint'] as string[]) : [];
  const knownHosts = typeof values['knownHosts'] === 'string' ? values['knownHosts'] : fingerprints.length === 0 ? join(homeDirectory, '.ssh', 'known_hosts') : undefined;
  const password = environment[PASSWORD_ENV];
  const passphrase = environment[PASSPHRASE_ENV];
  return ok({
    kind: 'ssh',
    username,
    hosts,
    ...(typeof values['port'] === 'number' ? { port: values['port'] } : {}),
    ...(typeof values['identity'] === 'string' ? { identityFile: values['identity'] } : {}),
    agent: values['agent'] === true,
    ...(knownHosts === undefined ? {} : { knownHostsFile: knownHosts }),
    hostKeyFingerprints: fingerprints,
    ...(password === undefined || password === '' ? {} : { password }),
    ...(passphrase === undefined || passphrase === '' ? {} : { passphrase }),
  });
}

/**
 * Opens the SSH runner for a target: reads the key file, picks a default way to authenticate when none
 * was given (the agent when `SSH_AUTH_SOCK` is set, else `~/.ssh/id_ed25519`, `id_ecdsa` or `id_rsa`),
 * and loads the SSH subpath (and with it ssh2) on demand.
 *
 * @param target - The target.
 * @param environment - For `SSH_AUTH_SOCK`.
 * @param homeDirectory - For the default keys.
 * @returns The runner (call `dispose()`), or why it cannot be made.
 */
export async function openSshRunner(target: SshTarget, environment: NodeJS.ProcessEnv, homeDirectory: string): Promise<Result<SshRunner, { kind: 'InvalidTarget'; message: string }>> {
  const chosen = target.identityFile !== undefined || target.agent || target.password !== undefined;
  const agent = target.agent || (!chosen && Boolean(environment['SSH_AUTH_SOCK']));
  const keyFile = target.identityFile ?? (chosen || agent ? undefined : defaultKeyFile(homeDirectory));
  let privateKey: string | undefined;
  if (keyFile !== undefined) {
    try {
      privateKey = readFileSync(keyFile, 'utf8');
    } catch (error) {
      return err({ kind: 'InvalidTarget', message: `cannot read the SSH key ${keyFile}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  const options: SshRunnerOptions = {
    hosts: target.hosts.map((entry): SshHost => (entry.port === undefined ? entry.host : { host: entry.host, port: entry.port })),
    username: target.username,
    ...(target.port === undefined ? {} : { port: target.port }),
    ...(privateKey === undefined ? {} : { privateKey }),
    ...(target.passphrase === undefined ? {} : { passphrase: target.passphrase }),
    ...(agent ? { agent: true as const } : {}),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.knownHostsFile === undefined ? {} : { knownHostsFile: target.knownHostsFile }),
    ...(target.hostKeyFingerprints.length === 0 ? {} : { hostKeyFingerprints: target.hostKeyFingerprints }),
  };
  const { createSshRunner } = await import('../runners/ssh/index.js');
  return ok(createSshRunner(options));
}

// --- Internal helpers ---

function defaultKeyFile(homeDirectory: string): string | undefined {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(homeDirectory, '.ssh', name)).find((path) => existsSync(path));
}
