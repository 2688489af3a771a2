import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmlsconfig, type MmlsconfigEntry } from '../../src/parsers/mmlsconfig.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmlsconfig/${name}`, import.meta.url), 'utf8');
const entry = (configParameter: string, value: string, nodeList = ''): MmlsconfigEntry => ({ configParameter, value, nodeList });

describe('parsers: mmlsconfig -Y', () => {
  it.each<[string, MmlsconfigEntry[]]>([
    ['cluster-id.txt', [entry('clusterId', '13882361916354541312')]],
    ['min-release-level-daemon.txt', [entry('minreleaseLeveldaemon', '1504')]],
    ['cinder-short-rows.txt', [entry('minReleaseLevel', '1403')]],
    [
      'per-node-values.txt',
      [entry('pagepool', '1G'), entry('pagepool', '3500m', 'c5n97g'), entry('opensslLibName', '/usr/lib64/libssl.so.10:libssl.so'), entry('verbsPorts', 'mlx5_0/1 mlx5_1/1', 'nsdNodes,c5n97g')],
    ],
  ])('reads %s', (name, expected) => {
    expect(parseMmlsconfig(fixture(name))._unsafeUnwrap()).toEqual(expected);
  });

  it('reads every attribute of a full listing, with values as strings and node lists kept', () => {
    const entries = parseMmlsconfig(fixture('full.txt'))._unsafeUnwrap();
    expect(entries).toHaveLength(19);
    expect(entries[1]).toEqual(entry('clusterId', '2924343654772276122'));
    expect(entries.find((item) => item.configParameter === 'minReleaseLevel')?.value).toBe('5.2.1.0');
    expect(entries.filter((item) => item.nodeList === 'cesNodes').map((item) => item.configParameter)).toEqual(['maxMBpS', 'numaMemoryInterleave', 'enforceFilesetQuotaOnRoot', 'workerThreads']);
  });

  it('reports a row before its HEADER with its line number', () => {
    expect(parseMmlsconfig(fixture('no-header.txt'))._unsafeUnwrapErr()).toMatchObject({ parser: 'parseMmlsconfig', line: 1 });
  });

  it('reports output with no mmlsconfig HEADER', () => {
    expect(parseMmlsconfig('mmlsconfig: No such attribute: foo\n')._unsafeUnwrapErr().message).toMatch(/no mmlsconfig HEADER line/);
  });

  it('refuses a HEADER without the value column', () => {
    expect(parseMmlsconfig('mmlsconfig::HEADER:version:reserved:reserved:configParameter:nodeList:\n')._unsafeUnwrapErr().message).toBe("the mmlsconfig HEADER has no 'value' column");
  });
});
