/**
 * Reading `mmlspool <device> [pool|all]` output: a title line and a white-space aligned table (no `-Y` form).
 *
 * @module
 */
import { ok, type Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { failParse } from './parse-error.js';

/** One storage pool row of `mmlspool`. */
export interface MmlspoolPool {
  /** Pool name (`system`, `data`, ...). */
  readonly name: string;
  /** Pool id (`0` for `system`, `65537`, ...). */
  readonly id: number;
  /** Block size in bytes: `8 MB` is 8388608, `1024 KB` is 1048576, `256 KB` is 262144. */
  readonly blockSizeBytes: number;
  /** Whether the pool holds file data (`Data` column). */
  readonly data: boolean;
  /** Whether the pool holds metadata (`Meta` column). */
  readonly meta: boolean;
  /** `Total Data in (KB)`, in KiB. */
  readonly totalDataKB: number;
  /** `Free Data in (KB)`, in KiB (the percentage after it is dropped: compute it from the totals). */
  readonly freeDataKB: number;
  /** `Total Meta in (KB)`, in KiB. */
  readonly totalMetaKB: number;
  /** `Free Meta in (KB)`, in KiB. */
  readonly freeMetaKB: number;
}

/** What `mmlspool` prints for one file system. */
export interface MmlspoolOutput {
  /** The mount point from the title line (`Storage pools in file system at '/gpfs0':`). */
  readonly mountPoint: string;
  /** One entry per pool row, in output order. */
  readonly pools: readonly MmlspoolPool[];
}

/**
 * Reads the output of `mmlspool <device>` (or `mmlspool <device> <pool>`).
 *
 * Raw sample:
 * ```text
 * Storage pools in file system at '/gpfs0':
 * Name                    Id   BlkSize Data Meta Total Data in (KB)   Free Data in (KB)   Total Meta in (KB)    Free Meta in (KB)
 * system                   0    256 KB  yes  yes       10485760        9953792 ( 95%)       10485760        9954560 ( 95%)
 * ```
 *
 * Rows are matched as a whole, so the variable padding inside `( 5%)` / `(100%)` and the two-token block size
 * (`8 MB`, `1024 KB`, `256 KB`) do not shift the columns. `KB`, `MB`, `GB` and `TB` are powers of 1024.
 * The `-L` form (one attribute per line) is not read.
 *
 * @param text - Standard output of `mmlspool`.
 * @returns The mount point and pools, or a {@link ParseError} with the 1-based line of a missing title or header,
 *   a row that does not fit the table, or a second file system's title.
 * @example
 * ```ts
 * const { mountPoint, pools } = parseMmlspool(stdout)._unsafeUnwrap();
 * const system = pools.find((pool) => pool.name === 'system');
 * system?.blockSizeBytes; // 262144
 * ```
 */
export function parseMmlspool(text: string): Result<MmlspoolOutput, ParseError> {
  const lines = text.split('\n');
  const pools: MmlspoolPool[] = [];
  let mountPoint: string | undefined;
  let headerLine = 0;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNumber = index + 1;
    if (line.trim() === '') continue;
    const title = TITLE.exec(line);
    if (title !== null) {
      if (mountPoint !== undefined) return failParse(PARSER, 'a second file system in one output', lineNumber, line);
      mountPoint = title[1]!;
      continue;
    }
    if (mountPoint === undefined) {
      return failParse(PARSER, "expected `Storage pools in file system at '<mount point>':`", lineNumber, line);
    }
    if (headerLine === 0) {
      if (!HEADER.test(line)) return failParse(PARSER, 'expected the `Name  Id  BlkSize  Data  Meta ...` header', lineNumber, line);
      headerLine = lineNumber;
      continue;
    }
    const pool = _readRow(line);
    if (pool === undefined) return failParse(PARSER, 'pool row does not fit the table', lineNumber, line);
    pools.push(pool);
  }
  if (mountPoint === undefined) return failParse(PARSER, 'empty output: no `Storage pools in file system at` line', 1);
  if (headerLine === 0) return failParse(PARSER, 'output ends before the table header', lines.length);
  if (pools.length === 0) return failParse(PARSER, 'table has no pool rows (truncated output?)', headerLine);
  return ok({ mountPoint, pools });
}

// --- Internal helpers ---

const PARSER = 'parseMmlspool';
const TITLE = /^Storage pools in file system at '(.*)':\s*$/;
const HEADER = /^\s*Name\s+Id\s+BlkSize\s+Data\s+Meta\s+Total Data in \(KB\)\s+Free Data in \(KB\)/;
const ROW = /^\s*(\S+)\s+(\d+)\s+(\d+)\s*([KMGT]?B)?\s+(yes|no)\s+(yes|no)\s+(\d+)\s+(\d+)\s*\(\s*\d+%\)\s+(\d+)\s+(\d+)\s*\(\s*\d+%\)\s*$/;
type Six = [number, number, number, number, number, number];
const UNIT_BYTES: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

function _readRow(line: string): MmlspoolPool | undefined {
  const match = ROW.exec(line);
  if (match === null) return undefined;
  const numbers = [match[2], match[3], match[7], match[8], match[9], match[10]].map(Number);
  if (!numbers.every(Number.isSafeInteger)) return undefined;
  const [id, blockSize, totalDataKB, freeDataKB, totalMetaKB, freeMetaKB] = numbers as Six;
  const blockSizeBytes = blockSize * UNIT_BYTES[match[4] ?? 'B']!;
  if (!Number.isSafeInteger(blockSizeBytes)) return undefined;
  return {
    name: match[1]!,
    id,
    blockSizeBytes,
    data: match[5] === 'yes',
    meta: match[6] === 'yes',
    totalDataKB,
    freeDataKB,
    totalMetaKB,
    freeMetaKB,
  };
}
