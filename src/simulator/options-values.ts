/**
 * Small validation helpers shared by the option resolvers.
 *
 * @module
 */

/** One tebibyte. */
export const TIB = 1024 ** 4;

/**
 * Tells whether a value is a plain object.
 *
 * @param value - Anything.
 * @returns `true` for a non-array object.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Tells whether a value is a name GPFS accepts for nodes, clusters and pools.
 *
 * @param value - Anything.
 * @returns `true` for a valid name.
 */
export function isPlainName(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/.test(value);
}

/**
 * Reads one option: the fallback when absent, the value when valid, otherwise the fallback and a problem.
 *
 * @param record - Options object.
 * @param key - Option name.
 * @param fallback - Default.
 * @param valid - Validity test.
 * @param expected - What a valid value is, for the problem text.
 * @param problems - Where problems are collected.
 * @param prefix - Path of the options object, for the problem text.
 * @returns The value to use.
 */
export function pick<T>(record: Record<string, unknown>, key: string, fallback: T, valid: (value: unknown) => boolean, expected: string, problems: string[], prefix = ''): T {
  const value = record[key];
  if (value === undefined) return fallback;
  if (valid(value)) return value as T;
  problems.push(`${prefix}${key} must be ${expected}`);
  return fallback;
}

/**
 * Tells whether a value is a safe integer in a range.
 *
 * @param value - Anything.
 * @param min - Smallest allowed.
 * @param max - Largest allowed.
 * @returns `true` when it is.
 */
export function isSize(value: unknown, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

/**
 * Normalises an absolute path lexically.
 *
 * @param path - Absolute path.
 * @returns The path without `.`, `..` and repeated slashes.
 */
export function normalizeAbsolute(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
