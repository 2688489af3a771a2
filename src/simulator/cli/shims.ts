/**
 * Shims: one small POSIX sh script per simulated command, so that a PATH can put the simulator in
 * front of the real tools and any shell (local or over SSH) drives it.
 *
 * @module
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_NAMES } from '../commands/registry.js';

/** Where a shim sends its command. */
export interface ShimTarget {
  /** Absolute path of the node executable. */
  readonly nodePath: string;
  /** Absolute path of the gpfs-sim script. */
  readonly cliPath: string;
  /** Absolute state directory. */
  readonly stateDirectory: string;
  /** Run every command as root. */
  readonly asRoot: boolean;
}

/**
 * Quotes a word for POSIX sh.
 *
 * @param word - Any text.
 * @returns `'word'` with embedded quotes escaped.
 */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * Writes one executable shim per simulated command into a directory.
 *
 * @param directory - Output directory (created when missing).
 * @param target - Where the shims send commands.
 * @returns The command names written.
 */
export function writeShims(directory: string, target: ShimTarget): string[] {
  mkdirSync(directory, { recursive: true });
  for (const name of COMMAND_NAMES) {
    const lines = [
      '#!/bin/sh',
      `# gpfs-sim shim for ${name}: runs it against the simulated cluster in ${target.stateDirectory}`,
      `exec ${shellQuote(target.nodePath)} ${shellQuote(target.cliPath)} exec --state ${shellQuote(target.stateDirectory)}${target.asRoot ? ' --as-root' : ''} --cwd "$PWD" -- ${shellQuote(name)} "$@"`,
      '',
    ];
    const path = join(directory, name);
    writeFileSync(path, lines.join('\n'));
    chmodSync(path, 0o755);
  }
  return [...COMMAND_NAMES];
}
