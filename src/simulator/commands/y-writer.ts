/**
 * Writes GPFS `-Y` (machine-readable) tables with the library's own writer
 * (`formatMachineReadable` from the parsers), so that simulator output and parsers cannot drift apart.
 *
 * @module
 */
import { formatMachineReadable } from '../../parsers/y-format.js';

/** Extra characters to percent-encode, per column name (GPFS encodes `/` in paths). */
export type AlsoEncode = Readonly<Record<string, string>>;

/**
 * Formats one `-Y` table: a HEADER line, then one line per row, each field followed by a colon. `%`,
 * `:` and newlines are always encoded.
 *
 * @param command - First field, such as `mmlsfs`.
 * @param recordType - Second field (often empty).
 * @param columns - Column names after the six fixed fields.
 * @param rows - Raw values, one per column.
 * @param alsoEncode - Extra characters to encode per column, for every row, or per row.
 * @returns Header and rows, each line ending in `:\n`.
 */
export function formatYTable(
  command: string,
  recordType: string,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  alsoEncode: AlsoEncode | ((row: number) => AlsoEncode) = {},
): string {
  if (typeof alsoEncode !== 'function') return write(command, recordType, columns, rows, alsoEncode);
  let text = write(command, recordType, columns, [], {});
  rows.forEach((row, index) => {
    const single = write(command, recordType, columns, [row], alsoEncode(index));
    text += single.slice(single.indexOf('\n') + 1);
  });
  return text;
}

// --- Internal helpers ---

function write(command: string, recordType: string, columns: readonly string[], rows: readonly (readonly string[])[], alsoEncode: AlsoEncode): string {
  const result = formatMachineReadable([{ command, recordType, columns, rows }], { alsoEncode });
  if (result.isOk()) return result.value;
  let text = `${command}:${recordType}:HEADER:version:reserved:reserved:${columns.join(':')}:\n`;
  for (const row of rows) text += `${command}:${recordType}:0:1:::${row.map((value) => value.replace(/%/g, '%25').replace(/:/g, '%3A')).join(':')}:\n`;
  return text;
}
