import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmlsdisk } from '../../src/parsers/mmlsdisk.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmlsdisk/${name}`, import.meta.url), 'utf8');

describe('parsers: mmlsdisk -Y', () => {
  it('reads every disk, skipping a line too short to be a row', () => {
    const disks = parseMmlsdisk(fixture('with-invalid-lines.txt'))._unsafeUnwrap();
    expect(disks).toHaveLength(6);
    expect(disks[0]).toEqual({
      nsdName: 'RG001VS003',
      driverType: 'nsd',
      sectorSize: 512,
      failureGroup: '1',
      metadata: true,
      data: true,
      status: 'ready',
      availability: 'up',
      diskID: 1,
      storagePool: 'system',
      remarks: 'desc',
      numQuorumDisks: 3,
      readQuorumValue: 2,
      writeQuorumValue: 2,
      diskSizeKB: 130518089728,
      diskUID: 'C0A82D155E83D23B',
      thinDiskType: '',
    });
    expect(disks[5]).toMatchObject({ nsdName: 'RG008VS010', status: 'foo', availability: 'bar', metadata: false });
  });

  it('reads capitalised booleans, statuses with spaces, topology failure groups and replicaType', () => {
    const disks = parseMmlsdisk(fixture('replica-type.txt'))._unsafeUnwrap();
    expect(disks.map((disk) => [disk.nsdName, disk.metadata, disk.data, disk.status, disk.availability, disk.failureGroup, disk.replicaType])).toEqual([
      ['disk1', true, false, 'ready', 'up', '1', ''],
      ['disk2', false, true, 'ready', 'down', '1', ''],
      ['disk3', false, true, 'to be emptied', 'recovering', '1', ''],
      ['disk4', false, true, 'ready', 'unrecovered', '2,0,1', ''],
    ]);
  });

  it('reports a row whose yes/no column holds something else (a row with columns missing) with its line number', () => {
    expect(parseMmlsdisk(fixture('bad-boolean.txt'))._unsafeUnwrapErr()).toMatchObject({
      parser: 'parseMmlsdisk',
      line: 3,
      message: expect.stringMatching(/'metadata' holds "ready"/),
    });
  });

  it('reports output without an mmlsdisk HEADER', () => {
    expect(parseMmlsdisk('mmlsdisk: File system gpfs9 is not known to the GPFS cluster.\n')._unsafeUnwrapErr().message).toMatch(/no mmlsdisk HEADER/);
  });
});
