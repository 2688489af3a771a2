/**
 * GPFS filesets: create, link at a junction, unlink, delete.
 *
 * @module
 */
import { createInode, INODE_SPACE_SIZE, ROOT_INODE_OFFSET, SNAPSHOT_DIR_INODE_OFFSET, allocateInodeNumber } from './inode.js';
import { attachEntry, detachEntry, releaseFile } from './namespace.js';
import type { Fileset, Filesystem, Inode, World } from './types.js';

/** Why a fileset operation was refused, with the text GPFS prints. */
export interface FilesetFailure {
  readonly message: string;
  readonly exitCode: number;
}

/** Characters and words IBM documents as not allowed in fileset names. */
export function filesetNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > 255) return 'The length of the name must be in the range 1-255.';
  if (name === 'root' || name === 'new') return `The name ${name} is reserved.`;
  if (name.startsWith('-')) return 'The name cannot begin with a hyphen (-).';
  if (/[/?$&*()`#|[\]\\\s]/.test(name)) return `Invalid fileset name ${name}.`;
  return null;
}

/**
 * Creates an unlinked fileset.
 *
 * @param world - The simulated world.
 * @param fs - GPFS file system.
 * @param name - Fileset name.
 * @param options - Own inode space or a parent inode space, and a comment.
 * @returns The fileset, or why it failed.
 */
export function createFileset(
  world: World,
  fs: Filesystem,
  name: string,
  options: {
    /** `'new'` for an inode space of its own, the name of an independent fileset to share its space, or null (the root's). */
    readonly inodeSpace: string | null;
    readonly comment: string;
  },
): Fileset | FilesetFailure {
  const problem = filesetNameProblem(name);
  if (problem !== null) return { message: problem, exitCode: 22 };
  if (fs.filesets.has(name)) return { message: `Fileset ${name} already exists.`, exitCode: 17 };
  let inodeSpace = 0;
  let independent = false;
  let parentId: number | null = 0;
  if (options.inodeSpace === 'new') {
    inodeSpace = fs.nextInodeSpace++;
    independent = true;
  } else if (options.inodeSpace !== null) {
    const owner = fs.filesets.get(options.inodeSpace);
    if (owner === undefined || !owner.independent) return { message: `Fileset ${options.inodeSpace} is not an independent fileset.`, exitCode: 22 };
    inodeSpace = owner.inodeSpace;
    parentId = owner.id;
  }
  const id = fs.nextFilesetId++;
  const attributes = {
    pool: 'system',
    filesetId: id,
    dataReplicas: fs.defaultDataReplicas,
    metadataReplicas: fs.defaultMetadataReplicas,
    directIo: false,
    writeAffinityDepth: 0,
    blockGroupFactor: 1,
    writeAffinityFailureGroup: '',
  };
  const rootIno = independent ? inodeSpace * INODE_SPACE_SIZE + ROOT_INODE_OFFSET : allocateInodeNumber(fs, inodeSpace);
  const root = createInode(fs, rootIno, 'dir', { mode: 0o700, uid: 0, gid: 0, nowMs: world.nowMs, attributes });
  const snapshotsDir = independent ? createInode(fs, inodeSpace * INODE_SPACE_SIZE + SNAPSHOT_DIR_INODE_OFFSET, 'dir', { mode: 0o555, uid: 0, gid: 0, nowMs: world.nowMs, attributes }) : null;
  if (snapshotsDir !== null) snapshotsDir.isSnapshotsDir = true;
  const fileset: Fileset = {
    name,
    id,
    root,
    status: 'Unlinked',
    junctionPath: null,
    parentId: independent ? 0 : parentId,
    inodeSpace,
    independent,
    createdMs: world.nowMs,
    comment: options.comment,
    maxInodes: independent ? 100_352 : 0,
    snapshotsDir,
  };
  root.filesetRootOf = fileset;
  fs.filesets.set(name, fileset);
  fs.generation++;
  return fileset;
}

/**
 * Links a fileset at a junction: a new directory entry in a directory of the same file system.
 *
 * @param world - The simulated world.
 * @param fileset - An unlinked fileset.
 * @param directory - Directory to hold the junction (already resolved, same file system).
 * @param name - Junction name (must not exist).
 * @param junctionPath - Absolute junction path, as mmlsfileset will print it.
 */
export function linkFileset(world: World, fileset: Fileset, directory: Inode, name: string, junctionPath: string): void {
  attachEntry(world, directory, name, fileset.root);
  fileset.status = 'Linked';
  fileset.junctionPath = junctionPath;
}

/**
 * Removes a fileset's junction.
 *
 * @param world - The simulated world.
 * @param fileset - A linked fileset.
 */
export function unlinkFileset(world: World, fileset: Fileset): void {
  const directory = fileset.root.parentDir;
  if (directory?.entries) {
    for (const [name, entry] of directory.entries) {
      if (entry === fileset.root) {
        detachEntry(world, directory, name);
        break;
      }
    }
  }
  fileset.root.parentDir = null;
  fileset.status = 'Unlinked';
  fileset.junctionPath = null;
}

/**
 * Deletes an unlinked fileset and everything in it.
 *
 * @param fs - GPFS file system.
 * @param fileset - An unlinked fileset that is not `root`.
 */
export function deleteFileset(fs: Filesystem, fileset: Fileset): void {
  const stack: Inode[] = [fileset.root];
  while (stack.length > 0) {
    const directory = stack.pop() as Inode;
    for (const entry of directory.entries?.values() ?? []) {
      if (entry.type === 'dir') {
        if (entry.filesetRootOf === null) stack.push(entry);
      } else {
        entry.nameCount = 0;
        releaseFile(entry);
      }
    }
    directory.entries?.clear();
  }
  fs.filesets.delete(fileset.name);
  fs.generation++;
}

/**
 * Counts the inodes in use in a fileset (its tree, not nested filesets).
 *
 * @param fileset - Any fileset.
 * @returns Number of inodes, including the fileset root.
 */
export function filesetInodeCount(fileset: Fileset): number {
  const seen = new Set<Inode>();
  const stack: Inode[] = [fileset.root];
  while (stack.length > 0) {
    const inode = stack.pop() as Inode;
    if (seen.has(inode)) continue;
    seen.add(inode);
    for (const entry of inode.entries?.values() ?? []) if (entry.filesetRootOf === null || entry.filesetRootOf === fileset) stack.push(entry);
  }
  return seen.size;
}
