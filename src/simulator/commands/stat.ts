/**
 * `stat [-L] [-f] [-c FORMAT | --printf FORMAT] FILE...`: file and file system status.
 *
 * @module
 */
import { allocatedBytes } from '../model/allocation.js';
import { errnoText } from '../model/errno.js';
import { linkCount } from '../model/inode.js';
import { usageOf } from '../model/usage.js';
import type { Inode } from '../model/types.js';
import { failure, quote, success, tryHelp, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { lookup } from './files.js';
import { statTime } from './format.js';
import { interpretEscapes } from './escapes.js';

/** The stat command. */
export const statCommands: CommandTable = {
  stat: { handler: stat, family: 'system' },
};

const USER_NAMES: Readonly<Record<number, string>> = { 0: 'root', 1000: 'sim' };

/**
 * The name `ls` and `stat` show for a user or group id.
 *
 * @param id - Numeric id.
 * @returns `root`, `sim`, or `UNKNOWN`.
 */
export function accountName(id: number): string {
  return USER_NAMES[id] ?? 'UNKNOWN';
}

/**
 * `ls -l` style mode text: `-rw-r--r--`.
 *
 * @param inode - Any inode.
 * @returns Ten characters.
 */
export function symbolicMode(inode: Inode): string {
  const type = inode.type === 'dir' ? 'd' : inode.type === 'symlink' ? 'l' : inode.type === 'chardev' ? 'c' : '-';
  const mode = inode.mode;
  const bit = (mask: number, letter: string): string => ((mode & mask) !== 0 ? letter : '-');
  const special = (execute: number, flag: number, on: string): string => {
    const hasExecute = (mode & execute) !== 0;
    if ((mode & flag) === 0) return hasExecute ? 'x' : '-';
    return hasExecute ? on : on.toUpperCase();
  };
  return `${type}${bit(0o400, 'r')}${bit(0o200, 'w')}${special(0o100, 0o4000, 's')}${bit(0o40, 'r')}${bit(0o20, 'w')}${special(0o10, 0o2000, 's')}${bit(0o4, 'r')}${bit(0o2, 'w')}${special(0o1, 0o1000, 't')}`;
}

/**
 * The `%F` file type text.
 *
 * @param inode - Any inode.
 * @returns For example `regular empty file`.
 */
export function fileTypeText(inode: Inode): string {
  if (inode.type === 'dir') return 'directory';
  if (inode.type === 'symlink') return 'symbolic link';
  if (inode.type === 'chardev') return 'character special file';
  return inode.sizeBytes === 0 ? 'regular empty file' : 'regular file';
}

function stat(context: CommandContext): CommandResult {
  let follow = false;
  let filesystem = false;
  let format: string | null = null;
  let escapes = false;
  let terse = false;
  const files: string[] = [];
  const args = context.args;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      files.push(...args.slice(index + 1));
      break;
    }
    if (arg === '-c' || arg === '--format' || arg === '--printf') {
      const value = args[++index];
      if (value === undefined) return failure(`stat: option requires an argument -- '${arg.replace(/^-+/, '')}'\n${tryHelp('stat')}`);
      format = value;
      escapes = arg === '--printf';
    } else if (arg.startsWith('--format=') || arg.startsWith('--printf=')) {
      format = arg.slice(arg.indexOf('=') + 1);
      escapes = arg.startsWith('--printf=');
    } else if (arg.startsWith('-c') && arg.length > 2) format = arg.slice(2);
    else if (arg === '-L' || arg === '--dereference') follow = true;
    else if (arg === '-f' || arg === '--file-system') filesystem = true;
    else if (arg === '-t' || arg === '--terse') terse = true;
    else if (/^-[Lft]+$/.test(arg)) {
      follow ||= arg.includes('L');
      filesystem ||= arg.includes('f');
      terse ||= arg.includes('t');
    } else if (arg.startsWith('-') && arg !== '-') return failure(`stat: invalid option -- '${arg.slice(1, 2)}'\n${tryHelp('stat')}`);
    else files.push(arg);
  }
  if (files.length === 0) return failure(`stat: missing operand\n${tryHelp('stat')}`);
  let stdout = '';
  let stderr = '';
  for (const file of files) {
    const resolved = lookup(context, file, follow || filesystem);
    const errno = !resolved.ok ? resolved.errno : resolved.node === null ? 'ENOENT' : null;
    if (errno !== null || !resolved.ok || resolved.node === null) {
      stderr += filesystem
        ? `stat: cannot read file system information for ${quote(file)}: ${errnoText(errno ?? 'ENOENT')}\n`
        : `stat: cannot stat ${quote(file)}: ${errnoText(errno ?? 'ENOENT')}\n`;
      continue;
    }
    const inode = resolved.node;
    if (format !== null) {
      const text = formatDirectives(format, (directive) => (filesystem ? filesystemDirective(directive, inode, file) : fileDirective(directive, inode, file)));
      stdout += escapes ? interpretEscapes(text).text : `${text}\n`;
    } else if (terse) stdout += filesystem ? `${file} ${inode.fs.fsidHex} 255 ${filesystemDirective('t', inode, file)}\n` : `${file} ${inode.sizeBytes} ${fileDirective('b', inode, file)} ${(inode.mode).toString(16)} ${inode.uid} ${inode.gid}\n`;
    else stdout += filesystem ? defaultFilesystemOutput(inode, file) : defaultFileOutput(inode, file);
  }
  return stderr === '' ? success(stdout) : failure(stderr, 1, stdout);
}

/**
 * Expands `%x` directives in a stat or find format.
 *
 * @param format - Format text.
 * @param expand - Value of one directive letter, or `null` for an unknown one.
 * @returns The expanded text.
 */
export function formatDirectives(format: string, expand: (directive: string) => string | null): string {
  let result = '';
  for (let index = 0; index < format.length; index++) {
    const character = format[index] as string;
    if (character !== '%') {
      result += character;
      continue;
    }
    const next = format[index + 1];
    if (next === undefined) {
      result += '%';
      continue;
    }
    index++;
    if (next === '%') {
      result += '%';
      continue;
    }
    const value = expand(next);
    result += value ?? `?`;
  }
  return result;
}

function fileDirective(directive: string, inode: Inode, name: string): string | null {
  const blocks = Math.ceil(allocatedBytes(inode) / 512);
  switch (directive) {
    case 'a':
      return (inode.mode & 0o7777).toString(8);
    case 'A':
      return symbolicMode(inode);
    case 'b':
      return String(blocks);
    case 'B':
      return '512';
    case 'd':
      return String(inode.fs.deviceNumber);
    case 'D':
      return inode.fs.deviceNumber.toString(16);
    case 'f':
      return (typeBits(inode) | inode.mode).toString(16);
    case 'F':
      return fileTypeText(inode);
    case 'g':
      return String(inode.gid);
    case 'G':
      return accountName(inode.gid);
    case 'h':
      return String(linkCount(inode));
    case 'i':
      return String(inode.ino);
    case 'm':
      return inode.fs.mountPoint;
    case 'n':
      return name;
    case 'N':
      return inode.type === 'symlink' ? `${quote(name)} -> ${quote(inode.symlinkTarget ?? '')}` : quote(name);
    case 'o':
      return String(inode.fs.blockSizeBytes);
    case 's':
      return String(inode.sizeBytes);
    case 't':
      return inode.device === null ? '0' : '1';
    case 'T':
      return inode.device === 'null' ? '3' : inode.device === 'zero' ? '5' : inode.device === 'urandom' ? '9' : '0';
    case 'u':
      return String(inode.uid);
    case 'U':
      return accountName(inode.uid);
    case 'w':
      return statTime(inode.birthMs);
    case 'W':
      return String(Math.floor(inode.birthMs / 1000));
    case 'x':
    case 'y':
      return statTime(inode.mtimeMs);
    case 'X':
    case 'Y':
      return String(Math.floor(inode.mtimeMs / 1000));
    case 'z':
      return statTime(inode.ctimeMs);
    case 'Z':
      return String(Math.floor(inode.ctimeMs / 1000));
    default:
      return null;
  }
}

function filesystemDirective(directive: string, inode: Inode, name: string): string | null {
  const fs = inode.fs;
  const usage = usageOf(fs);
  const freeBlocks = Math.floor(Math.max(0, fs.capacityBytes - usage.usedBytes) / fs.blockSizeBytes);
  switch (directive) {
    case 'a':
    case 'f':
      return String(freeBlocks);
    case 'b':
      return String(Math.floor(fs.capacityBytes / fs.blockSizeBytes));
    case 'c':
      return String(fs.totalInodes);
    case 'd':
      return String(Math.max(0, fs.totalInodes - usage.usedInodes));
    case 'i':
      return fs.fsidHex;
    case 'l':
      return '255';
    case 'n':
      return name;
    case 's':
    case 'S':
      return String(fs.blockSizeBytes);
    case 't':
      return fs.kind === 'gpfs' ? '47504653' : 'ef53';
    case 'T':
      return fs.fsType;
    default:
      return null;
  }
}

function typeBits(inode: Inode): number {
  return inode.type === 'dir' ? 0o40000 : inode.type === 'symlink' ? 0o120000 : inode.type === 'chardev' ? 0o20000 : 0o100000;
}

function defaultFileOutput(inode: Inode, name: string): string {
  const blocks = Math.ceil(allocatedBytes(inode) / 512);
  const device = `${inode.fs.deviceNumber.toString(16)}h/${inode.fs.deviceNumber}d`;
  const user = `(${String(inode.uid).padStart(5)}/${accountName(inode.uid).padStart(8)})`;
  const group = `(${String(inode.gid).padStart(5)}/${accountName(inode.gid).padStart(8)})`;
  const title = inode.type === 'symlink' ? `${name} -> ${inode.symlinkTarget ?? ''}` : name;
  return [
    `  File: ${title}`,
    `  Size: ${String(inode.sizeBytes).padEnd(15)}\tBlocks: ${String(blocks).padEnd(10)} IO Block: ${String(inode.fs.blockSizeBytes).padEnd(6)} ${fileTypeText(inode)}`,
    `Device: ${device.padEnd(15)}\tInode: ${String(inode.ino).padEnd(11)} Links: ${linkCount(inode)}`,
    `Access: (${(inode.mode & 0o7777).toString(8).padStart(4, '0')}/${symbolicMode(inode)})  Uid: ${user}   Gid: ${group}`,
    `Access: ${statTime(inode.mtimeMs)}`,
    `Modify: ${statTime(inode.mtimeMs)}`,
    `Change: ${statTime(inode.ctimeMs)}`,
    ` Birth: ${statTime(inode.birthMs)}`,
    '',
  ].join('\n');
}

function defaultFilesystemOutput(inode: Inode, name: string): string {
  const fs = inode.fs;
  const usage = usageOf(fs);
  const freeBlocks = Math.floor(Math.max(0, fs.capacityBytes - usage.usedBytes) / fs.blockSizeBytes);
  return [
    `  File: "${name}"`,
    `    ID: ${fs.fsidHex} Namelen: 255     Type: ${fs.fsType}`,
    `Block size: ${String(fs.blockSizeBytes).padEnd(10)} Fundamental block size: ${fs.blockSizeBytes}`,
    `Blocks: Total: ${String(Math.floor(fs.capacityBytes / fs.blockSizeBytes)).padEnd(10)} Free: ${String(freeBlocks).padEnd(10)} Available: ${freeBlocks}`,
    `Inodes: Total: ${String(fs.totalInodes).padEnd(10)} Free: ${Math.max(0, fs.totalInodes - usage.usedInodes)}`,
    '',
  ].join('\n');
}
