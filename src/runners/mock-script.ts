/**
 * What a mock runner is scripted with: argv matchers and replies.
 *
 * @module
 */
import { RUNNER_ERROR_KINDS, type RunnerError } from '../errors.js';
import type { Command, CommandOutput } from './types.js';

/**
 * Selects the commands a script answers:
 * - an argv array matches that exact argv;
 * - `{ prefix: [...] }` matches every argv that starts with those elements;
 * - a function matches the commands for which it returns `true` (it sees `asRoot`, `stdin`, ...).
 *
 * @example
 * ```ts
 * const exact: ArgvMatcher = ['mmgetstate', '-Y'];
 * const anyMmlsfs: ArgvMatcher = { prefix: ['mmlsfs'] };
 * const asRootOnly: ArgvMatcher = (command) => command.asRoot === true;
 * ```
 */
export type ArgvMatcher =
  | readonly string[]
  | {
      /** Leading argv elements the command must start with. */
      readonly prefix: readonly string[];
    }
  | ((command: Command) => boolean);

/**
 * A scripted outcome of a command that ran. Every field is optional: the defaults are exit code 0,
 * no signal, empty stdout and stderr, and 0 ms.
 *
 * @example
 * ```ts
 * const failed: MockOutput = { exitCode: 1, stderr: 'mmlsfs: File system gpfs9 is not known to the GPFS cluster.\n' };
 * ```
 */
export interface MockOutput {
  /** Exit code. @defaultValue 0 (or `null` when `signal` is set) */
  readonly exitCode?: number | null;
  /** Signal that ended the command, such as `'SIGKILL'`. @defaultValue null */
  readonly signal?: string | null;
  /** Standard output; bytes are handed unchanged to a `stdoutSink`, and decoded as UTF-8 otherwise. @defaultValue '' */
  readonly stdout?: string | Uint8Array;
  /** Standard error. @defaultValue '' */
  readonly stderr?: string;
  /** Reported duration in milliseconds. @defaultValue 0 */
  readonly durationMs?: number;
}

/**
 * A scripted failure to run: any {@link RunnerError}, where `runner`, `argv` and `message` may be
 * left out (the mock fills in its name, the command's argv and a generic message).
 *
 * @example
 * ```ts
 * const lost: MockRunnerError = { kind: 'ConnectionLost', host: 'gpfs-node1' };
 * ```
 */
export type MockRunnerError = RunnerError extends infer Kind
  ? Kind extends RunnerError
    ? Omit<Kind, 'runner' | 'argv' | 'message'> & Partial<Pick<Kind, 'runner' | 'argv' | 'message'>>
    : never
  : never;

/** What a reply function is given besides the command. */
export interface MockReplyContext {
  /** Standard input as text, when the command gave it as a string. */
  readonly stdinText: string | undefined;
  /** Standard input as bytes, whatever form the command gave it in (streams are read to the end first). */
  readonly stdinBytes: Uint8Array | undefined;
  /** Fires when the command times out or is aborted: long-running replies should stop then. */
  readonly signal: AbortSignal;
  /** 0-based index of this call in {@link MockRunner.calls}. */
  readonly callIndex: number;
}

/**
 * Computes a reply from the command; may be async (the mock then honours `timeoutMs` and `signal`).
 *
 * @example
 * ```ts
 * const echo: MockReplyFunction = (command) => ({ stdout: command.argv.slice(1).join(' ') + '\n' });
 * ```
 */
export type MockReplyFunction = (command: Command, context: MockReplyContext) => MockOutput | MockRunnerError | Promise<MockOutput | MockRunnerError>;

/**
 * How a script answers: a fixed output, a fixed runner error, or a function of the command.
 *
 * @example
 * ```ts
 * const replies: MockReply[] = [{ stdout: 'ok\n' }, { kind: 'Timeout', timeoutMs: 30_000 }, (command) => ({ exitCode: command.asRoot ? 0 : 1 })];
 * ```
 */
export type MockReply = MockOutput | MockRunnerError | MockReplyFunction;

/**
 * One scripted reply: which commands it answers, how, and how many times.
 *
 * @example
 * ```ts
 * const script: MockScript = { match: ['mmgetstate', '-Y'], reply: { stdout: 'mmgetstate::HEADER:...\n' }, times: 1 };
 * ```
 */
export interface MockScript {
  /** Which commands this script answers. */
  readonly match: ArgvMatcher;
  /** The reply. */
  readonly reply: MockReply;
  /** How many commands it answers before it is used up. @defaultValue Infinity */
  readonly times?: number;
}

/**
 * Tells whether a command matches a matcher.
 *
 * @param matcher - Exact argv, prefix or predicate.
 * @param command - The command to test.
 * @returns `true` when it matches.
 */
export function matchesCommand(matcher: ArgvMatcher, command: Command): boolean {
  if (typeof matcher === 'function') return matcher(command);
  if (isPrefixMatcher(matcher)) return startsWith(command.argv, matcher.prefix);
  return matcher.length === command.argv.length && startsWith(command.argv, matcher);
}

/**
 * Tells whether a reply value is a (possibly partial) runner error rather than an output.
 *
 * @param value - A scripted reply value.
 * @returns `true` when it has a runner error `kind`.
 */
export function isMockRunnerError(value: MockOutput | MockRunnerError): value is MockRunnerError {
  const kind = (value as { kind?: unknown }).kind;
  return typeof kind === 'string' && (RUNNER_ERROR_KINDS as readonly string[]).includes(kind);
}

/**
 * Completes a scripted runner error with the mock's name, the command's argv and a message.
 *
 * @param error - The scripted error.
 * @param runnerName - Name of the mock runner.
 * @param argv - The command that got it.
 * @returns A full {@link RunnerError}.
 */
export function completeRunnerError(error: MockRunnerError, runnerName: string, argv: readonly string[]): RunnerError {
  return {
    runner: runnerName,
    argv,
    message: `scripted ${error.kind}`,
    ...error,
  };
}

/**
 * Turns a scripted output into a full {@link CommandOutput} (stdout left empty when it went to a sink).
 *
 * @param output - The scripted output.
 * @param argv - The command's argv.
 * @param stdoutText - Decoded stdout, or `''` when streamed.
 * @returns The command output.
 */
export function completeOutput(output: MockOutput, argv: readonly string[], stdoutText: string): CommandOutput {
  const signal = output.signal ?? null;
  return {
    argv,
    exitCode: output.exitCode !== undefined ? output.exitCode : signal === null ? 0 : null,
    signal,
    stdout: stdoutText,
    stderr: output.stderr ?? '',
    durationMs: output.durationMs ?? 0,
  };
}

// --- Internal helpers ---

function isPrefixMatcher(matcher: ArgvMatcher): matcher is { readonly prefix: readonly string[] } {
  return typeof matcher === 'object' && !Array.isArray(matcher) && 'prefix' in matcher;
}

function startsWith(argv: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= argv.length && prefix.every((element, index) => argv[index] === element);
}
