/**
 * Backslash escapes as printf(1), `echo -e` and `find -printf` interpret them.
 *
 * @module
 */

/**
 * Replaces `\n`, `\t`, `\\`, `\0`, `\NNN` (octal), `\xHH` and friends.
 *
 * @param text - Text with escapes.
 * @param stopAtC - Honour `\c` (stop all output), as printf's `%b` and `echo -e` do.
 * @returns The text and whether `\c` was met.
 */
export function interpretEscapes(text: string, stopAtC = false): { text: string; stopped: boolean } {
  if (!text.includes('\\')) return { text, stopped: false };
  let result = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string;
    if (character !== '\\' || index === text.length - 1) {
      result += character;
      continue;
    }
    const next = text[++index] as string;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', '\\': '\\', '"': '"', "'": "'" };
    if (simple[next] !== undefined) result += simple[next];
    else if (next === 'c' && stopAtC) return { text: result, stopped: true };
    else if (/[0-7]/.test(next)) {
      let digits = next;
      const limit = next === '0' ? 4 : 3;
      while (digits.length < limit && /[0-7]/.test(text[index + 1] ?? '')) digits += text[++index];
      result += String.fromCharCode(Number.parseInt(digits, 8) & 0xff);
    } else if (next === 'x' && /[0-9A-Fa-f]/.test(text[index + 1] ?? '')) {
      let digits = '';
      while (digits.length < 2 && /[0-9A-Fa-f]/.test(text[index + 1] ?? '')) digits += text[++index];
      result += String.fromCharCode(Number.parseInt(digits, 16));
    } else result += `\\${next}`;
  }
  return { text: result, stopped: false };
}
