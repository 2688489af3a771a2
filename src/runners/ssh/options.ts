/**
 * Options of the SSH runner, and their normalised internal form.
 *
 * @module
 */
import type { BatchCommand, CommandOutput, CommandRunner } from '../types.js';

/**
 * One GPFS node to connect to: a host name or address, and optionally its SSH port.
 *
 * @example
 * ```ts
 * const hosts: SshHost[] = ['gpfs-node1.example.com', { host: '10.0.0.12', port: 2222 }];
 * ```
 */
export type SshHost =
  | string
  | {
      /** Host name or address. */
      readonly host: string;
      /** Its SSH port. @defaultValue the runner's `port` option */
      readonly port?: number;
    };

/**
 * Decides whether a host may serve commands. Runs as one batch on a freshly selected host, before any
 * command is sent to it.
 *
 * @example
 * ```ts
 * const probe: SshHealthProbe = {
 *   commands: [{ argv: ['mmgetstate', '-Y'], asRoot: true }, { argv: ['test', '-d', '/gpfs0'] }],
 *   isHealthy: (outputs) => outputs.every((output) => output.exitCode === 0),
 * };
 * ```
 */
export interface SshHealthProbe {
  /** Commands to run on a candidate host, in one round trip. */
  readonly commands: readonly BatchCommand[];
  /**
   * Tells from their outputs (one per command that ran) whether the host may serve.
   * @defaultValue every command ran and exited 0
   */
  readonly isHealthy?: (outputs: readonly CommandOutput[]) => boolean;
}

/**
 * What the runner reports to `onCommand` after each remote execution: commands, batches, health
 * probes, the kills that enforce timeouts and the start of each reused shell. Holds no secrets.
 *
 * @example
 * ```ts
 * const onCommand = (trace: SshCommandTrace) =>
 *   console.log(`${trace.host} ${trace.purpose} ${trace.durationMs} ms`, trace.argvs, trace.error?.kind ?? trace.exitCodes);
 * ```
 */
export interface SshCommandTrace {
  /**
   * `'command'` (run), `'batch'` (runBatch), `'probe'` (host health check), `'kill'` (timeout or abort)
   * or `'shell'` (a reused shell started; see `reuseShells`).
   */
  readonly purpose: 'command' | 'batch' | 'probe' | 'kill' | 'shell';
  /** `'exec'`: on an SSH session of its own; `'shell'`: on a reused shell (no new session). */
  readonly transport: 'exec' | 'shell';
  /** The host that ran it, as `host:port`. */
  readonly host: string;
  /** The argv of each command, in order (one element for a single command). */
  readonly argvs: readonly (readonly string[])[];
  /**
   * The exact command line sent to the remote shell. On a reused shell, which receives argv elements
   * as they are: each command shell-quoted for display, one per line, `[asRoot] ` before root-helper ones.
   */
  readonly remoteCommand: string;
  /** Exit code of each command that ran (`null` when a signal ended it). */
  readonly exitCodes: readonly (number | null)[];
  /** How many times opening the channel was refused and retried (for example above sshd's MaxSessions). */
  readonly channelOpenRetries: number;
  /** Wall time from the request to the outcome, in milliseconds. */
  readonly durationMs: number;
  /** Set when the execution failed: the error's kind and message. */
  readonly error?: {
    /** The runner error's kind, e.g. `'Timeout'`. */
    readonly kind: string;
    /** Its message (never holds secrets). */
    readonly message: string;
  };
}

/**
 * Options of {@link createSshRunner}.
 *
 * Give at least one host, a user name, one way to authenticate (`privateKey`, `agent` or `password`)
 * and a way to trust the host keys (`hostKeyFingerprints` and/or `knownHostsFile`).
 *
 * @example
 * ```ts
 * const options: SshRunnerOptions = {
 *   hosts: ['gpfs-node1', 'gpfs-node2'],
 *   username: 'cinder',
 *   privateKey: readFileSync('/etc/cinder/ssh/id_ed25519', 'utf8'),
 *   knownHostsFile: '/etc/cinder/ssh/known_hosts',
 *   mountPoint: '/gpfs0',
 * };
 * ```
 */
export interface SshRunnerOptions {
  /** GPFS nodes in order of preference. The first healthy one serves; the next takes over when it stops answering. */
  readonly hosts: readonly SshHost[];
  /** Port for hosts given without one. @defaultValue 22 */
  readonly port?: number;
  /** Login user name. */
  readonly username: string;
  /** Private key (OpenSSH or PEM text, or its bytes). Never logged. */
  readonly privateKey?: string | Uint8Array;
  /** Passphrase of an encrypted `privateKey`. Never logged. */
  readonly passphrase?: string;
  /** ssh-agent socket path, or `true` for `$SSH_AUTH_SOCK`. */
  readonly agent?: string | true;
  /** Password. Never logged. */
  readonly password?: string;
  /** Trusted host key fingerprints as OpenSSH prints them (`SHA256:...`; `MD5:aa:bb:...` also accepted). */
  readonly hostKeyFingerprints?: readonly string[];
  /** An OpenSSH known_hosts file (plain, `[host]:port` and hashed `|1|` entries, `@revoked` honoured). Read at each connection. */
  readonly knownHostsFile?: string;
  /**
   * Refuse a host whose key is not trusted. With `false`, a host that has no pinned fingerprint and no
   * known_hosts entry at all is accepted (like OpenSSH's `accept-new`, without writing anything); a key
   * that differs from a known one is still refused.
   * @defaultValue true
   */
  readonly strictHostKeyChecking?: boolean;
  /** Limit for the TCP connection and SSH handshake, in milliseconds. @defaultValue 20000 */
  readonly readyTimeoutMs?: number;
  /** Interval of SSH keepalive probes, in milliseconds; 0 disables them. @defaultValue 15000 */
  readonly keepaliveIntervalMs?: number;
  /** Unanswered keepalives after which the connection counts as lost. @defaultValue 3 */
  readonly keepaliveCountMax?: number;
  /**
   * Commands running at once per host; more wait in a queue. Every SSH session the runner holds for
   * commands (reused shells, idle or busy, and exec channels) counts against it. Keep it below sshd's
   * MaxSessions (10). @defaultValue 8
   */
  readonly maxConcurrentCommands?: number;
  /**
   * Reuse long-lived remote command shells instead of opening an SSH session per command. A few
   * shells per connection (at most `maxConcurrentCommands`) each run one request at a time: a `run`
   * or a whole `runBatch` is written to an idle shell, which runs each command in a fresh process
   * that is a session of its own, with the same environment, PATH (mm* directory appended), root
   * helper, directory and program checks as on an SSH session of its own; no variable, directory,
   * umask, trap or descriptor carries over from one command to the next, and each argv element
   * reaches the program as it is, through no shell at all. Exit codes and signals are exact in both
   * `run` and `runBatch`. A shell whose request timed out or was aborted is killed with its command
   * and replaced. Needs `perl` on the remote PATH (each shell is a small Perl program); without it
   * the runner falls back to a session per command. Commands with streamed stdin (an async iterable)
   * or a `stdoutSink` always get a session of their own. Output that a command's background
   * processes write after it exits is not part of its output here (a session of its own waits for
   * them).
   * @defaultValue true
   */
  readonly reuseShells?: boolean;
  /**
   * Prefix for `asRoot` commands. `null` runs them as they are.
   * @defaultValue `['sudo', '-n', '--']` unless `username` is `'root'`, then `null`
   */
  readonly rootHelper?: readonly string[] | null;
  /** Directory of the mm* commands, appended to the remote PATH (entries already on PATH win); `null` leaves PATH alone. @defaultValue '/usr/lpp/mmfs/bin' */
  readonly mmDirectory?: string | null;
  /** GPFS mount point that the default health probe checks with `test -d`. */
  readonly mountPoint?: string;
  /**
   * How a host is judged before it serves. `false` disables probing.
   * @defaultValue with several hosts, `mmgetstate -Y` must report `active` (and `mountPoint`, if given, must be a
   * directory); with one host, no probe
   */
  readonly probe?: SshHealthProbe | false;
  /** Called after every remote execution, for logs and metrics. Errors it throws are ignored. */
  readonly onCommand?: (trace: SshCommandTrace) => void;
}

/**
 * A {@link CommandRunner} over SSH, with `runBatch` and `dispose`.
 *
 * @example
 * ```ts
 * const runner: SshRunner = createSshRunner(options);
 * try { await runner.run({ argv: ['mmlsfs', 'gpfs0', '-Y'], asRoot: true }); } finally { await runner.dispose(); }
 * ```
 */
export interface SshRunner extends CommandRunner {
  /** Always `'ssh'`. */
  readonly name: 'ssh';
  /** See {@link CommandRunner.runBatch}. */
  readonly runBatch: NonNullable<CommandRunner['runBatch']>;
  /** Kills commands in flight, closes every connection and releases every timer. Safe to call more than once. */
  dispose(): Promise<void>;
}
