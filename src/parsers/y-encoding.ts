/**
 * Percent-encoding of `-Y` fields, as GPFS and `mmclidecode` do it.
 *
 * @module
 */

/**
 * Decodes the `%XX` escapes of one `-Y` field, the way `mmclidecode` does, without ever failing.
 *
 * Only `%` followed by two hex digits is an escape; `+` stays `+` (GPFS prints `+0200` unencoded) and a `%`
 * not followed by two hex digits stays as it is. Consecutive escapes are read as UTF-8 bytes (`%C3%A9` is
 * `é`); an escape that is not part of a valid UTF-8 sequence is left as written. Decode a field only after
 * splitting the line on `:`.
 *
 * @param field - One field of a `-Y` line, after splitting on `:`.
 * @returns The decoded text; the same string when it holds no `%`.
 * @example
 * ```ts
 * decodeMachineReadableField('Wed May 18 10%3A41%3A35 2016'); // 'Wed May 18 10:41:35 2016'
 * decodeMachineReadableField('%2Fgpfs0%2Fvols');               // '/gpfs0/vols'
 * decodeMachineReadableField('+0200 100%');                    // '+0200 100%'
 * ```
 */
export function decodeMachineReadableField(field: string): string {
  let percent = field.indexOf('%');
  if (percent === -1) return field;
  let decoded = '';
  let copiedUpTo = 0;
  while (percent !== -1) {
    const byte = _escapedByte(field, percent);
    if (byte < 0) {
      percent = field.indexOf('%', percent + 1);
      continue;
    }
    if (byte < 0x80) {
      decoded += field.slice(copiedUpTo, percent) + String.fromCharCode(byte);
      copiedUpTo = percent + 3;
    } else {
      const length = byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
      const codePoint = length === 0 ? -1 : _readSequence(field, percent, byte, length);
      // An escape that does not start a valid UTF-8 sequence stays as written.
      if (codePoint >= 0) {
        decoded += field.slice(copiedUpTo, percent) + String.fromCodePoint(codePoint);
        copiedUpTo = percent + 3 * length;
      }
    }
    percent = field.indexOf('%', Math.max(percent + 3, copiedUpTo));
  }
  return decoded + field.slice(copiedUpTo);
}

/**
 * Percent-encodes one value so that it can stand as a `-Y` field and decode back to itself.
 *
 * `%`, `:`, carriage return and line feed are always encoded (`%25`, `%3A`, `%0D`, `%0A`); so is every
 * character of `alsoEncode` (GPFS encodes `/` in paths, for example). Encoded characters are written as
 * their UTF-8 bytes in upper-case hex. Everything else, non-ASCII included, is written as it is.
 *
 * @param value - Any string.
 * @param alsoEncode - Further characters to encode, e.g. `'/'`.
 * @returns The encoded field.
 * @example
 * ```ts
 * encodeMachineReadableField('Fri Feb 21 01:36:21 2020'); // 'Fri Feb 21 01%3A36%3A21 2020'
 * encodeMachineReadableField('/ibm/FS1', '/');            // '%2Fibm%2FFS1'
 * ```
 */
export function encodeMachineReadableField(value: string, alsoEncode = ''): string {
  let needsWork = false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code === 37 || code === 58 || code === 10 || code === 13 || (alsoEncode !== '' && alsoEncode.includes(value[index] ?? ''))) {
      needsWork = true;
      break;
    }
  }
  if (!needsWork) return value;
  let encoded = '';
  for (const character of value) {
    const code = character.charCodeAt(0);
    const always = code === 37 || code === 58 || code === 10 || code === 13;
    encoded += always || alsoEncode.includes(character) ? _percentBytes(character) : character;
  }
  return encoded;
}

// --- Internal helpers ---

function _hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** The byte of the `%XX` escape at `index`, or -1 when `index` does not start one. */
function _escapedByte(field: string, index: number): number {
  if (index + 2 >= field.length || field.charCodeAt(index) !== 37) return -1;
  const high = _hexValue(field.charCodeAt(index + 1));
  const low = _hexValue(field.charCodeAt(index + 2));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/** Reads the UTF-8 sequence of `length` escapes at `index`, or -1 when it is truncated, overlong or a surrogate. */
function _readSequence(field: string, index: number, lead: number, length: number): number {
  let codePoint = lead & (length === 2 ? 0x1f : length === 3 ? 0x0f : 0x07);
  for (let offset = 1; offset < length; offset++) {
    const next = _escapedByte(field, index + 3 * offset);
    if (next < 0 || (next & 0xc0) !== 0x80) return -1;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  const minimum = length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000;
  if (codePoint < minimum || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return -1;
  return codePoint;
}

/** `%XX` escapes of the UTF-8 bytes of one character (a lone surrogate is returned unchanged). */
function _percentBytes(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return character;
  const bytes: number[] =
    codePoint < 0x80
      ? [codePoint]
      : codePoint < 0x800
        ? [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)]
        : codePoint < 0x10000
          ? [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)]
          : [0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  return bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}
