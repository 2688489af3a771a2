/**
 * Copying file content the way `cp` does, sharing blocks where the geometry allows.
 *
 * @module
 */
import { allocatedBytes } from './allocation.js';
import { blockIndices, hasLostAncestor, isAllZero, LOST_BLOCK, readBlock, writeBytes, writeZeros } from './content.js';
import type { Inode } from './types.js';

/**
 * Makes `target` an independent copy of `source`'s content, as `cp` does: holes stay holes, and when
 * the source is sparse (or `sparse` is `'always'`) runs of zeros become holes too (GNU cp's
 * `--sparse=auto`). Blocks are shared, not copied, when both file systems use the same block size.
 *
 * @param source - Regular file to read.
 * @param target - Writable regular file (emptied first).
 * @param sparse - `'auto'`, `'always'` or `'never'` (fill every hole with zeros).
 * @returns `false` when part of the source could not be read (EIO).
 */
export function copyContent(source: Inode, target: Inode, sparse: 'auto' | 'always' | 'never' = 'auto'): boolean {
  if (hasLostAncestor(source)) return false;
  const makeHoles = sparse === 'always' || (sparse === 'auto' && allocatedBytes(source) < source.sizeBytes);
  target.blocks.clear();
  target.owned.clear();
  target.sizeBytes = 0;
  source.owned.clear();
  const sameGeometry = source.fs.blockSizeBytes === target.fs.blockSizeBytes;
  const blockSize = source.fs.blockSizeBytes;
  const piece = target.fs.blockSizeBytes;
  for (const index of blockIndices(source)) {
    const block = readBlock(source, index);
    if (block === LOST_BLOCK) return false;
    const start = index * blockSize;
    const length = Math.min(blockSize, source.sizeBytes - start);
    if (block === null || (makeHoles && sameGeometry && isAllZero(block))) {
      if (!makeHoles) writeZeros(target, start, length);
      continue;
    }
    if (sameGeometry) {
      target.blocks.set(index, block);
      continue;
    }
    for (let offset = 0; offset < length; offset += piece) {
      const end = Math.min(length, offset + piece);
      const bytes = offset < block.length ? block.subarray(offset, Math.min(end, block.length)) : new Uint8Array(0);
      if (makeHoles && isAllZero(bytes)) continue;
      if (bytes.length > 0) writeBytes(target, start + offset, bytes);
      if (start + offset + bytes.length < start + end) writeZeros(target, start + offset + bytes.length, end - offset - bytes.length);
    }
  }
  if (sparse === 'never') fillHoles(target, source.sizeBytes);
  target.sizeBytes = source.sizeBytes;
  target.fs.generation++;
  return true;
}

// --- Internal helpers ---

function fillHoles(inode: Inode, sizeBytes: number): void {
  const blocks = Math.ceil(sizeBytes / inode.fs.blockSizeBytes);
  for (let index = 0; index < blocks; index++) if (!inode.blocks.has(index)) inode.blocks.set(index, new Uint8Array(0));
}
