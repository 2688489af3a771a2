/**
 * Converting the text values GPFS prints into numbers and booleans.
 *
 * @module
 */

/**
 * Reads a whole decimal number (optionally negative), or `null` for placeholders and anything else
 * (`''`, `-`, `--`, `nan`, `1*`, `33,267`).
 *
 * @param text - A field value.
 * @returns The number, or `null`.
 */
export function toInteger(text: string): number | null {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * Reads a decimal number with an optional fraction or exponent (`4.675`, `1.7781e+08`), or `null`.
 *
 * @param text - A field value.
 * @returns The number, or `null` for placeholders and locale-formatted values.
 */
export function toDecimal(text: string): number | null {
  const trimmed = text.trim();
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/**
 * Reads GPFS's spellings of yes and no (`yes`/`no`, `Yes`/`No`, `1`/`0`, `true`/`false`), or `null`.
 *
 * @param text - A field value.
 * @returns `true`, `false`, or `null` when the value is neither.
 */
export function toBoolean(text: string): boolean | null {
  switch (text.trim().toLowerCase()) {
    case 'yes':
    case '1':
    case 'true':
      return true;
    case 'no':
    case '0':
    case 'false':
      return false;
    default:
      return null;
  }
}
