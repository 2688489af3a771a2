/**
 * The SSH runner's options after defaults and validation.
 *
 * @module
 */
import { gpfsProbe } from './probe.js';
import type { SshCommandTrace, SshHealthProbe, SshRunnerOptions } from './options.js';

/** A host with its port resolved. @internal */
export interface HostAddress {
  readonly host: string;
  readonly port: number;
  /** `host:port`, for traces and errors. */
  readonly label: string;
}

/** Options after defaults and validation. @internal */
export interface ResolvedOptions {
  readonly hosts: readonly HostAddress[];
  readonly username: string;
  readonly privateKey: string | Buffer | undefined;
  readonly passphrase: string | undefined;
  readonly agent: string | undefined;
  readonly password: string | undefined;
  readonly hostKeyFingerprints: readonly string[];
  readonly knownHostsFile: string | undefined;
  readonly strictHostKeyChecking: boolean;
  readonly readyTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
  readonly maxConcurrentCommands: number;
  readonly reuseShells: boolean;
  readonly rootHelper: readonly string[] | null;
  readonly mmDirectory: string | null;
  readonly probe: SshHealthProbe | false;
  readonly onCommand: ((trace: SshCommandTrace) => void) | undefined;
  /** Every secret string, for redaction. */
  readonly secrets: readonly string[];
}

/** Default directory of the GPFS administration commands. @internal */
export const DEFAULT_MM_DIRECTORY = '/usr/lpp/mmfs/bin';

/**
 * Applies defaults and checks the options.
 *
 * @param options - What the caller gave.
 * @returns The resolved options, or a message saying what is wrong (never containing a secret).
 * @internal
 */
export function resolveOptions(options: SshRunnerOptions): { ok: true; value: ResolvedOptions } | { ok: false; message: string } {
  const problems: string[] = [];
  const defaultPort = options.port ?? 22;
  if (!isPort(defaultPort)) problems.push(`port must be an integer from 1 to 65535`);
  // Test a widened copy: Array.isArray would narrow options.hosts itself to any[].
  const listed: unknown = options.hosts;
  const hosts = (Array.isArray(listed) ? options.hosts : []).map((entry): HostAddress => {
    const host = typeof entry === 'string' ? entry : entry.host;
    const port = typeof entry === 'string' ? defaultPort : (entry.port ?? defaultPort);
    if (typeof host !== 'string' || host === '') problems.push('every host needs a non-empty name');
    if (!isPort(port)) problems.push(`port of ${String(host)} must be an integer from 1 to 65535`);
    return { host, port, label: `${host}:${port}` };
  });
  if (hosts.length === 0) problems.push('hosts must list at least one host');
  if (typeof options.username !== 'string' || options.username === '') problems.push('username is required');
  const agent = options.agent === true ? process.env['SSH_AUTH_SOCK'] : options.agent;
  if (options.agent === true && !agent) problems.push('agent: true needs SSH_AUTH_SOCK to be set');
  if (options.privateKey === undefined && agent === undefined && options.password === undefined) {
    problems.push('give privateKey, agent or password');
  }
  const fingerprints = options.hostKeyFingerprints ?? [];
  for (const fingerprint of fingerprints) {
    if (!/^(SHA256:[A-Za-z0-9+/]{43}=?|MD5:([0-9a-f]{2}:){15}[0-9a-f]{2})$/i.test(fingerprint)) {
      problems.push(`hostKeyFingerprints: ${JSON.stringify(fingerprint)} is not an OpenSSH fingerprint (SHA256:...)`);
    }
  }
  const maxConcurrentCommands = options.maxConcurrentCommands ?? 8;
  if (!Number.isInteger(maxConcurrentCommands) || maxConcurrentCommands < 1) problems.push('maxConcurrentCommands must be a positive integer');
  if (options.reuseShells !== undefined && typeof options.reuseShells !== 'boolean') problems.push('reuseShells must be true or false');
  const username = options.username;
  const rootHelper = options.rootHelper === undefined ? (username === 'root' ? null : ['sudo', '-n', '--']) : options.rootHelper;
  if (problems.length > 0) return { ok: false, message: `invalid SSH runner options: ${problems.join('; ')}` };

  const privateKey = options.privateKey === undefined || typeof options.privateKey === 'string' ? options.privateKey : Buffer.from(options.privateKey);
  return {
    ok: true,
    value: {
      hosts,
      username,
      privateKey,
      passphrase: options.passphrase,
      agent,
      password: options.password,
      hostKeyFingerprints: fingerprints,
      knownHostsFile: options.knownHostsFile,
      strictHostKeyChecking: options.strictHostKeyChecking ?? true,
      readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      maxConcurrentCommands,
      reuseShells: options.reuseShells ?? true,
      rootHelper,
      mmDirectory: options.mmDirectory === undefined ? DEFAULT_MM_DIRECTORY : options.mmDirectory,
      probe: options.probe ?? (hosts.length > 1 ? gpfsProbe(options.mountPoint) : false),
      onCommand: options.onCommand,
      secrets: collectSecrets(options),
    },
  };
}

// --- Internal helpers ---

function isPort(port: unknown): boolean {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65_535;
}

function collectSecrets(options: SshRunnerOptions): string[] {
  const secrets: string[] = [];
  for (const value of [options.password, options.passphrase]) if (value) secrets.push(value);
  if (options.privateKey !== undefined) {
    const keyText = typeof options.privateKey === 'string' ? options.privateKey : Buffer.from(options.privateKey).toString('latin1');
    if (keyText.trim() !== '') secrets.push(keyText.trim());
    for (const line of keyText.split(/\r?\n/)) if (line.trim().length >= 8) secrets.push(line.trim());
  }
  return secrets.sort((a, b) => b.length - a.length);
}
