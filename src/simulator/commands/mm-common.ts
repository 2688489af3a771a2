/**
 * What GPFS administration commands share: the failure footer, usage errors, device lookup and the
 * "not mounted" check.
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { resolvePath } from '../model/paths.js';
import { findFilesystem, isMounted } from '../model/world.js';
import type { Filesystem, Inode } from '../model/types.js';
import { failure, type CommandContext, type CommandResult } from './context.js';

/**
 * A failed GPFS command: its messages, then GPFS's closing line.
 *
 * @param command - Command name.
 * @param messages - Error lines (without the command prefix where GPFS prints none).
 * @param exitCode - Exit code. @defaultValue 1
 * @returns The result.
 */
export function mmFailure(command: string, messages: readonly string[], exitCode = 1, stdout = ''): CommandResult {
  const lines = messages.map((message) => `${message}\n`).join('');
  return failure(`${lines}${command}: Command failed. Examine previous error messages to determine cause.\n`, exitCode, stdout);
}

/**
 * A usage error: the problem and the command's synopsis.
 *
 * @param command - Command name.
 * @param problem - What is wrong, such as `Missing arguments.`
 * @param usage - The synopsis lines.
 * @returns Exit code 1 with the usage on stderr.
 */
export function mmUsage(command: string, problem: string, usage: string): CommandResult {
  return failure(`${command}: ${problem}\nUsage:\n  ${usage}\n`, 1);
}

/**
 * Finds the file system a GPFS command names, or the failure it prints.
 *
 * @param context - Command context.
 * @param device - Device argument (`gpfs0` or `/dev/gpfs0`).
 * @returns The file system, or a failure result.
 */
export function deviceOrFailure(context: CommandContext, device: string): Filesystem | CommandResult {
  const fs = findFilesystem(context.world, device);
  if (fs !== undefined) return fs;
  const name = device.startsWith('/dev/') ? device.slice(5) : device;
  return mmFailure(context.name, [`${context.name}: File system ${name} is not known to the GPFS cluster.`], 19);
}

/**
 * The failure of a command that needs the file system mounted on the local node, or `null` when it is.
 *
 * @param context - Command context.
 * @param fs - GPFS file system.
 * @returns A failure result, or `null`.
 */
export function requireMounted(context: CommandContext, fs: Filesystem): CommandResult | null {
  if (isMounted(context.world, fs)) return null;
  return mmFailure(context.name, [`${context.name}: 6027-602 ERROR: file system not mounted. Mount file system ${fs.device} and retry command.`], 1);
}

/**
 * Tells whether a value is a result (as returned by the `...OrFailure` helpers).
 *
 * @param value - Anything.
 * @returns `true` for a {@link CommandResult}.
 */
export function isResult(value: unknown): value is CommandResult {
  return typeof value === 'object' && value !== null && 'exitCode' in value && 'stderr' in value;
}

/**
 * Resolves a path a GPFS file command was given: it must exist and be in a mounted GPFS file system.
 *
 * @param context - Command context.
 * @param path - Path argument.
 * @param followFinal - Follow a final symbolic link.
 * @returns The inode, or the error line GPFS prints.
 */
export function gpfsInodeOrMessage(context: CommandContext, path: string, followFinal = true): Inode | string {
  const resolved = resolvePath(context.world, path, context.cwd, followFinal);
  if (!resolved.ok) return `${path}: ${errnoText(resolved.errno)}`;
  if (resolved.node === null) return `${path}: ${errnoText('ENOENT')}`;
  if (resolved.node.fs.kind !== 'gpfs') return `${context.name}: 6027-1901 ${path} is not a GPFS file system object.`;
  return resolved.node;
}
