import { describe, expect, it } from 'vitest';
import { BASE, createHarness, fileState } from './support/harness.js';

describe('driver: deleteVolume (simulator)', () => {
  it('removes a plain volume with the mount check in the first of at most three round trips', async () => {
    const { driver, sim, events, measure } = await createHarness();
    (await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrap();
    events.length = 0;
    const { result, roundTrips } = await measure(() => driver.deleteVolume({ name: 'v' }));
    expect(result._unsafeUnwrap()).toMatchObject({ name: 'v', path: `${BASE}/v`, existed: true, removed: [`${BASE}/v`], kept: [] });
    expect(roundTrips).toBeLessThanOrEqual(3);
    expect(events[0]).toMatchObject({ step: 'check-mounted', argv: ['df', '-P', '-t', 'gpfs', BASE], roundTrip: 1 });
    expect(fileState(sim)).toEqual([]);
  });

  it('is idempotent: a missing volume is Ok with existed false', async () => {
    const { driver } = await createHarness();
    expect((await driver.deleteVolume({ name: 'never-made' }))._unsafeUnwrap()).toMatchObject({ existed: false, removed: [] });
  });

  // G.16 item 1: real NUL-separated listings, .snap -> .ts -> snapshot chains, a parent that still has children.
  it('collapses a chain of disposable parents and stops at a live snapshot or a parent with children', async () => {
    const { driver, sim } = await createHarness();
    (await driver.createVolume({ name: 'volume-1', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 'snapshot-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    (await driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 1 }, { name: 'snapshot-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    (await driver.createClonedVolume({ name: 'volume-3', sizeGiB: 1 }, { name: 'volume-2' }))._unsafeUnwrap();
    (await driver.createClonedVolume({ name: 'volume-4', sizeGiB: 1 }, { name: 'volume-3' }))._unsafeUnwrap();

    // volume-4 shares volume-4.snap with volume-3: the parent stays.
    const first = (await driver.deleteVolume({ name: 'volume-4' }))._unsafeUnwrap();
    expect(first.removed).toEqual([`${BASE}/volume-4`]);
    expect(first.kept[0]).toMatchObject({ path: `${BASE}/volume-4.snap`, reason: 'StillHasChildren' });

    // The live snapshot is never removed by a volume deletion.
    (await driver.deleteVolume({ name: 'volume-1' }))._unsafeUnwrap();
    expect(sim.inspect.file(`${BASE}/snapshot-1`).isOk()).toBe(true);

    // Once the snapshot is deleted (tombstoned), the last clones collect every disposable parent.
    expect((await driver.deleteSnapshot({ name: 'snapshot-1', volumeName: 'volume-1' }))._unsafeUnwrap().status).toBe('tombstoned');
    (await driver.deleteVolume({ name: 'volume-2' }))._unsafeUnwrap();
    const last = (await driver.deleteVolume({ name: 'volume-3' }))._unsafeUnwrap();
    expect(last.removed).toEqual([`${BASE}/volume-3`, `${BASE}/volume-4.snap`, `${BASE}/volume-3.snap`, `${BASE}/snapshot-1.ts`]);
    expect(fileState(sim)).toEqual([]);
  });

  it.each([1, 4, 12])('takes at most three round trips for a clone chain %i deep', async (depth) => {
    const { driver, sim, measure } = await createHarness();
    (await driver.createVolume({ name: 'volume-0', sizeGiB: 1 }))._unsafeUnwrap();
    for (let level = 1; level <= depth; level++) {
      (await driver.createClonedVolume({ name: `volume-${level}`, sizeGiB: 1 }, { name: `volume-${level - 1}` }))._unsafeUnwrap();
    }
    for (let level = 0; level < depth; level++) (await driver.deleteVolume({ name: `volume-${level}` }))._unsafeUnwrap();
    const { result, roundTrips } = await measure(() => driver.deleteVolume({ name: `volume-${depth}` }));
    expect(result._unsafeUnwrap().removed).toHaveLength(depth + 1);
    expect(roundTrips).toBeLessThanOrEqual(3);
    expect(fileState(sim)).toEqual([]);
  });

  // Upstream bug 1249411: do not remove volumes silently when GPFS is unmounted.
  it('refuses with NotMounted when the file system is unmounted, touching nothing', async () => {
    const { driver, sim } = await createHarness({ mountPointBase: '/gpfs0' });
    (await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrap();
    sim.control.unmount('gpfs0')._unsafeUnwrap();
    expect((await driver.deleteVolume({ name: 'v' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotMounted', path: '/gpfs0' });
    sim.control.mount('gpfs0')._unsafeUnwrap();
    expect(sim.inspect.file('/gpfs0/v').isOk()).toBe(true);
    expect(sim.inspect.localDiskWrites()).toEqual([]);
  });

  it('reports a failed removal of the volume itself (E.8 item 7: upstream ignores it)', async () => {
    const { driver, sim } = await createHarness();
    (await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrap();
    sim.faults.failWhen({ argvPrefix: ['rm', '-f', '--', `${BASE}/v`] }, { exitCode: 1, stderr: 'rm: injected\n' }, { times: 1 });
    expect((await driver.deleteVolume({ name: 'v' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed' });
    expect(sim.inspect.file(`${BASE}/v`).isOk()).toBe(true);
    (await driver.deleteVolume({ name: 'v' }))._unsafeUnwrap();
    expect(sim.inspect.file(`${BASE}/v`).isErr()).toBe(true);
  });

  it('refuses hostile names without running anything', async () => {
    const { driver, measure } = await createHarness();
    const { result, roundTrips } = await measure(() => driver.deleteVolume({ name: '../volumes' }));
    expect(result._unsafeUnwrapErr().kind).toBe('InvalidName');
    expect(roundTrips).toBe(0);
  });
});
