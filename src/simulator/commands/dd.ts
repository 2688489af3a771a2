/**
 * `dd [if=FILE] [of=FILE] [bs|ibs|obs=BYTES] [count=N] [skip=N] [seek=N] [conv=...] [iflag=...]
 * [oflag=...] [status=...]`: copy and convert, including zero fills from /dev/zero and writes from
 * standard input (streamed, never buffered whole).
 *
 * @module
 */
import { isAllZero, LOST_BLOCK, readBlock, truncateTo, writeBytes, writeZeros } from '../model/content.js';
import { newBlocksFor } from '../model/allocation.js';
import { errnoText } from '../model/errno.js';
import { touch } from '../model/namespace.js';
import { freeBytesOf } from '../model/usage.js';
import type { Inode } from '../model/types.js';
import { failure, quote, transferCostMs, tryHelp, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { existing, openForRead, openForWrite } from './files.js';
import { humanBytes, parseSize } from './format.js';
import { CHUNK_BYTES, pseudoRandomBytes, readChunks, Stdout, ZERO_CHUNK } from './io.js';

/** The dd command. */
export const ddCommands: CommandTable = {
  dd: { handler: dd, family: 'system' },
};

interface Options {
  input: string | null;
  output: string | null;
  ibs: number;
  obs: number;
  count: number | null;
  skip: number;
  seek: number;
  conv: Set<string>;
  iflag: Set<string>;
  oflag: Set<string>;
  status: string;
}

/** Most bytes dd writes to a standard output that is buffered (no stdoutSink) rather than streamed. */
const MAX_BUFFERED_STDOUT_BYTES = 256 * 1024 * 1024;

type Segment = { readonly zeros: number } | { readonly bytes: Uint8Array };

const CONVERSIONS = new Set(['notrunc', 'sparse', 'fsync', 'fdatasync', 'noerror', 'sync', 'excl', 'nocreat']);
const INPUT_FLAGS = new Set(['direct', 'dsync', 'sync', 'fullblock', 'count_bytes', 'skip_bytes', 'nonblock', 'noatime', 'nocache', 'binary', 'text']);
const OUTPUT_FLAGS = new Set(['direct', 'dsync', 'sync', 'seek_bytes', 'append', 'nonblock', 'noatime', 'nocache', 'binary', 'text']);
const STATUS = new Set(['none', 'noxfer', 'progress', 'default']);

function parse(args: readonly string[]): Options | CommandResult {
  const options: Options = { input: null, output: null, ibs: 512, obs: 512, count: null, skip: 0, seek: 0, conv: new Set(), iflag: new Set(), oflag: new Set(), status: 'default' };
  for (const arg of args) {
    const equals = arg.indexOf('=');
    if (equals <= 0) return failure(`dd: unrecognized operand ${quote(arg)}\n${tryHelp('dd')}`);
    const key = arg.slice(0, equals);
    const value = arg.slice(equals + 1);
    const number = (): number | null => parseSize(value, true);
    switch (key) {
      case 'if':
        options.input = value;
        break;
      case 'of':
        options.output = value;
        break;
      case 'bs':
      case 'ibs':
      case 'obs': {
        const size = number();
        if (size === null || size === 0) return failure(`dd: invalid number: ${quote(value)}\n`);
        if (key !== 'obs') options.ibs = size;
        if (key !== 'ibs') options.obs = size;
        break;
      }
      case 'count':
      case 'skip':
      case 'seek':
      case 'iseek':
      case 'oseek': {
        const size = number();
        if (size === null) return failure(`dd: invalid number: ${quote(value)}\n`);
        if (key === 'count') options.count = size;
        else if (key === 'skip' || key === 'iseek') options.skip = size;
        else options.seek = size;
        break;
      }
      case 'conv':
      case 'iflag':
      case 'oflag': {
        const allowed = key === 'conv' ? CONVERSIONS : key === 'iflag' ? INPUT_FLAGS : OUTPUT_FLAGS;
        for (const item of value.split(',')) {
          if (!allowed.has(item)) return failure(`dd: invalid ${key === 'conv' ? 'conversion' : key === 'iflag' ? 'input flag' : 'output flag'}: ${quote(item)}\n${tryHelp('dd')}`);
          options[key].add(item);
        }
        break;
      }
      case 'status':
        if (!STATUS.has(value)) return failure(`dd: invalid status level: ${quote(value)}\n${tryHelp('dd')}`);
        options.status = value;
        break;
      default:
        return failure(`dd: unrecognized operand ${quote(arg)}\n${tryHelp('dd')}`);
    }
  }
  return options;
}

async function dd(context: CommandContext): Promise<CommandResult> {
  const parsed = parse(context.args);
  if ('exitCode' in parsed) return parsed;
  const options = parsed;
  const inLimit = options.count === null ? Number.POSITIVE_INFINITY : options.iflag.has('count_bytes') ? options.count : options.count * options.ibs;
  const skipBytes = options.iflag.has('skip_bytes') ? options.skip : options.skip * options.ibs;
  const seekBytes = options.oflag.has('seek_bytes') ? options.seek : options.seek * options.obs;

  let inputInode: Inode | null = null;
  if (options.input !== null) {
    const opened = openForRead(context, options.input);
    if (opened.errno !== undefined) return failure(`dd: failed to open ${quote(options.input)}: ${errnoText(opened.errno)}\n`);
    inputInode = opened.inode;
    if (inputInode.type === 'dir') return failure(`dd: error reading ${quote(options.input)}: ${errnoText('EISDIR')}\n0+0 records in\n0+0 records out\n`);
  }
  let outputInode: Inode | null = null;
  if (options.output !== null) {
    if (options.conv.has('excl') && !('errno' in existing(context, options.output))) return failure(`dd: failed to open ${quote(options.output)}: ${errnoText('EEXIST')}\n`);
    const opened = openForWrite(context, options.output, !options.conv.has('nocreat'));
    if (opened.errno !== undefined) return failure(`dd: failed to open ${quote(options.output)}: ${errnoText(opened.errno)}\n`);
    outputInode = opened.inode;
  }
  const toFile = outputInode !== null && outputInode.type === 'file' ? outputInode : null;
  const toNull = outputInode !== null && outputInode.type === 'chardev';
  const kind = toFile?.fs.kind ?? inputInode?.fs.kind ?? 'local';
  const rate = kind === 'gpfs' ? context.latency.gpfsBytesPerSecond : context.latency.localBytesPerSecond;
  const budgetBytes = Number.isFinite(context.budgetMs) ? Math.floor((Math.max(0, context.budgetMs) * rate) / 1000) : Number.POSITIVE_INFINITY;
  const endless = inLimit === Number.POSITIVE_INFINITY && (inputInode?.device === 'zero' || inputInode?.device === 'urandom');
  if (endless && toFile === null && budgetBytes === Number.POSITIVE_INFINITY) {
    return failure(`dd: the simulator does not copy endless input to ${options.output === null ? 'standard output' : quote(options.output)}; give count= or a timeout\n`);
  }
  if (toFile !== null && !options.conv.has('notrunc') && !options.oflag.has('append')) truncateTo(toFile, seekBytes);
  const stdout = new Stdout(context.stdoutSink);
  const state = {
    position: options.oflag.has('append') && toFile !== null ? toFile.sizeBytes : seekBytes,
    bytesIn: 0,
    bytesOut: 0,
    free: toFile === null ? Number.POSITIVE_INFINITY : freeBytesOf(toFile.fs),
    error: '',
  };
  const limit = Math.min(inLimit, budgetBytes);
  const sparse = options.conv.has('sparse');

  const consume = async (segment: Segment): Promise<boolean> => {
    let wanted = 'zeros' in segment ? segment.zeros : segment.bytes.length;
    if (!Number.isFinite(wanted)) wanted = toFile === null ? 0 : toFile.fs.capacityBytes + toFile.fs.blockSizeBytes;
    const length = Math.min(wanted, limit - state.bytesIn);
    if (length <= 0) return false;
    state.bytesIn += length;
    if (toFile !== null) {
      const isZero = 'zeros' in segment || (sparse && isAllZero(segment.bytes.subarray(0, length)));
      if (!(sparse && isZero)) {
        const fits = fittingBytes(toFile, state.position, length, state.free);
        if (fits > 0) {
          state.free -= newBlocksFor(toFile, state.position, fits) * toFile.fs.blockSizeBytes;
          if ('zeros' in segment) writeZeros(toFile, state.position, fits);
          else writeBytes(toFile, state.position, segment.bytes.subarray(0, fits));
        }
        if (fits < length) {
          state.bytesOut += fits;
          state.position += fits;
          state.error = `dd: error writing ${quote(options.output as string)}: ${errnoText('ENOSPC')}\n`;
          return false;
        }
      }
    } else if (!toNull) {
      if (context.stdoutSink === undefined && state.bytesOut + length > MAX_BUFFERED_STDOUT_BYTES) {
        // Output that is not streamed is held as one string: refuse before it outgrows what a string holds.
        state.error = `dd: writing to standard output: the simulator buffers at most ${MAX_BUFFERED_STDOUT_BYTES} bytes of output that is not streamed (give count= or a stdoutSink)\n`;
        return false;
      }
      if ('zeros' in segment) for (let done = 0; done < length; done += CHUNK_BYTES) await stdout.write(ZERO_CHUNK.subarray(0, Math.min(CHUNK_BYTES, length - done)), true);
      else await stdout.write(segment.bytes.subarray(0, length));
    }
    state.bytesOut += length;
    state.position += length;
    return length === wanted && state.bytesIn < limit;
  };

  const readError = await feed(context, options, inputInode, skipBytes, limit, consume);
  if (toFile !== null) {
    if (sparse && toFile.sizeBytes < state.position && state.error === '') truncateTo(toFile, state.position);
    touch(context.world, toFile);
  }
  const costMs = transferCostMs(context, state.bytesOut, kind);
  const timedOut = budgetBytes < inLimit && state.bytesIn >= budgetBytes;
  const stderr =
    (readError ?? '') +
    state.error +
    (options.status === 'none' ? '' : statistics(options, state.bytesIn, state.bytesOut, costMs + (context.latency.commandMs['dd'] ?? context.latency.systemCommandMs)));
  const exitCode = readError !== null || state.error !== '' ? 1 : 0;
  return { exitCode, stdout: stdout.text(), stderr, extraCostMs: costMs, timedOut };
}

async function feed(context: CommandContext, options: Options, input: Inode | null, skipBytes: number, limit: number, consume: (segment: Segment) => Promise<boolean>): Promise<string | null> {
  if (input === null) {
    let skipped = 0;
    for await (const chunk of readChunks(context.stdin)) {
      if (context.signal?.aborted) return null;
      let bytes = chunk;
      if (skipped < skipBytes) {
        const drop = Math.min(bytes.length, skipBytes - skipped);
        skipped += drop;
        bytes = bytes.subarray(drop);
      }
      if (bytes.length > 0 && !(await consume({ bytes }))) return null;
    }
    return null;
  }
  if (input.device === 'null') return null;
  if (input.device === 'zero') {
    await consume({ zeros: limit });
    return null;
  }
  if (input.device === 'urandom') {
    const seed = { value: 0x2545f491 };
    while (await consume({ bytes: pseudoRandomBytes(CHUNK_BYTES, seed) }));
    return null;
  }
  if (input.type !== 'file') return null;
  const blockSize = input.fs.blockSizeBytes;
  const end = input.sizeBytes;
  let pendingZeros = 0;
  for (let offset = skipBytes; offset < end;) {
    const index = Math.floor(offset / blockSize);
    const blockEnd = Math.min(end, (index + 1) * blockSize);
    const block = readBlock(input, index);
    if (block === LOST_BLOCK) {
      if (pendingZeros > 0) await consume({ zeros: pendingZeros });
      return `dd: error reading ${quote(options.input as string)}: ${errnoText('EIO')}\n`;
    }
    const from = offset - index * blockSize;
    const to = blockEnd - index * blockSize;
    if (block === null || from >= block.length) pendingZeros += to - from;
    else {
      if (pendingZeros > 0 && !(await consume({ zeros: pendingZeros }))) return null;
      pendingZeros = 0;
      const dataEnd = Math.min(to, block.length);
      for (let chunk = from; chunk < dataEnd; chunk += CHUNK_BYTES * 16) {
        if (!(await consume({ bytes: block.subarray(chunk, Math.min(dataEnd, chunk + CHUNK_BYTES * 16)) }))) return null;
      }
      pendingZeros += to - dataEnd;
    }
    offset = blockEnd;
    if (pendingZeros >= limit) break;
  }
  if (pendingZeros > 0) await consume({ zeros: pendingZeros });
  return null;
}

function fittingBytes(inode: Inode, offset: number, length: number, free: number): number {
  const blockSize = inode.fs.blockSizeBytes;
  if (newBlocksFor(inode, offset, length) * blockSize <= free) return length;
  let newBlocks = 0;
  const first = Math.floor(offset / blockSize);
  const last = Math.floor((offset + length - 1) / blockSize);
  for (let index = first; index <= last; index++) {
    if (!inode.blocks.has(index)) {
      if ((newBlocks + 1) * blockSize > free) return Math.max(0, index * blockSize - offset);
      newBlocks++;
    }
  }
  return length;
}

function statistics(options: Options, bytesIn: number, bytesOut: number, elapsedMs: number): string {
  const records = (bytes: number, size: number): string => `${Math.floor(bytes / size)}+${bytes % size === 0 ? 0 : 1}`;
  let text = `${records(bytesIn, options.ibs)} records in\n${records(bytesOut, options.obs)} records out\n`;
  if (options.status === 'noxfer') return text;
  const seconds = elapsedMs / 1000;
  const secondsText = Number(seconds.toPrecision(6)).toString();
  const rate = seconds > 0 ? `${humanBytes(Math.round(bytesOut / seconds), 1000)}/s` : 'Infinity B/s';
  const size = bytesOut < 1000 ? `${bytesOut} byte${bytesOut === 1 ? '' : 's'} copied` : `${bytesOut} bytes (${humanBytes(bytesOut, 1000)}, ${humanBytes(bytesOut, 1024)}) copied`;
  text += `${size}, ${secondsText} s, ${rate}\n`;
  return text;
}
