import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmlspool, type MmlspoolOutput, type MmlspoolPool } from '../../src/parsers/mmlspool.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmlspool/${name}`, import.meta.url), 'utf8');
const MiB = 1024 * 1024;
const cinderSizes: [number, number, number, number] = [10485760, 9953792, 10485760, 9954560];
const pool = (name: string, id: number, blockSizeBytes: number, data: boolean, meta: boolean, [totalDataKB, freeDataKB, totalMetaKB, freeMetaKB]: [number, number, number, number]): MmlspoolPool => ({
  name,
  id,
  blockSizeBytes,
  data,
  meta,
  totalDataKB,
  freeDataKB,
  totalMetaKB,
  freeMetaKB,
});

describe('parsers: mmlspool', () => {
  it.each<[string, MmlspoolOutput]>([
    [
      'gpfs-exporter-8mb.txt',
      {
        mountPoint: '/fs/scratch',
        pools: [pool('system', 0, 8 * MiB, true, true, [783308292096, 143079555072, 783308292096, 205366984704]), pool('data', 65537, 8 * MiB, true, false, [3064453922816, 529111449600, 0, 0])],
      },
    ],
    ['gpfs-exporter-1024kb.txt', { mountPoint: '/fs/example', pools: [pool('system', 0, MiB, false, true, [0, 0, 1000, 500])] }],
    [
      'mmoxi-four-pools.txt',
      {
        mountPoint: '/gpfs1',
        pools: [
          pool('system', 0, 8 * MiB, false, true, [0, 0, 25004867584, 9798959104]),
          pool('nvme', 65537, 8 * MiB, true, false, [162531639296, 114505474048, 0, 0]),
          pool('nlsas', 65538, 8 * MiB, true, false, [1997953957888, 1981410271232, 0, 0]),
          pool('dangerzone', 65538, 8 * MiB, true, true, [42, 42, 42, 42]),
        ],
      },
    ],
    ['cinder-256kb.txt', { mountPoint: '/gpfs0', pools: [pool('system', 0, 256 * 1024, true, true, cinderSizes)] }],
    // Cinder's "fail_pool" sample: the driver ignores the output; the parser reads the pool named `test`.
    ['cinder-pool-test.txt', { mountPoint: '/gpfs0', pools: [pool('test', 0, 256 * 1024, true, true, cinderSizes)] }],
  ])('reads %s', (name, expected) => {
    expect(parseMmlspool(fixture(name))._unsafeUnwrap()).toEqual(expected);
  });

  it.each<[string, number, RegExp]>([
    ['empty.txt', 1, /empty output/],
    ['truncated-after-header.txt', 2, /no pool rows/],
    ['truncated-row.txt', 3, /does not fit/],
    ['garbage-row.txt', 3, /does not fit/],
    ['no-title.txt', 1, /Storage pools in file system at/],
    ['error-text.txt', 1, /Storage pools in file system at/],
  ])('reports %s as an error at line %i', (name, line, message) => {
    const error = parseMmlspool(fixture(name))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseMmlspool', line });
    expect(error.message).toMatch(message);
  });

  const title = "Storage pools in file system at '/gpfs0':\n";
  const header = fixture('cinder-256kb.txt').split('\n')[1]!;
  it.each<[string, string, number]>([
    ['a bare block size in bytes', 'system 0 262144 yes yes 10 5 (50%) 10 5 (50%)', 262144],
    ['a block size in GB', 'system 0 1 GB yes yes 10 5 (50%) 10 5 (50%)', 1024 * MiB],
    ['a percentage without inner padding', 'system 0 16 MB yes yes 10 10 (100%) 10 10 (100%)', 16 * MiB],
  ])('reads %s', (_name, row, blockSizeBytes) => {
    expect(parseMmlspool(`${title}${header}\n${row}\n`)._unsafeUnwrap().pools[0]?.blockSizeBytes).toBe(blockSizeBytes);
  });

  it('keeps a mount point holding quotes and spaces', () => {
    const text = fixture('cinder-256kb.txt').replace("'/gpfs0'", "'/mnt/it's here'");
    expect(parseMmlspool(text)._unsafeUnwrap().mountPoint).toBe("/mnt/it's here");
  });

  it('rejects a second file system title at its line', () => {
    const text = `${fixture('cinder-256kb.txt')}\n${fixture('gpfs-exporter-1024kb.txt')}`;
    expect(parseMmlspool(text)._unsafeUnwrapErr()).toMatchObject({ line: 4, message: expect.stringMatching(/second file system/) });
  });

  it('rejects a header it does not know at its line', () => {
    const text = `${title}Name Id\nsystem 0\n`;
    expect(parseMmlspool(text)._unsafeUnwrapErr()).toMatchObject({ line: 2, message: expect.stringMatching(/header/) });
  });

  it('rejects a pool size beyond 2^53 KB', () => {
    const text = `${title}${header}\nsystem 0 8 MB yes yes 99999999999999999 5 (50%) 10 5 (50%)\n`;
    expect(parseMmlspool(text)._unsafeUnwrapErr()).toMatchObject({ line: 3 });
  });
});
