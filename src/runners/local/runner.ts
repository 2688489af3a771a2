/**
 * `createLocalRunner`: commands on this machine through zx.
 *
 * @module
 */
import { err, ResultAsync, type Result } from 'neverthrow';
import type { RunnerError } from '../../errors.js';
import type { Command, CommandOutput } from '../types.js';
import { runLocalBatch } from './batch.js';
import type { LocalRunner, LocalRunnerOptions } from './options.js';
import { startProcess } from './process.js';
import { buildInvocation, localSettings, outcomeToResult, type LocalSettings } from './settings.js';

/**
 * Creates a runner that runs commands on this machine, through zx with `nothrow` and `quiet`.
 *
 * Every argv element reaches the program as exactly one argument: zx always starts a shell, so the
 * runner has it `exec` the program with each element quoted for POSIX shells ({@link gpfs-volumes!quotePosix | quotePosix}).
 * The program is looked up first (`mm*` names in `mmDirectory`, then PATH, as the shell would): one
 * that is nowhere to be found is an `Err` of kind `'SpawnFailed'` with code `'ENOENT'`. `LC_ALL=C`
 * is always set. A timeout or an abort ends the whole process tree: SIGTERM to every descendant and
 * to the process group, SIGKILL `killGraceMs` later. `runBatch` runs all its commands in one shell
 * process, each with its own exit code, stdout and stderr.
 *
 * Limits: one command line (program and quoted arguments) must fit in a single argument of the
 * shell, 128 KiB on Linux (`SpawnFailed` with code `'E2BIG'` otherwise). Under a root helper a
 * bare program name other than `mm*` is looked up by the helper (sudo's `secure_path`), which then
 * reports a missing program as its own exit code.
 *
 * @param options - Root helper, `mm*` directory, environment, working directory, trace hook.
 * @returns A {@link LocalRunner} named `'local'`.
 * @example
 * ```ts
 * import { createLocalRunner } from 'gpfs-volumes/local';
 * const runner = createLocalRunner({ onCommand: (trace) => console.error(trace.argv.join(' '), trace.exitCode, trace.durationMs) });
 * const state = await runner.run({ argv: ['mmgetstate', '-Y'], asRoot: true, timeoutMs: 30_000 });
 * if (state.isOk()) console.log(state.value.exitCode, state.value.stdout);
 * ```
 */
export function createLocalRunner(options: LocalRunnerOptions = {}): LocalRunner {
  const settings = localSettings(options);
  return {
    name: settings.name,
    run: (command) => new ResultAsync(_runOne(settings, command)),
    runBatch: (commands, batchOptions = {}) => new ResultAsync(runLocalBatch(settings, commands, batchOptions)),
    dispose: () => Promise.resolve(),
  };
}

// --- Internal helpers ---

async function _runOne(settings: LocalSettings, command: Command): Promise<Result<CommandOutput, RunnerError>> {
  const result = await _runOneUntraced(settings, command);
  settings.trace({
    argv: command.argv,
    asRoot: command.asRoot === true,
    exitCode: result.isOk() ? result.value.exitCode : null,
    signal: result.isOk() ? result.value.signal : null,
    durationMs: result.isOk() ? result.value.durationMs : 0,
    inBatch: false,
    ...(result.isErr() ? { errorKind: result.error.kind } : {}),
  });
  return result;
}

async function _runOneUntraced(settings: LocalSettings, command: Command): Promise<Result<CommandOutput, RunnerError>> {
  if (command.signal?.aborted) return err({ kind: 'Aborted', runner: settings.name, argv: command.argv, message: 'aborted before it started' });
  const invocation = await buildInvocation(settings, command);
  if (invocation.isErr()) return err(invocation.error);
  const outcome = await startProcess({
    argv: invocation.value,
    shell: settings.shell,
    env: settings.env,
    cwd: settings.cwd,
    stdin: command.stdin,
    onStdout: command.stdoutSink,
    timeoutMs: command.timeoutMs,
    signal: command.signal,
    killGraceMs: settings.killGraceMs,
  }).done;
  return outcomeToResult(settings.name, command.argv, outcome);
}
