/**
 * Test harness: a real OpenSSH sshd on 127.0.0.1 with a free port, a throwaway host key and a
 * throwaway client key, started and stopped by the tests (and by bench/ssh.bench.ts).
 *
 * When /usr/sbin/sshd is missing the SSH suites skip with a message, unless
 * GPFS_VOLUMES_REQUIRE_SSHD=1 (set by .ci/run), in which case they fail.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

export const SSHD_PATH = '/usr/sbin/sshd';

/** Whether the SSH suites can run here, and what to say when they cannot. */
export function sshdSupport(): { readonly available: boolean; readonly required: boolean; readonly reason: string } {
  const required = process.env['GPFS_VOLUMES_REQUIRE_SSHD'] === '1';
  if (existsSync(SSHD_PATH) && existsSync('/usr/bin/ssh-keygen')) return { available: true, required, reason: '' };
  return {
    available: false,
    required,
    reason:
      `SSH end-to-end tests skipped: ${SSHD_PATH} (or ssh-keygen) is not installed. ` +
      'Install OpenSSH (Debian/Ubuntu: apt-get install -y openssh-server openssh-client) to run them; ' +
      'set GPFS_VOLUMES_REQUIRE_SSHD=1 to make their absence a failure (CI does).',
  };
}

export interface LoopbackSshdOptions {
  /** sshd MaxSessions. @defaultValue 10 */
  readonly maxSessions?: number;
  /** Environment of every session (sshd SetEnv; values must not contain white space). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Extra sshd_config lines. */
  readonly extraConfig?: readonly string[];
  /** Reuse the client key pair of another instance (so one runner can log in to both). */
  readonly clientKeyFrom?: LoopbackSshd;
}

export interface LoopbackSshd {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The user the tests log in as: the current user (root here). */
  readonly username: string;
  /** Private directory of this instance (keys, config, log). */
  readonly directory: string;
  readonly clientKeyPath: string;
  readonly clientPrivateKey: string;
  /** `SHA256:...` of the host key, as `ssh-keygen -l` prints it. */
  readonly hostKeyFingerprint: string;
  /** `ssh-ed25519 AAAA...` */
  readonly hostPublicKey: string;
  /** A known_hosts line for this instance: `[127.0.0.1]:<port> ssh-ed25519 AAAA...`. */
  readonly knownHostsLine: string;
  isRunning(): boolean;
  /** Starts sshd again on the same port with the same keys. */
  start(): Promise<void>;
  /** SIGKILLs the live sessions (sshd session processes first, then what they run) and the listener. */
  stop(): Promise<void>;
  /** Text of sshd's log (-e). */
  log(): string;
  /** Pids of the live session processes (sshd's children and what they run), parents first. */
  sessionPids(): number[];
}

/** Starts a loopback sshd. Call `stop()` when done. */
export async function startLoopbackSshd(options: LoopbackSshdOptions = {}): Promise<LoopbackSshd> {
  const directory = mkdtempSync(join(tmpdir(), 'gv-sshd-'));
  const username = userInfo().username;
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKeyPath = join(directory, 'host_ed25519');
  execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'gpfs-volumes-test-host', '-f', hostKeyPath]);
  const clientKeyPath = options.clientKeyFrom?.clientKeyPath ?? join(directory, 'client_ed25519');
  if (!options.clientKeyFrom) execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'gpfs-volumes-test-client', '-f', clientKeyPath]);
  writeFileSync(join(directory, 'authorized_keys'), readFileSync(`${clientKeyPath}.pub`));
  const hostPublicKey = readFileSync(`${hostKeyPath}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const hostKeyFingerprint = /SHA256:\S+/.exec(execFileSync('/usr/bin/ssh-keygen', ['-l', '-f', `${hostKeyPath}.pub`], { encoding: 'utf8' }))?.[0] ?? '';
  const port = await freePort();
  const configPath = join(directory, 'sshd_config');
  writeFileSync(
    configPath,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyPath}`,
      `PidFile ${join(directory, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(directory, 'authorized_keys')}`,
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      `MaxSessions ${options.maxSessions ?? 10}`,
      'MaxStartups 100:30:200',
      'LogLevel VERBOSE',
      // bash sources ~/.bashrc for ssh commands unless SHLVL is already set; a developer's .bashrc (pyenv, ...)
      // can take seconds, which would drown what the tests and the bench measure. sshd uses only the first SetEnv line.
      `SetEnv ${Object.entries({ SHLVL: '1', ...options.environment })
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}`,
      ...(options.extraConfig ?? []),
      '',
    ].join('\n'),
  );

  let child: ChildProcess | undefined;
  let logText = '';
  const launch = async (): Promise<void> => {
    const started = spawn(SSHD_PATH, ['-f', configPath, '-D', '-e'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        logText += chunk.toString('utf8');
        if (logText.includes(`Server listening on 127.0.0.1 port ${port}`)) resolve();
      };
      started.stderr?.on('data', onData);
      started.once('exit', (code) => reject(new Error(`sshd exited (${code}) before listening:\n${logText}`)));
      started.once('error', reject);
    });
  };
  await launch();
  const killAtExit = (): void => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) killQuietly(child.pid);
  };
  process.once('exit', killAtExit);

  return {
    host: '127.0.0.1',
    port,
    username,
    directory,
    clientKeyPath,
    clientPrivateKey: readFileSync(clientKeyPath, 'utf8'),
    hostKeyFingerprint,
    hostPublicKey,
    knownHostsLine: `[127.0.0.1]:${port} ${hostPublicKey}`,
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    start: async () => {
      if (child && child.exitCode === null && child.signalCode === null) return;
      await launch();
    },
    stop: async () => {
      const listener = child;
      if (!listener?.pid || listener.exitCode !== null || listener.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => listener.once('close', () => resolve()));
      for (const pid of descendantsOf(listener.pid)) killQuietly(pid);
      killQuietly(listener.pid);
      await exited;
      process.removeListener('exit', killAtExit);
      process.once('exit', killAtExit);
    },
    log: () => logText,
    sessionPids: () => (child?.pid ? descendantsOf(child.pid) : []),
  };
}

/** Removes an instance's directory (after `stop()`). */
export function removeSshdDirectory(sshd: LoopbackSshd): void {
  rmSync(sshd.directory, { recursive: true, force: true });
}

/** Process state letter from /proc (`'Z'` for a zombie), or `undefined` when the process is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

// --- Internal helpers ---

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Every descendant of `root`, parents before children (breadth first). */
function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const order: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    order.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return order;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Declares a suite that needs sshd: skipped with a message saying how to enable it when sshd is
 * missing, or failing when GPFS_VOLUMES_REQUIRE_SSHD=1.
 */
export function describeWithSshd(title: string, body: () => void): void {
  const support = sshdSupport();
  if (!support.available && !support.required) console.warn(`[gpfs-volumes] ${support.reason}`);
  describe.skipIf(!support.available)(title, body);
  if (!support.available && support.required) {
    describe(`${title} (GPFS_VOLUMES_REQUIRE_SSHD=1)`, () => {
      it('finds an OpenSSH server to test against', () => {
        expect.fail(support.reason);
      });
    });
  }
}
