/**
 * Errors as plain data, keyed on `kind`.
 *
 * Nothing in the public API throws: every failure is one of the objects below, returned inside a
 * neverthrow `Err`. Each carries what a person needs to act on it (argv, exit code, stderr, line).
 * Render any of them for people with {@link formatError}.
 *
 * @module
 */

/**
 * A parser could not read its input.
 *
 * @example
 * ```ts
 * const error: ParseError = { kind: 'ParseError', parser: 'parseMachineReadable', message: 'data row before any HEADER', line: 3, text: 'mmlsfs::0:1:::gpfs0:blockSize:4194304::' };
 * ```
 */
export interface ParseError {
  /** Always `'ParseError'`. */
  readonly kind: 'ParseError';
  /** Name of the parser that failed, e.g. `'parseMmcloneShow'`. */
  readonly parser: string;
  /** What is wrong, for people. */
  readonly message: string;
  /** 1-based line number of the offending input, where there is one. */
  readonly line?: number;
  /** The offending line (or excerpt), where there is one. */
  readonly text?: string;
}

/** Why the clone-tree planner refused its input. */
export type PlanErrorReason = 'Cycle' | 'DuplicateInode' | 'DuplicatePath' | 'MissingParent' | 'InvalidEntry' | 'TargetNotFound' | 'TargetHasChildren';

/**
 * The clone-tree model or planner was given contradictory input.
 *
 * @example
 * ```ts
 * const error: PlanError = { kind: 'PlanError', reason: 'Cycle', message: 'clone parents form a cycle', paths: ['/gpfs0/a', '/gpfs0/b'] };
 * ```
 */
export interface PlanError {
  /** Always `'PlanError'`. */
  readonly kind: 'PlanError';
  /** Machine-readable reason. */
  readonly reason: PlanErrorReason;
  /** What is wrong, for people. */
  readonly message: string;
  /** Paths involved, where known. */
  readonly paths?: readonly string[];
  /** Inode numbers involved, where known. */
  readonly inodes?: readonly number[];
}

/** Fields every runner error carries. */
interface RunnerErrorBase {
  /** Name of the runner that reported it: `'local'`, `'ssh'`, `'mock'`, `'simulator'`, ... */
  readonly runner: string;
  /** The command it was running, as an argv array. Empty when no command was involved. */
  readonly argv: readonly string[];
  /** What happened, for people. Never contains secrets. */
  readonly message: string;
}

/** The process could not be started (no such program, permission denied, ...). Nothing ran. */
export interface SpawnFailedError extends RunnerErrorBase {
  /** Always `'SpawnFailed'`. */
  readonly kind: 'SpawnFailed';
  /** Operating-system error code such as `'ENOENT'`, where known. */
  readonly code?: string;
}

/** The command ran longer than its `timeoutMs` and was killed. Its effects may be partial. */
export interface TimeoutError extends RunnerErrorBase {
  /** Always `'Timeout'`. */
  readonly kind: 'Timeout';
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
}

/** The caller's `AbortSignal` fired; the command was killed or never started. */
export interface AbortedError extends RunnerErrorBase {
  /** Always `'Aborted'`. */
  readonly kind: 'Aborted';
}

/** No connection could be made to the remote host. Nothing ran. */
export interface ConnectionFailedError extends RunnerErrorBase {
  /** Always `'ConnectionFailed'`. */
  readonly kind: 'ConnectionFailed';
  /** The host that could not be reached. */
  readonly host: string;
}

/**
 * The connection dropped while the command was in flight. Its outcome is unknown: it may or may not
 * have taken effect, so callers must not retry it blindly.
 */
export interface ConnectionLostError extends RunnerErrorBase {
  /** Always `'ConnectionLost'`. */
  readonly kind: 'ConnectionLost';
  /** The host whose connection dropped. */
  readonly host: string;
}

/** The remote host presented a host key that is not trusted. Nothing ran. */
export interface HostKeyRejectedError extends RunnerErrorBase {
  /** Always `'HostKeyRejected'`. */
  readonly kind: 'HostKeyRejected';
  /** The host whose key was refused. */
  readonly host: string;
  /** The fingerprint it presented, in OpenSSH's `SHA256:...` form. */
  readonly fingerprint: string;
}

/** The remote host refused every authentication method offered. Nothing ran. */
export interface AuthenticationFailedError extends RunnerErrorBase {
  /** Always `'AuthenticationFailed'`. */
  readonly kind: 'AuthenticationFailed';
  /** The host that refused. */
  readonly host: string;
  /** The login user name. */
  readonly username: string;
}

/** A strict mock runner received a command no script matches. Nothing ran. */
export interface UnexpectedCommandError extends RunnerErrorBase {
  /** Always `'UnexpectedCommand'`. */
  readonly kind: 'UnexpectedCommand';
}

/**
 * Why a runner could not run a command, or could not tell how it ended.
 *
 * A command that ran and exited non-zero is not an error at this level: runners return its output.
 */
export type RunnerError = SpawnFailedError | TimeoutError | AbortedError | ConnectionFailedError | ConnectionLostError | HostKeyRejectedError | AuthenticationFailedError | UnexpectedCommandError;

/** Every `kind` a {@link RunnerError} can have. */
export const RUNNER_ERROR_KINDS = [
  'SpawnFailed',
  'Timeout',
  'Aborted',
  'ConnectionFailed',
  'ConnectionLost',
  'HostKeyRejected',
  'AuthenticationFailed',
  'UnexpectedCommand',
] as const satisfies readonly RunnerError['kind'][];

/**
 * Tells whether a value is a {@link RunnerError}.
 *
 * @param value - Anything.
 * @returns `true` when `value` is a plain object whose `kind` is a runner error kind.
 */
export function isRunnerError(value: unknown): value is RunnerError {
  return typeof value === 'object' && value !== null && (RUNNER_ERROR_KINDS as readonly string[]).includes((value as { kind?: unknown }).kind as string);
}

/**
 * Renders any error of this library as one line for people, with a `[gpfs]` prefix.
 *
 * @param error - A {@link ParseError}, {@link PlanError}, {@link RunnerError} or any other object with a `kind` and `message`.
 * @returns For example `[gpfs] [parseMmcloneShow] line 3: expected yes or no in the Parent column`.
 * @example
 * ```ts
 * formatError({ kind: 'Timeout', runner: 'local', argv: ['sleep', '9'], message: 'timed out after 100 ms', timeoutMs: 100 });
 * // '[gpfs] [local] Timeout: timed out after 100 ms (sleep 9)'
 * ```
 */
export function formatError(error: { readonly kind: string; readonly message: string }): string {
  const record = error as Record<string, unknown>;
  const source =
    typeof record['parser'] === 'string' ? record['parser'] : typeof record['runner'] === 'string' ? record['runner'] : typeof record['operation'] === 'string' ? record['operation'] : 'gpfs-volumes';
  const line = typeof record['line'] === 'number' ? ` line ${record['line']}:` : '';
  const argv = Array.isArray(record['argv']) && record['argv'].length > 0 ? ` (${displayArgv(record['argv'] as string[])})` : '';
  return `[gpfs] [${source}] ${error.kind}:${line} ${error.message}${argv}`;
}

// --- Internal helpers ---

function displayArgv(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
}
