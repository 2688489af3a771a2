import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmlsattrReplication, type MmlsattrReplicationRow } from '../../src/parsers/mmlsattr-replication.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmlsattr/${name}`, import.meta.url), 'utf8');
const header = '  replication factors\nmetadata(max) data(max) file    [flags]\n------------- --------- ---------------\n';

describe('parsers: mmlsattr (plain, without -L)', () => {
  it.each<[string, MmlsattrReplicationRow[]]>([
    [
      'plain-sample.txt',
      [
        {
          fileName: '/FS1/replication_testfile2',
          metadataReplication: { current: 2, max: 2 },
          dataReplication: { current: 2, max: 2 },
          flags: ['dataupdatemiss'],
        },
      ],
    ],
    [
      'plain-multiple.txt',
      [
        { fileName: '/gpfs0/volume-1', metadataReplication: { current: 1, max: 2 }, dataReplication: { current: 1, max: 2 }, flags: [] },
        {
          fileName: '/gpfs0/my volume [copy].img',
          metadataReplication: { current: 2, max: 2 },
          dataReplication: { current: 1, max: 3 },
          flags: [],
        },
        {
          fileName: '/gpfs0/volume-3',
          metadataReplication: { current: 1, max: 1 },
          dataReplication: { current: 1, max: 2 },
          flags: ['illreplicated', 'unbalanced'],
        },
      ],
    ],
    ['empty.txt', []],
  ])('reads %s', (name, expected) => {
    expect(parseMmlsattrReplication(fixture(name))._unsafeUnwrap()).toEqual(expected);
  });

  it.each<[string, string, number, RegExp]>([
    ['mmlsattr -L output', fixture('ncar-compressed.txt'), 1, /parseMmlsattr/],
    ['a row before the rule', '      2 (  2)   2 (  2) /FS1/x\n', 1, /before the header/],
    ['a row without replication factors', `${header}      2 (  2)   two     /FS1/x\n`, 4, /expected/],
    ['a row without a file name', `${header}      2 (  2)   2 (  2) \n`, 4, /expected/],
    ['a rule with the wrong number of columns', '------------- ---------\n', 1, /3 columns/],
  ])('rejects %s', (_name, text, line, message) => {
    const error = parseMmlsattrReplication(text)._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseMmlsattrReplication', line });
    expect(error.message).toMatch(message);
  });
});
