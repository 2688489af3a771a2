/**
 * Reading plain `mmlsattr` output (without `-L`): a replication table with one row per file.
 *
 * @module
 */
import { ok, type Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import type { Replication } from './mmlsattr.js';
import { failParse } from './parse-error.js';

/** One row of plain `mmlsattr`: a file's replication factors and flags. */
export interface MmlsattrReplicationRow {
  /** The file name as given to the command. */
  readonly fileName: string;
  /** `metadata(max)`: `2 (  2)` is `{ current: 2, max: 2 }`. */
  readonly metadataReplication: Replication;
  /** `data(max)`: `1 (  2)` is `{ current: 1, max: 2 }`. */
  readonly dataReplication: Replication;
  /** Flags printed in brackets after the name (`[dataupdatemiss]`); empty when there are none. */
  readonly flags: readonly string[];
}

/**
 * Reads the output of plain `mmlsattr <file>...` (no `-L`) into one row per file.
 *
 * Raw sample:
 * ```text
 * metadata(max) data(max) file    [flags]
 * ------------- --------- ---------------
 *       2 (  2)   2 (  2) /FS1/replication_testfile2  [dataupdatemiss]
 * ```
 *
 * The output starts with a `replication factors` title line, then the header and a dashed rule whose third run
 * marks where the file name starts. A bracketed flag list after two spaces at the end of a row is read as the
 * flags (comma or space separated); the rest is the file name, spaces included. Only one real sample of this
 * output is known, so the parser is strict about the layout.
 *
 * @param text - Standard output of `mmlsattr` without `-L`.
 * @returns The rows in output order (`Ok([])` for blank output), or a {@link ParseError} with the 1-based line
 *   of a row that does not fit, a row before the dashed rule, or `mmlsattr -L` output.
 * @example
 * ```ts
 * const [row] = parseMmlsattrReplication(stdout)._unsafeUnwrap();
 * row.dataReplication; // { current: 2, max: 2 }
 * row.flags; // ['dataupdatemiss']
 * ```
 */
export function parseMmlsattrReplication(text: string): Result<MmlsattrReplicationRow[], ParseError> {
  const rows: MmlsattrReplicationRow[] = [];
  const lines = text.split('\n');
  let nameStart: number | undefined;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNumber = index + 1;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed === 'replication factors' || /^metadata\(max\)\s+data\(max\)\s+file\b/.test(trimmed)) continue;
    if (/^[\s-]+$/.test(line)) {
      const runs = [...line.matchAll(/-+/g)];
      if (runs.length !== 3) return failParse(PARSER, 'expected a dashed rule with 3 columns', lineNumber, line);
      nameStart = runs[2]!.index;
      continue;
    }
    if (nameStart === undefined) {
      const message = /^file name:/i.test(trimmed) ? 'this is mmlsattr -L output; read it with parseMmlsattr' : 'row before the header and its dashed rule';
      return failParse(PARSER, message, lineNumber, line);
    }
    const row = _readRow(line, nameStart);
    if (row === undefined) return failParse(PARSER, 'expected `N (  M)   N (  M) <file name>`', lineNumber, line);
    rows.push(row);
  }
  return ok(rows);
}

// --- Internal helpers ---

const PARSER = 'parseMmlsattrReplication';
const FACTORS = /^\s*(\d+) \(\s*(\d+)\)\s+(\d+) \(\s*(\d+)\)\s*$/;
const FLAGS_SUFFIX = /^(.*?) {2}\[([^[\]]*)\]$/s;

function _readRow(line: string, nameStart: number): MmlsattrReplicationRow | undefined {
  const factors = FACTORS.exec(line.slice(0, nameStart));
  if (factors === null || line.length <= nameStart) return undefined;
  let fileName = line.slice(nameStart);
  let flags: string[] = [];
  const suffix = FLAGS_SUFFIX.exec(fileName);
  if (suffix !== null && suffix[1]!.trim() !== '') {
    fileName = suffix[1]!;
    flags = suffix[2]!.split(/[\s,]+/).filter((flag) => flag !== '');
  }
  if (fileName.trim() === '') return undefined;
  return {
    fileName,
    metadataReplication: { current: Number(factors[1]), max: Number(factors[2]) },
    dataReplication: { current: Number(factors[3]), max: Number(factors[4]) },
    flags,
  };
}
