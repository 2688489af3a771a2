/**
 * How many bytes files occupy: whole blocks, except that the block holding the end of a file takes
 * only the subblocks it needs (GPFS fragments; 4 KiB blocks on the root disk).
 *
 * @module
 */
import type { Inode } from './types.js';

/**
 * Bytes a file occupies on disk: whole blocks, except that the block holding the end of the file
 * takes only the subblocks it needs.
 *
 * @param inode - Any inode.
 * @returns Allocated bytes.
 */
export function allocatedBytes(inode: Inode): number {
  if (inode.type === 'dir') return inode.fs.kind === 'local' ? 4096 : inode.fs.subblockBytes;
  if (inode.type !== 'file' || inode.blocks.size === 0) return 0;
  let total = 0;
  for (const index of inode.blocks.keys()) total += blockAllocation(inode, index);
  return total;
}

/**
 * Bytes one owned block occupies.
 *
 * @param inode - A regular file.
 * @param index - One of its own block indices.
 * @returns Allocated bytes for that block.
 */
export function blockAllocation(inode: Inode, index: number): number {
  const { blockSizeBytes, subblockBytes } = inode.fs;
  const lastIndex = Math.floor((inode.sizeBytes - 1) / blockSizeBytes);
  if (index !== lastIndex) return blockSizeBytes;
  const used = inode.sizeBytes - index * blockSizeBytes;
  return Math.ceil(used / subblockBytes) * subblockBytes;
}

/**
 * Number of blocks in a byte range that the file does not own yet (what a write would allocate).
 *
 * @param inode - A regular file.
 * @param offset - First byte.
 * @param length - Number of bytes.
 * @returns Blocks that would be newly allocated.
 */
export function newBlocksFor(inode: Inode, offset: number, length: number): number {
  if (length <= 0) return 0;
  const blockSize = inode.fs.blockSizeBytes;
  const first = Math.floor(offset / blockSize);
  const last = Math.floor((offset + length - 1) / blockSize);
  let count = 0;
  for (let index = first; index <= last; index++) if (!inode.blocks.has(index)) count++;
  return count;
}
