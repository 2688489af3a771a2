/**
 * `truncate [-c] [-o] (-s SIZE | -r RFILE) FILE...`.
 *
 * @module
 */
import { truncateTo } from '../model/content.js';
import { errnoText } from '../model/errno.js';
import { touch } from '../model/namespace.js';
import { failure, quote, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { existing, openForWrite } from './files.js';
import { parseSize } from './format.js';
import { hasOption, missingOperand, optionTable, optionValue, parseCommandLine, usageError } from './options.js';

/** The truncate command. */
export const truncateCommands: CommandTable = {
  truncate: { handler: truncate, family: 'system' },
};

/** Largest file size the simulator accepts (GPFS allows more; this keeps numbers exact). */
export const MAX_FILE_BYTES = 2 ** 50;

const OPTIONS = optionTable('truncate', {
  noCreate: ['-c', '--no-create'],
  ioBlocks: ['-o', '--io-blocks'],
  size: ['-s SIZE', '--size=SIZE'],
  reference: ['-r RFILE', '--reference=RFILE'],
});

function truncate(context: CommandContext): CommandResult {
  const parsed = parseCommandLine(context.args, OPTIONS);
  if (!parsed.ok) return parsed.failure;
  const sizeText = optionValue(parsed, 'size');
  const reference = optionValue(parsed, 'reference');
  const noCreate = hasOption(parsed, 'noCreate');
  const ioBlocks = hasOption(parsed, 'ioBlocks');
  const files = parsed.operands;
  if (sizeText === null && reference === null) return usageError('truncate', "you must specify either '--size' or '--reference'");
  const missing = missingOperand('truncate', files, ['file operand']);
  if (missing !== null) return missing;
  let mode: string = '';
  let amount = 0;
  if (sizeText !== null) {
    const match = /^([-+<>/%]?)\s*(.*)$/.exec(sizeText) as RegExpExecArray;
    mode = match[1] as string;
    const size = parseSize(match[2] as string);
    if (size === null) return failure(`truncate: invalid number: ${quote(sizeText)}\n`);
    amount = size;
    if ((mode === '/' || mode === '%') && amount === 0) return failure('truncate: division by zero\n');
  }
  if (reference !== null) {
    const found = existing(context, reference);
    if ('errno' in found) return failure(`truncate: cannot stat ${quote(reference)}: ${errnoText(found.errno)}\n`);
    if (sizeText === null) amount = found.inode.sizeBytes;
    else if (mode === '+' || mode === '-') amount = found.inode.sizeBytes + (mode === '+' ? amount : -amount);
    if (sizeText !== null) mode = '';
  }
  let stderr = '';
  for (const file of files) {
    const opened = openForWrite(context, file, !noCreate);
    if (opened.errno !== undefined) {
      if (opened.errno === 'ENOENT' && noCreate) continue;
      stderr += `truncate: cannot open ${quote(file)} for writing: ${errnoText(opened.errno)}\n`;
      continue;
    }
    const inode = opened.inode;
    if (inode.type !== 'file') continue;
    const unit = ioBlocks ? inode.fs.blockSizeBytes : 1;
    const current = inode.sizeBytes;
    const value = amount * unit;
    let target = value;
    if (mode === '+') target = current + value;
    else if (mode === '-') target = Math.max(0, current - value);
    else if (mode === '<') target = Math.min(current, value);
    else if (mode === '>') target = Math.max(current, value);
    else if (mode === '/') target = Math.floor(current / value) * value;
    else if (mode === '%') target = Math.ceil(current / value) * value;
    if (target > MAX_FILE_BYTES) {
      stderr += `truncate: failed to truncate ${quote(file)} at ${target} bytes: ${errnoText('EFBIG')}\n`;
      continue;
    }
    if (target !== current) truncateTo(inode, target);
    touch(context.world, inode);
  }
  return stderr === '' ? success() : failure(stderr);
}
