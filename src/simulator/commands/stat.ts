/**
 * `stat [-L] [-f] [-c FORMAT | --printf FORMAT] FILE...`: file and file system status.
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { linkCount } from '../model/inode.js';
import { usageOf } from '../model/usage.js';
import type { Inode } from '../model/types.js';
import { failure, quote, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { interpretEscapes } from './escapes.js';
import { fileFieldText, fileTypeText, symbolicMode, accountName, type FileField } from './file-fields.js';
import { lookup } from './files.js';
import { statTime } from './format.js';
import { hasOption, missingOperand, optionTable, parseCommandLine } from './options.js';

/** The stat command. */
export const statCommands: CommandTable = {
  stat: { handler: stat, family: 'system' },
};

const OPTIONS = optionTable('stat', {
  dereference: ['-L', '--dereference'],
  fileSystem: ['-f', '--file-system'],
  terse: ['-t', '--terse'],
  format: ['-c FORMAT', '--format FORMAT'],
  printf: ['--printf FORMAT'],
});

/** File directives that mean what the find `-printf` directive of the same field means. */
const SHARED_FILE_DIRECTIVES: ReadonlyMap<string, FileField> = new Map<string, FileField>([
  ['i', 'inodeNumber'],
  ['s', 'sizeBytes'],
  ['b', 'allocatedBlocks512'],
  ['a', 'modeOctal'],
  ['A', 'modeSymbolic'],
  ['h', 'linkCount'],
  ['u', 'uid'],
  ['U', 'userName'],
  ['g', 'gid'],
  ['G', 'groupName'],
  ['d', 'deviceNumber'],
]);

function stat(context: CommandContext): CommandResult {
  const parsed = parseCommandLine(context.args, OPTIONS);
  if (!parsed.ok) return parsed.failure;
  const follow = hasOption(parsed, 'dereference');
  const filesystem = hasOption(parsed, 'fileSystem');
  const terse = hasOption(parsed, 'terse');
  let format: string | null = null;
  let escapes = false;
  for (const { key, value } of parsed.options) {
    if (key === 'format' || key === 'printf') {
      format = value as string;
      escapes = key === 'printf';
    }
  }
  const files = parsed.operands;
  const missing = missingOperand('stat', files, ['operand']);
  if (missing !== null) return missing;
  let stdout = '';
  let stderr = '';
  for (const file of files) {
    const resolved = lookup(context, file, follow || filesystem);
    const errno = !resolved.ok ? resolved.errno : resolved.node === null ? 'ENOENT' : null;
    if (errno !== null || !resolved.ok || resolved.node === null) {
      stderr += filesystem ? `stat: cannot read file system information for ${quote(file)}: ${errnoText(errno ?? 'ENOENT')}\n` : `stat: cannot stat ${quote(file)}: ${errnoText(errno ?? 'ENOENT')}\n`;
      continue;
    }
    const inode = resolved.node;
    if (format !== null) {
      const text = formatDirectives(format, (directive) => (filesystem ? filesystemDirective(directive, inode, file) : fileDirective(directive, inode, file)));
      stdout += escapes ? interpretEscapes(text).text : `${text}\n`;
    } else if (terse)
      stdout += filesystem
        ? `${file} ${inode.fs.fsidHex} 255 ${filesystemDirective('t', inode, file)}\n`
        : `${file} ${inode.sizeBytes} ${fileFieldText(inode, 'allocatedBlocks512')} ${inode.mode.toString(16)} ${inode.uid} ${inode.gid}\n`;
    else stdout += filesystem ? defaultFilesystemOutput(inode, file) : defaultFileOutput(inode, file);
  }
  return stderr === '' ? success(stdout) : failure(stderr, 1, stdout);
}

// --- Internal helpers ---

/** Expands stat's `%x` directives (no widths); an unknown directive prints `?`. */
function formatDirectives(format: string, expand: (directive: string) => string | null): string {
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
  const shared = SHARED_FILE_DIRECTIVES.get(directive);
  if (shared !== undefined) return fileFieldText(inode, shared);
  switch (directive) {
    case 'B':
      return '512';
    case 'D':
      return inode.fs.deviceNumber.toString(16);
    case 'f':
      return (typeBits(inode) | inode.mode).toString(16);
    case 'F':
      return fileTypeText(inode);
    case 'm':
      return inode.fs.mountPoint;
    case 'n':
      return name;
    case 'N':
      return inode.type === 'symlink' ? `${quote(name)} -> ${quote(inode.symlinkTarget ?? '')}` : quote(name);
    case 'o':
      return String(inode.fs.blockSizeBytes);
    case 't':
      return inode.device === null ? '0' : '1';
    case 'T':
      return inode.device === 'null' ? '3' : inode.device === 'zero' ? '5' : inode.device === 'urandom' ? '9' : '0';
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
  const blocks = fileFieldText(inode, 'allocatedBlocks512');
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
