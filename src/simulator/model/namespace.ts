/**
 * Directory entries: creating, linking, unlinking and renaming, with link counts and the clone
 * bookkeeping that removing a file implies.
 *
 * @module
 */
import { allocateInodeNumber, createInode } from './inode.js';
import type { Filesystem, GpfsAttributes, Inode, World } from './types.js';

/** Who runs a command. */
export interface Identity {
  readonly uid: number;
  readonly gid: number;
  readonly isRoot: boolean;
}

/** The root user. */
export const ROOT: Identity = Object.freeze({ uid: 0, gid: 0, isRoot: true });
/** The unprivileged login user commands run as without `asRoot`. */
export const USER: Identity = Object.freeze({ uid: 1000, gid: 1000, isRoot: false });

/** Permission bits asked for: read 4, write 2, execute/search 1. */
export type AccessWanted = 4 | 2 | 1;

/**
 * Checks classic Unix permission bits (root may do anything, except execute a file without any x bit).
 *
 * @param identity - Who asks.
 * @param inode - What they access.
 * @param wanted - Read, write or execute.
 * @returns Whether the mode bits allow it.
 */
export function mayAccess(identity: Identity, inode: Inode, wanted: AccessWanted): boolean {
  if (identity.isRoot) return wanted !== 1 || inode.type === 'dir' || (inode.mode & 0o111) !== 0;
  const shift = identity.uid === inode.uid ? 6 : identity.gid === inode.gid ? 3 : 0;
  return ((inode.mode >> shift) & wanted) === wanted;
}

/**
 * GPFS attributes a new inode inherits from the directory it is created in.
 *
 * @param directory - Parent directory.
 * @returns Attributes for the new inode, or `null` on the root disk.
 */
export function inheritedAttributes(directory: Inode): GpfsAttributes | null {
  const parent = directory.attributes;
  if (parent === null) return null;
  const fs = directory.fs;
  const pool = fs.pools.find((candidate) => candidate.name === 'system' && candidate.data) ?? fs.pools.find((candidate) => candidate.data);
  return {
    pool: pool?.name ?? 'system',
    filesetId: parent.filesetId,
    dataReplicas: fs.defaultDataReplicas,
    metadataReplicas: fs.defaultMetadataReplicas,
    directIo: false,
    writeAffinityDepth: 0,
    blockGroupFactor: 1,
    writeAffinityFailureGroup: '',
  };
}

/**
 * Inode space new inodes in a directory take their numbers from.
 *
 * @param directory - Parent directory.
 * @returns The inode space of the directory's fileset (0 on the root disk).
 */
export function inodeSpaceOf(directory: Inode): number {
  const filesetId = directory.attributes?.filesetId;
  if (filesetId === undefined) return 0;
  for (const fileset of directory.fs.filesets.values()) if (fileset.id === filesetId) return fileset.inodeSpace;
  return 0;
}

/**
 * Creates a new inode in a directory and links it under `name`.
 *
 * @param world - The simulated world (for the clock).
 * @param directory - Writable parent directory.
 * @param name - New entry name (must not exist).
 * @param type - File, directory or symbolic link.
 * @param mode - Permission bits.
 * @param identity - Owner.
 * @returns The new inode.
 */
export function createEntry(world: World, directory: Inode, name: string, type: 'file' | 'dir' | 'symlink', mode: number, identity: Identity): Inode {
  const fs = directory.fs;
  const ino = allocateInodeNumber(fs, inodeSpaceOf(directory));
  const gid = (directory.mode & 0o2000) !== 0 ? directory.gid : identity.gid;
  const inode = createInode(fs, ino, type, { mode, uid: identity.uid, gid, nowMs: world.nowMs, attributes: inheritedAttributes(directory) });
  attachEntry(world, directory, name, inode);
  return inode;
}

/**
 * Adds a directory entry for an existing inode.
 *
 * @param world - The simulated world.
 * @param directory - Parent directory.
 * @param name - Entry name (must not exist).
 * @param inode - Inode to link.
 */
export function attachEntry(world: World, directory: Inode, name: string, inode: Inode): void {
  directory.entries?.set(name, inode);
  if (inode.type === 'dir') inode.parentDir = directory;
  else inode.nameCount++;
  touch(world, directory);
  inode.ctimeMs = world.nowMs;
  markChanged(inode);
}

/**
 * Removes a directory entry; a file whose last name goes is released (and leaves its clone parent).
 *
 * @param world - The simulated world.
 * @param directory - Parent directory.
 * @param name - Entry to remove.
 * @returns The inode that was unlinked, or `undefined`.
 */
export function detachEntry(world: World, directory: Inode, name: string): Inode | undefined {
  const inode = directory.entries?.get(name);
  if (inode === undefined) return undefined;
  directory.entries?.delete(name);
  touch(world, directory);
  if (inode.type === 'dir') {
    if (inode.parentDir === directory) inode.parentDir = null;
  } else {
    inode.nameCount--;
    inode.ctimeMs = world.nowMs;
    if (inode.nameCount <= 0) releaseFile(inode);
  }
  inode.fs.generation++;
  return inode;
}

/**
 * Forgets a file that has no names left: it leaves its clone parent's children and drops its blocks.
 *
 * @param inode - An unlinked file.
 */
export function releaseFile(inode: Inode): void {
  if (inode.cloneParent !== null) inode.cloneParent.cloneChildren?.delete(inode);
  inode.cloneParent = null;
  inode.blocks = new Map();
  inode.owned = new Set();
  inode.fs.generation++;
}

/**
 * Creates every missing directory of an absolute path on whatever file system it crosses (used while
 * building the world and by seeding; permission checks do not apply).
 *
 * @param world - The simulated world.
 * @param start - Directory to start from.
 * @param names - Components to create below it.
 * @param mode - Mode of created directories.
 * @param identity - Owner of created directories.
 * @returns The last directory.
 */
export function ensureDirectories(world: World, start: Inode, names: readonly string[], mode: number, identity: Identity): Inode {
  let current = start;
  for (const name of names) {
    let next = current.entries?.get(name);
    if (next === undefined) next = createEntry(world, current, name, 'dir', mode, identity);
    if (next.type !== 'dir') return current;
    current = next;
  }
  return current;
}

/**
 * Updates a directory's or file's modification time.
 *
 * @param world - The simulated world.
 * @param inode - What changed.
 */
export function touch(world: World, inode: Inode): void {
  inode.mtimeMs = world.nowMs;
  inode.ctimeMs = world.nowMs;
  if (inode.type === 'dir') inode.fs.generation++;
  else markChanged(inode);
}

/**
 * Marks an inode as changed since the simulator started and invalidates its file system's usage.
 *
 * @param inode - What changed.
 */
export function markChanged(inode: Inode): void {
  inode.changed = true;
  inode.fs.generation++;
}

/**
 * Tells whether `ancestor` is `inode` or one of its parent directories (on the same file system).
 *
 * @param ancestor - A directory.
 * @param inode - Any directory.
 * @returns `true` when moving `ancestor` into `inode` would create a loop.
 */
export function isAncestor(ancestor: Inode, inode: Inode): boolean {
  let current: Inode | null = inode;
  for (let guard = 0; current !== null && guard < 100_000; guard++) {
    if (current === ancestor) return true;
    current = current.parentDir;
  }
  return false;
}

/**
 * The fileset an inode belongs to, by id.
 *
 * @param fs - GPFS file system.
 * @param filesetId - Fileset id.
 * @returns Its name, or `'root'`.
 */
export function filesetName(fs: Filesystem, filesetId: number): string {
  for (const fileset of fs.filesets.values()) if (fileset.id === filesetId) return fileset.name;
  return 'root';
}

/**
 * Moves a directory entry (rename(2)) without releasing the inode, keeping its inode number.
 *
 * @param world - The simulated world.
 * @param fromDirectory - Current parent.
 * @param fromName - Current name.
 * @param toDirectory - New parent.
 * @param toName - New name (an existing entry there is unlinked first).
 */
export function renameEntry(world: World, fromDirectory: Inode, fromName: string, toDirectory: Inode, toName: string): void {
  const inode = fromDirectory.entries?.get(fromName);
  if (inode === undefined) return;
  if (toDirectory.entries?.has(toName)) detachEntry(world, toDirectory, toName);
  fromDirectory.entries?.delete(fromName);
  toDirectory.entries?.set(toName, inode);
  if (inode.type === 'dir') inode.parentDir = toDirectory;
  touch(world, fromDirectory);
  touch(world, toDirectory);
  inode.ctimeMs = world.nowMs;
  markChanged(inode);
}
