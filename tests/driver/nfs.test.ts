import { describe, expect, it } from 'vitest';
import { createGpfsDriver, createGpfsDriverResult } from '../../src/driver/driver.js';
import { createGpfsSimulator } from '../../src/simulator/index.js';
import { BASE, createHarness } from './support/harness.js';

const NFS = { server: 'ces.example.com', exportPath: '/gpfs0', consumerMountPoint: '/mnt/gpfs0' };

describe('driver: NFS mode', () => {
  it('gives consumer-side paths from localPath and initializeConnection, without running anything', async () => {
    const harness = await createHarness({ nfs: NFS });
    (await harness.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    const path = await harness.measure(() => harness.driver.localPath({ name: 'v1' }));
    expect(path.result._unsafeUnwrap()).toBe('/mnt/gpfs0/volumes/v1');
    expect(path.roundTrips).toBe(0);
    expect((await harness.driver.localPath({ name: 'v1', groupId: 'g1' }))._unsafeUnwrap()).toBe('/mnt/gpfs0/volumes/consisgroup-g1/v1');
    const info = await harness.measure(() => harness.driver.initializeConnection({ name: 'v1', groupId: 'g1' }));
    expect(info.result._unsafeUnwrap()).toEqual({
      driverVolumeType: 'nfs',
      data: { name: 'v1', devicePath: '/mnt/gpfs0/volumes/consisgroup-g1/v1', export: 'ces.example.com:/gpfs0', mountPoint: '/mnt/gpfs0', gpfsPath: `${BASE}/consisgroup-g1/v1` },
    });
    expect(info.roundTrips).toBe(0);
  });

  it('runs every command on GPFS-side paths (no consumer path ever reaches the runner)', async () => {
    const harness = await createHarness({ nfs: { consumerMountPoint: '/mnt/volumes' } });
    const { driver, events } = harness;
    (await driver.createVolume({ name: 'v1', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
    (await driver.createClonedVolume({ name: 'v2', sizeGiB: 1 }, { name: 'v1' }))._unsafeUnwrap();
    (await driver.revertToSnapshot({ name: 'v1' }, { name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
    (await driver.deleteVolume({ name: 'v2' }))._unsafeUnwrap();
    expect((await driver.localPath({ name: 'v2' }))._unsafeUnwrap()).toBe('/mnt/volumes/v2');
    expect(events.length).toBeGreaterThan(10);
    expect(events.filter((event) => event.argv.some((arg) => arg.includes('/mnt/')))).toEqual([]);
    expect(harness.files()).toEqual([`${BASE}/s1`, `${BASE}/v1`]);
  });

  it('defaults the export to mountPointBase and reports it without a server', async () => {
    const harness = await createHarness({ nfs: { consumerMountPoint: '/mnt/volumes' } });
    expect((await harness.driver.initializeConnection({ name: 'v1' }))._unsafeUnwrap()).toMatchObject({
      driverVolumeType: 'nfs',
      data: { devicePath: '/mnt/volumes/v1', export: BASE, mountPoint: '/mnt/volumes' },
    });
  });

  it.each([
    [{ consumerMountPoint: 'mnt/volumes' }, 'nfs.consumerMountPoint: must be an absolute path'],
    [{ consumerMountPoint: '/mnt/../etc' }, "nfs.consumerMountPoint: must be normalised: no '//', '.' or '..' components"],
    [{ consumerMountPoint: '/mnt/v', exportPath: '/gpfs1' }, 'nfs.exportPath: must be mountPointBase (/gpfs0/volumes) or a directory above it, so the volumes are inside the export (got /gpfs1)'],
    [
      { consumerMountPoint: '/mnt/v', exportPath: '/gpfs0/volumes/sub' },
      'nfs.exportPath: must be mountPointBase (/gpfs0/volumes) or a directory above it, so the volumes are inside the export (got /gpfs0/volumes/sub)',
    ],
    [{ consumerMountPoint: '/mnt/v', server: 'host; rm -rf /' }, 'nfs.server: must be a host name or an IP address'],
    [{ consumerMountPoint: '/mnt/v', mountOptions: 'vers=4' }, 'nfs must be an object { consumerMountPoint, exportPath?, server? } with no other keys'],
    ['/mnt/v', 'nfs must be an object { consumerMountPoint, exportPath?, server? } with no other keys'],
  ])('rejects nfs option %j', (nfs, issue) => {
    const result = createGpfsDriverResult({ runner: createGpfsSimulator(), mountPointBase: BASE, nfs: nfs as never });
    expect(result._unsafeUnwrapErr().kind).toBe('InvalidConfig');
    expect(result._unsafeUnwrapErr().issues.join('\n')).toContain(issue);
  });

  it('makes every method of a driver with a bad nfs option return the options error', async () => {
    const driver = createGpfsDriver({ runner: createGpfsSimulator(), mountPointBase: BASE, nfs: { consumerMountPoint: 'relative' } });
    expect(driver.configError?.kind).toBe('InvalidConfig');
    expect((await driver.localPath({ name: 'v1' }))._unsafeUnwrapErr().kind).toBe('InvalidConfig');
    expect((await driver.createGroup({ id: 'g1' }))._unsafeUnwrapErr().kind).toBe('InvalidConfig');
  });
});
