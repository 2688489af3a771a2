import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStatFilesystemCapacity, parseStatFilesystemIds } from '../../src/parsers/stat.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/stat/${name}`, import.meta.url), 'utf8');

describe('parsers: stat -f -c %i', () => {
  it.each<[string, string[]]>([
    ['cinder-same.txt', ['ef0009600000002', 'ef0009600000002']],
    ['cinder-different.txt', ['ef0009600000002', '000000000000007']],
    ['ids-real.txt', ['3201e1355d4080cc', '3201e1355d4080cc', 'a18cb10cf3677836']],
    ['empty.txt', []],
  ])('reads %s', (name, expected) => {
    expect(parseStatFilesystemIds(fixture(name))._unsafeUnwrap()).toEqual(expected);
  });

  it('reports an error message on stdout at its line', () => {
    const error = parseStatFilesystemIds(fixture('garbage.txt'))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseStatFilesystemIds', line: 2 });
  });

  it.each<[string, string, string[] | number]>([
    ['without a final newline', 'ab\ncd', ['ab', 'cd']],
    ['with CRLF', 'AB\r\ncd\r\n', ['AB', 'cd']],
    ['a blank line in the middle', 'ab\n\ncd\n', 2],
    ['a second final newline', 'ab\n\n', 2],
    ['an id with a space', 'ab cd\n', 1],
  ])('handles %s', (_name, text, expected) => {
    const result = parseStatFilesystemIds(text);
    if (typeof expected === 'number') expect(result._unsafeUnwrapErr().line).toBe(expected);
    else expect(result._unsafeUnwrap()).toEqual(expected);
  });
});

describe("parsers: stat -f -c '%S %b %a'", () => {
  it('reads captured output', () => {
    const entry = (totalBlocks: number, availableBlocks: number) => ({
      blockSizeBytes: 4096,
      totalBlocks,
      availableBlocks,
      totalBytes: totalBlocks * 4096,
      availableBytes: availableBlocks * 4096,
    });
    expect(parseStatFilesystemCapacity(fixture('capacity-real.txt'))._unsafeUnwrap()).toEqual([entry(66053021, 20861213), entry(6170905, 6170905)]);
  });

  it.each<[string, string, number]>([
    ['a missing field', '4096 100\n', 1],
    ['an id instead of numbers', '4096 1 1\nef0009600000002\n', 2],
    ['a number beyond 2^53', '4096 99999999999999999 1\n', 1],
  ])('rejects %s at its line', (_name, text, line) => {
    expect(parseStatFilesystemCapacity(text)._unsafeUnwrapErr()).toMatchObject({ parser: 'parseStatFilesystemCapacity', line });
  });
});
