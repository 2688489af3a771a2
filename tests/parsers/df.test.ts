import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDf, type DfRow } from '../../src/parsers/df.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/df/${name}`, import.meta.url), 'utf8');
const row = (filesystem: string, [totalBytes, usedBytes, availableBytes]: [number, number, number], capacityPercent: number | null, mountedOn: string): DfRow => ({
  filesystem,
  totalBytes,
  usedBytes,
  availableBytes,
  capacityPercent,
  mountedOn,
});
const K = 1024;

describe('parsers: df', () => {
  it.each<[string, DfRow[]]>([
    ['cinder-df.txt', [row('/dev/gpfs', [10485760 * K, 531968 * K, 9953792 * K], 6, '/gpfs0')]],
    ['cinder-df-fail-path.txt', [row('test', [10485760 * K, 531968 * K, 9953792 * K], 6, '/gpfs0')]],
    // Cinder's df -P -B 1 sample really holds `6%%` (the literal is not %-formatted).
    ['cinder-df-posix-bytes.txt', [row('/dev/gpfs', [10737418240, 544735232, 10192683008], 6, '/gpfs0')]],
    ['gnu-1k-blocks.txt', [row('/dev/vda', [264212084 * K, 22945924 * K, 83444988 * K], 22, '/')]],
    ['gnu-posix-1024-blocks.txt', [row('/dev/vda', [264212084 * K, 22945928 * K, 83444984 * K], 22, '/')]],
    ['gnu-posix-1-blocks.txt', [row('/dev/vda', [270553174016, 23496634368, 85447659520], 22, '/')]],
    ['gnu-1b-blocks.txt', [row('/dev/vda', [270553174016, 23496638464, 85447655424], 22, '/')]],
    ['gnu-1kb-blocks.txt', [row('/dev/vda', [270553175000, 23496643000, 85447652000], 22, '/')]],
    ['gnu-posix-spaces.txt', [row('scratch space', [1048576, 0, 1048576], 0, '/tmp/dfcap/mnt point')]],
    ['gnu-spaces.txt', [row('scratch space', [1024 * K, 0, 1024 * K], 0, '/tmp/dfcap/mnt point'), row('/dev/vda', [264212084 * K, 22945944 * K, 83444968 * K], 22, '/')]],
    [
      'gnu-type.txt',
      [
        { ...row('scratch space', [1024 * K, 0, 1024 * K], 0, '/tmp/dfcap/mnt point'), type: 'tmpfs' },
        { ...row('/dev/vda', [264212084 * K, 22945952 * K, 83444960 * K], 22, '/'), type: 'ext4' },
      ],
    ],
    ['gnu-wrapped.txt', [row('/dev/mapper/VolGroup00-LogVol00', [37706444 * K, 10364524 * K, 25395544 * K], 29, '/'), row('/dev/gpfs0', [10485760 * K, 531968 * K, 9953792 * K], 6, '/gpfs0')]],
    ['bsd-512-blocks.txt', [row('/dev/disk3s1s1', [965595304 * 512, 19943896 * 512, 474002224 * 512], 5, '/'), row('map auto_home', [0, 0, 0], 100, '/System/Volumes/Data/home')]],
  ])('reads %s', (name, expected) => {
    expect(parseDf(fixture(name))._unsafeUnwrap()).toEqual(expected);
  });

  it.each<[string, number, RegExp]>([
    ['gnu-human.txt', 1, /df -h/],
    ['gnu-inodes.txt', 1, /df -i/],
    ['gnu-wrapped-truncated.txt', 2, /no numbers after it/],
    ['empty.txt', 1, /empty output/],
    ['garbage-row.txt', 2, /does not fit/],
    ['no-header.txt', 1, /header/],
    ['error-text.txt', 1, /header/],
  ])('reports %s as an error at line %i', (name, line, message) => {
    const error = parseDf(fixture(name))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseDf', line });
    expect(error.message).toMatch(message);
  });

  const header = 'Filesystem     1K-blocks     Used Available Use% Mounted on\n';
  it.each<[string, string, Partial<DfRow>]>([
    ['a `-` capacity', `${header}proc 0 0 0 - /proc\n`, { capacityPercent: null, totalBytes: 0 }],
    ['a negative available count', `${header}/dev/sda1 100 100 -5 100% /\n`, { availableBytes: -5 * K }],
    ['CRLF line ends', header.replace('\n', '\r\n') + '/dev/sda1 100 50 50 50% /mnt/x\r\n', { mountedOn: '/mnt/x' }],
    ['the Avail spelling', 'Filesystem 1M-blocks Used Avail Use% Mounted on\n/dev/sda1 3 2 1 67% /\n', { totalBytes: 3 * K * K }],
    ['a repeated header', `${header}${header}/dev/sda1 1 0 1 0% /\n`, { totalBytes: K }],
  ])('reads %s', (_name, text, expected) => {
    const rows = parseDf(text)._unsafeUnwrap();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject(expected);
  });

  it('reads a header-only output as no rows', () => {
    expect(parseDf(header)._unsafeUnwrap()).toEqual([]);
  });

  it.each<[string, string, number, RegExp]>([
    ['an unknown size column', 'Filesystem 1X-blocks Used Available Use% Mounted on\n', 1, /block size column/],
    ['an unknown layout', 'Filesystem 1K-blocks Used Available Mounted on\n', 1, /layout/],
    ['a wrapped device followed by a second bare name', `${header}/dev/mapper/a\n/dev/mapper/b\n`, 3, /does not fit/],
    ['a row without a mount point', `${header}/dev/sda1 100 50 50 50%\n`, 2, /does not fit/],
  ])('rejects %s', (_name, text, line, message) => {
    const error = parseDf(text)._unsafeUnwrapErr();
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
  });
});
