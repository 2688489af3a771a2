/**
 * Reading `df` output (GNU, POSIX `-P` and BSD layouts).
 *
 * @module
 */
import { ok, type Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { failParse } from './parse-error.js';

/** One file system row of `df`. */
export interface DfRow {
  /** The `Filesystem` column: device or source (`/dev/gpfs0`, `gpfs0`, `tmpfs`). */
  readonly filesystem: string;
  /** The `Type` column, present only with `df -T`. */
  readonly type?: string;
  /** Size in bytes (the block count times the unit named in the header). */
  readonly totalBytes: number;
  /** Used space in bytes. */
  readonly usedBytes: number;
  /** Space available to unprivileged users in bytes (GNU df may print a negative count). */
  readonly availableBytes: number;
  /** `Use%` / `Capacity` as a number (`6%` is 6), or `null` when df prints `-`. */
  readonly capacityPercent: number | null;
  /** The `Mounted on` column, spaces included. */
  readonly mountedOn: string;
}

/**
 * Reads the output of `df <path>...`, `df -P <path>...` or `df -P -B 1 <path>...` into one row per file system.
 *
 * Raw sample:
 * ```text
 * Filesystem         1-blocks      Used   Available Capacity Mounted on
 * /dev/gpfs0      10737418240 544735232 10192683008       6% /gpfs0
 * tmpfs               1048576         0     1048576       0% /mnt/scratch space
 * ```
 *
 * The block unit comes from the header: `1-blocks`, `1B-blocks`, `1K-blocks`, `1024-blocks`, `512-blocks`,
 * `1M-blocks` (powers of 1024), `1kB-blocks`/`1MB-blocks` (powers of 1000). Byte counts are exact up to 2^53
 * (8 PiB); larger ones are rounded to the nearest double. Also read: the `Type` column of `df -T`, the BSD/macOS
 * inode columns (`iused ifree %iused`), file system names with spaces, mount points with spaces, and the wrapped
 * form of older GNU df without `-P`, where a long device name sits alone on its line and its numbers follow on the
 * next. Human-readable (`-h`, `Size`) and inode (`-i`) listings are refused: they do not give byte counts.
 * A header may repeat (several outputs joined).
 *
 * @param text - Standard output of `df`.
 * @returns The rows in output order, or a {@link ParseError} with the 1-based line of a missing or unknown header,
 *   a row that does not fit it, or a device name left without its numbers.
 * @example
 * ```ts
 * const [row] = parseDf(stdout)._unsafeUnwrap();
 * row.availableBytes; // 10192683008
 * row.mountedOn; // '/gpfs0'
 * ```
 */
export function parseDf(text: string): Result<DfRow[], ParseError> {
  const lines = text.split('\n');
  const rows: DfRow[] = [];
  let layout: _Layout | undefined;
  let pending: { readonly filesystem: string; readonly line: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNumber = index + 1;
    if (line.trim() === '') continue;
    if (pending === undefined && /^Filesystem\s/.test(line)) {
      const header = _readHeader(line);
      if (typeof header === 'string') return failParse(PARSER, header, lineNumber, line);
      layout = header;
      continue;
    }
    if (layout === undefined) return failParse(PARSER, 'expected the `Filesystem ... Mounted on` header', lineNumber, line);
    const joined = pending === undefined ? line : `${pending.filesystem} ${line.trimStart()}`;
    const row = _readRow(joined, layout);
    if (row !== undefined) {
      rows.push(row);
      pending = undefined;
      continue;
    }
    if (pending === undefined && /^\S+\s*$/.test(line)) {
      pending = { filesystem: line.trim(), line: lineNumber };
      continue;
    }
    return failParse(PARSER, 'row does not fit the header', lineNumber, line);
  }
  if (pending !== undefined) return failParse(PARSER, 'device name with no numbers after it (truncated output?)', pending.line);
  if (layout === undefined) return failParse(PARSER, 'empty output: no `Filesystem` header', 1);
  return ok(rows);
}

// --- Internal helpers ---

const PARSER = 'parseDf';
const POWERS = 'KMGTPEZY';

interface _Layout {
  readonly unitBytes: number;
  readonly hasType: boolean;
  readonly row: RegExp;
}

function _readHeader(line: string): _Layout | string {
  const tokens = line.trim().split(/\s+/);
  let at = 1;
  const hasType = tokens[at] === 'Type';
  if (hasType) at++;
  const sizeToken = tokens[at] ?? '';
  if (sizeToken === 'Size') return 'human-readable sizes (df -h) cannot be read exactly; run df without -h';
  if (sizeToken === 'Inodes') return 'inode listing (df -i) has no byte counts';
  const unitBytes = _blockUnit(sizeToken);
  if (unitBytes === undefined) return `unknown block size column '${sizeToken}'`;
  const rest = tokens.slice(at + 1).join(' ');
  const bsd = /^Used (Available|Avail) (Use%|Capacity) iused ifree %iused Mounted on$/.test(rest);
  if (!bsd && !/^Used (Available|Avail) (Use%|Capacity) Mounted on$/.test(rest)) return 'unknown df header layout';
  const source = '^(.+?)' + (hasType ? '\\s+(\\S+)' : '()') + '\\s+(\\d+)\\s+(\\d+)\\s+(-?\\d+)\\s+(?:(\\d+)%%?|-)' + (bsd ? '\\s+\\d+\\s+\\d+\\s+(?:\\d+%|-)' : '') + '\\s+(\\S.*)$';
  return { unitBytes, hasType, row: new RegExp(source) };
}

/** `1K` -> 1024, `1kB` -> 1000, `1B`/`1` -> 1, `512` -> 512; `undefined` when not a `<size>-blocks` token. */
function _blockUnit(token: string): number | undefined {
  const match = /^(\d+)(?:([kKMGTPEZY])(B?)|(B))?-blocks$/.exec(token);
  if (match === null) return undefined;
  const count = Number(match[1]);
  if (match[2] === undefined) return count > 0 ? count : undefined;
  const power = POWERS.indexOf(match[2].toUpperCase()) + 1;
  const value = count * (match[3] === 'B' ? 1000 : 1024) ** power;
  return count > 0 && Number.isSafeInteger(value) ? value : undefined;
}

function _readRow(line: string, layout: _Layout): DfRow | undefined {
  const match = layout.row.exec(line);
  if (match === null) return undefined;
  const totalBytes = Number(match[3]) * layout.unitBytes;
  const usedBytes = Number(match[4]) * layout.unitBytes;
  const availableBytes = Number(match[5]) * layout.unitBytes;
  if (![totalBytes, usedBytes, availableBytes].every(Number.isFinite)) return undefined;
  return {
    filesystem: match[1]!,
    ...(layout.hasType ? { type: match[2]! } : {}),
    totalBytes,
    usedBytes,
    availableBytes,
    capacityPercent: match[6] === undefined ? null : Number(match[6]),
    mountedOn: match[7]!,
  };
}
