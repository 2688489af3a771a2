/**
 * Space and inodes in use per file system, as df, mmlspool and statfs report them.
 *
 * @module
 */
import { blockAllocation } from './allocation.js';
import type { Filesystem, Inode, UsageCache } from './types.js';

/**
 * Computes (or returns the cached) space and inode use of a file system. Blocks shared by snapshots,
 * copies and clone parents are counted once.
 *
 * @param fs - Any file system.
 * @returns Used bytes (including the baseline), used inodes and used bytes per pool.
 */
export function usageOf(fs: Filesystem): UsageCache {
  if (fs.usage !== null && fs.usage.generation === fs.generation) return fs.usage;
  const seenInodes = new Set<Inode>();
  const seenBlocks = new Set<Uint8Array>();
  const usedByPool = new Map<string, number>();
  let usedBytes = fs.baselineUsedBytes;
  let usedInodes = 0;
  const stack: Inode[] = [fs.root];
  for (const fileset of fs.filesets.values()) if (fileset.status === 'Unlinked') stack.push(fileset.root);
  for (const snapshot of fs.snapshots) stack.push(snapshot.root);
  while (stack.length > 0) {
    const inode = stack.pop() as Inode;
    if (seenInodes.has(inode)) continue;
    seenInodes.add(inode);
    if (inode.snapshot === null) usedInodes++;
    if (inode.type === 'dir') {
      usedBytes += fs.kind === 'local' ? 4096 : fs.subblockBytes;
      for (const entry of inode.entries?.values() ?? []) stack.push(entry);
      continue;
    }
    if (inode.cloneParent !== null && !seenInodes.has(inode.cloneParent)) stack.push(inode.cloneParent);
    let fileBytes = 0;
    for (const [index, block] of inode.blocks) {
      if (seenBlocks.has(block)) continue;
      seenBlocks.add(block);
      fileBytes += blockAllocation(inode, index);
    }
    usedBytes += fileBytes;
    const pool = inode.attributes?.pool;
    if (pool !== undefined) usedByPool.set(pool, (usedByPool.get(pool) ?? 0) + fileBytes);
  }
  const usage: UsageCache = { generation: fs.generation, usedBytes: Math.min(usedBytes, fs.capacityBytes), usedInodes, usedByPool };
  fs.usage = usage;
  return usage;
}

/**
 * Free bytes of a file system.
 *
 * @param fs - Any file system.
 * @returns Capacity minus use, never negative.
 */
export function freeBytesOf(fs: Filesystem): number {
  return Math.max(0, fs.capacityBytes - usageOf(fs).usedBytes);
}
