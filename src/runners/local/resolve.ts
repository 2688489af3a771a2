/**
 * Finding the program a local command runs: the `mm*` directory, then PATH, the way `execvp` does,
 * so that a missing program is reported as `SpawnFailed` instead of a shell's exit code 127.
 *
 * @module
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, resolve } from 'node:path';
import { err, ok, type Result } from 'neverthrow';

/** Where IBM Storage Scale installs its commands; often not on PATH. */
export const DEFAULT_MM_DIRECTORY = '/usr/lpp/mmfs/bin';

/** Why a program could not be found. */
export interface ResolveFailure {
  /** `'ENOENT'` (nowhere to be found) or `'EACCES'` (found, but not an executable file). */
  readonly code: 'ENOENT' | 'EACCES';
  /** For people. */
  readonly message: string;
}

/** Where to look for programs. */
export interface ResolveContext {
  /** Directory searched first for names starting with `mm`. */
  readonly mmDirectory: string;
  /** The PATH the command will run with. */
  readonly pathValue: string | undefined;
  /** Directory that relative paths are resolved against. */
  readonly cwd: string;
}

/**
 * Finds the program a name refers to and tells the word the shell must `exec` to run that file.
 *
 * Names holding a `/` are paths (relative ones resolved against `cwd`); names starting with `mm`
 * are looked up in `mmDirectory` first; everything else, and `mm*` names not found there, in PATH,
 * the way the shell's own search does it. The word is the name itself whenever the shell finds the
 * same file from it, so that the program sees the `argv[0]` it was given (GNU tools print it in
 * their messages); it is the absolute path for `mm*` programs found in `mmDirectory`.
 *
 * @param name - `argv[0]`.
 * @param context - The `mm*` directory, PATH and working directory.
 * @returns The word to `exec` (never starting with `-`), or why there is no such program.
 */
export async function resolveProgram(name: string, context: ResolveContext): Promise<Result<string, ResolveFailure>> {
  if (name === '') return err({ code: 'ENOENT', message: 'empty program name' });
  if (name.includes('/')) {
    const state = await _executableState(resolve(context.cwd, name));
    if (state !== 'ok') return err(_failure(state, name));
    return ok(name.startsWith('-') ? `./${name}` : name);
  }
  if (name.startsWith('mm') && (await _executableState(resolve(context.cwd, context.mmDirectory, name))) === 'ok') {
    return ok(resolve(context.cwd, context.mmDirectory, name));
  }
  let sawNonExecutable = false;
  for (const directory of (context.pathValue ?? '').split(delimiter)) {
    const state = await _executableState(resolve(context.cwd, directory === '' ? '.' : directory, name));
    if (state === 'ok') return ok(name.startsWith('-') ? resolve(context.cwd, directory, name) : name);
    if (state === 'EACCES') sawNonExecutable = true;
  }
  return err(_failure(sawNonExecutable ? 'EACCES' : 'ENOENT', name));
}

/**
 * Finds the program a command runs under a root helper: `mm*` names in the `mm*` directory are
 * given as absolute paths (sudo's `secure_path` rarely holds that directory); other bare names are
 * left for the helper to look up (sudo searches its own `secure_path`, where `/usr/sbin` is).
 * Paths are checked as by {@link resolveProgram}.
 *
 * @param name - `argv[0]`.
 * @param context - The `mm*` directory, PATH and working directory.
 * @returns The word to pass to the helper.
 */
export async function resolveProgramForHelper(name: string, context: ResolveContext): Promise<Result<string, ResolveFailure>> {
  if (name.includes('/') || name === '') return resolveProgram(name, context);
  if (name.startsWith('mm') && (await _executableState(resolve(context.cwd, context.mmDirectory, name))) === 'ok') {
    return ok(resolve(context.cwd, context.mmDirectory, name));
  }
  return ok(name.startsWith('-') ? `./${name}` : name);
}

/**
 * The root helper used when none is configured: none for root, `sudo -n` for everyone else.
 *
 * @param uid - The current user id (`process.getuid()`), `undefined` where there is none.
 * @returns The helper's argv prefix.
 */
export function defaultRootHelper(uid: number | undefined): readonly string[] {
  return uid === 0 ? [] : ['sudo', '-n'];
}

// --- Internal helpers ---

async function _executableState(path: string): Promise<'ok' | 'ENOENT' | 'EACCES'> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return 'EACCES';
    await access(path, constants.X_OK);
    return 'ok';
  } catch (cause) {
    return (cause as { code?: unknown }).code === 'ENOENT' || (cause as { code?: unknown }).code === 'ENOTDIR' ? 'ENOENT' : 'EACCES';
  }
}

function _failure(code: 'ENOENT' | 'EACCES', name: string): ResolveFailure {
  return {
    code,
    message: code === 'ENOENT' ? `program not found: ${JSON.stringify(name)}` : `program is not an executable file: ${JSON.stringify(name)}`,
  };
}
