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
import { failure, quote, success, transferCostMs, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { sourceDestinations } from './destinations.js';
import { directoryWritable, lookup, openForWrite, readOnlyReason } from './files.js';
import { hasOption, missingOperand, optionTable, optionValue, parseCommandLine, usageError } from './options.js';

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

const OPTIONS = optionTable('cp', {
  recursive: ['-r', '-R', '--recursive'],
  archive: ['-a', '--archive'],
  preserve: ['-p', '--preserve', '--preserve=ATTRIBUTES'],
  noClobber: ['-n', '--no-clobber'],
  noTargetDirectory: ['-T', '--no-target-directory'],
  verbose: ['-v', '--verbose'],
  sparse: ['--sparse=WHEN'],
  ignored: ['-f', '-d', '-P', '-L', '-H', '-i', '--force', '--reflink', '--reflink=WHEN', '--no-preserve=all'],
});

const SPARSE_MODES: ReadonlySet<string> = new Set<Options['sparse']>(['auto', 'always', 'never']);

function cp(context: CommandContext): CommandResult {
  const parsed = parseCommandLine(context.args, OPTIONS, ({ key, value }) =>
    key === 'sparse' && !SPARSE_MODES.has(value as string) ? usageError('cp', `invalid argument ${quote(value as string)} for '--sparse'`) : null,
  );
  if (!parsed.ok) return parsed.failure;
  const options: Options = {
    recursive: hasOption(parsed, 'recursive', 'archive'),
    noClobber: hasOption(parsed, 'noClobber'),
    preserve: hasOption(parsed, 'preserve', 'archive'),
    noTargetDirectory: hasOption(parsed, 'noTargetDirectory'),
    verbose: hasOption(parsed, 'verbose'),
    sparse: (optionValue(parsed, 'sparse') ?? 'auto') as Options['sparse'],
  };
  const missing = missingOperand('cp', parsed.operands, ['file operand', 'destination file operand']);
  if (missing !== null) return missing;
  const destinations = sourceDestinations(context, 'cp', parsed.operands, options.noTargetDirectory);
  if (!('pairs' in destinations)) return destinations;
  const progress: Progress = { stdout: '', stderr: '', bytes: 0 };
  for (const [source, destination] of destinations.pairs) copyPath(context, source, destination, options, progress);
  const target = destinations.target;
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
