/**
 * Reading and printing `mmclone show` output: a fixed-width text table (GPFS has no `-Y` form for it).
 *
 * @module
 */
import { ok, type Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { failParse } from './parse-error.js';

/** One row of `mmclone show`: the clone status of one file. */
export interface MmcloneShowRow {
  /** `true` when the Parent column says `yes`: the file is a (read-only) clone parent. */
  readonly isParent: boolean;
  /** Distance from the root of the clone tree (0 for the root), or `null` when the column is blank (not a clone). */
  readonly depth: number | null;
  /** Inode number of the file's clone parent, or `null` when the column is blank. */
  readonly parentInode: number | null;
  /** The file name exactly as printed (spaces and leading digits kept). */
  readonly fileName: string;
}

/**
 * Reads the output of `mmclone show <file>...` into one row per file.
 *
 * Raw sample:
 * ```text
 * Parent  Depth   Parent inode   File name
 * ------  -----  --------------  ---------
 *     no      1          148488  /gpfs0/test01.img
 * ```
 *
 * Columns are cut at the boundaries of the dashed rule under the header, not by splitting on white space,
 * so blank columns and file names with spaces or leading digits (`12345.img`) are read correctly.
 * Right-aligned numbers may spill into the gap to the left of their column. The Parent column of a file that
 * is not a clone may be `no` or blank (both are seen); Depth and Parent inode are blank for it.
 * A clone parent can itself be a clone (`yes 1 148470`). Empty output, or a header with no rows, is `Ok([])`.
 * A header may be repeated (outputs of several runs joined). Lines are split on `\n`; a `\r` before it is
 * dropped, any other trailing white space belongs to the file name.
 *
 * @param text - Standard output of `mmclone show`.
 * @returns The rows in output order, or a {@link ParseError} with the 1-based line of a row that does not fit
 *   the columns, a row before any header, or a header without its dashed rule.
 * @example
 * ```ts
 * const rows = parseMmcloneShow(stdout)._unsafeUnwrap();
 * // [{ isParent: false, depth: 1, parentInode: 148488, fileName: '/gpfs0/test01.img' }]
 * const clones = rows.filter((row) => row.parentInode !== null);
 * ```
 */
export function parseMmcloneShow(text: string): Result<MmcloneShowRow[], ParseError> {
  const rows: MmcloneShowRow[] = [];
  let columns: Columns | undefined;
  let headerLineNumber = 0;
  let lineNumber = 0;
  // Scans by offsets into `text` rather than splitting it: no string per line, one per file name.
  for (let start = 0; start <= text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const lineEnd = end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
    const lineStart = start;
    start = end + 1;
    lineNumber++;
    if (headerLineNumber !== 0) {
      if (lineStart === lineEnd && newline === -1) break;
      columns = _readRule(text.slice(lineStart, lineEnd));
      if (columns === undefined) {
        return failParse(PARSER, 'expected the dashed rule (4 columns) under the header', lineNumber, text.slice(lineStart, lineEnd));
      }
      headerLineNumber = 0;
      continue;
    }
    const first = _skipBlanks(text, lineStart, lineEnd);
    if (first === lineEnd) continue;
    if (text.charCodeAt(first) === LETTER_P && HEADER.test(text.slice(lineStart, lineEnd))) {
      headerLineNumber = lineNumber;
      continue;
    }
    if (columns === undefined) {
      const message = 'row before the `Parent  Depth   Parent inode   File name` header';
      return failParse(PARSER, message, lineNumber, text.slice(lineStart, lineEnd));
    }
    const row = _readRow(text, lineStart, lineEnd, columns);
    if (typeof row === 'string') return failParse(PARSER, row, lineNumber, text.slice(lineStart, lineEnd));
    rows.push(row);
  }
  if (headerLineNumber !== 0) {
    return failParse(PARSER, 'output ends after the header, before its dashed rule', headerLineNumber);
  }
  return ok(rows);
}

/**
 * Prints rows the way `mmclone show` does: header, dashed rule, then one right-aligned row per file.
 *
 * Raw sample of what it prints:
 * ```text
 * Parent  Depth   Parent inode   File name
 * ------  -----  --------------  ---------
 *    yes      0                  base.img
 * ```
 *
 * A file that is not a clone prints `no` in the Parent column. Every line ends with `\n`; an empty list prints
 * only the header and the rule. Depths above 99999, inode numbers wider than 14 digits and file names holding
 * a newline overflow the layout as they would with the real command, and do not read back.
 *
 * @param rows - Rows to print.
 * @returns The text, which {@link parseMmcloneShow} reads back into `rows`.
 * @example
 * ```ts
 * formatMmcloneShow([{ isParent: true, depth: 0, parentInode: null, fileName: 'base.img' }]);
 * // 'Parent  Depth   Parent inode   File name\n------  -----  --------------  ---------\n   yes      0                  base.img\n'
 * ```
 */
export function formatMmcloneShow(rows: readonly MmcloneShowRow[]): string {
  const parts = [HEADER_TEXT, '\n', RULE_TEXT, '\n'];
  for (const row of rows) {
    parts.push(
      (row.isParent ? 'yes' : 'no').padStart(6),
      '  ',
      (row.depth === null ? '' : String(row.depth)).padStart(5),
      '  ',
      (row.parentInode === null ? '' : String(row.parentInode)).padStart(14),
      '  ',
      row.fileName,
      '\n',
    );
  }
  return parts.join('');
}

// --- Internal helpers ---

const PARSER = 'parseMmcloneShow';
const HEADER_TEXT = 'Parent  Depth   Parent inode   File name';
const RULE_TEXT = '------  -----  --------------  ---------';
const HEADER = /^\s*Parent\s+Depth\s+Parent inode\s+File name\s*$/;
const CR = 13;
const SPACE = 32;
const LETTER_P = 80;
const TAB = 9;

/** Where each column of one table ends (right-aligned columns) or starts (the file name). */
interface Columns {
  readonly parentEnd: number;
  readonly depthEnd: number;
  readonly inodeEnd: number;
  readonly nameStart: number;
}

function _readRule(line: string): Columns | undefined {
  if (!/^[\s-]*$/.test(line)) return undefined;
  const runs = [...line.matchAll(/-+/g)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  if (runs.length !== 4) return undefined;
  return { parentEnd: runs[0]!.end, depthEnd: runs[1]!.end, inodeEnd: runs[2]!.end, nameStart: runs[3]!.start };
}

function _readRow(text: string, lineStart: number, lineEnd: number, columns: Columns): MmcloneShowRow | string {
  const nameStart = lineStart + columns.nameStart;
  if (lineEnd <= nameStart) return 'row ends before the File name column';
  const parentStart = _skipBlanks(text, lineStart, lineStart + columns.parentEnd);
  const parentEnd = _trimEnd(text, parentStart, lineStart + columns.parentEnd);
  const isParent = _isWord(text, parentStart, parentEnd, 'yes');
  if (parentStart !== parentEnd && !isParent && !_isWord(text, parentStart, parentEnd, 'no')) {
    return `expected yes, no or blank in the Parent column, got '${text.slice(parentStart, parentEnd)}'`;
  }
  const depth = _readNumber(text, lineStart + columns.parentEnd, lineStart + columns.depthEnd);
  if (depth === undefined) return 'expected a whole number or blank in the Depth column';
  const parentInode = _readNumber(text, lineStart + columns.depthEnd, lineStart + columns.inodeEnd);
  if (parentInode === undefined) return 'expected a whole number or blank in the Parent inode column';
  if (_skipBlanks(text, lineStart + columns.inodeEnd, nameStart) !== nameStart) return 'text between the Parent inode and File name columns';
  if (_skipBlanks(text, nameStart, lineEnd) === lineEnd) return 'no file name';
  return { isParent, depth, parentInode, fileName: text.slice(nameStart, lineEnd) };
}

function _isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** First offset in `[start, end)` that is not a space or tab, or `end`. */
function _skipBlanks(text: string, start: number, end: number): number {
  while (start < end && _isBlank(text.charCodeAt(start))) start++;
  return start;
}

/** `end` moved back over spaces and tabs, not before `start`. */
function _trimEnd(text: string, start: number, end: number): number {
  while (end > start && _isBlank(text.charCodeAt(end - 1))) end--;
  return end;
}

function _isWord(text: string, start: number, end: number, word: string): boolean {
  return end - start === word.length && text.startsWith(word, start);
}

/** `null` for a blank cell, `undefined` for anything that is not a safe whole number; reads without slicing. */
function _readNumber(text: string, start: number, end: number): number | null | undefined {
  start = _skipBlanks(text, start, end);
  end = _trimEnd(text, start, end);
  if (start === end) return null;
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return Number.isSafeInteger(value) ? value : undefined;
}
