/**
 * Reading and printing the NUL-terminated `find` listings the driver runs.
 *
 * @module
 */
import { ok, type Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { failParse } from './parse-error.js';

/** File type letters that `find -printf '%y'` prints. */
export type FileTypeLetter = 'f' | 'd' | 'l' | 'b' | 'c' | 'p' | 's' | 'D' | 'U';

/** One entry of a `find -printf '%i %s %b %m %y %p\0'` listing. */
export interface FileListingEntry {
  /** Inode number (`%i`). */
  readonly inode: number;
  /** Apparent size in bytes (`%s`). */
  readonly sizeBytes: number;
  /** Space allocated on disk in bytes: `%b` (512-byte blocks) times 512. */
  readonly allocatedBytes: number;
  /** Permission bits (`%m`, printed in octal): `644` reads as `0o644`. */
  readonly mode: number;
  /** File type (`%y`): `f` regular, `d` directory, `l` symbolic link, `b`, `c`, `p`, `s`, `D` door, `U` unknown. */
  readonly type: FileTypeLetter;
  /** The path (`%p`), spaces and newlines included. */
  readonly path: string;
}

/**
 * Splits the output of `find ... -print0` into paths.
 *
 * Raw sample (`\0` stands for the NUL byte):
 * ```text
 * /gpfs0/volume-1\0/gpfs0/vol
 * ume with a newline\0/gpfs0/
 * volume-1.snap\0
 * ```
 *
 * Every path ends with a NUL, as `-print0` prints it; the final NUL does not make an extra entry. Paths may
 * hold any other character, newlines included. Empty output is `Ok([])`.
 *
 * @param text - Standard output of `find ... -print0`.
 * @returns The paths, or a {@link ParseError} for an empty entry or a last entry without its NUL (truncated
 *   output, or output that was not NUL-separated); `line` is the 1-based text line where that entry starts.
 * @example
 * ```ts
 * parseNulSeparated('/gpfs0/a\0/gpfs0/b c\0')._unsafeUnwrap(); // ['/gpfs0/a', '/gpfs0/b c']
 * ```
 */
export function parseNulSeparated(text: string): Result<string[], ParseError> {
  if (text === '') return ok([]);
  const entries = text.split('\0');
  const last = entries.pop()!;
  if (last !== '') {
    const line = _lineAt(text, text.length - last.length);
    return failParse('parseNulSeparated', 'last entry has no terminating NUL (truncated output?)', line, last);
  }
  const empty = entries.indexOf('');
  if (empty !== -1) {
    const offset = entries.slice(0, empty).reduce((sum, entry) => sum + entry.length + 1, 0);
    return failParse('parseNulSeparated', `entry ${empty + 1} is empty`, _lineAt(text, offset));
  }
  return ok(entries);
}

/**
 * Reads the output of `find <dir>... -mindepth 1 -maxdepth 1 -printf '%i %s %b %m %y %p\0'`.
 *
 * Raw sample (`\0` stands for the NUL byte):
 * ```text
 * 148488 10737418240 8388608 644 f /gpfs0/volume-1.snap\0148485 10737418240 0 6
 * 44 f /gpfs0/volume 2\0148490 4096 8 755 d /gpfs0/consisgroup-
 * 7\0
 * ```
 *
 * Each record is NUL-terminated: inode, size in bytes, allocated 512-byte blocks, octal mode, type letter,
 * then the path, which is everything after the fifth space and may hold spaces and newlines. Numbers must be
 * safe integers. Empty output is `Ok([])`.
 *
 * @param text - Standard output of that `find` command.
 * @returns The entries in output order, or a {@link ParseError} whose `line` is the 1-based text line where the
 *   offending record starts (its record number is in the message).
 * @example
 * ```ts
 * const entries = parseFileListing(stdout)._unsafeUnwrap();
 * const parents = entries.filter((entry) => entry.path.endsWith('.snap'));
 * ```
 */
export function parseFileListing(text: string): Result<FileListingEntry[], ParseError> {
  const entries: FileListingEntry[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\0', start);
    const record = text.slice(start, end === -1 ? text.length : end);
    const number = entries.length + 1;
    if (end === -1) {
      return failParse(LISTING, `record ${number} has no terminating NUL (truncated output?)`, _lineAt(text, start), record);
    }
    const match = RECORD.exec(record);
    if (match === null) {
      return failParse(LISTING, `record ${number} is not '%i %s %b %m %y %p'`, _lineAt(text, start), record);
    }
    const [inode, sizeBytes, blocks] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
    const allocatedBytes = blocks * 512;
    if (![inode, sizeBytes, allocatedBytes].every(Number.isSafeInteger)) {
      return failParse(LISTING, `record ${number} has a number too large to hold exactly`, _lineAt(text, start), record);
    }
    const mode = parseInt(match[4]!, 8);
    entries.push({ inode, sizeBytes, allocatedBytes, mode, type: match[5] as FileTypeLetter, path: match[6]! });
    start = end + 1;
  }
  return ok(entries);
}

/**
 * Prints entries the way `find -printf '%i %s %b %m %y %p\0'` does.
 *
 * Raw sample of what it prints (`\0` stands for the NUL byte):
 * ```text
 * 148488 10737418240 8388608 644 f /gpfs0/volume-1.snap\0
 * 148490 4096 8 755 d /gpfs0/consisgroup-7\0
 * 148491 0 0 777 l /gpfs0/link\0
 * ```
 * (without the line breaks shown here).
 *
 * `allocatedBytes` is printed as 512-byte blocks, rounded up; `mode` in octal without a leading zero.
 *
 * @param entries - Entries to print.
 * @returns The text, which {@link parseFileListing} reads back into `entries` (when every `allocatedBytes` is a
 *   multiple of 512).
 * @example
 * ```ts
 * formatFileListing([{ inode: 5, sizeBytes: 0, allocatedBytes: 0, mode: 0o644, type: 'f', path: '/gpfs0/a b' }]);
 * // '5 0 0 644 f /gpfs0/a b\0'
 * ```
 */
export function formatFileListing(entries: readonly FileListingEntry[]): string {
  return entries
    .map((entry) => {
      const blocks = Math.ceil(entry.allocatedBytes / 512);
      return `${entry.inode} ${entry.sizeBytes} ${blocks} ${entry.mode.toString(8)} ${entry.type} ${entry.path}\0`;
    })
    .join('');
}

// --- Internal helpers ---

const LISTING = 'parseFileListing';
const RECORD = /^(\d+) (\d+) (\d+) ([0-7]+) ([fdlbcpsDU]) ([\s\S]+)$/;

/** 1-based line of a character offset. */
function _lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}
