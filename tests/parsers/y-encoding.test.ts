import { describe, expect, it } from 'vitest';
import { decodeMachineReadableField, encodeMachineReadableField } from '../../src/parsers/y-encoding.js';

describe('parsers: -Y field encoding', () => {
  it.each([
    ['Wed May 18 10%3A41%3A35 2016', 'Wed May 18 10:41:35 2016'],
    ['%2Ffs%2Fproject', '/fs/project'],
    ['%2D%2D', '--'],
    ['090B5475%3A5E4F9685', '090B5475:5E4F9685'],
    ['2025-08-25_06%3A11%3A57+0200', '2025-08-25_06:11:57+0200'],
    ['%2Ffs%project', '/fs%project'],
    ['100%', '100%'],
    ['%%41', '%A'],
    ['%4', '%4'],
    ['%zz', '%zz'],
    ['%e2%82%ac%2f', '€/'],
    ['caf%C3%A9 %E2%82%AC %F0%9F%98%80', 'café € 😀'],
    ['no escapes', 'no escapes'],
  ])('decodes %j as %j', (field, decoded) => {
    expect(decodeMachineReadableField(field)).toBe(decoded);
  });

  it.each([
    ['%FF', 'not a UTF-8 lead byte'],
    ['%C3%41', 'lead byte without its continuation byte'],
    ['%C3', 'truncated two-byte sequence'],
    ['%E2%82', 'truncated three-byte sequence'],
    ['%ED%A0%80', 'UTF-16 surrogate'],
    ['%C0%AF', 'overlong encoding'],
    ['%F4%90%80%80', 'beyond U+10FFFF'],
    ['%80', 'stray continuation byte'],
  ])('leaves %j as written (%s)', (field) => {
    expect(decodeMachineReadableField(field)).toBe(field.replace('%41', 'A'));
  });

  it('encodes %, :, CR and LF always, other characters on request, as upper-case UTF-8 bytes', () => {
    expect(encodeMachineReadableField('a:b%c\r\nd')).toBe('a%3Ab%25c%0D%0Ad');
    expect(encodeMachineReadableField('/ibm/FS1', '/')).toBe('%2Fibm%2FFS1');
    expect(encodeMachineReadableField('(é)€😀', '(é€😀')).toBe('%28%C3%A9)%E2%82%AC%F0%9F%98%80');
    expect(encodeMachineReadableField('plain é text')).toBe('plain é text');
  });

  it('leaves a lone surrogate as it is even when asked to encode it', () => {
    expect(encodeMachineReadableField('a\ud800b', '\ud800')).toBe('a\ud800b');
  });
});
