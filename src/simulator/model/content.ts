/**
 * File content as sparse blocks with copy-on-write clone inheritance.
 *
 * A file's `blocks` map holds the blocks it owns: a data array (bytes past its end are zero) or an
 * empty array for an allocated block of zeros. A missing block of a clone child is read through its
 * clone parent (below `inheritLimitBlocks`); a missing block of any other file is a hole. Arrays are
 * never changed in place unless the file's `owned` set says only it references them, so snapshots,
 * copies and clone parents can share them freely.
 *
 * @module
 */
import type { Inode } from './types.js';

/** Marker returned when a read falls through to a clone parent whose snapshot was deleted. */
export const LOST_BLOCK: unique symbol = Symbol('lost block');

/** One block as read: bytes (shorter arrays are zero-padded), `null` for zeros, or {@link LOST_BLOCK}. */
export type ReadBlock = Uint8Array | null | typeof LOST_BLOCK;

/**
 * Reads one block of a file, following clone parents.
 *
 * @param inode - A regular file.
 * @param index - Block index.
 * @returns Its bytes, `null` when it reads as zeros, or {@link LOST_BLOCK}.
 */
export function readBlock(inode: Inode, index: number): ReadBlock {
  let current: Inode | null = inode;
  let limit = Number.POSITIVE_INFINITY;
  while (current !== null) {
    if (index >= limit) return null;
    if (current.lost) return LOST_BLOCK;
    const own = current.blocks.get(index);
    if (own !== undefined) return own.length === 0 ? null : own;
    limit = Math.min(limit, current.inheritLimitBlocks);
    current = current.cloneParent;
  }
  return null;
}

/**
 * Reads one block as stored, following clone parents: unlike {@link readBlock} an allocated zero block
 * comes back as an empty array, so callers can keep allocation when they take the block over.
 *
 * @param inode - A regular file.
 * @param index - Block index.
 * @returns The stored array, `null` for a hole, or {@link LOST_BLOCK}.
 */
export function storedBlock(inode: Inode, index: number): Uint8Array | null | typeof LOST_BLOCK {
  let current: Inode | null = inode;
  let limit = Number.POSITIVE_INFINITY;
  while (current !== null) {
    if (index >= limit) return null;
    if (current.lost) return LOST_BLOCK;
    const own = current.blocks.get(index);
    if (own !== undefined) return own;
    limit = Math.min(limit, current.inheritLimitBlocks);
    current = current.cloneParent;
  }
  return null;
}

/**
 * Lists, in increasing order, the indices of every block that may hold data: the file's own blocks and
 * those it inherits from clone parents. Every other block reads as zeros.
 *
 * @param inode - A regular file.
 * @returns Sorted block indices below the end of the file.
 */
export function blockIndices(inode: Inode): number[] {
  const endBlock = Math.ceil(inode.sizeBytes / inode.fs.blockSizeBytes);
  const indices = new Set<number>();
  let current: Inode | null = inode;
  let limit = endBlock;
  while (current !== null) {
    for (const index of current.blocks.keys()) if (index < limit) indices.add(index);
    limit = Math.min(limit, current.inheritLimitBlocks);
    current = limit > 0 ? current.cloneParent : null;
  }
  return [...indices].sort((a, b) => a - b);
}

/**
 * Tells whether some inherited range of a clone reads through a clone parent whose snapshot was
 * deleted (reading it fails with EIO).
 *
 * @param inode - A regular file.
 * @returns `true` when part of the file cannot be read.
 */
export function hasLostAncestor(inode: Inode): boolean {
  let current: Inode | null = inode;
  let limit = Math.ceil(inode.sizeBytes / inode.fs.blockSizeBytes);
  while (current !== null && limit > 0) {
    if (current.lost) return true;
    limit = Math.min(limit, current.inheritLimitBlocks);
    current = current.cloneParent;
  }
  return false;
}

/**
 * Reads a byte range.
 *
 * @param inode - A regular file.
 * @param offset - First byte.
 * @param length - Number of bytes (clipped at the end of the file).
 * @returns The bytes, or {@link LOST_BLOCK} when part of the range cannot be read.
 */
export function readRange(inode: Inode, offset: number, length: number): Uint8Array | typeof LOST_BLOCK {
  const end = Math.min(inode.sizeBytes, offset + length);
  if (end <= offset) return new Uint8Array(0);
  const result = new Uint8Array(end - offset);
  const blockSize = inode.fs.blockSizeBytes;
  for (let index = Math.floor(offset / blockSize); index * blockSize < end; index++) {
    const block = readBlock(inode, index);
    if (block === LOST_BLOCK) return LOST_BLOCK;
    if (block === null) continue;
    const blockStart = index * blockSize;
    const from = Math.max(offset, blockStart) - blockStart;
    const to = Math.min(end, blockStart + block.length) - blockStart;
    if (to > from) result.set(block.subarray(from, to), blockStart + from - offset);
  }
  return result;
}

/**
 * Writes bytes at an offset, allocating (and for clone children copying from the parent) whole blocks.
 *
 * @param inode - A writable regular file.
 * @param offset - Where to write.
 * @param data - Bytes to write (copied; the caller may reuse the buffer).
 */
export function writeBytes(inode: Inode, offset: number, data: Uint8Array): void {
  const blockSize = inode.fs.blockSizeBytes;
  let position = 0;
  while (position < data.length) {
    const absolute = offset + position;
    const index = Math.floor(absolute / blockSize);
    const inBlock = absolute - index * blockSize;
    const count = Math.min(blockSize - inBlock, data.length - position);
    const chunk = data.subarray(position, position + count);
    if (inBlock === 0 && count === blockSize) {
      inode.blocks.set(index, chunk.slice());
      inode.owned.add(index);
    } else {
      const target = writableBlock(inode, index, inBlock + count);
      target.set(chunk, inBlock);
    }
    position += count;
  }
  inode.sizeBytes = Math.max(inode.sizeBytes, offset + data.length);
  inode.fs.generation++;
}

/**
 * Writes zeros over a range, as `dd if=/dev/zero` does: whole blocks become allocated zero blocks
 * without holding any bytes.
 *
 * @param inode - A writable regular file.
 * @param offset - Where to start.
 * @param length - Number of zero bytes.
 */
export function writeZeros(inode: Inode, offset: number, length: number): void {
  if (length <= 0) return;
  const blockSize = inode.fs.blockSizeBytes;
  const end = offset + length;
  for (let index = Math.floor(offset / blockSize); index * blockSize < end; index++) {
    const blockStart = index * blockSize;
    const from = Math.max(offset, blockStart) - blockStart;
    const to = Math.min(end, blockStart + blockSize) - blockStart;
    const existing = readBlock(inode, index);
    if ((from === 0 && to === blockSize) || existing === null || existing === LOST_BLOCK || existing.length <= from) {
      if (from === 0 && to === blockSize) {
        inode.blocks.set(index, new Uint8Array(0));
        inode.owned.delete(index);
      } else if (existing === null || existing === LOST_BLOCK) {
        if (!inode.blocks.has(index)) inode.blocks.set(index, new Uint8Array(0));
      } else writableBlock(inode, index, existing.length);
      continue;
    }
    const target = writableBlock(inode, index, existing.length);
    target.fill(0, from, Math.min(to, target.length));
  }
  inode.sizeBytes = Math.max(inode.sizeBytes, end);
  inode.fs.generation++;
}

/**
 * Sets a file's size: shrinking drops the blocks past the end (and stops a clone child inheriting
 * them); growing leaves a hole.
 *
 * @param inode - A writable regular file.
 * @param sizeBytes - New size.
 */
export function truncateTo(inode: Inode, sizeBytes: number): void {
  const blockSize = inode.fs.blockSizeBytes;
  if (sizeBytes < inode.sizeBytes) {
    const keepBlocks = Math.ceil(sizeBytes / blockSize);
    const tail = sizeBytes - Math.floor(sizeBytes / blockSize) * blockSize;
    if (tail > 0) {
      const index = keepBlocks - 1;
      const block = readBlock(inode, index);
      if (block !== null && block !== LOST_BLOCK && block.length > tail) {
        inode.blocks.set(index, block.slice(0, tail));
        inode.owned.add(index);
      } else if (!inode.blocks.has(index) && block !== null && block !== LOST_BLOCK) {
        inode.blocks.set(index, block);
        inode.owned.delete(index);
      }
    }
    for (const index of [...inode.blocks.keys()]) {
      if (index >= keepBlocks) {
        inode.blocks.delete(index);
        inode.owned.delete(index);
      }
    }
    if (inode.cloneParent !== null) inode.inheritLimitBlocks = Math.min(inode.inheritLimitBlocks, tail > 0 ? keepBlocks - 1 : keepBlocks);
  }
  inode.sizeBytes = sizeBytes;
  inode.fs.generation++;
}

/**
 * Tells whether every byte of an array is zero.
 *
 * @param bytes - Any bytes.
 * @returns `true` for all zeros (and for an empty array).
 */
export function isAllZero(bytes: Uint8Array): boolean {
  let index = 0;
  const end = bytes.length;
  const aligned = bytes.byteOffset % 4 === 0 ? end - (end % 4) : 0;
  if (aligned > 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, aligned / 4);
    for (let word = 0; word < words.length; word++) if (words[word] !== 0) return false;
    index = aligned;
  }
  for (; index < end; index++) if (bytes[index] !== 0) return false;
  return true;
}

// --- Internal helpers ---

function writableBlock(inode: Inode, index: number, minimumLength: number): Uint8Array {
  const blockSize = inode.fs.blockSizeBytes;
  const existing = inode.owned.has(index) ? inode.blocks.get(index) : undefined;
  if (existing !== undefined && existing.length >= minimumLength) return existing;
  const source = existing ?? readBlock(inode, index);
  const sourceBytes = source === null || source === LOST_BLOCK ? null : source;
  const wanted = Math.max(minimumLength, sourceBytes?.length ?? 0);
  const capacity = Math.min(blockSize, Math.max(wanted, Math.min(blockSize, (sourceBytes?.length ?? 0) * 2), 4096));
  const fresh = new Uint8Array(capacity);
  if (sourceBytes !== null) fresh.set(sourceBytes.subarray(0, Math.min(sourceBytes.length, capacity)));
  inode.blocks.set(index, fresh);
  inode.owned.add(index);
  return fresh;
}
