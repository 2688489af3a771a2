/**
 * The command-runner contract: everything the library does to a cluster goes through it.
 *
 * A runner is transport only. A process that ran is `Ok`, whatever its exit code; `Err` means it
 * could not run, or its outcome is unknown. Commands are argv arrays end to end: no runner joins
 * them into a shell string except one that must (SSH), and that one quotes each element.
 *
 * @module
 */
import type { ResultAsync } from 'neverthrow';
import type { RunnerError } from '../errors.js';

/**
 * Bytes fed to a command's standard input: a string (UTF-8), a byte array, or any async iterable
 * of byte chunks, such as a Node `Readable` (streamed, never buffered whole).
 */
export type ByteSource = string | Uint8Array | AsyncIterable<Uint8Array>;

/**
 * Receives a command's standard output chunk by chunk, in order. Return a promise to apply
 * back-pressure: the runner waits for it before delivering the next chunk.
 *
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * import { once } from 'node:events';
 * const file = createWriteStream('/backup/volume-1.raw');
 * const sink: ByteSink = async (chunk) => { if (!file.write(chunk)) await once(file, 'drain'); };
 * ```
 */
export type ByteSink = (chunk: Uint8Array) => void | Promise<void>;

/** One command to run. */
export interface Command {
  /** Program and arguments. Each element reaches the program as one argument, verbatim. */
  readonly argv: readonly string[];
  /** Run through the runner's root helper (for example `sudo -n`) unless already root. */
  readonly asRoot?: boolean;
  /** Standard input. Omitted: the command reads end-of-file at once. */
  readonly stdin?: ByteSource;
  /**
   * Streams standard output to this sink instead of collecting it; `CommandOutput.stdout` is then
   * `''`. Use it for large or binary output (volume backups).
   */
  readonly stdoutSink?: ByteSink;
  /** Kill the command (and everything it started) after this many milliseconds: `Err` of kind `'Timeout'`. */
  readonly timeoutMs?: number;
  /** Abort the command: `Err` of kind `'Aborted'`. */
  readonly signal?: AbortSignal;
}

/** How a command that ran ended. */
export interface CommandOutput {
  /** The argv that ran, as given (without root helper or directory prefixes). */
  readonly argv: readonly string[];
  /** Exit code; `null` when a signal ended the command. */
  readonly exitCode: number | null;
  /** Name of the signal that ended the command (`'SIGKILL'`), or `null`. */
  readonly signal: string | null;
  /** Everything written to standard output, decoded as UTF-8 (`''` when streamed to a sink). */
  readonly stdout: string;
  /** Everything written to standard error, decoded as UTF-8. */
  readonly stderr: string;
  /** Wall time from start to end, in milliseconds (virtual milliseconds for the simulator). */
  readonly durationMs: number;
}

/** A command inside a batch: no streams and no per-command signal (the batch has one). */
export type BatchCommand = Omit<Command, 'stdin' | 'stdoutSink' | 'signal'>;

/** Options for {@link CommandRunner.runBatch}. */
export interface BatchOptions {
  /** Stop at the first command that exits non-zero (or is killed); later commands do not run. @defaultValue false */
  readonly stopOnFailure?: boolean;
  /** Aborts the whole batch. */
  readonly signal?: AbortSignal;
  /** Limit for the whole batch, in milliseconds. */
  readonly timeoutMs?: number;
}

/** Outcome of a batch: one output per command that ran, in order. */
export interface BatchOutput {
  /** Outputs of the commands that ran, in the order given. Shorter than the batch when it stopped early. */
  readonly outputs: readonly CommandOutput[];
  /** `true` when `stopOnFailure` stopped the batch before its last command. */
  readonly stoppedEarly: boolean;
}

/**
 * Runs commands and reports how they ended. Never throws.
 *
 * @example
 * ```ts
 * const result = await runner.run({ argv: ['mmgetstate', '-Y'], asRoot: true, timeoutMs: 30_000 });
 * if (result.isOk() && result.value.exitCode === 0) console.log(result.value.stdout);
 * ```
 */
export interface CommandRunner {
  /** Short name used in errors and traces, such as `'local'` or `'ssh'`. */
  readonly name?: string;
  /**
   * Runs one command.
   *
   * @returns `Ok` with its output whatever its exit code; `Err` only when it could not run or its
   * outcome is unknown.
   */
  run(command: Command): ResultAsync<CommandOutput, RunnerError>;
  /**
   * Runs several commands in one round trip, in order, each with its own exit code and output.
   * Optional: callers fall back to one `run` per command (see `runCommands`).
   */
  runBatch?(commands: readonly BatchCommand[], options?: BatchOptions): ResultAsync<BatchOutput, RunnerError>;
  /** Releases connections, processes and timers. Safe to call more than once. */
  dispose?(): Promise<void>;
}
