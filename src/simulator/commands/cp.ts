/**
 * `cp [-f] [-n] [-p] [-a] [-r] [-T] [--sparse=WHEN] SOURCE DEST` and `cp SOURCE... DIRECTORY`.
 *
 * @module
 */
import { blockIndices, hasLostAncestor, LOST_BLOCK, readBlock, truncateTo } from '../model/content.js';
import { copyContent } from '../model/content-copy.js';
import { errnoText } from '../model/errno.js';
import { createEntry, mayAccess, touch } from '../model/namespace.js';
import { freeBytesOf } from '../model/usage.js';
import type { Inode } from '../model/types.js';
import { failure, quote, success, transferCostMs, tryHelp, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { directoryWritable, lookup, openForWrite, readOnlyReason } from './files.js';

/** The cp command. */
export const cpCommands: CommandTable = {
  cp: { handler: cp, family: 'system' },
};

interface Options {
  recursive: boolean;
  noClobber: boolean;
  preserve: boolean;
  noTargetDirectory: boolean;
  verbose: boolean;
  sparse: 'auto' | 'always' | 'never';
}

interface Progress {
  stdout: string;
  stderr: string;
  bytes: number;
}

function cp(context: CommandContext): CommandResult {
  const options: Options = { recursive: false, noClobber: false, preserve: false, noTargetDirectory: false, verbose: false, sparse: 'auto' };
  const operands: string[] = [];
  const args = context.args;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (arg.startsWith('--sparse=')) {
      const value = arg.slice(9);
      if (value !== 'auto' && value !== 'always' && value !== 'never') return failure(`cp: invalid argument ${quote(value)} for '--sparse'\n${tryHelp('cp')}`);
      options.sparse = value;
    } else if (arg === '--recursive') options.recursive = true;
    else if (arg === '--archive') options.recursive = options.preserve = true;
    else if (arg === '--no-clobber') options.noClobber = true;
    else if (arg === '--force' || arg.startsWith('--reflink') || arg === '--no-preserve=all') continue;
    else if (arg === '--preserve' || arg.startsWith('--preserve=')) options.preserve = true;
    else if (arg === '--no-target-directory') options.noTargetDirectory = true;
    else if (arg === '--verbose') options.verbose = true;
    else if (arg.startsWith('--')) return failure(`cp: unrecognized option '${arg}'\n${tryHelp('cp')}`);
    else if (arg.startsWith('-') && arg.length > 1) {
      for (const flag of arg.slice(1)) {
        if (flag === 'r' || flag === 'R') options.recursive = true;
        else if (flag === 'a') options.recursive = options.preserve = true;
        else if (flag === 'p') options.preserve = true;
        else if (flag === 'n') options.noClobber = true;
        else if (flag === 'T') options.noTargetDirectory = true;
        else if (flag === 'v') options.verbose = true;
        else if (flag === 'f' || flag === 'd' || flag === 'P' || flag === 'L' || flag === 'H' || flag === 'i') continue;
        else return failure(`cp: invalid option -- '${flag}'\n${tryHelp('cp')}`);
      }
    } else operands.push(arg);
  }
  if (operands.length === 0) return failure(`cp: missing file operand\n${tryHelp('cp')}`);
  if (operands.length === 1) return failure(`cp: missing destination file operand after ${quote(operands[0] as string)}\n${tryHelp('cp')}`);
  const destination = operands[operands.length - 1] as string;
  const sources = operands.slice(0, -1);
  const target = lookup(context, destination);
  const intoDirectory = !options.noTargetDirectory && target.ok && target.node?.type === 'dir';
  if (!intoDirectory && sources.length > 1) return failure(`cp: target ${quote(destination)} is not a directory\n`);
  const progress: Progress = { stdout: '', stderr: '', bytes: 0 };
  for (const source of sources) {
    const name = source.replace(/\/+$/, '').split('/').pop() ?? source;
    copyPath(context, source, intoDirectory ? `${destination.replace(/\/+$/, '')}/${name}` : destination, options, progress);
  }
  const kind = target.ok && target.node !== null ? target.node.fs.kind : target.ok && target.parent !== null ? target.parent.fs.kind : 'local';
  const result = progress.stderr === '' ? success(progress.stdout) : failure(progress.stderr, 1, progress.stdout);
  return { ...result, extraCostMs: transferCostMs(context, progress.bytes, kind) };
}

function copyPath(context: CommandContext, source: string, destination: string, options: Options, progress: Progress): void {
  const from = lookup(context, source, !options.preserve);
  if (!from.ok || from.node === null) {
    progress.stderr += `cp: cannot stat ${quote(source)}: ${errnoText(from.ok ? 'ENOENT' : from.errno)}\n`;
    return;
  }
  const inode = from.node;
  if (!mayAccess(context.identity, inode, 4)) {
    progress.stderr += `cp: cannot open ${quote(source)} for reading: ${errnoText('EACCES')}\n`;
    return;
  }
  if (inode.type === 'dir') {
    if (!options.recursive) {
      progress.stderr += `cp: -r not specified; omitting directory ${quote(source)}\n`;
      return;
    }
    copyDirectory(context, inode, source, destination, options, progress);
    return;
  }
  const to = lookup(context, destination);
  if (to.ok && to.node === inode) {
    progress.stderr += `cp: ${quote(source)} and ${quote(destination)} are the same file\n`;
    return;
  }
  if (to.ok && to.node !== null && options.noClobber) return;
  if (to.ok && to.node?.type === 'dir') {
    progress.stderr += `cp: cannot overwrite directory ${quote(destination)} with non-directory\n`;
    return;
  }
  if (inode.type === 'symlink') {
    progress.stderr += `cp: cannot copy symbolic link ${quote(source)}\n`;
    return;
  }
  const opened = openForWrite(context, destination, true, inode.mode);
  if (opened.errno !== undefined) {
    progress.stderr += `cp: cannot create regular file ${quote(destination)}: ${errnoText(opened.errno)}\n`;
    return;
  }
  const target = opened.inode;
  if (target.type !== 'file') return;
  if (inode.type === 'chardev') {
    truncateTo(target, 0);
    if (inode.device !== 'null') progress.stderr += `cp: error writing ${quote(destination)}: ${errnoText('ENOSPC')}\n`;
    return;
  }
  const dataBytes = countDataBytes(inode);
  if (dataBytes === null) {
    progress.stderr += `cp: error reading ${quote(source)}: ${errnoText('EIO')}\n`;
    return;
  }
  if (dataBytes - ownedBytes(target) > freeBytesOf(target.fs)) {
    truncateTo(target, 0);
    progress.stderr += `cp: error writing ${quote(destination)}: ${errnoText('ENOSPC')}\n`;
    return;
  }
  if (!copyContent(inode, target, options.sparse)) {
    progress.stderr += `cp: error reading ${quote(source)}: ${errnoText('EIO')}\n`;
    return;
  }
  progress.bytes += dataBytes;
  touch(context.world, target);
  if (options.preserve) {
    target.mode = inode.mode;
    target.mtimeMs = inode.mtimeMs;
    if (context.identity.isRoot) {
      target.uid = inode.uid;
      target.gid = inode.gid;
    }
  } else if (opened.created) target.mode = inode.mode & ~0o022;
  if (options.verbose) progress.stdout += `${quote(source)} -> ${quote(destination)}\n`;
}

function copyDirectory(context: CommandContext, inode: Inode, source: string, destination: string, options: Options, progress: Progress): void {
  const to = lookup(context, destination);
  if (!to.ok) {
    progress.stderr += `cp: cannot create directory ${quote(destination)}: ${errnoText(to.errno)}\n`;
    return;
  }
  const directory = to.node;
  if (directory !== null && directory.type !== 'dir') {
    progress.stderr += `cp: cannot overwrite non-directory ${quote(destination)} with directory ${quote(source)}\n`;
    return;
  }
  if (directory === null) {
    if (to.parent === null) return;
    const problem = directoryWritable(context.identity, to.parent);
    if (problem !== null) {
      progress.stderr += `cp: cannot create directory ${quote(destination)}: ${errnoText(problem)}\n`;
      return;
    }
    createEntry(context.world, to.parent, to.name, 'dir', options.preserve ? inode.mode : inode.mode & ~0o022, context.identity);
  } else if (readOnlyReason(directory) !== null) {
    progress.stderr += `cp: cannot create directory ${quote(destination)}: ${errnoText('EROFS')}\n`;
    return;
  }
  for (const name of [...(inode.entries?.keys() ?? [])]) {
    copyPath(context, `${source.replace(/\/+$/, '')}/${name}`, `${destination.replace(/\/+$/, '')}/${name}`, options, progress);
  }
}

/** Bytes of a file that are not holes (what cp reads and writes), or `null` when unreadable. */
export function countDataBytes(inode: Inode): number | null {
  if (inode.type !== 'file') return 0;
  if (hasLostAncestor(inode)) return null;
  let bytes = 0;
  const blockSize = inode.fs.blockSizeBytes;
  for (const index of blockIndices(inode)) {
    const block = readBlock(inode, index);
    if (block === LOST_BLOCK) return null;
    bytes += Math.min(blockSize, inode.sizeBytes - index * blockSize);
  }
  return bytes;
}

function ownedBytes(inode: Inode): number {
  return inode.blocks.size * inode.fs.blockSizeBytes;
}
