/**
 * Text formatting shared by commands: C-locale dates, padding, sizes.
 *
 * @module
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Formats a time like C's `asctime` in UTC: `Wed Mar  9 10:08:00 2022`.
 *
 * @param timeMs - Milliseconds since the epoch.
 * @returns The date text.
 */
export function asctime(timeMs: number): string {
  const date = new Date(timeMs);
  const day = String(date.getUTCDate()).padStart(2, ' ');
  const time = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${day} ${time} ${date.getUTCFullYear()}`;
}

/**
 * Formats a time as `stat` does: `2024-01-15 09:30:00.000000000 +0000`.
 *
 * @param timeMs - Milliseconds since the epoch.
 * @returns The date text.
 */
export function statTime(timeMs: number): string {
  const iso = new Date(timeMs).toISOString();
  const nanos = `${iso.slice(20, 23)}000000`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${nanos} +0000`;
}

/**
 * Right-aligns text in a column.
 *
 * @param text - Value.
 * @param width - Column width.
 * @returns Padded text (never truncated).
 */
export function padLeft(text: string | number, width: number): string {
  return String(text).padStart(width, ' ');
}

/**
 * Left-aligns text in a column.
 *
 * @param text - Value.
 * @param width - Column width.
 * @returns Padded text (never truncated).
 */
export function padRight(text: string | number, width: number): string {
  return String(text).padEnd(width, ' ');
}

/**
 * Formats a byte count the way `dd` and `df -h` do: `1.1 GB` (powers of 1000) or `1.0 GiB` (1024).
 *
 * @param bytes - Number of bytes.
 * @param base - 1000 or 1024.
 * @returns Human-readable size.
 */
export function humanBytes(bytes: number, base: 1000 | 1024): string {
  const units = base === 1000 ? ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] : ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  const text = rounded < 10 ? rounded.toFixed(1) : String(rounded);
  return `${text} ${units[unit]}`;
}

/**
 * Parses a decimal integer (no sign, no suffix).
 *
 * @param text - Text.
 * @returns The number, or `null`.
 */
export function parseCount(text: string): number | null {
  if (!/^\d{1,16}$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * Parses a size with an optional coreutils suffix: `K`/`KiB` (1024), `KB` (1000), `M`, `G`, `T`, `P`,
 * `E`, and dd's `c` (1), `w` (2), `b` (512).
 *
 * @param text - Size text such as `10G`, `4KiB`, `512`.
 * @param ddSuffixes - Also accept dd's `c`, `w`, `b` and `x` products.
 * @returns Bytes, or `null` when invalid or too large.
 */
export function parseSize(text: string, ddSuffixes = false): number | null {
  if (ddSuffixes && text.includes('x')) {
    let product = 1;
    for (const part of text.split('x')) {
      const value = parseSize(part, false);
      if (value === null) return null;
      product *= value;
    }
    return Number.isSafeInteger(product) ? product : null;
  }
  const match = /^(\d+)([A-Za-z]*)$/.exec(text);
  if (match === null) return null;
  const number = Number(match[1]);
  const suffix = match[2] as string;
  let multiplier: number | undefined;
  if (suffix === '') multiplier = 1;
  else if (ddSuffixes && suffix === 'c') multiplier = 1;
  else if (ddSuffixes && suffix === 'w') multiplier = 2;
  else if (suffix === 'b') multiplier = 512;
  else {
    const power = 'KMGTPE'.indexOf((suffix[0] as string).toUpperCase()) + 1;
    if (power === 0 || (suffix[0] === 'k' && suffix.length > 1 && suffix !== 'kB')) return null;
    const rest = suffix.slice(1);
    if (rest === '' || rest === 'iB') multiplier = 1024 ** power;
    else if (rest === 'B') multiplier = 1000 ** power;
  }
  if (multiplier === undefined) return null;
  const value = number * multiplier;
  return Number.isSafeInteger(value) ? value : null;
}
