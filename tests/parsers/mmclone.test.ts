import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatMmcloneShow, parseMmcloneShow, type MmcloneShowRow } from '../../src/parsers/mmclone.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmclone/${name}`, import.meta.url), 'utf8');
const row = (isParent: boolean, depth: number | null, parentInode: number | null, fileName: string): MmcloneShowRow => ({
  isParent,
  depth,
  parentInode,
  fileName,
});

describe('parsers: mmclone show', () => {
  it.each<[string, MmcloneShowRow[]]>([
    ['ibm-listing.txt', [row(true, 0, null, 'base.img'), row(false, 1, 148488, 'test01.img'), row(false, 1, 148488, 'test02.img')]],
    ['cinder-clone-depth2.txt', [row(false, 2, 148488, '/gpfs0/test.txt')]],
    ['cinder-clone-depth1.txt', [row(false, 1, 148488, '/gpfs0/test.txt')]],
    ['cinder-not-a-clone-blank.txt', [row(false, null, null, '/gpfs0/test.txt')]],
    ['cinder-fail-match.txt', [row(false, null, 148488, '/gpfs0/test.txt')]],
    ['cinder-parent-depth2.txt', [row(true, 2, 148488, '/gpfs0/test.txt')]],
    ['not-a-clone-no.txt', [row(false, null, null, '/gpfs0/volume-7')]],
    ['parent-also-child.txt', [row(true, 1, 148470, '/gpfs0/v.snap'), row(false, 2, 148471, '/gpfs0/v')]],
    ['digit-leading-name.txt', [row(true, 0, null, '12345.img'), row(false, 1, 148488, '2024 06 01.img')]],
    ['spaces-in-names.txt', [row(false, 1, 148488, '/gpfs0/my volume  two spaces.img'), row(false, null, null, '/gpfs0/ leading space')]],
    ['joined-outputs.txt', [row(true, 0, null, '/gpfs0/a.snap'), row(false, 1, 148500, '/gpfs0/a')]],
    ['crlf.txt', [row(false, 1, 148488, '/gpfs0/test.txt')]],
    ['header-only.txt', []],
    ['empty.txt', []],
  ])('reads %s', (name, expected) => {
    expect(parseMmcloneShow(fixture(name))._unsafeUnwrap()).toEqual(expected);
  });

  it.each<[string, number, RegExp]>([
    ['truncated-row.txt', 4, /before the File name column/],
    ['truncated-header.txt', 1, /before its dashed rule/],
    ['garbage-row.txt', 4, /Parent column/],
    ['row-before-header.txt', 1, /before the/],
    ['old-ibmnas-split.txt', 3, /before the File name column/],
    ['error-text.txt', 1, /before the/],
  ])('reports %s as an error at line %i', (name, line, message) => {
    const error = parseMmcloneShow(fixture(name))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseMmcloneShow', line });
    expect(error.message).toMatch(message);
  });

  it('uses the column boundaries of the dashed rule, not white space, to tell a blank Depth from a blank inode', () => {
    const text = 'Parent  Depth   Parent inode   File name\n------  -----  --------------  ---------\n    no      3                  42\n';
    expect(parseMmcloneShow(text)._unsafeUnwrap()).toEqual([row(false, 3, null, '42')]);
  });

  it('follows a rule with other column widths', () => {
    const text = 'Parent Depth Parent inode File name\n------ ----- ------------ ---------\n    no     1       148488 a b\n';
    expect(parseMmcloneShow(text)._unsafeUnwrap()).toEqual([row(false, 1, 148488, 'a b')]);
  });

  it('reads a right-aligned number that spills into the gap left of its column', () => {
    const text = `${formatMmcloneShow([])}    no      1 123456789012345  /gpfs0/x\n`;
    expect(parseMmcloneShow(text)._unsafeUnwrap()).toEqual([row(false, 1, 123456789012345, '/gpfs0/x')]);
  });

  it('keeps trailing spaces of a file name but drops a carriage return', () => {
    const text = `${formatMmcloneShow([])}    no      1          148488  name with trailing  \r\n`;
    expect(parseMmcloneShow(text)._unsafeUnwrap()).toEqual([row(false, 1, 148488, 'name with trailing  ')]);
  });

  it.each<[string, string, number, RegExp]>([
    ['a non-number in Depth', '    no     x1          148488  /gpfs0/a', 3, /Depth/],
    ['a non-number in Parent inode', '    no      1          14848x  /gpfs0/a', 3, /Parent inode/],
    ['text in the gap before the file name', '    no      1          148488X /gpfs0/a', 3, /between/],
    ['a blank file name', '    no      1          148488     ', 3, /no file name/],
    ['an inode beyond 2^53', '    no      19999999999999999  /gpfs0/a', 3, /Parent inode/],
  ])('rejects %s', (_name, rowText, line, message) => {
    const error = parseMmcloneShow(`${formatMmcloneShow([])}${rowText}\n`)._unsafeUnwrapErr();
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
    expect(error.text).toBe(rowText);
  });

  it('rejects a header whose next line is not a 4-column rule', () => {
    const text = 'Parent  Depth   Parent inode   File name\n------  -----  ------------------------\n';
    expect(parseMmcloneShow(text)._unsafeUnwrapErr()).toMatchObject({ line: 2, message: expect.stringMatching(/dashed rule/) });
  });

  it('prints rows exactly as the IBM sample shows them', () => {
    const rows = [row(true, 0, null, 'base.img'), row(false, 1, 148488, 'test01.img'), row(false, 1, 148488, 'test02.img')];
    expect(formatMmcloneShow(rows)).toBe(fixture('ibm-listing.txt'));
  });
});
