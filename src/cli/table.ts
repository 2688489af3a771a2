/**
 * Plain text tables for people: left-aligned columns, two spaces apart, control characters made visible.
 *
 * @module
 */
import { oneLine } from './output.js';

/**
 * Lays out rows under a header.
 *
 * @param header - Column titles.
 * @param rows - Cells, one array per row (as many cells as titles).
 * @returns Lines ending with a newline; the last column is not padded.
 * @example
 * ```ts
 * formatTable(['NAME', 'SIZE'], [['v1', '1.0 GiB']]); // 'NAME  SIZE\nv1    1.0 GiB\n'
 * ```
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => oneLine(cell)));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells.map((row) => `${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}\n`).join('');
}
