/**
 * The `gpfs-sim` state directory: `state.json` guarded by an exclusive lock file, so that several
 * invocations can run at once (each waits for the lock, loads, runs, saves, releases).
 *
 * @module
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import { loadState, saveState } from '../persist.js';
import type { SavedState } from '../persist.js';
import type { InternalSimulator } from '../simulator.js';
import type { SimulatorOptions } from '../options-types.js';
import { simulatorError, type SimulatorError } from '../simulator-error.js';

const STATE_FILE = 'state.json';
const LOCK_FILE = 'state.lock';
const STALE_LOCK_MS = 10 * 60 * 1000;

/** A loaded state directory. */
export interface LoadedState {
  readonly simulator: InternalSimulator;
  readonly options: SimulatorOptions;
}

/**
 * Writes a fresh state file (the directory is created when missing).
 *
 * @param directory - State directory.
 * @param simulator - Simulator to save.
 * @param options - Its options.
 */
export function writeState(directory: string, simulator: InternalSimulator, options: SimulatorOptions): void {
  mkdirSync(directory, { recursive: true });
  const temporary = join(directory, `${STATE_FILE}.${process.pid}.tmp`);
  writeFileSync(temporary, JSON.stringify(saveState(simulator, options)));
  renameSync(temporary, join(directory, STATE_FILE));
}

/**
 * Reads the state file.
 *
 * @param directory - State directory.
 * @returns The simulator and its options.
 */
export function readState(directory: string): Result<LoadedState, SimulatorError> {
  const path = join(directory, STATE_FILE);
  if (!existsSync(path)) return err(simulatorError('InvalidStateFile', `no simulator state in ${directory} (run 'gpfs-sim init --state ${directory}' first)`, path));
  let saved: SavedState;
  try {
    saved = JSON.parse(readFileSync(path, 'utf8')) as SavedState;
  } catch (error) {
    return err(simulatorError('InvalidStateFile', `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, path));
  }
  return loadState(saved).map((simulator) => ({ simulator, options: saved.options }));
}

/**
 * Runs `work` while holding the directory's lock (created with O_EXCL; a lock whose owner died or that
 * is older than ten minutes is taken over).
 *
 * @param directory - State directory.
 * @param work - What to do under the lock.
 * @param timeoutMs - How long to wait for the lock. @defaultValue 120000
 * @returns What `work` returned, or a lock timeout.
 */
export async function withLock<T>(directory: string, work: () => Promise<T>, timeoutMs = 120_000): Promise<Result<T, SimulatorError>> {
  const lockPath = join(directory, LOCK_FILE);
  const deadline = Date.now() + timeoutMs;
  let delayMs = 5;
  for (;;) {
    try {
      const handle = openSync(lockPath, 'wx');
      writeSync(handle, `${process.pid}\n`);
      closeSync(handle);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return err(simulatorError('InvalidStateFile', `cannot create ${lockPath}: ${String(error)}`, lockPath));
      if (isStale(lockPath)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) return err(simulatorError('InvalidState', `timed out waiting for ${lockPath}`, lockPath));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(100, delayMs * 2);
    }
  }
  try {
    return ok(await work());
  } finally {
    rmSync(lockPath, { force: true });
  }
}

// --- Internal helpers ---

function isStale(lockPath: string): boolean {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    if (Date.now() - statSync(lockPath).mtimeMs > STALE_LOCK_MS) return true;
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
