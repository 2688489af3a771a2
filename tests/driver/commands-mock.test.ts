import { describe, expect, it } from 'vitest';
import { createGpfsDriver } from '../../src/driver/driver.js';
import { createMockCluster } from './support/mock-cluster.js';
import type { MockScript } from '../../src/runners/mock-script.js';

async function driverOver(overrides: MockScript[], maxCloneDepth = 2) {
  const mock = createMockCluster({ overrides });
  const driver = createGpfsDriver({ runner: mock, mountPointBase: '/gpfs0/volumes', maxCloneDepth });
  (await driver.setup())._unsafeUnwrap();
  mock.clearCalls();
  return { mock, driver };
}

describe('driver: exact commands (mock runner)', () => {
  it('sends createVolume as one batch of exactly these commands (no -P on a one-pool file system)', async () => {
    const { mock, driver } = await driverOver([]);
    (await driver.createVolume({ name: 'volume-1', sizeGiB: 3, metadata: { dio: 'no' } }))._unsafeUnwrap();
    expect(mock.roundTrips).toBe(1);
    expect(mock.calls.every((call) => call.asRoot && call.inBatch)).toBe(true);
    // Made as a work file beside the volume, published under its name (ln never replaces a file) once complete.
    const work = mock.argvs[2]?.[3] ?? '';
    expect(work).toMatch(/^\/gpfs0\/volumes\/\.tmp\.create\.[0-9a-z]+$/);
    expect(mock.argvs).toEqual([
      ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'],
      ['test', '!', '-e', '/gpfs0/volumes/volume-1'],
      ['truncate', '-s', '3G', work],
      ['chmod', '660', work],
      ['mmchattr', '-D', 'no', work],
      ['ln', '-T', '--', work, '/gpfs0/volumes/volume-1'],
      ['rm', '-f', '--', work],
    ]);
  });

  // G.16 item 13: upstream's _is_gpfs_parent_file raises IndexError on empty output.
  it('treats empty mmclone show output as a ParseError and undoes the snapshot', async () => {
    const { mock, driver } = await driverOver([
      { match: { prefix: ['mmclone', 'show'] }, reply: { stdout: '' } },
      { match: ['rm', '-f', '/gpfs0/volumes/snap-1'], reply: { exitCode: 1, stderr: "rm: cannot remove '/gpfs0/volumes/snap-1': Read-only file system\n" } },
    ]);
    const error = (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseMmcloneShow' });
    const cleanup = mock.argvs.slice(-3);
    expect(cleanup[0]).toEqual(['rm', '-f', '/gpfs0/volumes/snap-1']);
    expect(cleanup[1]?.slice(0, 2)).toEqual(['mv', '/gpfs0/volumes/snap-1']);
    expect(cleanup[1]?.[2]).toMatch(/^\/gpfs0\/volumes\/snap-1\.[0-9a-z]+\.ts$/);
    expect(cleanup[2]).toEqual(['rm', '-f', cleanup[1]?.[2]]);
  });

  it('reads the depth of the named file, not the last row of the output', async () => {
    // The new volume is shown under its work name (argv[3]), before it is published.
    const show = (argv: readonly string[]) =>
      [
        'Parent  Depth   Parent inode   File name',
        '------  -----  --------------  ---------',
        '    no      5            4100  /gpfs0/volumes/volume-1',
        `    no      1            4100  ${argv[3] ?? ''}`,
        '',
      ].join('\n');
    const { mock, driver } = await driverOver([
      { match: { prefix: ['mmclone', 'show'] }, reply: (command) => ({ stdout: show(command.argv) }) },
      { match: { prefix: ['qemu-img', 'info'] }, reply: { stdout: '{"virtual-size": 1073741824, "filename": "/gpfs0/volumes/volume-2", "format": "raw"}' } },
    ]);
    (await driver.createClonedVolume({ name: 'volume-2', sizeGiB: 1 }, { name: 'volume-1' }))._unsafeUnwrap();
    expect(mock.argvs.filter((argv) => argv[1] === 'redirect')).toEqual([['mmclone', 'redirect', '/gpfs0/volumes/volume-1']]);
    // Only one of the two was redirected: the hidden parent must stay.
    expect(mock.argvs.some((argv) => argv[0] === 'rm' && argv.includes('/gpfs0/volumes/volume-2.snap'))).toBe(false);
  });

  // G.16 item 8 / E.8 item 13: each value reaches the tool as one argv element or is refused.
  it('passes nothing but validated values to root commands', async () => {
    const { mock, driver } = await driverOver([]);
    for (const value of ['*', '{a,b}', '#', 'system -i yes', '$(id)']) {
      expect((await driver.createVolume({ name: 'v', sizeGiB: 1, metadata: { data_pool_name: value } }))._unsafeUnwrapErr().kind).toBe('InvalidMetadata');
    }
    expect(mock.argvs).toEqual([]);
  });

  it('maps a runner error to the driver error with the operation name', async () => {
    const { driver } = await driverOver([{ match: ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'], reply: { kind: 'Timeout', timeoutMs: 1000 } }]);
    expect((await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrapErr()).toMatchObject({ kind: 'Timeout', operation: 'createVolume' });
  });
});
