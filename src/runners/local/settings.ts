/**
 * Settings shared by every command of one local runner, and the steps common to `run` and `runBatch`:
 * building the words the shell `exec`s and mapping a process outcome to the runner contract.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { RunnerError } from '../../errors.js';
import type { BatchCommand, CommandOutput } from '../types.js';
import type { CommandTrace, LocalRunnerOptions } from './options.js';
import type { ProcessOutcome } from './process.js';
import { DEFAULT_MM_DIRECTORY, defaultRootHelper, resolveProgram, resolveProgramForHelper } from './resolve.js';

const RUNNER_NAME = 'local';

/** Settings every command of one local runner shares, with defaults applied. */
export interface LocalSettings {
  /** Runner name for errors and traces. */
  readonly name: string;
  /** Root helper argv prefix (may be empty). */
  readonly rootHelper: readonly string[];
  /** The `mm*` directory. */
  readonly mmDirectory: string;
  /** Full environment, `LC_ALL=C` included. */
  readonly env: NodeJS.ProcessEnv;
  /** Working directory, or `undefined` for the current one. */
  readonly cwd: string | undefined;
  /** The POSIX shell. */
  readonly shell: string;
  /** SIGTERM to SIGKILL delay. */
  readonly killGraceMs: number;
  /** Reports a finished command to the trace hook. */
  readonly trace: (trace: Omit<CommandTrace, 'runner'>) => void;
}

/**
 * Applies the defaults to the options of `createLocalRunner`.
 *
 * @param options - As given.
 * @returns The settings.
 */
export function localSettings(options: LocalRunnerOptions): LocalSettings {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  env['LC_ALL'] = 'C';
  const onCommand = options.onCommand;
  return {
    name: RUNNER_NAME,
    rootHelper: options.rootHelper ?? defaultRootHelper(process.getuid?.()),
    mmDirectory: options.mmDirectory ?? DEFAULT_MM_DIRECTORY,
    env,
    cwd: options.cwd,
    shell: options.shell ?? '/bin/sh',
    killGraceMs: options.killGraceMs ?? 2000,
    trace: (trace) => {
      try {
        onCommand?.({ runner: RUNNER_NAME, ...trace });
      } catch {
        // A failing trace hook must not change the outcome of a command.
      }
    },
  };
}

/**
 * Builds the words the shell `exec`s for one command: root helper (when asked and configured), then
 * the resolved program, then the arguments.
 *
 * @param settings - Runner settings.
 * @param command - The command (only `argv` and `asRoot` are read).
 * @returns The words, or the `SpawnFailed` error when a program cannot be found.
 */
export async function buildInvocation(settings: LocalSettings, command: BatchCommand): Promise<Result<readonly string[], RunnerError>> {
  const [program = '', ...args] = command.argv;
  const context = { mmDirectory: settings.mmDirectory, pathValue: settings.env['PATH'], cwd: settings.cwd ?? process.cwd() };
  const useHelper = command.asRoot === true && settings.rootHelper.length > 0;
  const target = useHelper ? await resolveProgramForHelper(program, context) : await resolveProgram(program, context);
  if (target.isErr()) return err(spawnFailed(settings.name, command.argv, target.error.message, target.error.code));
  if (!useHelper) return ok([target.value, ...args]);
  const [helperProgram = '', ...helperArgs] = settings.rootHelper;
  const helper = await resolveProgram(helperProgram, context);
  if (helper.isErr()) return err(spawnFailed(settings.name, command.argv, `root helper: ${helper.error.message}`, helper.error.code));
  return ok([helper.value, ...helperArgs, target.value, ...args]);
}

/**
 * Builds a `SpawnFailed` error.
 *
 * @param runner - Runner name.
 * @param argv - The command.
 * @param message - What failed.
 * @param code - OS error code, when known.
 * @returns The error.
 */
export function spawnFailed(runner: string, argv: readonly string[], message: string, code: string | undefined): RunnerError {
  return { kind: 'SpawnFailed', runner, argv, message, ...(code !== undefined ? { code } : {}) };
}

/**
 * Maps a process outcome to the runner contract.
 *
 * @param runner - Runner name.
 * @param argv - The command as given.
 * @param outcome - How the process ended.
 * @returns `Ok` for a process that ran to its end, `Err` otherwise.
 */
export function outcomeToResult(runner: string, argv: readonly string[], outcome: ProcessOutcome): Result<CommandOutput, RunnerError> {
  switch (outcome.kind) {
    case 'exited':
      return ok({
        argv,
        exitCode: outcome.exitCode,
        signal: outcome.signal,
        stdout: outcome.stdout.toString('utf8'),
        stderr: outcome.stderr.toString('utf8'),
        durationMs: outcome.durationMs,
      });
    case 'spawnFailed':
      return err(spawnFailed(runner, argv, outcome.message, outcome.code));
    case 'terminated': {
      const { termination } = outcome;
      if (termination.kind === 'Aborted') return err({ kind: 'Aborted', runner, argv, message: termination.message });
      return err({ kind: 'Timeout', runner, argv: termination.argv ?? argv, timeoutMs: termination.timeoutMs, message: `timed out after ${termination.timeoutMs} ms; process tree killed` });
    }
  }
}
