/**
 * Opening a target for one command: the simulator's state directory (loaded and saved back under its
 * lock, with the store `gpfs-sim` itself uses) or an SSH runner (disposed afterwards).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import type { CommandRunner } from '../runners/types.js';
import { readState, withLock, writeState } from '../simulator/cli/state-store.js';
import type { Target } from './common-options.js';
import type { ReportableError } from './output.js';
import { openSshRunner } from './ssh-target.js';

/**
 * What a target needs from the process.
 *
 * @example
 * ```ts
 * const host: TargetHost = { environment: process.env, homeDirectory: os.homedir() };
 * ```
 */
export interface TargetHost {
  /** Environment (SSH secrets, `SSH_AUTH_SOCK`). */
  readonly environment: NodeJS.ProcessEnv;
  /** Home directory (default SSH key and known_hosts). */
  readonly homeDirectory: string;
}

/**
 * Runs `work` with the target's runner.
 *
 * With `--sim`, the state directory's lock is held for the whole command, like `gpfs-sim exec`: the
 * state is loaded, the driver runs against the simulator, and the state is saved back (also after a
 * failure, since commands may have run). With `--ssh`, the runner is disposed at the end.
 *
 * @param target - Where to run.
 * @param host - Environment and home directory.
 * @param work - What to do with the runner.
 * @returns What `work` returned, or why the target could not be opened.
 */
export async function withTarget<T>(target: Target, host: TargetHost, work: (runner: CommandRunner) => Promise<T>): Promise<Result<T, ReportableError>> {
  if (target.kind === 'sim') return withSimulator(target.stateDirectory, work);
  const opened = await openSshRunner(target, host.environment, host.homeDirectory);
  if (opened.isErr()) return err(opened.error);
  const runner = opened.value;
  try {
    return ok(await work(runner));
  } finally {
    await runner.dispose();
  }
}

// --- Internal helpers ---

async function withSimulator<T>(directory: string, work: (runner: CommandRunner) => Promise<T>): Promise<Result<T, ReportableError>> {
  // Without a state file there is nothing to lock: readState says what to run first.
  if (!existsSync(join(directory, 'state.json'))) {
    const missing = readState(directory);
    if (missing.isErr()) return err(missing.error);
  }
  const outcome = await withLock(directory, async (): Promise<Result<T, ReportableError>> => {
    const loaded = readState(directory);
    if (loaded.isErr()) return err(loaded.error);
    const { simulator, options } = loaded.value;
    const save = (): Result<void, ReportableError> => {
      try {
        writeState(directory, simulator, options);
        return ok(undefined);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return err({ kind: 'SimulatorError', message: `the command ran, but saving the simulator state in ${directory} failed (${reason}); its changes are lost` });
      }
    };
    let value: T;
    try {
      value = await work(simulator);
    } catch (error) {
      void save(); // the error that follows says more than a failed save would
      throw error;
    }
    const saved = save();
    return saved.isErr() ? err(saved.error) : ok(value);
  });
  return outcome.isErr() ? err(outcome.error) : outcome.value;
}
