/**
 * File access for commands: resolving paths and opening files with the kernel's permission,
 * read-only (snapshot, clone parent) and type checks.
 *
 * @module
 */
import type { Errno } from '../model/errno.js';
import { createEntry, mayAccess, type Identity } from '../model/namespace.js';
import { resolvePath, type Resolved } from '../model/paths.js';
import type { Inode } from '../model/types.js';
import type { CommandContext } from './context.js';

/** An opened file, or why it could not be opened. */
export type Opened = { readonly inode: Inode; readonly created: boolean; readonly errno?: undefined } | { readonly errno: Errno };

/**
 * Resolves a path for a command.
 *
 * @param context - Command context.
 * @param path - Path argument.
 * @param followFinal - Follow a final symbolic link.
 * @returns The lookup, or an errno.
 */
export function lookup(context: CommandContext, path: string, followFinal = true): Resolved | { ok: false; errno: Errno } {
  return resolvePath(context.world, path, context.cwd, followFinal);
}

/**
 * Finds an existing inode.
 *
 * @param context - Command context.
 * @param path - Path argument.
 * @param followFinal - Follow a final symbolic link.
 * @returns The inode, or an errno (`ENOENT` when missing).
 */
export function existing(context: CommandContext, path: string, followFinal = true): { inode: Inode; resolved: Resolved } | { errno: Errno } {
  const resolved = lookup(context, path, followFinal);
  if (!resolved.ok) return { errno: resolved.errno };
  if (resolved.node === null) return { errno: 'ENOENT' };
  return { inode: resolved.node, resolved };
}

/**
 * Whether writes to an inode's content are refused because it is read-only (a snapshot file or a
 * clone parent).
 *
 * @param inode - Any inode.
 * @returns `EROFS` or `null`.
 */
export function readOnlyReason(inode: Inode): Errno | null {
  if (inode.snapshot !== null || inode.isSnapshotsDir) return 'EROFS';
  if (inode.cloneChildren !== null) return 'EROFS';
  return null;
}

/**
 * Checks that entries may be created in or removed from a directory.
 *
 * @param identity - Who asks.
 * @param directory - The directory.
 * @returns An errno, or `null` when allowed.
 */
export function directoryWritable(identity: Identity, directory: Inode): Errno | null {
  if (directory.snapshot !== null || directory.isSnapshotsDir) return 'EROFS';
  if (!mayAccess(identity, directory, 2) || !mayAccess(identity, directory, 1)) return 'EACCES';
  return null;
}

/**
 * Checks that an entry may be removed from a directory (write permission, sticky bit).
 *
 * @param identity - Who asks.
 * @param directory - Parent directory.
 * @param inode - Entry to remove.
 * @returns An errno, or `null`.
 */
export function removable(identity: Identity, directory: Inode, inode: Inode): Errno | null {
  const problem = directoryWritable(identity, directory);
  if (problem !== null) return problem;
  if (!identity.isRoot && (directory.mode & 0o1000) !== 0 && identity.uid !== inode.uid && identity.uid !== directory.uid) return 'EPERM';
  return null;
}

/**
 * Opens a file for writing as open(2) with `O_WRONLY` (and `O_CREAT` when `create`): creates it when
 * missing, refuses directories, snapshot files and clone parents.
 *
 * @param context - Command context.
 * @param path - Path argument.
 * @param create - Create a missing file.
 * @param mode - Mode of a created file (before the 022 umask).
 * @returns The file, or an errno.
 */
export function openForWrite(context: CommandContext, path: string, create = true, mode = 0o666): Opened {
  const resolved = lookup(context, path);
  if (!resolved.ok) return { errno: resolved.errno };
  if (resolved.node !== null) {
    const inode = resolved.node;
    if (inode.type === 'dir') return { errno: 'EISDIR' };
    if (inode.type === 'chardev') return { inode, created: false };
    const readOnly = readOnlyReason(inode);
    if (readOnly !== null) return { errno: readOnly };
    if (!mayAccess(context.identity, inode, 2)) return { errno: 'EACCES' };
    return { inode, created: false };
  }
  if (!create) return { errno: 'ENOENT' };
  const directory = resolved.parent;
  if (directory === null) return { errno: 'EISDIR' };
  const problem = directoryWritable(context.identity, directory);
  if (problem !== null) return { errno: problem };
  return { inode: createEntry(context.world, directory, resolved.name, 'file', mode & ~0o022, context.identity), created: true };
}

/**
 * Opens a file for reading: needs read permission; directories are refused with `EISDIR` by the
 * caller when it matters.
 *
 * @param context - Command context.
 * @param path - Path argument.
 * @returns The inode, or an errno.
 */
export function openForRead(context: CommandContext, path: string): Opened {
  const found = existing(context, path);
  if ('errno' in found) return { errno: found.errno };
  if (!mayAccess(context.identity, found.inode, 4)) return { errno: 'EACCES' };
  return { inode: found.inode, created: false };
}

/**
 * Reads an octal mode (`0644`, `755`).
 *
 * @param text - Mode text.
 * @returns The mode, or `null`.
 */
export function parseOctalMode(text: string): number | null {
  return /^[0-7]{1,4}$/.test(text) ? Number.parseInt(text, 8) : null;
}

/**
 * Applies a chmod-style symbolic or octal mode to an existing mode.
 *
 * @param text - `u+x,g-w`, `a=rw`, `0640`, ...
 * @param current - Current mode bits.
 * @param isDirectory - `X` applies to directories.
 * @returns The new mode, or `null` when the text is not a valid mode.
 */
export function applyMode(text: string, current: number, isDirectory: boolean): number | null {
  const octal = parseOctalMode(text);
  if (octal !== null) return octal;
  let mode = current & 0o7777;
  for (const clause of text.split(',')) {
    const match = /^([ugoa]*)([-+=][rwxXst]*)+$/.exec(clause);
    if (match === null) return null;
    const who = match[1] === '' || match[1]?.includes('a') ? 'ugo' : (match[1] as string);
    const actions = clause.slice((match[1] as string).length).match(/[-+=][rwxXst]*/g) ?? [];
    for (const action of actions) {
      const operator = action[0];
      let bits = 0;
      for (const permission of action.slice(1)) {
        for (const target of who) {
          const shift = target === 'u' ? 6 : target === 'g' ? 3 : 0;
          if (permission === 'r') bits |= 4 << shift;
          if (permission === 'w') bits |= 2 << shift;
          if (permission === 'x' || (permission === 'X' && (isDirectory || (mode & 0o111) !== 0))) bits |= 1 << shift;
          if (permission === 's' && target !== 'o') bits |= target === 'u' ? 0o4000 : 0o2000;
          if (permission === 't' && target === 'o') bits |= 0o1000;
        }
      }
      if (operator === '+') mode |= bits;
      else if (operator === '-') mode &= ~bits;
      else {
        let mask = 0;
        for (const target of who) mask |= target === 'u' ? 0o4700 : target === 'g' ? 0o2070 : 0o1007;
        mode = (mode & ~mask) | bits;
      }
    }
  }
  return mode;
}
