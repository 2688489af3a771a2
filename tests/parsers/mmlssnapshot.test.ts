import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmlssnapshot, type MmlssnapshotRecord } from '../../src/parsers/mmlssnapshot.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmlssnapshot/${name}`, import.meta.url), 'utf8');

describe('parsers: mmlssnapshot -Y', () => {
  it.each<[string, MmlssnapshotRecord[]]>([
    [
      'basic.txt',
      [
        {
          filesystemName: 'ess',
          directory: '20201115_PAS1736',
          snapID: 16337,
          status: 'Valid',
          created: 'Sun Nov 15 02:47:48 2020',
          quotas: '',
          data: 0,
          metadata: 0,
          fileset: 'PAS1736',
          snapType: '',
        },
        { filesystemName: 'ess', directory: '20210120', snapID: 27107, status: 'Valid', created: 'Wed Jan 20 00:30:02 2021', quotas: '', data: 0, metadata: 0, fileset: '', snapType: '' },
      ],
    ],
    [
      'with-sizes.txt',
      [
        {
          filesystemName: 'ess',
          directory: '20210120',
          snapID: 27107,
          status: 'Valid',
          created: 'Wed Jan 20 00:30:02 2021',
          quotas: '',
          data: 823587352320,
          metadata: 529437984,
          fileset: '',
          snapType: '',
        },
        {
          filesystemName: 'ess',
          directory: '20201115_PAS1736',
          snapID: 16337,
          status: 'DeleteRequired',
          created: 'Sun Nov 15 02:47:48 2020',
          quotas: '',
          data: 0,
          metadata: 205184,
          fileset: 'PAS1736',
          snapType: '',
        },
      ],
    ],
    [
      'header-trailing-space.txt',
      [
        { filesystemName: 'fstest', directory: 'autumn_20151012', snapID: 1517, status: 'Valid', created: 'Mon Oct 12 14:24:41 2015', quotas: '', data: 0, metadata: 0, fileset: '', snapType: '' },
        { filesystemName: 'fstest', directory: 'okt_20151028', snapID: 1518, status: 'Valid', created: 'Wed Oct 28 11:34:06 2015', quotas: '', data: 0, metadata: 0, fileset: '', snapType: '' },
      ],
    ],
  ])('reads %s', (name, expected) => {
    expect(parseMmlssnapshot(fixture(name))._unsafeUnwrap()).toEqual(expected);
  });

  it('reports the no-snapshot message (which has no HEADER) as an error', () => {
    expect(parseMmlssnapshot(fixture('no-snapshots.txt'))._unsafeUnwrapErr()).toMatchObject({ parser: 'parseMmlssnapshot', message: expect.stringMatching(/no mmlssnapshot HEADER/) });
  });

  it('reports a row before its HEADER and a non-numeric snapshot id with their line numbers', () => {
    const lines = fixture('basic.txt').split('\n');
    expect(parseMmlssnapshot([lines[1], lines[0]].join('\n'))._unsafeUnwrapErr().line).toBe(1);
    expect(parseMmlssnapshot(`${lines[0]}\n\nmmlssnapshot::0:1:::ess:s1:x1:Valid:now::0:0:::\n`)._unsafeUnwrapErr()).toMatchObject({ line: 3 });
  });
});
