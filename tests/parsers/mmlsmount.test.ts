import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmlsmount } from '../../src/parsers/mmlsmount.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmlsmount/${name}`, import.meta.url), 'utf8');

describe('parsers: mmlsmount -Y', () => {
  it('reads one record per mounting node', () => {
    expect(parseMmlsmount(fixture('nodes-L.txt'))._unsafeUnwrap()).toEqual([
      { localDevName: 'ltfscache', realDevName: 'ltfscache', owningCluster: 'ltfs.net', totalNodes: 2, nodeIP: '192.168.100.1', nodeName: 'ltfs1', clusterName: 'ltfs.net', env: 'RW' },
      { localDevName: 'ltfscache', realDevName: 'ltfscache', owningCluster: 'ltfs.net', totalNodes: 2, nodeIP: '192.168.100.2', nodeName: 'ltfs2', clusterName: 'ltfs.net', env: 'RW' },
    ]);
  });

  it('reads several file systems, a remote one and one mounted nowhere (short row)', () => {
    const records = parseMmlsmount(fixture('several-filesystems.txt'))._unsafeUnwrap();
    expect(records.map((record) => [record.localDevName, record.realDevName, record.totalNodes, record.env])).toEqual([
      ['gpfs0', 'gpfs0', 1, 'RW'],
      ['remotefs', 'gpfs9', 3, 'RO'],
      ['scratch', 'scratch', 0, ''],
    ]);
  });

  it('keeps whatever columns the HEADER names', () => {
    const text = 'mmlsmount::HEADER:version:reserved:reserved:realDevName:mountCount:\nmmlsmount::0:1:::gpfs0:5:\n';
    expect(parseMmlsmount(text)._unsafeUnwrap()).toEqual([{ realDevName: 'gpfs0', mountCount: '5' }]);
  });

  it('reports a row without its HEADER with its line number', () => {
    expect(parseMmlsmount(fixture('row-only.txt'))._unsafeUnwrapErr()).toMatchObject({ parser: 'parseMmlsmount', line: 1 });
  });

  it('reports a node count that is not a number with its line number', () => {
    const text = fixture('nodes-L.txt').replace(':ltfs.net:2:192.168.100.2', ':ltfs.net:two:192.168.100.2');
    expect(parseMmlsmount(text)._unsafeUnwrapErr()).toMatchObject({ line: 3 });
  });
});
