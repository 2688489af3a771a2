/**
 * Reading `mmlsattr -L` output: one block of `label: value` lines per file (GPFS has no `-Y` form for it).
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { failParse } from './parse-error.js';
import { fieldOfLabel, MMLSATTR_LABELS, readMmlsattrValue, type MmlsattrField, type MmlsattrValue } from './mmlsattr-fields.js';

/** A replication setting as `mmlsattr` prints it: `1 max 2`. */
export interface Replication {
  /** Number of copies now. */
  readonly current: number;
  /** Largest number of copies the file allows. */
  readonly max: number;
}

/** The attributes of one file, from its `mmlsattr -L` block. */
export interface MmlsattrRecord {
  /** The file name as given to the command (from `file name:`). */
  readonly fileName: string;
  /** `metadata replication: 1 max 2`. */
  readonly metadataReplication: Replication;
  /** `data replication: 1 max 2`. */
  readonly dataReplication: Replication;
  /** `immutable: yes|no`. */
  readonly immutable: boolean;
  /** `appendOnly: yes|no`. */
  readonly appendOnly: boolean;
  /** Tokens of `flags:` (e.g. `illcompressed`, `illreplicated`); empty when the value is blank. */
  readonly flags: readonly string[];
  /** `storage pool name:`. */
  readonly storagePoolName: string;
  /** `fileset name:`, whole (`cinder-vols`, `consisgroup-1.2` stay intact). */
  readonly filesetName: string;
  /** `snapshot name:`; `''` for a file that is not in a snapshot. */
  readonly snapshotName: string;
  /** `creation time:` as printed (C `asctime` layout, local time), or `null` on releases that do not print it. */
  readonly creationTime: string | null;
  /**
   * Tokens of `Misc attributes:` (or `Windows attributes:` on older releases), a parenthesised argument kept
   * with its token: `['ARCHIVE', 'COMPRESSION (library z)']`. Empty when the line is absent or blank.
   */
  readonly miscAttributes: readonly string[];
  /** `Encrypted: yes|no`, present only when the release prints it. */
  readonly encrypted?: boolean;
  /** Every other labelled line, keyed by its label as printed: `{ indefiniteRetention: 'no', 'expiration Time': '...' }`. */
  readonly other: Readonly<Record<string, string>>;
}

/**
 * Reads the output of `mmlsattr -L <file>...` into one record per file.
 *
 * Raw sample:
 * ```text
 * file name:            /gpfs0/volume-1
 * metadata replication: 1 max 2
 * fileset name:         cinder-vols
 * ```
 *
 * Each line is split on its first colon only (`creation time` values hold colons); labels are matched
 * without regard to case or repeated spaces; values may be empty. A new block starts at each `file name:` line.
 * `metadata replication`, `data replication`, `immutable`, `appendOnly`, `storage pool name` and `fileset name`
 * must appear in every block; `flags`, `snapshot name`, `creation time`, `Misc attributes` and `Encrypted` may be
 * missing (older releases). Plain `mmlsattr` output (without `-L`) is refused with a pointer to
 * {@link parseMmlsattrReplication}.
 *
 * @param text - Standard output of `mmlsattr -L`.
 * @returns The records in output order (`Ok([])` for blank output), or a {@link ParseError} with the 1-based
 *   line of a line without a label, a bad value, a repeated label, or (for a block missing a label) the
 *   block's `file name:` line.
 * @example
 * ```ts
 * const [record] = parseMmlsattr(stdout)._unsafeUnwrap();
 * record.filesetName; // 'cinder-vols'
 * record.metadataReplication; // { current: 1, max: 2 }
 * ```
 */
export function parseMmlsattr(text: string): Result<MmlsattrRecord[], ParseError> {
  const records: MmlsattrRecord[] = [];
  let block: _Block | undefined;
  let nextColon = -1;
  let lineNumber = 0;
  // Scans by offsets instead of splitting into lines: 100,000 files are 1.2 million lines.
  for (let start = 0; start <= text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const lineEnd = end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
    const next = end + 1;
    lineNumber++;
    if (nextColon < start) {
      nextColon = text.indexOf(':', start);
      if (nextColon === -1) nextColon = text.length;
    }
    if (nextColon >= lineEnd) {
      const trimmed = text.slice(start, lineEnd).trim();
      if (trimmed !== '') {
        const message = trimmed === 'replication factors' ? 'this is plain mmlsattr output (no -L); read it with parseMmlsattrReplication' : 'expected `label: value`';
        return failParse(PARSER, message, lineNumber, text.slice(start, lineEnd));
      }
      start = next;
      continue;
    }
    const colon = nextColon;
    const label = _slice(text, start, colon);
    if (label === '') return failParse(PARSER, 'expected a label before the colon', lineNumber, text.slice(start, lineEnd));
    const field = MMLSATTR_LABELS.get(label) ?? fieldOfLabel(label);
    if (field === 'fileName') {
      if (block !== undefined) {
        const record = _finish(block);
        if (record.isErr()) return err(record.error);
        records.push(record.value);
      }
      block = { fileName: _fileNameValue(text, start, colon, lineEnd), line: lineNumber, values: {}, other: {} };
      start = next;
      continue;
    }
    if (block === undefined) {
      return failParse(PARSER, 'expected `file name:` before any other line', lineNumber, text.slice(start, lineEnd));
    }
    const value = _slice(text, colon + 1, lineEnd);
    if (field === undefined) {
      if (Object.hasOwn(block.other, label)) {
        return failParse(PARSER, `label '${label}' repeated in one block`, lineNumber, text.slice(start, lineEnd));
      }
      Object.defineProperty(block.other, label, { value, enumerable: true, writable: true, configurable: true });
    } else {
      if (block.values[field] !== undefined) {
        return failParse(PARSER, `label '${label}' repeated in one block`, lineNumber, text.slice(start, lineEnd));
      }
      const converted = readMmlsattrValue(field, value);
      if (converted === undefined) {
        return failParse(PARSER, `cannot read the value of '${label}'`, lineNumber, text.slice(start, lineEnd));
      }
      block.values[field] = converted;
    }
    start = next;
  }
  if (block !== undefined) {
    const record = _finish(block);
    if (record.isErr()) return err(record.error);
    records.push(record.value);
  }
  return ok(records);
}

// --- Internal helpers ---

const PARSER = 'parseMmlsattr';
/** Column where `mmlsattr -L` starts its values (`metadata replication: ` is 22 characters). */
const VALUE_COLUMN = 22;

const REQUIRED: readonly [MmlsattrField, string][] = [
  ['metadataReplication', 'metadata replication'],
  ['dataReplication', 'data replication'],
  ['immutable', 'immutable'],
  ['appendOnly', 'appendOnly'],
  ['storagePoolName', 'storage pool name'],
  ['filesetName', 'fileset name'],
];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface _Block {
  readonly fileName: string;
  readonly line: number;
  readonly values: Partial<Record<MmlsattrField, MmlsattrValue>>;
  readonly other: Record<string, string>;
}

const CR = 13;
const SPACE = 32;
const TAB = 9;

/** `text[start, end)` without the spaces and tabs around it. */
function _slice(text: string, start: number, end: number): string {
  while (start < end && (text.charCodeAt(start) === SPACE || text.charCodeAt(start) === TAB)) start++;
  while (end > start && (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === TAB)) end--;
  return text.slice(start, end);
}

/** The file name keeps its own leading and trailing spaces: only the label padding (up to the value column) goes. */
function _fileNameValue(text: string, lineStart: number, colon: number, lineEnd: number): string {
  let start = colon + 1;
  const column = lineStart + VALUE_COLUMN;
  if (start >= column) {
    return text.charCodeAt(start) === SPACE && start < lineEnd ? text.slice(start + 1, lineEnd) : text.slice(start, lineEnd);
  }
  while (start < column && start < lineEnd && text.charCodeAt(start) === SPACE) start++;
  return text.slice(start, lineEnd);
}

function _finish(block: _Block): Result<MmlsattrRecord, ParseError> {
  const values = block.values;
  for (const [field, label] of REQUIRED) {
    if (values[field] === undefined) {
      return failParse(PARSER, `block for '${block.fileName}' has no '${label}:' line (truncated output?)`, block.line);
    }
  }
  const record: Mutable<MmlsattrRecord> = {
    fileName: block.fileName,
    metadataReplication: values.metadataReplication as Replication,
    dataReplication: values.dataReplication as Replication,
    immutable: values.immutable as boolean,
    appendOnly: values.appendOnly as boolean,
    flags: (values.flags as string[] | undefined) ?? [],
    storagePoolName: values.storagePoolName as string,
    filesetName: values.filesetName as string,
    snapshotName: (values.snapshotName as string | undefined) ?? '',
    creationTime: (values.creationTime as string | undefined) ?? null,
    miscAttributes: (values.miscAttributes as string[] | undefined) ?? [],
    other: block.other,
  };
  // Added after the literal (not spread into it) so that the common shape stays fast to build.
  if (values.encrypted !== undefined) record.encrypted = values.encrypted as boolean;
  return ok(record);
}
