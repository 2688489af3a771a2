import { describe, expect, it } from 'vitest';
import { BASE, createHarness, fileState } from './support/harness.js';

describe('driver: extendVolume (simulator)', () => {
  it('grows the volume in one round trip: a raw-pinned size probe, then a resize that can only grow', async () => {
    const { driver, sim, events, measure } = await createHarness();
    (await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrap();
    events.length = 0;
    const { result, roundTrips } = await measure(() => driver.extendVolume({ name: 'v' }, 5));
    expect(result._unsafeUnwrap()).toEqual({ name: 'v', path: `${BASE}/v`, sizeGiB: 5 });
    expect(roundTrips).toBe(1);
    expect(sim.inspect.file(`${BASE}/v`)._unsafeUnwrap().sizeBytes).toBe(5 * 2 ** 30);
    expect(events.map((event) => event.argv.slice(0, 4))).toEqual([
      ['df', '-P', '-t', 'gpfs'],
      ['test', '-f', `${BASE}/v`],
      ['qemu-img', 'info', '-f', 'raw'],
      ['truncate', '-c', '-s', '>5G'],
    ]);
    // No format is ever probed: qemu-img only reads with -f raw, and truncate never reads content.
    expect(events.filter((event) => event.argv[0] === 'qemu-img').every((event) => event.argv.includes('raw'))).toBe(true);
  });

  it('refuses to shrink in its one round trip, the resize (sent before the size is known) leaving the volume as it was', async () => {
    const { driver, sim, measure } = await createHarness();
    sim.control.seedFile({ path: `${BASE}/tenant`, content: 'tenant data', sizeBytes: 3 * 2 ** 30, mode: 0o660 })._unsafeUnwrap();
    const before = fileState(sim);
    const { result, roundTrips } = await measure(() => driver.extendVolume({ name: 'tenant' }, 2));
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument', argument: 'newSizeGiB', message: expect.stringContaining('Nothing was changed') });
    expect(roundTrips).toBe(1);
    expect(fileState(sim)).toEqual(before);
    (await driver.extendVolume({ name: 'tenant' }, 4))._unsafeUnwrap();
    expect(sim.inspect.file(`${BASE}/tenant`)._unsafeUnwrap().sizeBytes).toBe(4 * 2 ** 30);
  });

  it('refuses to shrink and changes nothing; the same size is a no-op', async () => {
    const { driver, sim, measure } = await createHarness();
    (await driver.createVolume({ name: 'v', sizeGiB: 4 }))._unsafeUnwrap();
    const before = fileState(sim);
    expect((await driver.extendVolume({ name: 'v' }, 2))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument', argument: 'newSizeGiB' });
    const same = await measure(() => driver.extendVolume({ name: 'v' }, 4));
    expect(same.result._unsafeUnwrap().sizeGiB).toBe(4);
    expect(same.roundTrips).toBe(1);
    expect(fileState(sim)).toEqual(before);
  });

  it('reports a missing volume and a failed resize', async () => {
    const { driver, sim } = await createHarness();
    expect((await driver.extendVolume({ name: 'nope' }, 2))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'volume' });
    (await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrap();
    sim.faults.failWhen({ argvPrefix: ['truncate', '-c'] }, { exitCode: 1, stderr: 'truncate: injected\n' }, { times: 1 });
    expect((await driver.extendVolume({ name: 'v' }, 2))._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'resize' });
    expect(sim.inspect.file(`${BASE}/v`)._unsafeUnwrap().sizeBytes).toBe(2 ** 30);
  });
});

describe('driver: getVolumeStats (simulator)', () => {
  it('reports capacity in GiB rounded up, location info and encryption, cached until refresh', async () => {
    const { driver, measure } = await createHarness({ backendName: 'gold' }, { filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', capacityBytes: 10 * 2 ** 40, encryption: true }] });
    const first = await measure(() => driver.getVolumeStats());
    expect(first.roundTrips).toBe(1);
    expect(first.result._unsafeUnwrap()).toMatchObject({
      volumeBackendName: 'gold',
      vendorName: 'IBM',
      storageProtocol: 'file',
      totalCapacityGiB: 10 * 1024,
      reservedPercentage: 0,
      qosSupport: false,
      storagePool: 'system',
      locationInfo: `GPFSDriver:13882361916354541312:${BASE}`,
      encryptionAtRest: true,
      mounted: true,
    });
    const cached = await measure(() => driver.getVolumeStats());
    expect(cached.roundTrips).toBe(0);
    const refreshed = await measure(() => driver.getVolumeStats({ refresh: true }));
    expect(refreshed.roundTrips).toBe(1);
  });

  // Upstream bug 1246779: df of an unmounted mount point reports the local disk.
  it('reports zero capacity when GPFS is not mounted, even before setup', async () => {
    const { driver, sim } = await createHarness({ mountPointBase: '/gpfs0' }, {}, { setup: false });
    sim.control.unmount('gpfs0')._unsafeUnwrap();
    const stats = (await driver.getVolumeStats({ refresh: true }))._unsafeUnwrap();
    expect(stats).toMatchObject({ totalCapacityGiB: 0, freeCapacityGiB: 0, mounted: false, locationInfo: 'GPFSDriver:13882361916354541312:/gpfs0' });
  });
});

describe('driver: initializeConnection and localPath', () => {
  it('returns the gpfs connection type and the volume path, running nothing', async () => {
    const { driver, measure } = await createHarness();
    const { result, roundTrips } = await measure(() => driver.initializeConnection({ name: 'volume-1' }));
    expect(result._unsafeUnwrap()).toEqual({ driverVolumeType: 'gpfs', data: { name: 'volume-1', devicePath: `${BASE}/volume-1` } });
    expect(roundTrips).toBe(0);
    expect((await driver.localPath({ name: 'volume-1' }))._unsafeUnwrap()).toBe(`${BASE}/volume-1`);
    expect((await driver.localPath({ name: '../../etc/shadow' }))._unsafeUnwrapErr().kind).toBe('InvalidName');
  });
});

describe('driver: lazy setup', () => {
  it('runs setup on first use and caches the facts', async () => {
    const { driver, measure } = await createHarness({}, {}, { setup: false });
    expect(driver.facts()).toBeNull();
    const first = await measure(() => driver.createVolume({ name: 'v', sizeGiB: 1 }));
    first.result._unsafeUnwrap();
    expect(first.roundTrips).toBe(3);
    expect(driver.facts()?.base.device).toBe('gpfs0');
    const second = await measure(() => driver.createVolume({ name: 'w', sizeGiB: 1 }));
    expect(second.roundTrips).toBe(1);
  });

  it('refuses to write on a downlevel cluster', async () => {
    const { driver, sim } = await createHarness({}, { daemonReleaseLevel: 1104 }, { setup: false });
    expect((await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrapErr().kind).toBe('DownlevelCluster');
    expect(fileState(sim)).toEqual([]);
  });
});
