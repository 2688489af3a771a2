import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatFileListing, parseFileListing, parseNulSeparated, type FileListingEntry } from '../../src/parsers/listings.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/find/${name}`, import.meta.url), 'utf8');

// Captured with GNU find 4.9 on a scratch directory holding a sparse file, a symlink, a subdirectory,
// a digit-leading name and a name with a newline.
const captured: FileListingEntry[] = [
  { inode: 2146359, sizeBytes: 10737418240, allocatedBytes: 0, mode: 0o600, type: 'f', path: '/tmp/gpfs0/volume 2' },
  { inode: 2146357, sizeBytes: 4096, allocatedBytes: 4096, mode: 0o755, type: 'd', path: '/tmp/gpfs0/consisgroup-7' },
  { inode: 2146358, sizeBytes: 5000, allocatedBytes: 8192, mode: 0o644, type: 'f', path: '/tmp/gpfs0/volume-1.snap' },
  { inode: 2146361, sizeBytes: 13, allocatedBytes: 0, mode: 0o777, type: 'l', path: '/tmp/gpfs0/link' },
  { inode: 2146362, sizeBytes: 100, allocatedBytes: 4096, mode: 0o644, type: 'f', path: '/tmp/gpfs0/12345.img' },
  { inode: 2146360, sizeBytes: 1, allocatedBytes: 4096, mode: 0o644, type: 'f', path: '/tmp/gpfs0/vol\nwith newline' },
];

describe('parsers: find -print0', () => {
  it.each<[string, string[]]>([
    ['print0.txt', ['/tmp/gpfs0/volume 2', '/tmp/gpfs0/consisgroup-7', '/tmp/gpfs0/volume-1.snap', '/tmp/gpfs0/link', '/tmp/gpfs0/12345.img', '/tmp/gpfs0/vol\nwith newline']],
    ['print0-inum.txt', ['/tmp/gpfs0/volume-1.snap']],
    ['empty.txt', []],
  ])('reads %s', (name, expected) => {
    expect(parseNulSeparated(fixture(name))._unsafeUnwrap()).toEqual(expected);
  });

  it.each<[string, number, RegExp]>([
    // Cinder's tests feed newline-separated text to a NUL-splitting parser; here that is an error, not one odd path.
    ['cinder-newline-separated.txt', 1, /no terminating NUL/],
    ['print0-empty-entry.txt', 1, /entry 2 is empty/],
  ])('reports %s as an error at line %i', (name, line, message) => {
    const error = parseNulSeparated(fixture(name))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseNulSeparated', line });
    expect(error.message).toMatch(message);
  });

  it('gives the text line where a bad entry starts', () => {
    expect(parseNulSeparated('a\nb\0c\nd\0e\nf')._unsafeUnwrapErr()).toMatchObject({ line: 3, text: 'e\nf' });
  });
});

describe('parsers: find -printf listing', () => {
  it('reads a captured listing', () => {
    expect(parseFileListing(fixture('listing.txt'))._unsafeUnwrap()).toEqual(captured);
  });

  it('reads empty output as no entries', () => {
    expect(parseFileListing(fixture('empty.txt'))._unsafeUnwrap()).toEqual([]);
  });

  it.each<[string, number, RegExp]>([
    ['listing-truncated.txt', 1, /record 4 has no terminating NUL/],
    ['listing-garbage.txt', 1, /record 2 is not/],
    ['listing-bad-type.txt', 1, /record 2 is not/],
  ])('reports %s as an error at line %i', (name, line, message) => {
    const error = parseFileListing(fixture(name))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseFileListing', line });
    expect(error.message).toMatch(message);
  });

  it('counts lines through paths with newlines', () => {
    const text = `${formatFileListing(captured)}1 2 3 999 f /bad/mode\0`;
    expect(parseFileListing(text)._unsafeUnwrapErr()).toMatchObject({ line: 2, message: expect.stringMatching(/record 7/) });
  });

  it.each<[string, string]>([
    ['an empty path', '1 0 0 644 f \0'],
    ['a missing field', '1 0 644 f /gpfs0/a\0'],
    ['an unknown type letter', '1 0 0 644 x /gpfs0/a\0'],
    ['a number beyond 2^53', '99999999999999999 0 0 644 f /gpfs0/a\0'],
    ['a block count whose bytes pass 2^53', '1 0 99999999999999 644 f /gpfs0/a\0'],
  ])('rejects %s', (_name, text) => {
    expect(parseFileListing(text)._unsafeUnwrapErr()).toMatchObject({ kind: 'ParseError', line: 1 });
  });

  it('keeps every character of a path after the fifth space', () => {
    const [entry] = parseFileListing('7 1 0 644 f  lead  and\ttab \0')._unsafeUnwrap();
    expect(entry?.path).toBe(' lead  and\ttab ');
  });

  it('prints what find prints', () => {
    expect(formatFileListing(captured)).toBe(fixture('listing.txt'));
  });
});
