import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmrepquota, type MmrepquotaRecord } from '../../src/parsers/mmrepquota.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmrepquota/${name}`, import.meta.url), 'utf8');

describe('parsers: mmrepquota -Y and mmlsquota -Y', () => {
  it.each<[string, Partial<MmrepquotaRecord>[]]>([
    [
      'banners-two-filesystems.txt',
      [
        {
          filesystemName: 'project',
          quotaType: 'FILESET',
          id: 0,
          name: 'root',
          blockUsage: 337419744,
          blockQuota: 0,
          blockLimit: 0,
          blockInDoubt: 163840,
          blockGrace: 'none',
          filesUsage: 1395,
          filesInDoubt: 400,
          remarks: 'i',
          quota: 'on',
          defQuota: 'off',
          fid: null,
          filesetname: '',
        },
        { filesystemName: 'project', id: 408, name: 'PZS1003', blockQuota: 2147483648, blockLimit: 2147483648, filesQuota: 2000000, filesLimit: 2000000, remarks: 'e' },
        { filesystemName: 'scratch', id: 0, name: 'root', blockUsage: 928235294208, filesUsage: 141909093 },
      ],
    ],
    [
      'repeated-banner-same-fs.txt',
      [
        { filesystemName: 'gpfs1', quotaType: 'FILESET', id: 1, name: 'name1', blockLimit: 5368709120, filesLimit: 20000000 },
        { filesystemName: 'gpfs1', quotaType: 'USR', id: 62347, name: '62347', fid: 117, filesetname: 'fileset1' },
      ],
    ],
    [
      'grace-periods.txt',
      [
        { name: 'alice', blockGrace: '6 days', filesGrace: 'expired', blockUsage: 5368709 },
        { name: 'bob', blockGrace: 'none', filesGrace: 'none' },
      ],
    ],
    ['mmlsquota-fileset.txt', [{ quotaType: 'FILESET', id: 1, name: 'cinder-vols', blockUsage: 73400320, blockQuota: 104857600, blockLimit: 125829120, filesUsage: 1200 }]],
    ['mmlsquota-record-type.txt', [{ quotaType: 'USR', id: 1001, name: 'alice', blockUsage: 2048 }]],
  ])('reads %s', (name, expected) => {
    const records = parseMmrepquota(fixture(name))._unsafeUnwrap();
    expect(records).toHaveLength(expected.length);
    records.forEach((record, index) => expect(record).toMatchObject(expected[index]!));
  });

  it('reads per-fileset user and group quotas with their fileset, and N/A remarks', () => {
    const records = parseMmrepquota(fixture('per-fileset-user-group.txt'))._unsafeUnwrap();
    expect(records.map((record) => [record.quotaType, record.id, record.fid, record.filesetname, record.remarks])).toEqual([
      ['USR', 0, 0, 'root', 'i'],
      ['USR', 0, 2, 'qtest1', 'i'],
      ['USR', 20821, 1, 'test3', 'i'],
      ['GRP', 0, 0, 'root', 'i'],
      ['GRP', 0, 2, 'qtest1', 'i'],
      ['GRP', 103, 1, 'test3', 'i'],
      ['FILESET', 0, null, '', 'i'],
      ['FILESET', 1, null, '', 'N/A'],
      ['FILESET', 2, null, '', 'e'],
    ]);
  });

  it('reports a banner with no report as output without a HEADER', () => {
    expect(parseMmrepquota(fixture('banner-only.txt'))._unsafeUnwrapErr()).toMatchObject({
      parser: 'parseMmrepquota',
      message: expect.stringMatching(/no mmrepquota or mmlsquota HEADER line/),
    });
  });

  it('reports a row after a banner but before any HEADER with its line number', () => {
    const lines = fixture('banners-two-filesystems.txt').split('\n');
    const reordered = [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n');
    expect(parseMmrepquota(reordered)._unsafeUnwrapErr()).toMatchObject({ line: 2 });
  });

  it('reads a row printed between a banner and the next HEADER as a row of the previous report', () => {
    const lines = fixture('banners-two-filesystems.txt').split('\n');
    const reordered = [...lines.slice(0, 5), lines[6], lines[5], lines[7]].join('\n');
    expect(
      parseMmrepquota(reordered)
        ._unsafeUnwrap()
        .map((record) => record.filesystemName),
    ).toEqual(['project', 'project', 'scratch']);
  });

  it('reports a block count that is not a number with its line number', () => {
    const text = fixture('grace-periods.txt').replace(':5368709:', ':5,368,709:');
    expect(parseMmrepquota(text)._unsafeUnwrapErr()).toMatchObject({ line: 2, message: expect.stringMatching(/'blockUsage' holds "5,368,709"/) });
  });
});
