/**
 * The scripted in-memory runner for exact-command unit tests.
 *
 * @module
 */
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { RunnerError } from '../errors.js';
import { messageOf } from './byte-streams.js';
import { abortedError, evaluateReply, finishOutput, readStdin, replyFailedError } from './mock-reply.js';
import { completeRunnerError, isMockRunnerError, matchesCommand, type ArgvMatcher, type MockReply, type MockScript } from './mock-script.js';
import { formatCommand } from './quote.js';
import type { BatchCommand, BatchOptions, BatchOutput, Command, CommandOutput, CommandRunner } from './types.js';

const RUNNER_NAME = 'mock';

/** One command the mock received, as recorded in {@link MockRunner.calls}. */
export interface MockCall {
  /** The argv, as given. */
  readonly argv: readonly string[];
  /** Whether the command asked to run as root. */
  readonly asRoot: boolean;
  /** Standard input, when it was given as a string. */
  readonly stdin?: string;
  /** Standard input, when it was given as bytes or as a stream (read to the end). */
  readonly stdinBytes?: Uint8Array;
  /** The command's own time limit, when it had one. */
  readonly timeoutMs?: number;
  /** 0-based round trip the call belonged to: each `run` is one, each `runBatch` one for all its commands. */
  readonly roundTrip: number;
  /** `true` when the call came through `runBatch`. */
  readonly inBatch: boolean;
  /** `false` when no script matched (the fallback answered, or strict mode refused it). */
  readonly matched: boolean;
}

/** Options of {@link createMockRunner}. */
export interface MockRunnerOptions {
  /** Name reported in errors. @defaultValue 'mock' */
  readonly name?: string;
  /**
   * Refuse commands that no script matches with an `Err` of kind `'UnexpectedCommand'` naming the argv.
   * @defaultValue false
   */
  readonly strict?: boolean;
  /** Scripts, tried in order: the first that matches and is not used up answers. */
  readonly scripts?: readonly MockScript[];
  /**
   * Reply to commands no script matches when not strict. The default, exit code 0 with empty output,
   * makes a non-strict mock a recorder that lets every command succeed silently.
   * @defaultValue `{ exitCode: 0 }`
   */
  readonly fallback?: MockReply;
}

/** A scripted {@link CommandRunner} that records every call. */
export interface MockRunner extends CommandRunner {
  /** Name reported in errors. */
  readonly name: string;
  /** Every call received so far, in order (batched commands included, one entry each). */
  readonly calls: readonly MockCall[];
  /** The argv of every call so far: handy for `expect(mock.argvs).toEqual([...])`. */
  readonly argvs: readonly (readonly string[])[];
  /** Round trips so far: one per `run`, one per `runBatch`. */
  readonly roundTrips: number;
  /** Scripts that have not answered any command yet. */
  readonly unusedScripts: readonly MockScript[];
  /**
   * Adds a script after the existing ones.
   *
   * @param match - Exact argv, `{ prefix }` or predicate.
   * @param reply - Output, runner error or function of the command.
   * @param options - `times`: how many commands it answers. @defaultValue Infinity
   * @returns The same runner, for chaining.
   */
  on(match: ArgvMatcher, reply: MockReply, options?: { readonly times?: number }): MockRunner;
  /**
   * Adds a script that answers one command only.
   *
   * @param match - Exact argv, `{ prefix }` or predicate.
   * @param reply - Output, runner error or function of the command.
   * @returns The same runner, for chaining.
   */
  once(match: ArgvMatcher, reply: MockReply): MockRunner;
  /** Forgets the recorded calls and round trips (scripts and their remaining uses stay). */
  clearCalls(): void;
  /** Answers one command from the scripts. */
  run(command: Command): ResultAsync<CommandOutput, RunnerError>;
  /** Answers several commands in one round trip, in order, honouring `stopOnFailure`. */
  runBatch(commands: readonly BatchCommand[], options?: BatchOptions): ResultAsync<BatchOutput, RunnerError>;
}

/**
 * Creates a scripted runner for unit tests: replies chosen by argv, every call recorded.
 *
 * A command that no script matches gets exit code 0 with empty output (or the `fallback` reply);
 * in strict mode it gets an `Err` of kind `'UnexpectedCommand'` whose message names its argv.
 * Async replies honour `timeoutMs` and `signal` like a real runner; `stdin` is read (streams to the
 * end) and recorded; stdout goes to `stdoutSink` in chunks when one is given.
 *
 * @param options - Name, strict mode, initial scripts and fallback reply.
 * @returns A {@link MockRunner}.
 * @example
 * ```ts
 * const mock = createMockRunner({ strict: true })
 *   .on(['mmgetstate', '-Y'], { stdout: 'mmgetstate::HEADER:version:reserved:reserved:nodeName:...\n' })
 *   .once({ prefix: ['mmclone', 'snap'] }, { exitCode: 1, stderr: 'mmclone: Device or resource busy\n' })
 *   .on((command) => command.argv[0] === 'rm', { kind: 'ConnectionLost', host: 'node1' });
 * await runCommands(mock, [{ argv: ['mmgetstate', '-Y'] }]);
 * expect(mock.argvs).toEqual([['mmgetstate', '-Y']]);
 * ```
 */
export function createMockRunner(options: MockRunnerOptions = {}): MockRunner {
  const name = options.name ?? RUNNER_NAME;
  const scripts: { script: MockScript; remaining: number; used: boolean }[] = [];
  const calls: MockCall[] = [];
  let roundTrips = 0;

  const addScript = (script: MockScript): void => {
    scripts.push({ script, remaining: script.times ?? Number.POSITIVE_INFINITY, used: false });
  };
  for (const script of options.scripts ?? []) addScript(script);

  const execute = async (command: Command, roundTrip: number, inBatch: boolean): Promise<Result<CommandOutput, RunnerError>> => {
    if (command.signal?.aborted) return err(abortedError(name, command.argv, 'aborted before it started'));
    const stdin = await readStdin(command);
    if (stdin.isErr()) return err(abortedError(name, command.argv, stdin.error));
    if (command.signal?.aborted) return err(abortedError(name, command.argv, 'aborted while reading stdin'));
    const { stdinText, stdinBytes } = stdin.value;
    const entry = _findScript(scripts, command);
    if (entry.isErr()) return err(replyFailedError(name, command.argv, entry.error));
    const callIndex = calls.length;
    calls.push({
      argv: command.argv,
      asRoot: command.asRoot === true,
      ...(typeof command.stdin === 'string' ? { stdin: command.stdin } : stdinBytes ? { stdinBytes } : {}),
      ...(command.timeoutMs !== undefined ? { timeoutMs: command.timeoutMs } : {}),
      roundTrip,
      inBatch,
      matched: entry.value !== undefined,
    });
    if (entry.value === undefined && options.strict) {
      return err({ kind: 'UnexpectedCommand', runner: name, argv: command.argv, message: `no scripted reply for: ${formatCommand(command.argv)}` });
    }
    if (entry.value) {
      entry.value.remaining -= 1;
      entry.value.used = true;
    }
    const reply = entry.value?.script.reply ?? options.fallback ?? {};
    const value = await evaluateReply(reply, command, { stdinText, stdinBytes, callIndex }, name);
    if (value.isErr()) return err(value.error);
    if (isMockRunnerError(value.value)) return err(completeRunnerError(value.value, name, command.argv));
    return finishOutput(value.value, command, name);
  };

  const executeBatch = async (commands: readonly BatchCommand[], batchOptions: BatchOptions): Promise<Result<BatchOutput, RunnerError>> => {
    const roundTrip = roundTrips++;
    const controller = new AbortController();
    let timedOut = false;
    const forwardAbort = (): void => controller.abort();
    batchOptions.signal?.addEventListener('abort', forwardAbort, { once: true });
    if (batchOptions.signal?.aborted) controller.abort();
    const timer = batchOptions.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), controller.abort()), batchOptions.timeoutMs);
    try {
      const outputs: CommandOutput[] = [];
      for (const [index, command] of commands.entries()) {
        const result = await execute({ ...command, signal: controller.signal }, roundTrip, true);
        if (result.isErr()) {
          if (timedOut && result.error.kind === 'Aborted' && batchOptions.timeoutMs !== undefined) {
            return err({ kind: 'Timeout', runner: name, argv: command.argv, timeoutMs: batchOptions.timeoutMs, message: `batch timed out after ${batchOptions.timeoutMs} ms` });
          }
          return err(result.error);
        }
        outputs.push(result.value);
        if (batchOptions.stopOnFailure && result.value.exitCode !== 0 && index < commands.length - 1) return ok({ outputs, stoppedEarly: true });
      }
      return ok({ outputs, stoppedEarly: false });
    } finally {
      clearTimeout(timer);
      batchOptions.signal?.removeEventListener('abort', forwardAbort);
    }
  };

  const runner: MockRunner = {
    name,
    get calls() {
      return calls;
    },
    get argvs() {
      return calls.map((call) => call.argv);
    },
    get roundTrips() {
      return roundTrips;
    },
    get unusedScripts() {
      return scripts.filter((entry) => !entry.used).map((entry) => entry.script);
    },
    on(match, reply, scriptOptions = {}) {
      addScript({ match, reply, ...(scriptOptions.times !== undefined ? { times: scriptOptions.times } : {}) });
      return runner;
    },
    once(match, reply) {
      return runner.on(match, reply, { times: 1 });
    },
    clearCalls() {
      calls.length = 0;
      roundTrips = 0;
    },
    run(command) {
      return new ResultAsync(execute(command, roundTrips++, false));
    },
    runBatch(commands, batchOptions = {}) {
      return new ResultAsync(executeBatch(commands, batchOptions));
    },
  };
  return runner;
}

// --- Internal helpers ---

function _findScript<Entry extends { script: MockScript; remaining: number }>(entries: Entry[], command: Command): Result<Entry | undefined, string> {
  try {
    return ok(entries.find((entry) => entry.remaining > 0 && matchesCommand(entry.script.match, command)));
  } catch (cause) {
    return err(`matcher threw: ${messageOf(cause)}`);
  }
}
