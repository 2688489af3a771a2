/**
 * One SSH connection to one host: connecting with strict host key checking, mapping failures to
 * runner errors, and opening exec channels with retries when the server refuses a channel
 * (MaxSessions). A connection that dropped is never reused; the pool makes a new one.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import type { RunnerError } from '../../errors.js';
import { checkHostKey, parseKnownHosts, type HostKeyVerdict } from './host-keys.js';
import type { Ssh2Module } from './load-ssh2.js';
import type { HostAddress, ResolvedOptions } from './resolve-options.js';
import { abortableDelay, messageOf, redact } from './util.js';

/** A live (or dropped) connection. @internal */
export interface SshConnection {
  readonly address: HostAddress;
  /** `false` once the connection closed or failed; it is then never used again. */
  isAlive(): boolean;
  /**
   * Opens a session channel and sends `exec`. A channel the server refuses (MaxSessions) is retried
   * with backoff, up to `maxRetries` times (default 10).
   */
  openExec(commandLine: string, signal: AbortSignal, maxRetries?: number): Promise<OpenExecResult>;
  /**
   * Whether the login shell runs POSIX sh scripts as they are (bash, dash, ksh, ash, sh): commands then
   * skip the `exec /bin/sh -c` wrapper, saving one exec each.
   */
  readonly posixLoginShell: boolean;
  /** Ends the connection and waits for its socket to close. */
  close(): Promise<void>;
}

/**
 * Result of opening an exec channel. `started` tells, on failure, whether the command may have
 * started: `false` (the channel was never opened, or exec was refused on a live connection) or
 * `'unknown'` (the connection dropped after the exec request was sent).
 * @internal
 */
export type OpenExecResult =
  | { readonly ok: true; readonly channel: ClientChannel; readonly exitStatus: () => ExitStatus | undefined; readonly retries: number }
  | { readonly ok: false; readonly started: false | 'unknown'; readonly message: string; readonly retries: number };

/** How a remote command ended, as sshd reported it. @internal */
export interface ExitStatus {
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/** Channel-open refusals retried before giving up. */
const MAX_CHANNEL_OPEN_RETRIES = 10;

/**
 * Connects to one host.
 *
 * @param ssh2 - The loaded ssh2 module.
 * @param address - Host and port.
 * @param options - Resolved runner options (credentials, trust, timeouts).
 * @returns The connection, or why it could not be made (nothing ran).
 * @internal
 */
export async function connectHost(ssh2: Ssh2Module, address: HostAddress, options: ResolvedOptions): Promise<{ ok: true; connection: SshConnection } | { ok: false; error: RunnerError }> {
  const knownHosts = await readKnownHosts(options.knownHostsFile);
  const client = new ssh2.Client();
  let verdict: HostKeyVerdict | undefined;
  let ready = false;
  let alive = true;
  let closed = false;
  const closeWaiters: (() => void)[] = [];
  const markDropped = (): void => {
    alive = false;
  };
  client.on('close', () => {
    closed = true;
    markDropped();
    for (const waiter of closeWaiters.splice(0)) waiter();
  });
  client.on('end', markDropped);

  const outcome = await new Promise<{ ok: true } | { ok: false; error: RunnerError }>((resolve) => {
    const fail = (error: RunnerError): void => {
      markDropped();
      client.destroy();
      resolve({ ok: false, error });
    };
    client.on('ready', () => {
      ready = true;
      // Requests and replies are small: do not let Nagle's algorithm hold one back for a delayed ACK.
      client.setNoDelay(true);
      resolve({ ok: true });
    });
    client.on('error', (error: Error & { level?: string }) => {
      markDropped();
      if (!ready) fail(mapConnectError(error, verdict, address, options));
    });
    client.on('close', () => {
      if (!ready) fail(mapConnectError(new Error('connection closed during the SSH handshake'), verdict, address, options));
    });
    const config: ConnectConfig = {
      host: address.host,
      port: address.port,
      username: options.username,
      readyTimeout: options.readyTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax,
      hostVerifier: (key: Buffer) => {
        verdict = checkHostKey(key, { host: address.host, port: address.port, fingerprints: options.hostKeyFingerprints, strict: options.strictHostKeyChecking, ...knownHosts });
        return verdict.accepted;
      },
      ...(options.privateKey !== undefined ? { privateKey: options.privateKey } : {}),
      ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
      ...(options.agent !== undefined ? { agent: options.agent } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    };
    try {
      client.connect(config);
    } catch (cause) {
      // ssh2 throws synchronously for unusable keys ("Cannot parse privateKey: ...").
      fail({
        kind: 'AuthenticationFailed',
        runner: 'ssh',
        argv: [],
        host: address.host,
        username: options.username,
        message: `could not use the configured credentials: ${redact(messageOf(cause), options.secrets)}`,
      });
    }
  });
  if (!outcome.ok) return outcome;

  const connection: SshConnection = {
    address,
    isAlive: () => alive,
    posixLoginShell: await isPosixLoginShell(client, () => alive),
    openExec: (commandLine, signal, maxRetries = MAX_CHANNEL_OPEN_RETRIES) => openExecWithRetry(client, commandLine, signal, maxRetries, () => alive, options.secrets),
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        const fallback = setTimeout(() => client.destroy(), 2_000);
        closeWaiters.push(() => {
          clearTimeout(fallback);
          resolve();
        });
        markDropped();
        client.end();
      }),
  };
  return { ok: true, connection };
}

// --- Internal helpers ---

/** Asks the login shell's name once per connection (`echo $SHELL` works in every shell). */
async function isPosixLoginShell(client: Client, isAlive: () => boolean): Promise<boolean> {
  const opened = await execOnce(client, 'echo $SHELL', isAlive);
  if (!opened.ok) return false;
  const chunks: Buffer[] = [];
  opened.channel.on('data', (chunk: Buffer) => chunks.push(chunk));
  opened.channel.stderr.resume();
  opened.channel.on('error', () => undefined);
  opened.channel.end();
  await new Promise<void>((resolve) => opened.channel.once('close', () => resolve()));
  const shell = Buffer.concat(chunks).toString('utf8').trim().split('/').pop() ?? '';
  return opened.exitStatus()?.exitCode === 0 && ['bash', 'dash', 'sh', 'ksh', 'ksh93', 'mksh', 'ash'].includes(shell);
}

async function readKnownHosts(path: string | undefined): Promise<{ knownHosts: ReturnType<typeof parseKnownHosts>; knownHostsProblem: string | undefined }> {
  if (path === undefined) return { knownHosts: [], knownHostsProblem: undefined };
  try {
    return { knownHosts: parseKnownHosts(await readFile(path, 'utf8')), knownHostsProblem: undefined };
  } catch (cause) {
    return { knownHosts: [], knownHostsProblem: `could not read known_hosts file ${path}: ${messageOf(cause)}` };
  }
}

function mapConnectError(error: Error & { level?: string }, verdict: HostKeyVerdict | undefined, address: HostAddress, options: ResolvedOptions): RunnerError {
  const base = { runner: 'ssh', argv: [] as string[], host: address.host };
  if (verdict !== undefined && !verdict.accepted) {
    return { ...base, kind: 'HostKeyRejected', fingerprint: verdict.fingerprint, message: `${address.label}: ${verdict.reason}` };
  }
  if (error.level === 'client-authentication') {
    return { ...base, kind: 'AuthenticationFailed', username: options.username, message: `${address.label} refused every authentication method offered for user ${options.username}` };
  }
  const detail = error.level === 'client-timeout' ? `no SSH handshake within ${options.readyTimeoutMs} ms` : redact(error.message, options.secrets);
  return { ...base, kind: 'ConnectionFailed', message: `could not connect to ${address.label}: ${detail}` };
}

function openExecWithRetry(client: Client, commandLine: string, signal: AbortSignal, maxRetries: number, isAlive: () => boolean, secrets: readonly string[]): Promise<OpenExecResult> {
  const attempt = async (retries: number): Promise<OpenExecResult> => {
    if (!isAlive()) return { ok: false, started: false, message: 'the connection is closed', retries };
    const result = await execOnce(client, commandLine, isAlive);
    if (result.ok || result.started !== false) return { ...result, retries };
    const refused = /Channel open failure/i.test(result.message);
    if (!refused || retries >= maxRetries || signal.aborted || !isAlive()) {
      return { ...result, message: redact(result.message, secrets), retries };
    }
    const delayMs = Math.min(1_000, 20 * 2 ** retries) * (0.5 + Math.random() / 2);
    if (!(await abortableDelay(delayMs, signal))) return { ok: false, started: false, message: 'cancelled while waiting for a free SSH channel', retries };
    return attempt(retries + 1);
  };
  return attempt(0);
}

function execOnce(
  client: Client,
  commandLine: string,
  isAlive: () => boolean,
): Promise<{ ok: true; channel: ClientChannel; exitStatus: () => ExitStatus | undefined } | { ok: false; started: false | 'unknown'; message: string }> {
  return new Promise((resolve) => {
    try {
      client.exec(commandLine, (error, channel) => {
        if (!error) {
          // Listen now: a fast command's exit status can arrive in the same packet batch as the exec reply,
          // before any promise continuation runs.
          let status: ExitStatus | undefined;
          channel.on('exit', (code: number | null | undefined, signalName?: string) => {
            status ??= { exitCode: typeof code === 'number' ? code : null, signal: typeof code === 'number' ? null : (signalName ?? null) };
          });
          return resolve({ ok: true, channel, exitStatus: () => status });
        }
        // 'Unable to exec' after the connection died: the request was sent, the command may have started.
        const sent = /Unable to exec/.test(error.message) && !isAlive();
        resolve({ ok: false, started: sent ? 'unknown' : false, message: error.message });
      });
    } catch (cause) {
      resolve({ ok: false, started: false, message: messageOf(cause) });
    }
  });
}
