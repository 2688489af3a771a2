/**
 * GPFS file clones: `mmclone snap`, `copy`, `redirect` and `split` on the model.
 *
 * A clone parent is read-only and keeps the blocks; its children own only the blocks they have
 * written and read the rest through it. Depth is recorded when a clone is created and, as IBM
 * documents, not updated when an ancestor is redirected or split.
 *
 * @module
 */
import { blockIndices, hasLostAncestor, LOST_BLOCK, storedBlock } from './content.js';
import type { Errno } from './errno.js';
import { allocateInodeNumber, createInode } from './inode.js';
import { attachEntry, type Identity, inodeSpaceOf } from './namespace.js';
import type { Inode, World } from './types.js';

/**
 * `mmclone snap src`: turns a file into a read-only clone parent.
 *
 * @param source - Regular file.
 * @returns `null` on success, or why it failed.
 */
export function snapInPlace(source: Inode): Errno | null {
  const problem = checkSnapSource(source);
  if (problem !== null) return problem;
  if (source.nameCount > 1) return 'EMLINK';
  source.cloneChildren = new Set();
  source.cloneDepth = source.cloneParent === null ? 0 : source.cloneDepth;
  source.owned.clear();
  source.fs.generation++;
  return null;
}

/**
 * `mmclone snap src dest`: moves `src`'s blocks to a new read-only clone parent `dest` and makes
 * `src` its first child. When `src` was a clone, `dest` takes its place under `src`'s old parent.
 *
 * @param world - The simulated world.
 * @param source - Regular file.
 * @param directory - Directory for the new parent.
 * @param name - Name of the new parent (must not exist).
 * @returns The new clone parent, or why it failed.
 */
export function snapToParent(world: World, source: Inode, directory: Inode, name: string): Inode | Errno {
  const problem = checkSnapSource(source);
  if (problem !== null) return problem;
  if (directory.fs !== source.fs || directory.attributes?.filesetId !== source.attributes?.filesetId) return 'EXDEV';
  const fs = source.fs;
  const parent = createInode(fs, allocateInodeNumber(fs, inodeSpaceOf(directory)), 'file', {
    mode: source.mode,
    uid: source.uid,
    gid: source.gid,
    nowMs: world.nowMs,
    attributes: source.attributes,
  });
  parent.sizeBytes = source.sizeBytes;
  parent.blocks = source.blocks;
  parent.inheritLimitBlocks = source.inheritLimitBlocks;
  parent.cloneChildren = new Set([source]);
  const grandparent = source.cloneParent;
  if (grandparent !== null) {
    grandparent.cloneChildren?.delete(source);
    grandparent.cloneChildren?.add(parent);
    parent.cloneParent = grandparent;
    parent.cloneDepth = source.cloneDepth ?? 1;
  } else parent.cloneDepth = 0;
  source.blocks = new Map();
  source.owned = new Set();
  source.cloneParent = parent;
  source.cloneDepth = (parent.cloneDepth ?? 0) + 1;
  source.inheritLimitBlocks = Math.ceil(source.sizeBytes / fs.blockSizeBytes);
  source.ctimeMs = world.nowMs;
  attachEntry(world, directory, name, parent);
  return parent;
}

/**
 * `mmclone copy parent target`: creates a clone of a clone parent or of a file in a snapshot.
 *
 * @param world - The simulated world.
 * @param parent - Clone parent or snapshot file.
 * @param directory - Directory of the new clone.
 * @param name - Name of the new clone (must not exist).
 * @param identity - Owner of the new clone.
 * @returns The new clone, or why it failed.
 */
export function copyClone(world: World, parent: Inode, directory: Inode, name: string, identity: Identity): Inode | Errno {
  if (parent.type !== 'file') return parent.type === 'dir' ? 'EISDIR' : 'EINVAL';
  if (parent.cloneChildren === null && parent.snapshot === null) return 'EINVAL';
  if (parent.lost) return 'EIO';
  if (directory.fs !== parent.fs) return 'EXDEV';
  if (parent.snapshot === null && parent.attributes !== null && directory.attributes !== null && parent.attributes.filesetId !== directory.attributes.filesetId) return 'EXDEV';
  if (parent.cloneChildren === null) {
    parent.cloneChildren = new Set();
    parent.cloneDepth = parent.cloneParent === null ? 0 : parent.cloneDepth;
  }
  const fs = parent.fs;
  const attributes = parent.attributes === null ? null : { ...parent.attributes, filesetId: directory.attributes?.filesetId ?? parent.attributes.filesetId };
  const clone = createInode(fs, allocateInodeNumber(fs, inodeSpaceOf(directory)), 'file', {
    mode: parent.mode,
    uid: identity.uid,
    gid: identity.gid,
    nowMs: world.nowMs,
    attributes,
  });
  clone.sizeBytes = parent.sizeBytes;
  clone.cloneParent = parent;
  clone.cloneDepth = (parent.cloneDepth ?? 0) + 1;
  clone.inheritLimitBlocks = Math.ceil(parent.sizeBytes / fs.blockSizeBytes);
  parent.cloneChildren.add(clone);
  attachEntry(world, directory, name, clone);
  return clone;
}

/**
 * `mmclone redirect`: splits a clone from its immediate parent only, copying the blocks it read from
 * that parent; it is then a clone of its grandparent (or of nothing).
 *
 * @param child - A clone.
 * @returns `null` on success, or why it failed.
 */
export function redirectClone(child: Inode): Errno | null {
  const parent = child.cloneParent;
  if (child.snapshot !== null) return 'EROFS';
  if (parent === null) return 'EINVAL';
  if (parent.lost) return 'EIO';
  const end = Math.min(child.inheritLimitBlocks, Math.ceil(child.sizeBytes / child.fs.blockSizeBytes));
  for (const index of parent.blocks.keys()) {
    if (index < end && !child.blocks.has(index)) child.blocks.set(index, parent.blocks.get(index) as Uint8Array);
  }
  const grandparent = parent.cloneParent;
  parent.cloneChildren?.delete(child);
  child.cloneParent = grandparent;
  if (grandparent === null) {
    child.inheritLimitBlocks = 0;
    if (child.cloneChildren === null) child.cloneDepth = null;
  } else {
    child.inheritLimitBlocks = Math.min(child.inheritLimitBlocks, parent.inheritLimitBlocks);
    grandparent.cloneChildren?.add(child);
  }
  child.fs.generation++;
  return null;
}

/**
 * `mmclone split`: makes a clone independent of all its clone parents by copying what it inherits.
 *
 * @param child - A clone.
 * @returns `null` on success, or why it failed.
 */
export function splitClone(child: Inode): Errno | null {
  if (child.snapshot !== null) return 'EROFS';
  if (child.cloneParent === null) return 'EINVAL';
  if (hasLostAncestor(child)) return 'EIO';
  const inherited: [number, Uint8Array][] = [];
  for (const index of blockIndices(child)) {
    if (child.blocks.has(index)) continue;
    const block = storedBlock(child, index);
    if (block === LOST_BLOCK) return 'EIO';
    if (block !== null) inherited.push([index, block]);
  }
  for (const [index, block] of inherited) child.blocks.set(index, block);
  child.cloneParent.cloneChildren?.delete(child);
  child.cloneParent = null;
  child.inheritLimitBlocks = 0;
  if (child.cloneChildren === null) child.cloneDepth = null;
  child.fs.generation++;
  return null;
}

// --- Internal helpers ---

function checkSnapSource(source: Inode): Errno | null {
  if (source.type === 'dir') return 'EISDIR';
  if (source.type !== 'file') return 'EINVAL';
  if (source.snapshot !== null) return 'EROFS';
  if (source.cloneChildren !== null) return 'EINVAL';
  if (source.lost) return 'EIO';
  return null;
}
