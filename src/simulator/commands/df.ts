/**
 * `df [-P] [-k | -h | -B SIZE] [-T] [-t TYPE]... [-x TYPE]... [FILE...]`: file system space.
 *
 * `-t`/`-x` select by type as GNU df does: rows of other types are left out, and when nothing is
 * left df prints `df: no file systems processed` and exits 1 (so `df -t gpfs <path>` fails for a
 * path on the root disk, such as an unmounted mount point).
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { usageOf } from '../model/usage.js';
import type { Filesystem } from '../model/types.js';
import { failure, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { existing } from './files.js';
import { parseSize } from './format.js';
import { optionTable, parseCommandLine } from './options.js';

/** The df command. */
export const dfCommands: CommandTable = {
  df: { handler: df, family: 'system' },
};

interface Options {
  posix: boolean;
  human: boolean;
  showType: boolean;
  blockSize: number;
  /** `-t` types (empty: all). */
  readonly types: string[];
  /** `-x` types. */
  readonly excluded: string[];
}

const OPTIONS = optionTable('df', {
  posix: ['-P', '--portability'],
  human: ['-h', '--human-readable'],
  kibibytes: ['-k'],
  showType: ['-T', '--print-type'],
  type: ['-t TYPE', '--type=TYPE'],
  excludeType: ['-x TYPE', '--exclude-type=TYPE'],
  blockSize: ['-B SIZE'],
  longBlockSize: ['--block-size=SIZE'],
  ignored: ['-a', '-l', '--all', '--local', '--sync', '--no-sync'],
});

function df(context: CommandContext): CommandResult {
  const parsed = parseCommandLine(context.args, OPTIONS, ({ key, value }) => {
    if (key !== 'blockSize' && key !== 'longBlockSize') return null;
    const size = parseSize(value as string);
    return size === null || size === 0 ? failure(`df: invalid ${key === 'blockSize' ? '-B' : '--block-size'} argument '${value as string}'\n`) : null;
  });
  if (!parsed.ok) return parsed.failure;
  const options: Options = { posix: false, human: false, showType: false, blockSize: 1024, types: [], excluded: [] };
  for (const { key, value } of parsed.options) {
    if (key === 'posix') options.posix = true;
    else if (key === 'human') options.human = true;
    else if (key === 'kibibytes') options.blockSize = 1024;
    else if (key === 'showType') options.showType = true;
    else if (key === 'type') options.types.push(value as string);
    else if (key === 'excludeType') options.excluded.push(value as string);
    else if (key === 'blockSize' || key === 'longBlockSize') {
      options.blockSize = parseSize(value as string) as number;
      if (key === 'blockSize') options.human = false;
    }
  }
  const operands = parsed.operands;
  const rows: Filesystem[] = [];
  let stderr = '';
  if (operands.length === 0) {
    rows.push(context.world.rootDisk);
    for (const fs of context.world.mountTable.values()) rows.push(fs);
  } else {
    for (const operand of operands) {
      const found = existing(context, operand);
      if ('errno' in found) stderr += `df: ${operand}: ${errnoText(found.errno)}\n`;
      else rows.push(found.inode.fs);
    }
  }
  const selected = rows.filter((fs) => (options.types.length === 0 || options.types.includes(typeOf(fs))) && !options.excluded.includes(typeOf(fs)));
  if (selected.length === 0 && stderr === '') return failure('df: no file systems processed\n');
  const stdout = selected.length > 0 ? table(options, selected) : '';
  return stderr === '' ? success(stdout) : failure(stderr, 1, stdout);
}

function typeOf(fs: Filesystem): string {
  return fs.kind === 'gpfs' ? 'gpfs' : 'ext4';
}

function sizeHeader(options: Options): string {
  if (options.human) return 'Size';
  if (options.posix) return `${options.blockSize}-blocks`;
  const units = ['', 'K', 'M', 'G', 'T'];
  let value = options.blockSize;
  let unit = 0;
  while (value % 1024 === 0 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value}${unit === 0 ? 'B' : units[unit]}-blocks`;
}

function human(bytes: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return String(bytes);
  const rounded = value < 10 ? Math.ceil(value * 10) / 10 : Math.ceil(value);
  return `${rounded < 10 ? rounded.toFixed(1) : rounded}${units[unit]}`;
}

function table(options: Options, filesystems: readonly Filesystem[]): string {
  const header = [
    'Filesystem',
    ...(options.showType ? ['Type'] : []),
    sizeHeader(options),
    'Used',
    options.human && !options.posix ? 'Avail' : 'Available',
    options.posix ? 'Capacity' : 'Use%',
    'Mounted on',
  ];
  const rows = filesystems.map((fs) => {
    const usedBytes = usageOf(fs).usedBytes;
    const freeBytes = Math.max(0, fs.capacityBytes - usedBytes);
    const size = options.human ? human(fs.capacityBytes) : String(Math.ceil(fs.capacityBytes / options.blockSize));
    const used = options.human ? human(usedBytes) : String(Math.ceil(usedBytes / options.blockSize));
    const available = options.human ? human(freeBytes) : String(Math.floor(freeBytes / options.blockSize));
    const percent = fs.capacityBytes === 0 ? '-' : `${Math.ceil((usedBytes * 100) / (usedBytes + freeBytes))}%`;
    const type = typeOf(fs);
    return [fs.kind === 'gpfs' ? fs.device : fs.device, ...(options.showType ? [type] : []), size, used, available, percent, fs.mountPoint];
  });
  const minimum = [14, ...(options.showType ? [4] : []), 5, 5, 5, 4, 0];
  const widths = header.map((title, column) => Math.max(minimum[column] ?? 0, title.length, ...rows.map((row) => (row[column] as string).length)));
  const leftAligned = new Set([0, header.length - 1, ...(options.showType ? [1] : [])]);
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : leftAligned.has(column) ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join(' ');
  return [header, ...rows].map((cells) => `${line(cells)}\n`).join('');
}
