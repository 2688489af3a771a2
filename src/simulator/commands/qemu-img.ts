/**
 * `qemu-img info|resize|convert|create`. Formats are probed from content unless pinned with `-f`: a
 * raw file that starts with the qcow2 magic is reported (and resized) as qcow2, which is why callers
 * should pin `-f raw`.
 *
 * @module
 */
import { blockIndices, hasLostAncestor, isAllZero, LOST_BLOCK, readBlock, readRange, truncateTo, writeBytes } from '../model/content.js';
import { allocatedBytes } from '../model/allocation.js';
import { copyContent } from '../model/content-copy.js';
import { errnoText } from '../model/errno.js';
import { touch } from '../model/namespace.js';
import { detectImageHeader, qcow2Header, QCOW2_DATA_OFFSET } from '../model/signatures.js';
import { freeBytesOf } from '../model/usage.js';
import type { Inode } from '../model/types.js';
import { failure, success, transferCostMs, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { existing, openForRead, openForWrite } from './files.js';

/** The qemu-img command. */
export const qemuImgCommands: CommandTable = {
  'qemu-img': { handler: qemuImg, family: 'system' },
};

const FORMATS = new Set(['raw', 'qcow2']);
const KNOWN_DRIVERS = new Set(['raw', 'qcow2', 'qcow', 'vmdk', 'vdi', 'vhdx', 'vpc', 'qed', 'luks', 'dmg', 'parallels', 'cloop', 'bochs', 'file']);
const HELP = "Try 'qemu-img --help' for more information\n";

interface Image {
  readonly format: 'raw' | 'qcow2';
  readonly virtualSizeBytes: number;
  readonly dataOffset: number;
}

function qemuImg(context: CommandContext): CommandResult {
  const [subcommand, ...args] = context.args;
  switch (subcommand) {
    case 'info':
      return info(context, args);
    case 'resize':
      return resize(context, args);
    case 'convert':
      return convert(context, args);
    case 'create':
      return create(context, args);
    case '--version':
    case '-V':
      return success('qemu-img version 6.2.0\nCopyright (c) 2003-2021 Fabrice Bellard and the QEMU Project developers\n');
    case undefined:
      return failure(`qemu-img: Not enough arguments\n${HELP}`);
    default:
      return failure(`qemu-img: Command not found: ${subcommand}\n`);
  }
}

/**
 * Opens an image as qemu-img does: probes the format unless pinned.
 *
 * @param inode - The file.
 * @param pinned - `-f` value, or `null`.
 * @param path - Name for messages.
 * @returns The image, or the error text.
 */
function openImage(inode: Inode, pinned: string | null, path: string): Image | string {
  if (pinned !== null && !KNOWN_DRIVERS.has(pinned)) return `qemu-img: Could not open '${path}': Unknown driver '${pinned}'\n`;
  const header = detectImageHeader(inode);
  const format = pinned ?? (header === null ? 'raw' : 'qcow2');
  if (format === 'raw') return { format: 'raw', virtualSizeBytes: inode.sizeBytes, dataOffset: 0 };
  if (format === 'qcow2' && header !== null) return { format: 'qcow2', virtualSizeBytes: header.virtualSizeBytes, dataOffset: QCOW2_DATA_OFFSET };
  return `qemu-img: Could not open '${path}': Image is not in ${format} format\n`;
}

function options(args: readonly string[], withValue: readonly string[]): { values: Map<string, string>; flags: Set<string>; operands: string[]; error: string | null } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const operands: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg.startsWith('--') && arg.includes('=')) values.set(arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1));
    else if (withValue.includes(arg)) {
      const value = args[++index];
      if (value === undefined) return { values, flags, operands, error: `qemu-img: option requires an argument -- '${arg.replace(/^-+/, '')}'\n${HELP}` };
      values.set(arg, value);
    } else if (arg.startsWith('-') && arg.length > 1) flags.add(arg);
    else operands.push(arg);
  }
  return { values, flags, operands, error: null };
}

function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = Number.isInteger(value) ? String(value) : Number(value.toPrecision(3)).toString();
  return `${text} ${units[unit]}`;
}

function findImage(context: CommandContext, path: string): Inode | string {
  const opened = openForRead(context, path);
  if (opened.errno !== undefined) return `qemu-img: Could not open '${path}': Could not open '${path}': ${errnoText(opened.errno)}\n`;
  if (opened.inode.type === 'dir') return `qemu-img: Could not open '${path}': Could not open '${path}': ${errnoText('EISDIR')}\n`;
  return opened.inode;
}

function info(context: CommandContext, args: readonly string[]): CommandResult {
  const parsed = options(args, ['-f', '--output', '-o']);
  if (parsed.error !== null) return failure(parsed.error);
  for (const flag of parsed.flags) if (!['-U', '--force-share', '--backing-chain', '--image-opts', '-q'].includes(flag)) return failure(`qemu-img: unrecognized option '${flag}'\n${HELP}`);
  const output = parsed.values.get('--output') ?? 'human';
  if (output !== 'human' && output !== 'json') return failure('qemu-img: --output must be used with human or json as argument.\n');
  if (parsed.operands.length !== 1) return failure(parsed.operands.length === 0 ? 'qemu-img: Expecting one image file name\n' : `qemu-img: Invalid argument\n`);
  const path = parsed.operands[0] as string;
  const inode = findImage(context, path);
  if (typeof inode === 'string') return failure(inode);
  const image = openImage(inode, parsed.values.get('-f') ?? null, path);
  if (typeof image === 'string') return failure(image);
  const actualSize = allocatedBytes(inode);
  if (output === 'json') {
    const record: Record<string, unknown> = { 'virtual-size': image.virtualSizeBytes, filename: path };
    if (image.format === 'qcow2') record['cluster-size'] = 65536;
    record['format'] = image.format;
    record['actual-size'] = actualSize;
    if (image.format === 'qcow2') {
      record['format-specific'] = { type: 'qcow2', data: { compat: '1.1', 'compression-type': 'zlib', 'lazy-refcounts': false, 'refcount-bits': 16, corrupt: false, 'extended-l2': false } };
    }
    record['dirty-flag'] = false;
    return success(`${JSON.stringify(record, null, 4)}\n`);
  }
  let text = `image: ${path}\nfile format: ${image.format}\nvirtual size: ${humanSize(image.virtualSizeBytes)} (${image.virtualSizeBytes} bytes)\ndisk size: ${humanSize(actualSize)}\n`;
  if (image.format === 'qcow2') {
    text +=
      'cluster_size: 65536\nFormat specific information:\n    compat: 1.1\n    compression type: zlib\n    lazy refcounts: false\n    refcount bits: 16\n    corrupt: false\n    extended l2: false\n';
  }
  return success(text);
}

/**
 * Parses a qemu size: a number (decimals allowed) with an optional k, M, G, T, P, E (1024-based) or B suffix.
 *
 * @param text - Size text.
 * @returns Bytes, or `null`.
 */
export function parseQemuSize(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)([bBkKmMgGtTpPeE]?)$/.exec(text);
  if (match === null) return null;
  const power = ' KMGTPE'.indexOf((match[2] as string).toUpperCase() || ' ');
  const value = Number(match[1]) * 1024 ** Math.max(0, power);
  return Number.isSafeInteger(Math.floor(value)) ? Math.floor(value) : null;
}

const SIZE_ERROR = 'qemu-img: Invalid image size specified. You may use k, M, G, T, P or E suffixes for\nqemu-img: kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.\n';

function resize(context: CommandContext, rawArgs: readonly string[]): CommandResult {
  const args = rawArgs.map((arg, index) => (index === rawArgs.length - 1 && /^-\d/.test(arg) ? `\u0000${arg}` : arg));
  const parsed = options(args, ['-f', '--object', '-o']);
  if (parsed.error !== null) return failure(parsed.error);
  for (const flag of parsed.flags) if (!['--shrink', '-q', '-U', '--image-opts'].includes(flag)) return failure(`qemu-img: unrecognized option '${flag}'\n${HELP}`);
  const operands = parsed.operands.map((operand) => operand.replace(/^\u0000/, ''));
  if (operands.length !== 2) return failure(`qemu-img: Expecting image file name and size\n${HELP}`);
  const [path, sizeText] = operands as [string, string];
  const relative = sizeText[0] === '+' || sizeText[0] === '-' ? sizeText[0] : '';
  const amount = parseQemuSize(sizeText.slice(relative.length));
  if (amount === null) return failure(SIZE_ERROR);
  const opened = openForWrite(context, path, false);
  if (opened.errno !== undefined) return failure(`qemu-img: Could not open '${path}': Could not open '${path}': ${errnoText(opened.errno)}\n`);
  const inode = opened.inode;
  if (inode.type !== 'file') return failure(`qemu-img: Could not open '${path}': Could not open '${path}': ${errnoText('EISDIR')}\n`);
  const image = openImage(inode, parsed.values.get('-f') ?? null, path);
  if (typeof image === 'string') return failure(image);
  const target = relative === '+' ? image.virtualSizeBytes + amount : relative === '-' ? image.virtualSizeBytes - amount : amount;
  if (target < 0) return failure('qemu-img: New image size must be positive\n');
  if (target < image.virtualSizeBytes && !parsed.flags.has('--shrink')) {
    return failure(
      "qemu-img: Use the --shrink option to perform a shrink operation.\nqemu-img: warning: Shrinking an image will delete all data beyond the shrunken image's end. Before performing such an operation, make sure there is no important data there.\n",
    );
  }
  if (image.format === 'raw') truncateTo(inode, target);
  else writeBytes(inode, 0, qcow2Header(target));
  touch(context.world, inode);
  return success(parsed.flags.has('-q') ? '' : 'Image resized.\n');
}

function create(context: CommandContext, args: readonly string[]): CommandResult {
  const parsed = options(args, ['-f', '-o', '-b', '-F']);
  if (parsed.error !== null) return failure(parsed.error);
  const format = parsed.values.get('-f') ?? 'raw';
  if (!FORMATS.has(format)) return failure(`qemu-img: ${KNOWN_DRIVERS.has(format) ? `Format driver '${format}' is not supported by the simulator` : `Unknown file format '${format}'`}\n`);
  const [path, sizeText] = parsed.operands;
  if (path === undefined) return failure(`qemu-img: Expecting image file name\n${HELP}`);
  const size = sizeText === undefined ? null : parseQemuSize(sizeText);
  if (size === null) return failure(sizeText === undefined ? 'qemu-img: Image creation needs a size parameter\n' : SIZE_ERROR);
  const opened = openForWrite(context, path, true, 0o644);
  if (opened.errno !== undefined) return failure(`qemu-img: ${path}: Could not create '${path}': ${errnoText(opened.errno)}\n`);
  const inode = opened.inode;
  truncateTo(inode, 0);
  if (format === 'raw') truncateTo(inode, size);
  else {
    writeBytes(inode, 0, qcow2Header(size));
    truncateTo(inode, QCOW2_DATA_OFFSET);
  }
  touch(context.world, inode);
  return success(parsed.flags.has('-q') ? '' : `Formatting '${path}', fmt=${format} size=${size}\n`);
}

function convert(context: CommandContext, args: readonly string[]): CommandResult {
  const parsed = options(args, ['-f', '-O', '-t', '-T', '-S', '-m', '-o', '-B', '-l', '-r']);
  if (parsed.error !== null) return failure(parsed.error);
  for (const flag of parsed.flags) if (!['-p', '-q', '-n', '-W', '-c', '-U', '--force-share', '-C'].includes(flag)) return failure(`qemu-img: unrecognized option '${flag}'\n${HELP}`);
  const outputFormat = parsed.values.get('-O') ?? 'raw';
  if (!FORMATS.has(outputFormat))
    return failure(`qemu-img: ${KNOWN_DRIVERS.has(outputFormat) ? `Format driver '${outputFormat}' is not supported by the simulator` : `Unknown file format '${outputFormat}'`}\n`);
  if (parsed.operands.length < 2) return failure(`qemu-img: Must specify image file name\n${HELP}`);
  if (parsed.operands.length > 2) return failure('qemu-img: The simulator converts one source image at a time\n');
  const [sourcePath, targetPath] = parsed.operands as [string, string];
  const source = findImage(context, sourcePath);
  if (typeof source === 'string') return failure(source);
  const image = openImage(source, parsed.values.get('-f') ?? null, sourcePath);
  if (typeof image === 'string') return failure(image);
  const noCreate = parsed.flags.has('-n');
  if (noCreate && 'errno' in existing(context, targetPath)) return failure(`qemu-img: Could not open '${targetPath}': Could not open '${targetPath}': ${errnoText('ENOENT')}\n`);
  const opened = openForWrite(context, targetPath, !noCreate, 0o644);
  if (opened.errno !== undefined) return failure(`qemu-img: ${targetPath}: error while converting ${outputFormat}: Could not create '${targetPath}': ${errnoText(opened.errno)}\n`);
  const target = opened.inode;
  if (target.type !== 'file') return failure(`qemu-img: Could not open '${targetPath}': ${errnoText('EISDIR')}\n`);
  const sparse = parsed.values.get('-S') !== '0';
  const outputOffset = outputFormat === 'qcow2' ? QCOW2_DATA_OFFSET : 0;
  if (!noCreate) truncateTo(target, 0);
  if (image.format === 'raw' && outputFormat === 'raw' && !noCreate) {
    if (!copyContent(source, target, sparse ? 'always' : 'never')) return failure(`qemu-img: error while reading at byte 0: ${errnoText('EIO')}\n`);
  } else {
    const problem = copyGuest(source, image, target, outputOffset, sparse);
    if (problem !== null) return failure(problem);
  }
  if (outputFormat === 'qcow2') writeBytes(target, 0, qcow2Header(image.virtualSizeBytes));
  if (target.sizeBytes < outputOffset + (outputFormat === 'raw' ? image.virtualSizeBytes : 0)) truncateTo(target, outputOffset + image.virtualSizeBytes);
  touch(context.world, target);
  const result = success();
  return { ...result, extraCostMs: transferCostMs(context, allocatedBytes(target), target.fs.kind) };
}

function copyGuest(source: Inode, image: Image, target: Inode, outputOffset: number, sparse: boolean): string | null {
  if (hasLostAncestor(source)) return `qemu-img: error while reading at byte 0: ${errnoText('EIO')}\n`;
  const blockSize = source.fs.blockSizeBytes;
  let free = freeBytesOf(target.fs);
  const end = image.dataOffset + image.virtualSizeBytes;
  for (const index of blockIndices(source)) {
    const blockStart = index * blockSize;
    const from = Math.max(blockStart, image.dataOffset);
    const to = Math.min(blockStart + blockSize, end, source.sizeBytes);
    if (to <= from) continue;
    const block = readBlock(source, index);
    if (block === LOST_BLOCK) return `qemu-img: error while reading at byte ${from - image.dataOffset}: ${errnoText('EIO')}\n`;
    if (block === null && sparse) continue;
    const bytes = readRange(source, from, to - from);
    if (bytes === LOST_BLOCK) return `qemu-img: error while reading at byte ${from - image.dataOffset}: ${errnoText('EIO')}\n`;
    if (sparse && isAllZero(bytes)) continue;
    if (bytes.length > free) return `qemu-img: error while writing at byte ${from - image.dataOffset}: ${errnoText('ENOSPC')}\n`;
    free -= bytes.length;
    writeBytes(target, outputOffset + from - image.dataOffset, bytes);
  }
  return null;
}
