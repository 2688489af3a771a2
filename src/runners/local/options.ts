/**
 * Options of the local runner and its trace hook.
 *
 * @module
 */
import type { ResultAsync } from 'neverthrow';
import type { RunnerError } from '../../errors.js';
import type { BatchCommand, BatchOptions, BatchOutput, Command, CommandOutput, CommandRunner } from '../types.js';

/** The runner `createLocalRunner` returns: a {@link CommandRunner} whose `runBatch` is always there. */
export interface LocalRunner extends CommandRunner {
  /** `'local'`. */
  readonly name: string;
  /** Runs one command on this machine. */
  run(command: Command): ResultAsync<CommandOutput, RunnerError>;
  /** Runs the commands in one shell process, in order, each with its own exit code and output. */
  runBatch(commands: readonly BatchCommand[], options?: BatchOptions): ResultAsync<BatchOutput, RunnerError>;
  /** Nothing to release: present so that callers can dispose every runner alike. */
  dispose(): Promise<void>;
}

/** What {@link LocalRunnerOptions.onCommand} is told about each command: never its stdin. */
export interface CommandTrace {
  /** Name of the runner, `'local'`. */
  readonly runner: string;
  /** The argv as given (without root helper or directory prefixes). */
  readonly argv: readonly string[];
  /** Whether it ran through the root helper. */
  readonly asRoot: boolean;
  /** Exit code; `null` when a signal ended it or it did not run to the end. */
  readonly exitCode: number | null;
  /** Signal that ended it, or `null`. */
  readonly signal: string | null;
  /** Wall time in milliseconds. */
  readonly durationMs: number;
  /** Kind of the runner error, when the command gave one (`'Timeout'`, `'SpawnFailed'`, ...). */
  readonly errorKind?: RunnerError['kind'];
  /** `true` for a command run through `runBatch`. */
  readonly inBatch: boolean;
}

/** Options of `createLocalRunner`. */
export interface LocalRunnerOptions {
  /**
   * Argv prefix for commands with `asRoot`; `[]` runs them directly.
   * @defaultValue `['sudo', '-n']`, or `[]` when the process runs as uid 0
   */
  readonly rootHelper?: readonly string[];
  /**
   * Directory searched first for programs whose name starts with `mm` (then PATH).
   * @defaultValue '/usr/lpp/mmfs/bin'
   */
  readonly mmDirectory?: string;
  /**
   * Variables added to (or, with `undefined`, removed from) the process environment. `LC_ALL` is
   * always `C`, so that every tool prints the format the parsers read.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory of every command. @defaultValue the current directory */
  readonly cwd?: string;
  /** Called after every command (batched ones included), whatever its outcome; exceptions it throws are ignored. */
  readonly onCommand?: (trace: CommandTrace) => void;
  /**
   * POSIX shell that starts the commands (zx always runs one). Arguments are quoted for any POSIX shell.
   * @defaultValue '/bin/sh'
   */
  readonly shell?: string;
  /**
   * Time between SIGTERM and SIGKILL when a timeout or abort ends a process tree, in milliseconds.
   * @defaultValue 2000
   */
  readonly killGraceMs?: number;
}
