/**
 * Path resolution across the root disk, mounted GPFS file systems, fileset junctions, symbolic links
 * and the virtual `.snapshots` directories.
 *
 * @module
 */
import type { Errno } from './errno.js';
import type { Inode, World } from './types.js';

/** Where a path leads. */
export interface Resolved {
  readonly ok: true;
  /** Directory holding the last component (`null` for `/`). */
  readonly parent: Inode | null;
  /** Last component (`''` for `/`). */
  readonly name: string;
  /** The inode the path names, or `null` when only the last component is missing. */
  readonly node: Inode | null;
  /** Absolute path after following symbolic links. */
  readonly path: string;
}

/** Why a path could not be resolved. */
export interface Unresolved {
  readonly ok: false;
  readonly errno: Errno;
}

const MAX_SYMLINK_HOPS = 40;

/**
 * Makes a path absolute and removes `.`, `..` and repeated slashes (lexically).
 *
 * @param path - Absolute or relative path.
 * @param cwd - Directory relative paths start from.
 * @returns For example `/gpfs0/a` for `a/./b/..` in `/gpfs0`.
 */
export function absolutePath(path: string, cwd: string): string {
  const full = path.startsWith('/') ? path : `${cwd}/${path}`;
  const parts: string[] = [];
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * Resolves a path the way the kernel does for open(2) and stat(2).
 *
 * @param world - The simulated world.
 * @param path - Path as given on the command line.
 * @param cwd - Working directory.
 * @param followFinal - Follow a symbolic link in the last component (stat -L, open) or not (lstat, unlink).
 * @returns The parent directory, the last name and the inode (`null` when missing), or an errno.
 */
export function resolvePath(world: World, path: string, cwd: string, followFinal = true): Resolved | Unresolved {
  if (path === '') return { ok: false, errno: 'ENOENT' };
  const mustBeDirectory = path.length > 1 && path.endsWith('/');
  const result = walk(world, absolutePath(path, cwd), followFinal || mustBeDirectory, 0);
  if (result.ok && mustBeDirectory && result.node !== null && result.node.type !== 'dir') return { ok: false, errno: 'ENOTDIR' };
  return result;
}

/**
 * Looks up one name in a directory, including the hidden `.snapshots` directory of a file system or
 * independent fileset root.
 *
 * @param directory - A directory inode.
 * @param name - One path component.
 * @returns The entry, or `undefined`.
 */
export function lookupEntry(directory: Inode, name: string): Inode | undefined {
  const entry = directory.entries?.get(name);
  if (entry !== undefined || name !== '.snapshots' || directory.snapshot !== null) return entry;
  if (directory === directory.fs.root && directory.fs.kind === 'gpfs') return directory.fs.snapshotsDir ?? undefined;
  const fileset = directory.filesetRootOf;
  if (fileset !== null && fileset.snapshotsDir !== null) return fileset.snapshotsDir;
  return undefined;
}

/**
 * Builds the absolute path of a directory by walking up its parents (and across mount points and
 * fileset junctions).
 *
 * @param world - The simulated world.
 * @param directory - A directory inode that is linked into the namespace.
 * @returns Its absolute path, or `null` when it is not reachable (unlinked fileset, snapshot).
 */
export function directoryPath(world: World, directory: Inode): string | null {
  const names: string[] = [];
  let current: Inode | null = directory;
  for (let guard = 0; current !== null && guard < 10_000; guard++) {
    if (current === world.rootDisk.root) return `/${names.reverse().join('/')}`;
    if (current === current.fs.root) {
      const mountPoint = current.fs.mountPoint;
      if (world.mountTable.get(mountPoint) !== current.fs) return null;
      return mountPoint + (names.length > 0 ? `/${names.reverse().join('/')}` : '');
    }
    const fileset = current.filesetRootOf;
    if (fileset !== null && current.parentDir === null) {
      if (fileset.junctionPath === null || world.mountTable.get(current.fs.mountPoint) !== current.fs) return null;
      return fileset.junctionPath + (names.length > 0 ? `/${names.reverse().join('/')}` : '');
    }
    const parent: Inode | null = current.parentDir;
    if (parent === null || parent.entries === null) return null;
    let found: string | null = null;
    for (const [name, child] of parent.entries) {
      if (child === current) {
        found = name;
        break;
      }
    }
    if (found === null) return null;
    names.push(found);
    current = parent;
  }
  return null;
}

// --- Internal helpers ---

function walk(world: World, absolute: string, followFinal: boolean, hops: number): Resolved | Unresolved {
  let node: Inode = world.rootDisk.root;
  if (absolute === '/') return { ok: true, parent: null, name: '', node, path: '/' };
  const parts = absolute.slice(1).split('/');
  let canonical = '';
  let parent: Inode | null = null;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] as string;
    if (node.type !== 'dir') return { ok: false, errno: 'ENOTDIR' };
    const last = index === parts.length - 1;
    if (part.length > 255) return { ok: false, errno: 'ENAMETOOLONG' };
    let child = lookupEntry(node, part);
    if (child === undefined) {
      if (last) return { ok: true, parent: node, name: part, node: null, path: `${canonical}/${part}` };
      return { ok: false, errno: 'ENOENT' };
    }
    const next = `${canonical}/${part}`;
    if (child.type === 'symlink' && (!last || followFinal)) {
      if (hops >= MAX_SYMLINK_HOPS) return { ok: false, errno: 'ELOOP' };
      const target = child.symlinkTarget ?? '';
      if (target === '') return { ok: false, errno: 'ENOENT' };
      const rest = parts.slice(index + 1).join('/');
      const base = target.startsWith('/') ? target : `${canonical === '' ? '' : canonical}/${target}`;
      const restarted = walk(world, absolutePath(rest === '' ? base : `${base}/${rest}`, '/'), followFinal, hops + 1);
      return restarted;
    }
    if (child.type === 'dir') {
      const mounted = world.mountTable.get(next);
      if (mounted !== undefined) child = mounted.root;
    }
    parent = node;
    node = child;
    canonical = next;
  }
  const name = parts[parts.length - 1] as string;
  return { ok: true, parent, name, node, path: canonical };
}
