import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFilesystemFormatVersion, parseMmlsfs, type FilesystemFormatVersion, type MmlsfsRecord } from '../../src/parsers/mmlsfs.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmlsfs/${name}`, import.meta.url), 'utf8');
const record = (deviceName: string, fieldName: string, data: string, remarks = ''): MmlsfsRecord => ({ deviceName, fieldName, data, remarks });

describe('parsers: mmlsfs -Y', () => {
  it.each<[string, MmlsfsRecord[]]>([
    [
      'version-V.txt',
      [
        record('gpfs', 'filesystemVersion', '14.03 (4.1.0.0)'),
        record('gpfs', 'filesystemVersionLocal', '14.03 (4.1.0.0)'),
        record('gpfs', 'filesystemVersionManager', '14.03 (4.1.0.0)'),
        record('gpfs', 'filesystemVersionOriginal', '13.23 (3.5.0.7)'),
        record('gpfs', 'filesystemHighestSupported', '14.03 (4.1.0.0)'),
      ],
    ],
    ['version-V-no-remarks.txt', [record('gpfs', 'filesystemVersion', '16.06 (4.2.2.0)'), record('gpfs', 'filesystemVersionLocal', '16.06 (4.2.2.0)')]],
    [
      'two-devices-T.txt',
      [record('gpfs1', 'blockSize', '8388608'), record('gpfs1', 'defaultMountPoint', '/gpfs1'), record('gpfs2', 'blockSize', '524288'), record('gpfs2', 'defaultMountPoint', '/mnt/gpfs two')],
    ],
    ['encryption.txt', [record('gpfs0', 'encryption', 'No')]],
  ])('reads %s', (name, expected) => {
    expect(parseMmlsfs(fixture(name))._unsafeUnwrap()).toEqual(expected);
  });

  it('reads all attributes of a file system and decodes the encoded ones', () => {
    const records = parseMmlsfs(fixture('all.txt'))._unsafeUnwrap();
    expect(records).toHaveLength(45);
    const data = (fieldName: string): string | undefined => records.find((item) => item.fieldName === fieldName)?.data;
    expect(data('create-time')).toBe('Fri Feb 21 01:36:21 2020');
    expect(data('UID')).toBe('090B5475:5E4F9685');
    expect(data('defaultMountPoint')).toBe('/ibm/FS1');
    expect(data('disks')).toBe('nsd1;nsd2');
    expect(data('blockSize')).toBe('4194304');
    expect(new Set(records.map((item) => item.deviceName))).toEqual(new Set(['FS1']));
  });

  it('does not take another command token for mmlsfs (hand-made fixtures print fs::HEADER)', () => {
    expect(parseMmlsfs(fixture('wrong-command-token.txt'))._unsafeUnwrapErr().message).toMatch(/no mmlsfs HEADER line/);
  });

  it('reports a truncated row with its line number', () => {
    expect(parseMmlsfs(fixture('truncated-row.txt'))._unsafeUnwrapErr()).toMatchObject({ parser: 'parseMmlsfs', line: 3, text: 'mmlsfs::0:1' });
  });
});

describe('parsers: file system format version', () => {
  it.each<[string, FilesystemFormatVersion]>([
    ['13.23 (3.5.0.7)', { major: 13, minor: 23, level: 1323, release: '3.5.0.7' }],
    ['16.06 (4.2.2.0)', { major: 16, minor: 6, level: 1606, release: '4.2.2.0' }],
    ['14.03 (4.1.0.0)', { major: 14, minor: 3, level: 1403, release: '4.1.0.0' }],
    ['7.00 (2.2)', { major: 7, minor: 0, level: 700, release: '2.2' }],
    ['22.00 (5.0.4.0)', { major: 22, minor: 0, level: 2200, release: '5.0.4.0' }],
    ['  15.01  ( 4.2.0.0 ) ', { major: 15, minor: 1, level: 1501, release: '4.2.0.0' }],
    ['35.00', { major: 35, minor: 0, level: 3500, release: null }],
  ])('reads %j', (text, expected) => {
    expect(parseFilesystemFormatVersion(text)._unsafeUnwrap()).toEqual(expected);
  });

  it('uses integer arithmetic where float arithmetic is off by one', () => {
    // Regression (issue 2): the seed computes int(float('16.06') * 100) = 1605.
    expect(Math.trunc(parseFloat('16.06') * 100)).toBe(1605);
    expect(parseFilesystemFormatVersion('16.06 (4.2.2.0)')._unsafeUnwrap().level).toBe(1606);
  });

  it.each(['', '16', '16.6', '16.066', 'v16.06', '16.06 ()', '16.06 (4.2', '16.06 4.2.2.0', 'abc'])('refuses %j', (text) => {
    expect(parseFilesystemFormatVersion(text)._unsafeUnwrapErr()).toMatchObject({ kind: 'ParseError', parser: 'parseFilesystemFormatVersion', text });
  });

  it('reads the version from parsed mmlsfs -V output', () => {
    const version = parseMmlsfs(fixture('version-V.txt'))
      .map((records) => records.find((item) => item.fieldName === 'filesystemVersion')?.data ?? '')
      .andThen(parseFilesystemFormatVersion);
    expect(version._unsafeUnwrap().level).toBe(1403);
  });
});
