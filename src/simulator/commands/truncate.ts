/**
 * `truncate [-c] [-o] (-s SIZE | -r RFILE) FILE...`.
 *
 * @module
 */
import { truncateTo } from '../model/content.js';
import { errnoText } from '../model/errno.js';
import { touch } from '../model/namespace.js';
import { failure, quote, success, tryHelp, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { existing, openForWrite } from './files.js';
import { parseSize } from './format.js';

/** The truncate command. */
export const truncateCommands: CommandTable = {
  truncate: { handler: truncate, family: 'system' },
};

/** Largest file size the simulator accepts (GPFS allows more; this keeps numbers exact). */
export const MAX_FILE_BYTES = 2 ** 50;

function truncate(context: CommandContext): CommandResult {
  let sizeText: string | null = null;
  let reference: string | null = null;
  let noCreate = false;
  let ioBlocks = false;
  const files: string[] = [];
  const args = context.args;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      files.push(...args.slice(index + 1));
      break;
    }
    if (arg.startsWith('--size=')) sizeText = arg.slice(7);
    else if (arg.startsWith('--reference=')) reference = arg.slice(12);
    else if (arg === '--no-create') noCreate = true;
    else if (arg === '--io-blocks') ioBlocks = true;
    else if (arg.startsWith('--')) return failure(`truncate: unrecognized option '${arg}'\n${tryHelp('truncate')}`);
    else if (arg.startsWith('-') && arg.length > 1) {
      for (let position = 1; position < arg.length; position++) {
        const flag = arg[position] as string;
        if (flag === 'c') noCreate = true;
        else if (flag === 'o') ioBlocks = true;
        else if (flag === 's' || flag === 'r') {
          const value = arg.length > position + 1 ? arg.slice(position + 1) : args[++index];
          if (value === undefined) return failure(`truncate: option requires an argument -- '${flag}'\n${tryHelp('truncate')}`);
          if (flag === 's') sizeText = value;
          else reference = value;
          break;
        } else return failure(`truncate: invalid option -- '${flag}'\n${tryHelp('truncate')}`);
      }
    } else files.push(arg);
  }
  if (sizeText === null && reference === null) return failure(`truncate: you must specify either '--size' or '--reference'\n${tryHelp('truncate')}`);
  if (files.length === 0) return failure(`truncate: missing file operand\n${tryHelp('truncate')}`);
  let mode: string = '';
  let amount = 0;
  if (sizeText !== null) {
    const match = /^([-+<>/%]?)\s*(.*)$/.exec(sizeText) as RegExpExecArray;
    mode = match[1] as string;
    const parsed = parseSize(match[2] as string);
    if (parsed === null) return failure(`truncate: invalid number: ${quote(sizeText)}\n`);
    amount = parsed;
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
