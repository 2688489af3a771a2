/**
 * `mkfs [-t TYPE] [OPTIONS] DEVICE`, the `mkfs.TYPE` programs and `mkswap [-L LABEL] DEVICE`: they
 * write a file system signature (type and label) into the file's first blocks, where a later zero
 * fill wipes it as on a real disk.
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { touch } from '../model/namespace.js';
import { detectFilesystemSignature, fileUuid, writeFilesystemSignature } from '../model/signatures.js';
import type { Inode } from '../model/types.js';
import { failure, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { openForWrite } from './files.js';
import { readChunks } from './io.js';

const E2FS_VERSION = 'mke2fs 1.46.5 (30-Dec-2021)\n';

/** mkfs, mkfs.TYPE and mkswap. */
export const mkfsCommands: CommandTable = {
  mkfs: { handler: mkfs, family: 'system' },
  'mkfs.ext2': { handler: (context) => makeExt(context, 'ext2'), family: 'system' },
  'mkfs.ext3': { handler: (context) => makeExt(context, 'ext3'), family: 'system' },
  'mkfs.ext4': { handler: (context) => makeExt(context, 'ext4'), family: 'system' },
  mke2fs: { handler: (context) => makeExt(context, null), family: 'system' },
  'mkfs.xfs': { handler: makeXfs, family: 'system' },
  'mkfs.vfat': { handler: (context) => makeFat(context, 'mkfs.vfat'), family: 'system' },
  'mkfs.fat': { handler: (context) => makeFat(context, 'mkfs.fat'), family: 'system' },
  'mkfs.msdos': { handler: (context) => makeFat(context, 'mkfs.msdos'), family: 'system' },
  'mkfs.btrfs': { handler: makeBtrfs, family: 'system' },
  mkswap: { handler: mkswap, family: 'system' },
};

function mkfs(context: CommandContext): CommandResult | Promise<CommandResult> {
  let type = 'ext2';
  const rest: string[] = [];
  for (let index = 0; index < context.args.length; index++) {
    const arg = context.args[index] as string;
    if (arg === '-t' || arg === '--type') {
      const value = context.args[++index];
      if (value === undefined) return failure("mkfs: option requires an argument -- 't'\nTry 'mkfs --help' for more information.\n");
      type = value;
    } else if (arg.startsWith('-t') && arg.length > 2) type = arg.slice(2);
    else if (arg === '-V' || arg === '--verbose') continue;
    else rest.push(arg);
  }
  const program = `mkfs.${type}`;
  const spec = mkfsCommands[program];
  if (spec === undefined || type === 'swap') return failure(`mkfs: failed to execute ${program}: No such file or directory\n`);
  return spec.handler({ ...context, name: program, args: rest });
}

interface Target {
  readonly inode: Inode;
  readonly path: string;
}

function openTarget(context: CommandContext, program: string, operands: readonly string[], prefix = ''): Target | CommandResult {
  const path = operands[0];
  if (path === undefined) return failure(`${prefix}${program}: no device specified\n`);
  const opened = openForWrite(context, path, false);
  if (opened.errno !== undefined) {
    if (opened.errno === 'ENOENT') return failure(`${prefix}The file ${path} does not exist and no size was specified.\n`);
    return failure(`${prefix}${program}: ${errnoText(opened.errno)} while trying to open ${path}\nCould not open ${path}: ${errnoText(opened.errno)}\n`);
  }
  if (opened.inode.type !== 'file') return failure(`${prefix}${program}: ${path} is not a block special device or regular file\n`);
  return { inode: opened.inode, path };
}

async function confirm(context: CommandContext): Promise<boolean> {
  for await (const chunk of readChunks(context.stdin)) return /^\s*[yY]/.test(new TextDecoder().decode(chunk));
  return false;
}

async function makeExt(context: CommandContext, fixedType: 'ext2' | 'ext3' | 'ext4' | null): Promise<CommandResult> {
  let type: string = fixedType ?? 'ext2';
  let label = '';
  let force = 0;
  let quiet = false;
  const operands: string[] = [];
  const program = fixedType === null ? 'mke2fs' : `mkfs.${fixedType}`;
  for (let index = 0; index < context.args.length; index++) {
    const arg = context.args[index] as string;
    if (arg === '-F') force++;
    else if (arg === '-q') quiet = true;
    else if (arg === '-j') type = type === 'ext2' ? 'ext3' : type;
    else if (['-L', '-m', '-b', '-E', '-T', '-O', '-N', '-i', '-I', '-t', '-U', '-G', '-g', '-C', '-e', '-M', '-r'].includes(arg)) {
      const value = context.args[++index];
      if (value === undefined)
        return failure(`${program}: option requires an argument -- '${arg.slice(1)}'\nUsage: ${program} [-c|-l filename] [-b block-size] [-L volume-label] [-F] [-q] device [blocks-count]\n`);
      if (arg === '-L') label = value;
      if (arg === '-t' && fixedType === null) type = value;
    } else if (arg.startsWith('-'))
      return failure(`${program}: invalid option -- '${arg.slice(1, 2)}'\nUsage: ${program} [-c|-l filename] [-b block-size] [-L volume-label] [-F] [-q] device [blocks-count]\n`);
    else operands.push(arg);
  }
  if (!['ext2', 'ext3', 'ext4'].includes(type)) return failure(`${E2FS_VERSION}\nYour mke2fs.conf file does not define the ${type} filesystem type.\nAborting...\n`);
  const target = openTarget(context, program, operands, E2FS_VERSION);
  if ('exitCode' in target) return target;
  const { inode, path } = target;
  if (inode.sizeBytes < 64 * 1024)
    return failure(
      `${E2FS_VERSION}${program}: Device size reported to be zero. Invalid partition specified, or\n\tpartition table wasn't reread after running fdisk, due to\n\ta modified partition being busy and in use.  You may need to reboot\n\tto re-read your partition table.\n`,
    );
  let stderr = E2FS_VERSION;
  const existingSignature = detectFilesystemSignature(inode);
  let stdout = '';
  if (existingSignature !== null && force === 0) {
    stdout += `${path} contains a ${existingSignature.type} file system${existingSignature.label === '' ? '' : ` labelled '${existingSignature.label}'`}\nProceed anyway? (y,N) `;
    if (!(await confirm(context))) return failure(stderr, 1, stdout);
  }
  if (label.length > 16) {
    stderr += `Warning: label too long; will be truncated to '${label.slice(0, 16)}'\n\n`;
    label = label.slice(0, 16);
  }
  writeFilesystemSignature(inode, type, label);
  touch(context.world, inode);
  const blocks = Math.floor(inode.sizeBytes / 4096);
  if (!quiet) {
    stdout += `Discarding device blocks: done                            \nCreating filesystem with ${blocks} 4k blocks and ${Math.max(16, Math.floor(blocks / 4))} inodes\n`;
    stdout += `Filesystem UUID: ${fileUuid(inode)}\n\nAllocating group tables: done                            \nWriting inode tables: done                            \n`;
    if (type !== 'ext2') stdout += `Creating journal (${Math.min(32768, Math.max(1024, Math.floor(blocks / 32)))} blocks): done\n`;
    stdout += 'Writing superblocks and filesystem accounting information: done\n\n';
  } else stderr = '';
  return { ...success(stdout, stderr), extraCostMs: 150 };
}

function makeXfs(context: CommandContext): CommandResult {
  let label = '';
  let force = false;
  const operands: string[] = [];
  for (let index = 0; index < context.args.length; index++) {
    const arg = context.args[index] as string;
    if (arg === '-f') force = true;
    else if (arg === '-q' || arg === '-K' || arg === '-N') continue;
    else if (['-L', '-b', '-d', '-i', '-l', '-m', '-n', '-r', '-s', '-p'].includes(arg)) {
      const value = context.args[++index];
      if (value === undefined) return failure(`mkfs.xfs: option requires an argument -- '${arg.slice(1)}'\n`);
      if (arg === '-L') label = value;
    } else if (arg.startsWith('-')) return failure(`mkfs.xfs: invalid option -- '${arg.slice(1, 2)}'\n`);
    else operands.push(arg);
  }
  if (label.length > 12) return failure(`label ${label} is too long\n`);
  const target = openTarget(context, 'mkfs.xfs', operands);
  if ('exitCode' in target) return target;
  const { inode, path } = target;
  const existingSignature = detectFilesystemSignature(inode);
  if (existingSignature !== null && !force) {
    return failure(`mkfs.xfs: ${path} appears to contain an existing filesystem (${existingSignature.type}).\nmkfs.xfs: Use the -f option to force overwrite.\n`);
  }
  if (inode.sizeBytes < 300 * 1024 * 1024) return failure('Filesystem must be larger than 300MB.\n');
  writeFilesystemSignature(inode, 'xfs', label);
  touch(context.world, inode);
  const blocks = Math.floor(inode.sizeBytes / 4096);
  return {
    ...success(`meta-data=${path.padEnd(22)} isize=512    agcount=4, agsize=${Math.floor(blocks / 4)} blks\ndata     =${''.padEnd(22)} bsize=4096   blocks=${blocks}, imaxpct=25\n`),
    extraCostMs: 150,
  };
}

function makeFat(context: CommandContext, program: string): CommandResult {
  let label = '';
  const operands: string[] = [];
  for (let index = 0; index < context.args.length; index++) {
    const arg = context.args[index] as string;
    if (arg === '-I' || arg === '-v' || arg === '-c') continue;
    if (['-n', '-F', '-S', '-s', '-f', '-r', '-i', '-C'].includes(arg)) {
      const value = context.args[++index];
      if (value === undefined) return failure(`${program}: option requires an argument -- '${arg.slice(1)}'\n`);
      if (arg === '-n') label = value;
      if (arg === '-F' && !['12', '16', '32'].includes(value)) return failure(`${program}: Invalid FAT type: ${value}\n`);
    } else if (arg.startsWith('-')) return failure(`${program}: invalid option -- '${arg.slice(1, 2)}'\n`);
    else operands.push(arg);
  }
  if (label.length > 11) return failure(`${program}: Label can be no longer than 11 characters\n`);
  const target = openTarget(context, program, operands);
  if ('exitCode' in target) return target;
  writeFilesystemSignature(target.inode, 'vfat', label);
  touch(context.world, target.inode);
  return { ...success('mkfs.fat 4.2 (2021-01-31)\n'), extraCostMs: 50 };
}

function makeBtrfs(context: CommandContext): CommandResult {
  let label = '';
  let force = false;
  const operands: string[] = [];
  for (let index = 0; index < context.args.length; index++) {
    const arg = context.args[index] as string;
    if (arg === '-f' || arg === '--force') force = true;
    else if (arg === '-q' || arg === '--quiet') continue;
    else if (['-L', '--label', '-d', '-m', '-n', '-s', '-O', '-U'].includes(arg)) {
      const value = context.args[++index];
      if (value === undefined) return failure(`mkfs.btrfs: option requires an argument -- '${arg.replace(/^-+/, '')}'\n`);
      if (arg === '-L' || arg === '--label') label = value;
    } else if (arg.startsWith('-')) return failure(`mkfs.btrfs: invalid option -- '${arg.slice(1, 2)}'\n`);
    else operands.push(arg);
  }
  if (label.length > 255) return failure(`ERROR: label ${label} is too long (max 255)\n`);
  const target = openTarget(context, 'mkfs.btrfs', operands);
  if ('exitCode' in target) return target;
  const { inode, path } = target;
  const existingSignature = detectFilesystemSignature(inode);
  if (existingSignature !== null && !force)
    return failure(`ERROR: ${path} appears to contain an existing filesystem (${existingSignature.type})\nERROR: use the -f option to force overwrite of ${path}\n`);
  if (inode.sizeBytes < 114_294_784) return failure(`ERROR: '${path}' is too small to make a usable filesystem\nERROR: minimum size for each btrfs device is 114294784\n`);
  writeFilesystemSignature(inode, 'btrfs', label);
  touch(context.world, inode);
  return { ...success(`btrfs-progs v5.16.2\nLabel:              ${label === '' ? '(null)' : label}\nUUID:               ${fileUuid(inode)}\n`), extraCostMs: 100 };
}

function mkswap(context: CommandContext): CommandResult {
  let label = '';
  const operands: string[] = [];
  for (let index = 0; index < context.args.length; index++) {
    const arg = context.args[index] as string;
    if (arg === '-f' || arg === '-c' || arg === '--force' || arg === '--check') continue;
    if (['-L', '--label', '-U', '--uuid', '-p', '--pagesize', '-v', '--swapversion'].includes(arg)) {
      const value = context.args[++index];
      if (value === undefined) return failure(`mkswap: option requires an argument -- '${arg.replace(/^-+/, '')}'\nTry 'mkswap --help' for more information.\n`);
      if (arg === '-L' || arg === '--label') label = value;
    } else if (arg.startsWith('-')) return failure(`mkswap: invalid option -- '${arg.slice(1, 2)}'\nTry 'mkswap --help' for more information.\n`);
    else operands.push(arg);
  }
  const path = operands[0];
  if (path === undefined) return failure("mkswap: error: Nowhere to set up swap on?\nTry 'mkswap --help' for more information.\n");
  const opened = openForWrite(context, path, false);
  if (opened.errno !== undefined) return failure(`mkswap: cannot open ${path}: ${errnoText(opened.errno)}\n`);
  const inode = opened.inode;
  if (inode.type !== 'file') return failure(`mkswap: cannot open ${path}: ${errnoText('EINVAL')}\n`);
  if (inode.sizeBytes < 40 * 1024) return failure(`mkswap: error: swap area needs to be at least 40 KiB\n`);
  let stderr = '';
  if ((inode.mode & 0o077) !== 0) stderr += `mkswap: ${path}: insecure permissions ${(inode.mode & 0o7777).toString(8).padStart(4, '0')}, fix with: chmod 0600 ${path}\n`;
  if (label.length > 16) {
    stderr += `mkswap: Label was truncated.\n`;
    label = label.slice(0, 16);
  }
  writeFilesystemSignature(inode, 'swap', label);
  touch(context.world, inode);
  const usable = Math.floor(inode.sizeBytes / 4096) * 4096 - 4096;
  const sizeText = usable >= 1024 ** 3 && usable % 1024 ** 3 === 0 ? `${usable / 1024 ** 3} GiB` : `${Math.round((usable / 1024 ** 2) * 10) / 10} MiB`;
  const stdout = `Setting up swapspace version 1, size = ${sizeText} (${usable} bytes)\n${label === '' ? 'no label' : `LABEL=${label}`}, UUID=${fileUuid(inode)}\n`;
  return { ...success(stdout, stderr), extraCostMs: 20 };
}
