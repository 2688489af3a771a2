/**
 * A content digest that does not depend on how the content is stored: equal bytes give equal digests,
 * whether they sit in holes, zero blocks, data blocks, clone parents or another file system's blocks.
 * Runs of zeros are hashed by length, so a 1 TiB sparse file costs nothing to digest.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { blockIndices, hasLostAncestor, isAllZero, LOST_BLOCK, readBlock } from './content.js';
import type { Inode } from './types.js';

const CHUNK_BYTES = 4096;
const ZERO_CHUNK = new Uint8Array(CHUNK_BYTES);

/**
 * Digests a regular file's content.
 *
 * @param inode - A regular file.
 * @returns `sha256:<hex>`, or {@link LOST_BLOCK} when part of it cannot be read.
 */
export function contentDigest(inode: Inode): string | typeof LOST_BLOCK {
  if (hasLostAncestor(inode)) return LOST_BLOCK;
  const hash = createHash('sha256');
  const size = inode.sizeBytes;
  const blockSize = inode.fs.blockSizeBytes;
  hash.update(`size=${size}\n`);
  let zeroRun = 0;
  let position = 0;
  const flush = (): void => {
    if (zeroRun > 0) hash.update(`z${zeroRun}\n`);
    zeroRun = 0;
  };
  for (const index of blockIndices(inode)) {
    const blockStart = index * blockSize;
    if (blockStart >= size) break;
    zeroRun += blockStart - position;
    const blockEnd = Math.min(size, blockStart + blockSize);
    const block = readBlock(inode, index);
    if (block === LOST_BLOCK) return LOST_BLOCK;
    if (block === null) zeroRun += blockEnd - blockStart;
    else {
      for (let chunkStart = blockStart; chunkStart < blockEnd; chunkStart += CHUNK_BYTES) {
        const chunkEnd = Math.min(chunkStart + CHUNK_BYTES, blockEnd);
        const from = chunkStart - blockStart;
        const bytes = from < block.length ? block.subarray(from, Math.min(chunkEnd - blockStart, block.length)) : null;
        if (bytes === null || isAllZero(bytes)) {
          zeroRun += chunkEnd - chunkStart;
          continue;
        }
        flush();
        hash.update('d');
        hash.update(bytes);
        const padding = chunkEnd - chunkStart - bytes.length;
        if (padding > 0) hash.update(ZERO_CHUNK.subarray(0, padding));
      }
    }
    position = blockEnd;
  }
  zeroRun += size - position;
  flush();
  return `sha256:${hash.digest('hex')}`;
}
