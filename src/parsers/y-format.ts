/**
 * The `-Y` (machine-readable) output of GPFS commands: a reader and a writer.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseError } from './parse-error.js';
import { decodeMachineReadableField, encodeMachineReadableField } from './y-encoding.js';

/**
 * One table of `-Y` output: the rows printed under one HEADER line.
 *
 * @example
 * ```ts
 * const table: YTable = {
 *   command: 'mmlsfs', recordType: '', columns: ['deviceName', 'fieldName', 'data', 'remarks'],
 *   rows: [{ deviceName: 'gpfs0', fieldName: 'blockSize', data: '4194304', remarks: '' }],
 *   headerLine: 1, rowLines: [2], extraFields: [[]],
 * };
 * ```
 */
export interface YTable {
  /** Field 0 of the HEADER line, e.g. `'mmlsfs'`; not always the command that ran (`mmcesstate`). */
  readonly command: string;
  /** Field 1 of the HEADER line, e.g. `'nsd'` for `mmdf:nsd:`; `''` for single-table commands. */
  readonly recordType: string;
  /** Column names as printed from field 6 on, percent-decoded, duplicates kept. */
  readonly columns: readonly string[];
  /**
   * One record per data row, keyed by column name. A repeated name gets a suffix (`reserved`, `reserved_2`,
   * ...; see {@link machineReadableRowKeys}). Values are percent-decoded; short rows are padded with `''`.
   */
  readonly rows: readonly Record<string, string>[];
  /** The 1-based input line of the HEADER line (for errors about the columns). */
  readonly headerLine: number;
  /** The 1-based input line of each row, parallel to `rows`. */
  readonly rowLines: readonly number[];
  /** Fields printed beyond the header's columns, per row (parallel to `rows`; empty when there are none). */
  readonly extraFields: readonly (readonly string[])[];
}

/**
 * A table to write with {@link formatMachineReadable}. A {@link YTable} is one; rows may also be given as
 * arrays of values in column order.
 */
export interface YTableInput {
  /** Field 0 of every line: a command token (`[A-Za-z][A-Za-z0-9_.-]*`). */
  readonly command: string;
  /** Field 1 of every line: `''` or a record-type token (`[A-Za-z0-9_.-]+`). */
  readonly recordType: string;
  /** Column names, duplicates allowed. */
  readonly columns: readonly string[];
  /** Rows keyed like {@link YTable.rows} (missing keys are written as `''`), or values in column order. */
  readonly rows: readonly (Readonly<Record<string, string>> | readonly string[])[];
  /** Fields to write after the columns, per row. */
  readonly extraFields?: readonly (readonly string[])[];
}

/** Options of {@link formatMachineReadable}. */
export interface FormatMachineReadableOptions {
  /**
   * Characters to percent-encode besides `%`, `:`, CR and LF, per column name; the key `'*'` applies to every
   * column. GPFS encodes `/` in paths: `{ path: '/', defaultMountPoint: '/' }`.
   *
   * @defaultValue `{}`
   */
  readonly alsoEncode?: Readonly<Record<string, string>>;
}

/**
 * Reads the `-Y` output of any GPFS command into tables, one per HEADER line.
 *
 * Each line is split on `:` first and each field is then percent-decoded (strict `%XX`: `+` stays, a malformed
 * `%` stays). Trailing white space and CR are ignored, and so is the empty field after a line's final `:`.
 * - A line is a HEADER when field 2 is literally `HEADER`, field 0 is a command token (`[A-Za-z][A-Za-z0-9_.-]*`)
 *   and field 1 is empty or a record-type token (`[A-Za-z0-9_.-]+`). Columns are the fields from index 6 on.
 *   Headers are keyed by (field 0, field 1); a repeated header starts a new table and the newest one wins.
 * - A line looks like a data row when field 0 and field 1 are such tokens, fields 2 and 3 are digits or empty
 *   (`0:1` in almost all output, `:3` in mmaudit) and it has at least the six prefix fields. A data row belongs
 *   to the newest HEADER with the same (field 0, field 1); with no such HEADER before it, it is a ParseError.
 *   Short rows are padded with `''`; fields beyond the columns go to `extraFields`.
 * - A line whose field 0 and field 1 match a HEADER seen before but which is not shaped like a data row (a
 *   truncated `mmlsfs::0:1`) is a ParseError.
 * - Every other line is ignored: blank lines, banners (`*** Report for ...`), warnings (`mmlsfs: [W] ...`),
 *   wrapped continuation lines, lines of fewer than six fields under no known header (`mmlsdisk:invalid`).
 *
 * Raw sample:
 * ```text
 * mmdf:nsd:HEADER:version:reserved:reserved:nsdName:storagePool:diskSize:failureGroup:metadata:data:freeBlocks:
 * mmdf:poolTotal:HEADER:version:reserved:reserved:poolName:poolSize:freeBlocks:freeBlocksPct:
 * mmdf:nsd:0:1:::nsd1:system:771751936:300:Yes:No:320274944:
 * ```
 *
 * @param text - The command's stdout.
 * @returns The tables in the order of their HEADER lines (`[]` for output with none), or a ParseError
 *   (`parser: 'parseMachineReadable'`) pointing at the offending line.
 * @example
 * ```ts
 * const tables = parseMachineReadable(stdout)._unsafeUnwrap();
 * tables[0]?.rows[0]?.['blockSize'];
 * ```
 */
export function parseMachineReadable(text: string): Result<YTable[], ParseError> {
  const tables: YTable[] = [];
  const headers = new Map<string, Map<string, _TableBuilder>>();
  let last: _TableBuilder | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index] ?? '';
    const lastCode = line.charCodeAt(line.length - 1);
    if (lastCode === 13 || lastCode === 32 || lastCode === 9) line = line.trimEnd();
    if (line.length === 0) continue;
    const fields = line.split(':');
    const count = line.charCodeAt(line.length - 1) === 58 ? fields.length - 1 : fields.length;
    if (fields.length < 2) continue;
    const command = fields[0] ?? '';
    const recordType = fields[1] ?? '';
    if (count >= 3 && fields[2] === 'HEADER' && _COMMAND_TOKEN.test(command) && _RECORD_TOKEN.test(recordType)) {
      last = _newTable(command, recordType, fields, count, index + 1);
      tables.push(last.table);
      let byType = headers.get(command);
      if (byType === undefined) headers.set(command, (byType = new Map<string, _TableBuilder>()));
      byType.set(recordType, last);
      continue;
    }
    const builder = last !== undefined && last.table.command === command && last.table.recordType === recordType ? last : headers.get(command)?.get(recordType);
    const rowShaped = count >= 6 && _isDigitsOrEmpty(fields[2] ?? '') && _isDigitsOrEmpty(fields[3] ?? '');
    if (builder === undefined) {
      if (rowShaped && _COMMAND_TOKEN.test(command) && _RECORD_TOKEN.test(recordType)) {
        return err(parseError('parseMachineReadable', `data row for ${_describe(command, recordType)} before any HEADER line for it`, index + 1, line));
      }
      continue;
    }
    if (!rowShaped) {
      return err(parseError('parseMachineReadable', `malformed or truncated ${_describe(command, recordType)} row`, index + 1, line));
    }
    last = builder;
    _addRow(builder, line, fields, count, index + 1);
  }
  return ok(tables);
}

/**
 * Writes tables in `-Y` form, the inverse of {@link parseMachineReadable}.
 *
 * Each table becomes its HEADER line (`command:recordType:HEADER:version:reserved:reserved:columns...:`)
 * followed by its rows (`command:recordType:0:1:::values...:`), every line ending with `:` and `\n`. Values
 * and column names are percent-encoded where needed (see {@link encodeMachineReadableField}), so reading the
 * text back gives the same tables whatever characters the values hold. Used by the GPFS simulator.
 *
 * @param tables - Tables to write, in order.
 * @param options - Extra characters to encode per column.
 * @returns The text, or a ParseError (`parser: 'formatMachineReadable'`) when a command or record type is not
 *   a token that the reader would accept.
 * @example
 * ```ts
 * formatMachineReadable([{ command: 'mmlsconfig', recordType: '', columns: ['configParameter', 'value', 'nodeList'],
 *   rows: [['clusterId', '13882361916354541312', '']] }]);
 * // Ok('mmlsconfig::HEADER:version:reserved:reserved:configParameter:value:nodeList:\nmmlsconfig::0:1:::clusterId:13882361916354541312::\n')
 * ```
 */
export function formatMachineReadable(tables: readonly YTableInput[], options: FormatMachineReadableOptions = {}): Result<string, ParseError> {
  const alsoEncode = options.alsoEncode ?? {};
  const everyColumn = alsoEncode['*'] ?? '';
  const lines: string[] = [];
  for (const table of tables) {
    if (!_COMMAND_TOKEN.test(table.command) || !_RECORD_TOKEN.test(table.recordType)) {
      return err(parseError('formatMachineReadable', `not a -Y command and record type: ${JSON.stringify(`${table.command}:${table.recordType}`)}`));
    }
    const prefix = `${table.command}:${table.recordType}:`;
    const keys = machineReadableRowKeys(table.columns);
    const extra = keys.map((_key, column) => everyColumn + (Object.hasOwn(alsoEncode, table.columns[column] ?? '') ? (alsoEncode[table.columns[column] ?? ''] ?? '') : ''));
    lines.push(`${prefix}HEADER:version:reserved:reserved:${table.columns.map((name) => encodeMachineReadableField(name) + ':').join('')}`);
    table.rows.forEach((row, rowIndex) => {
      let line = `${prefix}0:1:::`;
      for (let column = 0; column < keys.length; column++) {
        const value = _isValueArray(row) ? row[column] : Object.hasOwn(row, keys[column] ?? '') ? row[keys[column] ?? ''] : undefined;
        line += encodeMachineReadableField(value ?? '', extra[column]) + ':';
      }
      for (const field of table.extraFields?.[rowIndex] ?? []) line += encodeMachineReadableField(field, everyColumn) + ':';
      lines.push(line);
    });
  }
  return ok(lines.map((line) => line + '\n').join(''));
}

/**
 * The record keys {@link parseMachineReadable} uses for a list of column names: each name as printed, and for
 * a name seen before, the name with the first free suffix `_2`, `_3`, ... (`reserved`, `reserved_2`).
 *
 * @param columns - Column names as printed in a HEADER line.
 * @returns One unique key per column, in order.
 * @example
 * ```ts
 * machineReadableRowKeys(['afmNumReadThreads', 'reserved', 'reserved']); // ['afmNumReadThreads', 'reserved', 'reserved_2']
 * ```
 */
export function machineReadableRowKeys(columns: readonly string[]): string[] {
  const printed = new Set(columns);
  if (printed.size === columns.length) return [...columns];
  const used = new Set<string>();
  return columns.map((name) => {
    let key = name;
    for (let suffix = 2; used.has(key); suffix++) {
      key = `${name}_${suffix}`;
      if (printed.has(key)) key = name;
    }
    used.add(key);
    return key;
  });
}

// --- Internal helpers ---

const _COMMAND_TOKEN = /^[A-Za-z][\w.-]*$/;
const _RECORD_TOKEN = /^[\w.-]*$/;
const _NO_EXTRA_FIELDS: readonly string[] = Object.freeze([]);

interface _TableBuilder {
  readonly table: YTable & { rows: Record<string, string>[]; rowLines: number[]; extraFields: (readonly string[])[] };
  readonly keys: readonly string[];
  /** An object with every key, built by JSON.parse so that it has fast properties; rows are shallow copies. */
  readonly template: Record<string, string>;
}

function _newTable(command: string, recordType: string, fields: readonly string[], count: number, headerLine: number): _TableBuilder {
  const columns = fields.slice(6, Math.max(6, count)).map(decodeMachineReadableField);
  const keys = machineReadableRowKeys(columns);
  const template = JSON.parse(`{${keys.map((key) => `${JSON.stringify(key)}:""`).join(',')}}`) as Record<string, string>;
  return { table: { command, recordType, columns, rows: [], headerLine, rowLines: [], extraFields: [] }, keys, template };
}

function _addRow(builder: _TableBuilder, line: string, fields: readonly string[], count: number, lineNumber: number): void {
  const { keys, table } = builder;
  // Copying a template with fast properties and then storing into existing keys is several times faster than
  // adding keys one by one (which turns objects with many keys into slow dictionaries).
  const row = { ...builder.template };
  const columnCount = keys.length;
  const fieldCount = Math.min(count, columnCount + 6);
  // Decode only the fields that hold a '%': walk the line's '%' positions alongside the field offsets.
  let percent = line.indexOf('%');
  let offset = 0;
  for (let field = 0; field < 6; field++) offset += (fields[field] as string).length + 1;
  for (let field = 6; field < fieldCount; field++) {
    const value = fields[field] as string;
    const end = offset + value.length;
    if (percent !== -1 && percent < end) {
      row[keys[field - 6] as string] = decodeMachineReadableField(value);
      percent = line.indexOf('%', end);
    } else {
      row[keys[field - 6] as string] = value;
    }
    offset = end + 1;
  }
  table.rows.push(row);
  table.rowLines.push(lineNumber);
  table.extraFields.push(count > columnCount + 6 ? fields.slice(columnCount + 6, count).map(decodeMachineReadableField) : _NO_EXTRA_FIELDS);
}

function _describe(command: string, recordType: string): string {
  return recordType === '' ? command : `${command}:${recordType}`;
}

function _isDigitsOrEmpty(field: string): boolean {
  for (let index = 0; index < field.length; index++) {
    const code = field.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function _isValueArray(row: Readonly<Record<string, string>> | readonly string[]): row is readonly string[] {
  return Array.isArray(row);
}
