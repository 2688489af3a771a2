/**
 * Shared machinery of the typed `-Y` parsers: picking a command's tables and converting column values.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseError } from './parse-error.js';
import { toBoolean, toInteger } from './values.js';
import { machineReadableRowKeys, parseMachineReadable, type YTable } from './y-format.js';

/**
 * A value in a typed `-Y` record: a string as printed (decoded), a number for numeric columns, a boolean for
 * yes/no columns, and `null` where a numeric or yes/no column holds a placeholder.
 */
export type YValue = string | number | boolean | null;

/**
 * Values that stand for "no value" in numeric and yes/no `-Y` columns; they become `null`.
 *
 * Seen in GPFS output: `''`, `-`, `--`, `N/A`, `nan`, `(undefined)`.
 */
export const MACHINE_READABLE_PLACEHOLDERS: ReadonlySet<string> = new Set(['', '-', '--', 'N/A', 'n/a', 'nan', 'NaN', 'undefined', '(undefined)']);

/**
 * How the typed parsers read the columns of one record type.
 *
 * @internal
 */
export interface ColumnSchema {
  /** Columns the HEADER must have; without one the output is not understood and parsing fails. */
  readonly required: readonly string[];
  /** Columns holding whole numbers. */
  readonly integers?: readonly string[];
  /** Columns holding yes/no (`yes`, `Yes`, `1`, `no`, ...). */
  readonly booleans?: readonly string[];
}

/**
 * Parses `text` and returns the tables printed by one of `commands` (any record type when `recordTypes` is
 * undefined), or a ParseError naming `parser` when the output has no such HEADER.
 *
 * @internal
 */
export function selectTables(text: string, parser: string, commands: readonly string[], recordTypes?: readonly string[]): Result<YTable[], ParseError> {
  const parsed = parseMachineReadable(text);
  if (parsed.isErr()) return err({ ...parsed.error, parser });
  const tables = parsed.value.filter((table) => commands.includes(table.command) && (recordTypes === undefined || recordTypes.includes(table.recordType)));
  if (tables.length === 0) {
    const wanted = commands.map((command) => _describe(command, recordTypes?.length === 1 ? (recordTypes[0] ?? '') : '')).join(' or ');
    // The whole input is at fault; point at its first line (line 1 of an empty output too).
    return err(parseError(parser, `no ${wanted} HEADER line in the output (is this the -Y output of the right command?)`, 1, _firstLine(text)));
  }
  return ok(tables);
}

/**
 * Converts the rows of `table` in place (numbers, booleans, `null` for placeholders) and appends them to `out`.
 * The rows are the fresh objects made by parseMachineReadable, so no copy is needed.
 *
 * @internal
 */
export function convertRows<T>(table: YTable, parser: string, schema: ColumnSchema, out: T[]): ParseError | undefined {
  const present = new Set(machineReadableRowKeys(table.columns));
  const missing = schema.required.filter((name) => !present.has(name));
  if (missing.length > 0) {
    const names = missing.map((name) => `'${name}'`).join(', ');
    return parseError(parser, `the ${_describe(table.command, table.recordType)} HEADER has no ${names} column${missing.length > 1 ? 's' : ''}`, table.headerLine);
  }
  const integers = (schema.integers ?? []).filter((name) => present.has(name));
  const booleans = (schema.booleans ?? []).filter((name) => present.has(name));
  const rows = table.rows as Record<string, YValue>[];
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index] as Record<string, YValue>;
    for (const name of integers) {
      const raw = row[name] as string;
      const value = _integer(raw);
      if (value === undefined) return _badValue(parser, table, index, name, raw, 'a whole number');
      row[name] = value;
    }
    for (const name of booleans) {
      const raw = row[name] as string;
      const value = MACHINE_READABLE_PLACEHOLDERS.has(raw) ? null : toBoolean(raw);
      if (value === null && !MACHINE_READABLE_PLACEHOLDERS.has(raw)) return _badValue(parser, table, index, name, raw, 'yes or no');
      row[name] = value;
    }
    out.push(row as T);
  }
  return undefined;
}

/**
 * Lower-cases the first letter of a record type: `State` becomes `state`, `poolTotal` stays.
 *
 * @internal
 */
export function recordTypeKey(recordType: string): string {
  return recordType.charAt(0).toLowerCase() + recordType.slice(1);
}

/**
 * Reads the rows of every table of `commands` in `text` as typed records; only record type `''` unless
 * `recordTypes` says otherwise (`null`: any).
 *
 * @internal
 */
export function parseRecords<T>(text: string, parser: string, commands: readonly string[], schema: ColumnSchema, recordTypes: readonly string[] | null = ['']): Result<T[], ParseError> {
  const selected = selectTables(text, parser, commands, recordTypes ?? undefined);
  if (selected.isErr()) return err(selected.error);
  const records: T[] = [];
  for (const table of selected.value) {
    const failure = convertRows(table, parser, schema, records);
    if (failure !== undefined) return err(failure);
  }
  return ok(records);
}

/**
 * Reads the tables of a multi-record command, grouped by record type: one array per record type (named by
 * {@link recordTypeKey}) for each record type in `schemas` (empty when absent), and the rows of other record
 * types, as strings, in `otherRecords`. `prepare` may adjust a known table's rows before they are converted.
 *
 * @internal
 */
export function parseGroupedRecords<T>(text: string, parser: string, command: string, schemas: Readonly<Record<string, ColumnSchema>>, prepare?: (table: YTable) => void): Result<T, ParseError> {
  const selected = selectTables(text, parser, [command]);
  if (selected.isErr()) return err(selected.error);
  const grouped: Record<string, unknown> = {};
  const otherRecords: Record<string, Record<string, string>[]> = {};
  for (const recordType of Object.keys(schemas)) grouped[recordTypeKey(recordType)] = [];
  for (const table of selected.value) {
    const schema = Object.hasOwn(schemas, table.recordType) ? schemas[table.recordType] : undefined;
    if (schema === undefined) {
      const key = recordTypeKey(table.recordType);
      const earlier = Object.hasOwn(otherRecords, key) ? (otherRecords[key] ?? []) : [];
      // defineProperty, not assignment: a record type may be any token, `__proto__` included.
      Object.defineProperty(otherRecords, key, { value: [...earlier, ...table.rows], enumerable: true, writable: true, configurable: true });
      continue;
    }
    prepare?.(table);
    const failure = convertRows(table, parser, schema, grouped[recordTypeKey(table.recordType)] as unknown[]);
    if (failure !== undefined) return err(failure);
  }
  grouped['otherRecords'] = otherRecords;
  return ok(grouped as T);
}

// --- Internal helpers ---

/** A whole number, `null` for a placeholder, or `undefined` when the value is neither. */
function _integer(raw: string): number | null | undefined {
  const length = raw.length;
  if (length > 0 && length < 16) {
    let value = 0;
    let index = raw.charCodeAt(0) === 45 && length > 1 ? 1 : 0;
    for (; index < length; index++) {
      const code = raw.charCodeAt(index);
      if (code < 48 || code > 57) break;
      value = value * 10 + (code - 48);
    }
    if (index === length) return raw.charCodeAt(0) === 45 && value !== 0 ? -value : value;
  }
  if (MACHINE_READABLE_PLACEHOLDERS.has(raw.trim())) return null;
  return toInteger(raw) ?? undefined;
}

function _firstLine(text: string): string {
  const end = text.indexOf('\n');
  return (end === -1 ? text : text.slice(0, end)).trimEnd();
}

function _describe(command: string, recordType: string): string {
  return recordType === '' ? command : `${command}:${recordType}`;
}

function _badValue(parser: string, table: YTable, index: number, column: string, raw: string, expected: string): ParseError {
  const message = `${_describe(table.command, table.recordType)} column '${column}' holds ${JSON.stringify(raw)}, expected ${expected} or a placeholder`;
  return parseError(parser, message, table.rowLines[index]);
}
