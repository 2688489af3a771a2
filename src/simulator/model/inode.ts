/**
 * Creating inodes and allocating inode numbers.
 *
 * @module
 */
import type { Filesystem, GpfsAttributes, Inode, InodeType } from './types.js';

/** Inode numbers per independent inode space: space k owns [k * SIZE, (k + 1) * SIZE). */
export const INODE_SPACE_SIZE = 1_048_576;
/** Offset of the first user file inside an inode space (lower numbers are GPFS metadata). */
export const FIRST_USER_INODE_OFFSET = 4096;
/** Offset of a fileset's root directory inside its inode space. */
export const ROOT_INODE_OFFSET = 3;
/** Offset of the virtual `.snapshots` directory inside an inode space. */
export const SNAPSHOT_DIR_INODE_OFFSET = 1;

/** Initial ownership and mode of a new inode. */
export interface InodeInit {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly nowMs: number;
  readonly attributes: GpfsAttributes | null;
}

/**
 * Creates an inode that is not yet linked anywhere.
 *
 * @param fs - File system it belongs to.
 * @param ino - Its inode number.
 * @param type - File, directory, link or device.
 * @param init - Mode, owner, time and GPFS attributes.
 * @returns The new inode.
 */
export function createInode(fs: Filesystem, ino: number, type: InodeType, init: InodeInit): Inode {
  fs.generation++;
  return {
    ino,
    fs,
    type,
    mode: init.mode & 0o7777,
    uid: init.uid,
    gid: init.gid,
    nameCount: 0,
    mtimeMs: init.nowMs,
    ctimeMs: init.nowMs,
    birthMs: init.nowMs,
    sizeBytes: type === 'dir' ? 4096 : 0,
    blocks: new Map(),
    owned: new Set(),
    inheritLimitBlocks: 0,
    cloneParent: null,
    cloneChildren: null,
    cloneDepth: null,
    entries: type === 'dir' ? new Map() : null,
    parentDir: null,
    symlinkTarget: null,
    device: null,
    attributes: init.attributes === null ? null : { ...init.attributes },
    filesetRootOf: null,
    snapshot: null,
    isSnapshotsDir: false,
    lost: false,
    changed: true,
  };
}

/**
 * Takes the next free inode number of an inode space.
 *
 * @param fs - File system.
 * @param inodeSpace - Inode space (0 for the root fileset and the root disk).
 * @returns A number never handed out before in that space.
 */
export function allocateInodeNumber(fs: Filesystem, inodeSpace: number): number {
  let space = fs.inodeSpaces.get(inodeSpace);
  if (space === undefined) {
    space = { next: inodeSpace * INODE_SPACE_SIZE + FIRST_USER_INODE_OFFSET };
    fs.inodeSpaces.set(inodeSpace, space);
  }
  return space.next++;
}

/**
 * Number of directory entries (links) of an inode as `stat` reports it: names for files (plus one
 * per clone child for a clone parent), two plus subdirectories for directories.
 *
 * @param inode - Any inode.
 * @returns The link count.
 */
export function linkCount(inode: Inode): number {
  if (inode.entries !== null) {
    let subdirectories = 0;
    for (const child of inode.entries.values()) if (child.type === 'dir') subdirectories++;
    return 2 + subdirectories;
  }
  return inode.nameCount + (inode.cloneChildren === null ? 0 : inode.cloneChildren.size);
}
