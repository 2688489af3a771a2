/**
 * Reading the `stat -f` (file system status) formats the driver runs.
 *
 * @module
 */
import { ok, type Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { failParse } from './parse-error.js';

/** One line of `stat -f -c '%S %b %a'`: the capacity of the file system holding one path. */
export interface StatFilesystemCapacity {
  /** Fundamental block size in bytes (`%S`). */
  readonly blockSizeBytes: number;
  /** Total data blocks (`%b`). */
  readonly totalBlocks: number;
  /** Blocks available to unprivileged users (`%a`). */
  readonly availableBlocks: number;
  /** `totalBlocks * blockSizeBytes`. */
  readonly totalBytes: number;
  /** `availableBlocks * blockSizeBytes`. */
  readonly availableBytes: number;
}

/**
 * Reads the output of `stat -f -c %i <path>...`: one file system id per path, in hexadecimal.
 *
 * Raw sample:
 * ```text
 * ef0009600000002
 * ef0009600000002
 * 000000000000007
 * ```
 *
 * Two paths are on the same file system when their ids are equal. Ids are returned as printed (compare them as
 * strings). A final newline is optional; empty output is `Ok([])`.
 *
 * @param text - Standard output of `stat -f -c %i`.
 * @returns One id per line, or a {@link ParseError} with the 1-based line of a line that is not a hexadecimal id.
 * @example
 * ```ts
 * const [first, second] = parseStatFilesystemIds(stdout)._unsafeUnwrap();
 * const sameFilesystem = first === second;
 * ```
 */
export function parseStatFilesystemIds(text: string): Result<string[], ParseError> {
  const ids: string[] = [];
  const lines = _lines(text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (!/^[0-9a-fA-F]+$/.test(line)) {
      return failParse('parseStatFilesystemIds', 'expected a hexadecimal file system id', index + 1, line);
    }
    ids.push(line);
  }
  return ok(ids);
}

/**
 * Reads the output of `stat -f -c '%S %b %a' <path>...`: block size, total blocks and available blocks of the
 * file system holding each path (what Cinder's NFS variant reads for capacity).
 *
 * Raw sample:
 * ```text
 * 4096 66053021 20861345
 * 262144 40960 38882
 * 1048576 10240 9720
 * ```
 *
 * @param text - Standard output of `stat -f -c '%S %b %a'`.
 * @returns One entry per line (`Ok([])` for empty output), or a {@link ParseError} with the 1-based line of a line
 *   that is not three whole numbers.
 * @example
 * ```ts
 * const [capacity] = parseStatFilesystemCapacity('4096 66053021 20861345\n')._unsafeUnwrap();
 * capacity.availableBytes; // 85448069120
 * ```
 */
export function parseStatFilesystemCapacity(text: string): Result<StatFilesystemCapacity[], ParseError> {
  const entries: StatFilesystemCapacity[] = [];
  const lines = _lines(text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const match = /^(\d+) (\d+) (\d+)$/.exec(line);
    const numbers = match === null ? [] : [match[1], match[2], match[3]].map(Number);
    const [blockSizeBytes, totalBlocks, availableBlocks] = numbers as [number, number, number];
    if (match === null || !numbers.every(Number.isSafeInteger)) {
      const message = 'expected `<block size> <total blocks> <available blocks>`';
      return failParse('parseStatFilesystemCapacity', message, index + 1, line);
    }
    entries.push({
      blockSizeBytes,
      totalBlocks,
      availableBlocks,
      totalBytes: totalBlocks * blockSizeBytes,
      availableBytes: availableBlocks * blockSizeBytes,
    });
  }
  return ok(entries);
}

// --- Internal helpers ---

/** Lines without their `\r`, the empty piece after a final newline dropped. */
function _lines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
