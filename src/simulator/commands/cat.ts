/**
 * `cat [FILE...]` (`-` or no operand: standard input), streamed to the caller's sink in chunks.
 *
 * @module
 */
import { LOST_BLOCK, readBlock } from '../model/content.js';
import { errnoText } from '../model/errno.js';
import type { Inode } from '../model/types.js';
import { failure, success, transferCostMs, tryHelp, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { openForRead } from './files.js';
import { CHUNK_BYTES, readChunks, Stdout, ZERO_CHUNK } from './io.js';

/** The cat command. */
export const catCommands: CommandTable = {
  cat: { handler: cat, family: 'system' },
};

/** Largest output cat produces in the simulator when the file is sparse and nothing streams it. */
const MAX_COLLECTED_BYTES = 512 * 1024 * 1024;

async function cat(context: CommandContext): Promise<CommandResult> {
  const operands: string[] = [];
  for (const arg of context.args) {
    if (arg.startsWith('-') && arg !== '-' && arg !== '--') {
      if (!/^-[uA]+$/.test(arg) && arg !== '--show-all') return failure(`cat: invalid option -- '${arg.slice(1, 2)}'\n${tryHelp('cat')}`);
      continue;
    }
    if (arg !== '--') operands.push(arg);
  }
  if (operands.length === 0) operands.push('-');
  const stdout = new Stdout(context.stdoutSink);
  let stderr = '';
  let stdinUsed = false;
  for (const operand of operands) {
    if (operand === '-') {
      if (stdinUsed) continue;
      stdinUsed = true;
      for await (const chunk of readChunks(context.stdin)) {
        if (context.signal?.aborted) break;
        await stdout.write(chunk);
      }
      continue;
    }
    const opened = openForRead(context, operand);
    if (opened.errno !== undefined) {
      stderr += `cat: ${operand}: ${errnoText(opened.errno)}\n`;
      continue;
    }
    const inode = opened.inode;
    if (inode.type === 'dir') {
      stderr += `cat: ${operand}: ${errnoText('EISDIR')}\n`;
      continue;
    }
    if (inode.type !== 'file') continue;
    if (context.stdoutSink === undefined && inode.sizeBytes > MAX_COLLECTED_BYTES) {
      stderr += `cat: write error: ${errnoText('ENOSPC')}\n`;
      continue;
    }
    const problem = await writeFile(inode, stdout, context.signal);
    if (problem) stderr += `cat: ${operand}: ${errnoText('EIO')}\n`;
  }
  const cost = transferCostMs(context, stdout.bytes, 'local');
  const result = stderr === '' ? success(stdout.text()) : failure(stderr, 1, stdout.text());
  return { ...result, extraCostMs: cost };
}

async function writeFile(inode: Inode, stdout: Stdout, signal: AbortSignal | undefined): Promise<boolean> {
  const blockSize = inode.fs.blockSizeBytes;
  const end = inode.sizeBytes;
  for (let index = 0; index * blockSize < end; index++) {
    if (signal?.aborted) return false;
    const blockStart = index * blockSize;
    const length = Math.min(blockSize, end - blockStart);
    const block = readBlock(inode, index);
    if (block === LOST_BLOCK) return true;
    for (let offset = 0; offset < length; offset += CHUNK_BYTES) {
      const chunkEnd = Math.min(length, offset + CHUNK_BYTES);
      if (block === null || offset >= block.length) await stdout.write(ZERO_CHUNK.subarray(0, chunkEnd - offset), true);
      else if (chunkEnd <= block.length) await stdout.write(block.subarray(offset, chunkEnd));
      else {
        const chunk = new Uint8Array(chunkEnd - offset);
        chunk.set(block.subarray(offset));
        await stdout.write(chunk);
      }
    }
  }
  return false;
}
