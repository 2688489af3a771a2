import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmdf } from '../../src/parsers/mmdf.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmdf/${name}`, import.meta.url), 'utf8');

describe('parsers: mmdf -Y', () => {
  it('reads every record type of a full report, grouped', () => {
    const report = parseMmdf(fixture('full.txt'))._unsafeUnwrap();
    expect(report.nsd).toEqual([
      {
        nsdName: 'P_META_VD102',
        storagePool: 'system',
        diskSize: 771751936,
        failureGroup: '300',
        metadata: true,
        data: false,
        freeBlocks: 320274944,
        freeBlocksPct: 41,
        freeFragments: 5005384,
        freeFragmentsPct: 1,
        diskAvailableForAlloc: '',
      },
      {
        nsdName: 'P_DATA_VD02',
        storagePool: 'data',
        diskSize: 46766489600,
        failureGroup: '200',
        metadata: false,
        data: true,
        freeBlocks: 6092915712,
        freeBlocksPct: 13,
        freeFragments: 154966272,
        freeFragmentsPct: 0,
        diskAvailableForAlloc: '',
      },
    ]);
    expect(report.poolTotal.map((pool) => [pool.poolName, pool.poolSize, pool.maxDiskSize])).toEqual([
      ['system', 783308292096, 1153081262080],
      ['data', 3064453922816, 10143773212672],
    ]);
    expect(report.data).toEqual([{ totalData: 3647786188800, freeBlocks: 475190722560, freeBlocksPct: 13, freeFragments: 12059515296, freeFragmentsPct: 0 }]);
    expect(report.metadata).toEqual([{ totalMetadata: 13891534848, freeBlocks: 6011299328, freeBlocksPct: 43, freeFragments: 58139768, freeFragmentsPct: 0 }]);
    expect(report.fsTotal).toEqual([{ fsSize: 3661677723648, freeBlocks: 481202021888, freeBlocksPct: 14, freeFragments: 12117655064, freeFragmentsPct: 0 }]);
    expect(report.inode).toEqual([{ usedInodes: 430741822, freeInodes: 484301506, allocatedInodes: 915043328, maxInodes: 1332164000 }]);
    expect(report.otherRecords).toEqual({});
  });

  it('gives empty arrays for record types that were not printed', () => {
    const report = parseMmdf(fixture('no-metadata-no-inode.txt'))._unsafeUnwrap();
    expect(report.nsd.map((disk) => disk.nsdName)).toEqual(['filer3_nvme02', 'filer3_nvme03', 'filer3_nvme04']);
    expect(report.poolTotal).toHaveLength(2);
    expect(report.data).toEqual([]);
    expect(report.metadata).toEqual([]);
    expect(report.inode).toEqual([]);
    expect(report.fsTotal[0]?.freeBlocks).toBe(2115551961088);
  });

  it('keeps topology-vector failure groups as strings and rows of unknown record types in otherRecords', () => {
    const report = parseMmdf(fixture('topology-failure-group.txt'))._unsafeUnwrap();
    expect(report.nsd[0]).toMatchObject({ failureGroup: '1,0,1', diskAvailableForAlloc: '*' });
    expect(report.otherRecords).toEqual({ futureRecord: [{ name: 'answer', value: '42' }] });
    expect(report.poolTotal).toEqual([]);
  });

  it('reports a row before the HEADER of its record type with its line number', () => {
    expect(parseMmdf(fixture('rows-before-headers.txt'))._unsafeUnwrapErr()).toMatchObject({ parser: 'parseMmdf', line: 3 });
  });

  it('reports a yes/no column holding something else with its line number', () => {
    const lines = fixture('full.txt').split('\n');
    lines[6] = lines[6]!.replace(':Yes:No:', ':Yes:Maybe:');
    expect(parseMmdf(lines.join('\n'))._unsafeUnwrapErr()).toMatchObject({ line: 7, message: expect.stringMatching(/mmdf:nsd column 'data' holds "Maybe"/) });
  });

  it('reports output without any mmdf HEADER, and keeps a truncated report readable', () => {
    expect(parseMmdf('')._unsafeUnwrapErr().message).toMatch(/no mmdf HEADER line/);
    const text = fixture('full.txt');
    const truncated = text.slice(0, text.indexOf('154966272') + 3); // output cut off in the middle of line 8
    const report = parseMmdf(truncated)._unsafeUnwrap();
    expect(report.nsd[1]).toMatchObject({ nsdName: 'P_DATA_VD02', freeBlocksPct: 13, freeFragments: 154, freeFragmentsPct: null });
  });
});
