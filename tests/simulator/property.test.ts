import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGpfsSimulator } from '../../src/index.js';
import { COMMAND_NAMES } from '../../src/simulator/commands/registry.js';

const PATHS = ['/gpfs0/a', '/gpfs0/b', '/gpfs0/a.snap', '/gpfs0/dir', '/gpfs0/dir/c', '/gpfs0/.snapshots/s1/a', '/gpfs0/fs1', '/tmp/x', '/', '/gpfs0', '/dev/zero', '/dev/null', 'rel', '..', ''];
const WORDS = [
  '-Y',
  '-a',
  '-L',
  '-f',
  '-r',
  '-R',
  '-p',
  '-m',
  '-s',
  '-c',
  '-t',
  '-n',
  '-F',
  '-P',
  '-B',
  '-j',
  '-J',
  '-V',
  '--',
  '-',
  '!',
  '(',
  ')',
  '-o',
  'snap',
  'copy',
  'split',
  'redirect',
  'show',
  'info',
  'resize',
  'convert',
  'create',
  'gpfs0',
  'all',
  'system',
  'fs1',
  's1',
  'new',
  '--inode-space',
  '--output=json',
  '--shrink',
  'ext4',
  'xfs',
  'vfat',
  'swap',
  'raw',
  'qcow2',
  '-O',
  '-S',
  '0',
  '1',
  '10',
  '1K',
  '1M',
  '10M',
  '+1M',
  '-1M',
  '1T',
  '1G',
  '%i %s %b %m %y %p\\0',
  '%n %s',
  '%d',
  '%s\\n',
  '-maxdepth',
  '-mindepth',
  '-inum',
  '-name',
  '*',
  '-type',
  'f',
  '-print0',
  '-quit',
  '-printf',
  'if=/dev/zero',
  'of=/gpfs0/a',
  'of=/gpfs0/b',
  'if=/gpfs0/a',
  'bs=1M',
  'bs=512',
  'count=4',
  'seek=2',
  'skip=1',
  'conv=notrunc',
  'conv=sparse',
  'status=none',
  '660',
  'u+x',
  'root',
  '1000:1000',
  'clusterId',
  'minreleaseLeveldaemon',
  '-eq',
  '=',
  '-e',
  '-d',
];

const argument = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);
const command = fc.record({
  argv: fc
    .tuple(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...COMMAND_NAMES) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) }), fc.array(argument, { maxLength: 7 }))
    .map(([name, args]) => [name, ...args]),
  asRoot: fc.boolean(),
  stdin: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  timeoutMs: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
});

describe('simulator: robustness', () => {
  it('answers any sequence of random commands with Ok or Err data, never an exception or an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        const sim = createGpfsSimulator({ filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', capacityBytes: 256 * 1024 ** 2, blockSizeBytes: 1024 * 1024, filesets: ['fs1'] }] });
        sim.control.seedFile({ path: '/gpfs0/a', content: 'seed', sizeBytes: 4096 })._unsafeUnwrap();
        for (const { stdin, timeoutMs, ...rest } of commands) {
          const result = await sim.run({ ...rest, ...(stdin === undefined ? {} : { stdin }), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
          expect(result.isOk() || result.isErr()).toBe(true);
          if (result.isOk()) {
            expect(typeof result.value.stdout).toBe('string');
            expect(typeof result.value.exitCode).toBe('number');
          } else expect(typeof result.error.kind).toBe('string');
        }
        expect(sim.inspect.internalErrors()).toEqual([]);
        for (const file of sim.inspect.snapshotState().files) {
          if (file.clone?.isParent === true && file.snapshot === null) expect(file.links).toBe(1 + file.clone.children);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('survives random argv arrays of any strings, including batches', async () => {
    const sim = createGpfsSimulator();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.string({ maxLength: 16 }), { maxLength: 6 }), { maxLength: 5 }), async (argvs) => {
        const batch = await sim.runBatch(argvs.map((argv) => ({ argv, asRoot: true })));
        expect(batch.isOk() || batch.isErr()).toBe(true);
        for (const argv of argvs) expect((await sim.run({ argv })).isOk() || argv.length === 0 || argv[0] === '' || argv.some((arg) => arg.includes('\0'))).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(sim.inspect.internalErrors()).toEqual([]);
  });
});
