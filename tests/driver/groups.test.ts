import { describe, expect, it } from 'vitest';
import { BASE, createHarness, fileState } from './support/harness.js';
import { digestOf, raw, writeData } from './support/groups.js';

const G1 = `${BASE}/consisgroup-g1`;

function filesets(harness: Awaited<ReturnType<typeof createHarness>>) {
  return harness.sim.inspect.snapshotState().filesystems[0]?.filesets.filter((fileset) => fileset.name.startsWith('consisgroup-')) ?? [];
}

describe('driver: consistency groups', () => {
  it('creates an independent fileset linked under the base, mode 770, in one round trip', async () => {
    const harness = await createHarness();
    const { result, roundTrips } = await harness.measure(() => harness.driver.createGroup({ id: 'g1' }));
    expect(result._unsafeUnwrap()).toEqual({ id: 'g1', filesetName: 'consisgroup-g1', path: G1 });
    expect(roundTrips).toBe(1);
    expect(filesets(harness)).toEqual([expect.objectContaining({ name: 'consisgroup-g1', status: 'Linked', junctionPath: G1, independent: true })]);
    expect(harness.sim.inspect.file(G1)._unsafeUnwrap()).toMatchObject({ type: 'directory', mode: 0o770, fileset: 'consisgroup-g1' });
  });

  it('refuses an existing group and invalid ids, changing nothing', async () => {
    const harness = await createHarness();
    (await harness.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    const again = await harness.driver.createGroup({ id: 'g1' });
    expect(again._unsafeUnwrapErr()).toMatchObject({ kind: 'AlreadyExists', role: 'group', path: G1 });
    expect(filesets(harness)).toHaveLength(1);
    for (const id of ['../x', 'a/b', '', '-rf', 'g 1', 'x;rm', '.']) {
      const { result, roundTrips } = await harness.measure(() => harness.driver.createGroup({ id }));
      expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName', role: 'group' });
      expect(roundTrips).toBe(0);
    }
  });

  it.each([
    ['mmlinkfileset', 'link-fileset'],
    ['chmod', 'set-permissions'],
  ])('undoes the fileset when %s fails', async (command, step) => {
    const harness = await createHarness();
    harness.sim.faults.failWhen({ command }, { exitCode: 1, stderr: `${command}: injected failure` }, { times: 1 });
    const result = await harness.driver.createGroup({ id: 'g1' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step, cleanup: { complete: true } });
    expect(filesets(harness)).toEqual([]);
    expect(harness.sim.inspect.file(G1).isErr()).toBe(true);
  });

  it('writes nothing when GPFS is not mounted', async () => {
    const harness = await createHarness();
    harness.sim.control.unmount('gpfs0')._unsafeUnwrap();
    const result = await harness.driver.createGroup({ id: 'g1' });
    expect(result._unsafeUnwrapErr().kind).toBe('NotMounted');
    expect(harness.sim.inspect.localDiskWrites()).toEqual([]);
  });

  it('deletes a group without group snapshots in two round trips', async () => {
    const harness = await createHarness();
    (await harness.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    (await harness.driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    const deleted = await harness.measure(() => harness.driver.deleteGroup({ id: 'g1' }));
    expect(deleted.result._unsafeUnwrap()).toMatchObject({ existed: true, volumes: ['v1'], groupSnapshots: [] });
    expect(deleted.roundTrips).toBe(2);
    expect(filesets(harness)).toEqual([]);
  });

  it('deletes a group with its volumes and group snapshots in three round trips (what depends on a fileset snapshot goes first), then is idempotent in one', async () => {
    const harness = await createHarness();
    (await harness.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    (await harness.driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    (await harness.driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    (await harness.driver.createVolumeFromSnapshot({ name: 'v2', sizeGiB: 1, groupId: 'g1' }, { name: 'gs1.v1', volumeName: 'v1', groupId: 'g1' }))._unsafeUnwrap();
    const first = await harness.measure(() => harness.driver.deleteGroup({ id: 'g1' }));
    expect(first.result._unsafeUnwrap()).toMatchObject({ existed: true, volumes: ['gs1.v1', 'v1', 'v2'], groupSnapshots: ['gs1'] });
    expect(first.roundTrips).toBe(3);
    // Clones of the fileset snapshot were removed children first, before the snapshot itself.
    const steps = harness.events.filter((event) => event.step === 'remove-snapshot-dependent').map((event) => event.argv.at(-1));
    expect(steps).toEqual([`${G1}/v2`, `${G1}/gs1.v1`, `${G1}/.group-snapshots/gs1/v1`]);
    expect(filesets(harness)).toEqual([]);
    expect(harness.sim.inspect.snapshotState().filesystems[0]?.snapshots).toEqual([]);
    const second = await harness.measure(() => harness.driver.deleteGroup({ id: 'g1' }));
    expect(second.result._unsafeUnwrap()).toMatchObject({ existed: false, volumes: [] });
    expect(second.roundTrips).toBe(1);
  });

  it('relinks the group when deleting its fileset fails, so its volumes stay usable', async () => {
    const harness = await createHarness();
    (await harness.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    (await harness.driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    await writeData(harness.sim, `${G1}/v1`, 'keep');
    const before = digestOf(harness.sim, `${G1}/v1`);
    harness.sim.faults.failWhen({ command: 'mmdelfileset' }, { exitCode: 1, stderr: 'mmdelfileset: injected' }, { times: 1 });
    const result = await harness.driver.deleteGroup({ id: 'g1' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'delete-fileset', cleanup: { complete: true } });
    expect(filesets(harness)).toEqual([expect.objectContaining({ status: 'Linked', junctionPath: G1 })]);
    expect(digestOf(harness.sim, `${G1}/v1`)).toBe(before);
  });

  it('never deletes a fileset of a group name that is linked outside the base', async () => {
    const harness = await createHarness();
    expect(await raw(harness.sim, 'mmcrfileset', 'gpfs0', 'consisgroup-g9', '--inode-space', 'new')).toBe(0);
    expect(await raw(harness.sim, 'mmlinkfileset', 'gpfs0', 'consisgroup-g9', '-J', '/gpfs0/elsewhere')).toBe(0);
    const result = await harness.driver.deleteGroup({ id: 'g9' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'InUse', path: '/gpfs0/elsewhere' });
    expect(filesets(harness)).toEqual([expect.objectContaining({ name: 'consisgroup-g9', status: 'Linked' })]);
  });

  it('creates volumes in a group in one round trip, and refuses a group that does not exist', async () => {
    const harness = await createHarness();
    (await harness.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    const { result, roundTrips } = await harness.measure(() => harness.driver.createVolume({ name: 'v1', sizeGiB: 2, groupId: 'g1' }));
    expect(result._unsafeUnwrap()).toEqual({ name: 'v1', path: `${G1}/v1`, sizeGiB: 2 });
    expect(roundTrips).toBe(1);
    expect(harness.sim.inspect.file(`${G1}/v1`)._unsafeUnwrap()).toMatchObject({ sizeBytes: 2 * 1024 ** 3, mode: 0o660, fileset: 'consisgroup-g1' });
    const before = fileState(harness.sim, '/gpfs0');
    const missing = await harness.driver.createVolume({ name: 'v2', sizeGiB: 1, groupId: 'nope' });
    expect(missing._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'group' });
    expect(fileState(harness.sim, '/gpfs0')).toEqual(before);
  });

  it('never creates a group volume in a plain directory that only has a group name', async () => {
    const harness = await createHarness();
    harness.sim.control.mkdir(`${BASE}/consisgroup-fake`)._unsafeUnwrap();
    const result = await harness.driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'fake' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'group' });
    expect(harness.sim.inspect.file(`${BASE}/consisgroup-fake/v1`).isErr()).toBe(true);
  });

  it('serves the volume and snapshot methods inside a group with the same round trips as in the base', async () => {
    const harness = await createHarness();
    const { driver, measure } = harness;
    (await driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    const snapshot = await measure(() => driver.createSnapshot({ name: 's1', volumeName: 'v1', groupId: 'g1' }));
    expect(snapshot.result._unsafeUnwrap().path).toBe(`${G1}/s1`);
    expect(snapshot.roundTrips).toBeLessThanOrEqual(2);
    const fromSnapshot = await measure(() => driver.createVolumeFromSnapshot({ name: 'v2', sizeGiB: 1, groupId: 'g1' }, { name: 's1', volumeName: 'v1', groupId: 'g1' }));
    expect(fromSnapshot.roundTrips).toBeLessThanOrEqual(2);
    const s1 = harness.sim.inspect.file(`${G1}/s1`)._unsafeUnwrap();
    expect(harness.sim.inspect.file(`${G1}/v2`)._unsafeUnwrap().clone?.parentInode).toBe(s1.inode);
    const clone = await measure(() => driver.createClonedVolume({ name: 'v3', sizeGiB: 1, groupId: 'g1' }, { name: 'v1', groupId: 'g1' }));
    expect(clone.result._unsafeUnwrap().path).toBe(`${G1}/v3`);
    expect(clone.roundTrips).toBeLessThanOrEqual(2);
    const extend = await measure(() => driver.extendVolume({ name: 'v3', groupId: 'g1' }, 3));
    expect(extend.roundTrips).toBeLessThanOrEqual(2);
    expect(harness.sim.inspect.file(`${G1}/v3`)._unsafeUnwrap().sizeBytes).toBe(3 * 1024 ** 3);
    expect((await driver.localPath({ name: 'v3', groupId: 'g1' }))._unsafeUnwrap()).toBe(`${G1}/v3`);
    expect((await driver.initializeConnection({ name: 'v3', groupId: 'g1' }))._unsafeUnwrap()).toEqual({ driverVolumeType: 'gpfs', data: { name: 'v3', devicePath: `${G1}/v3` } });
    const deleted = await measure(() => driver.deleteVolume({ name: 'v3', groupId: 'g1' }));
    expect(deleted.result._unsafeUnwrap().removed).toEqual([`${G1}/v3`]);
    expect(deleted.roundTrips).toBeLessThanOrEqual(3);
    const snapDeleted = await measure(() => driver.deleteSnapshot({ name: 's1', volumeName: 'v1', groupId: 'g1' }));
    expect(snapDeleted.result._unsafeUnwrap().status).toBe('tombstoned');
    expect(snapDeleted.roundTrips).toBeLessThanOrEqual(2);
    expect(harness.files().filter((path) => !path.startsWith(G1))).toEqual([]);
  });

  it('reports a missing group (not an unmounted file system) for operations on its volumes', async () => {
    const harness = await createHarness();
    const result = await harness.driver.createSnapshot({ name: 's1', volumeName: 'v1', groupId: 'g7' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'group', path: `${BASE}/consisgroup-g7` });
  });

  it('copies instead of cloning across groups, in one round trip', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    (await driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'b1', sizeGiB: 1 }))._unsafeUnwrap();
    await writeData(sim, `${BASE}/b1`, 'base data');
    const { result, roundTrips } = await harness.measure(() => driver.createClonedVolume({ name: 'v1', sizeGiB: 2, groupId: 'g1' }, { name: 'b1' }));
    expect(result._unsafeUnwrap()).toEqual({ name: 'v1', path: `${G1}/v1`, sizeGiB: 2 });
    expect(roundTrips).toBe(1);
    const copy = sim.inspect.file(`${G1}/v1`)._unsafeUnwrap();
    expect(copy.clone).toBeNull();
    expect(copy).toMatchObject({ mode: 0o660, fileset: 'consisgroup-g1', sizeBytes: 2 * 1024 ** 3 });
    expect(sim.inspect.readContent(`${G1}/v1`, { length: 16 })._unsafeUnwrap()).toEqual(sim.inspect.readContent(`${BASE}/b1`, { length: 16 })._unsafeUnwrap());
    (await driver.createSnapshot({ name: 's1', volumeName: 'v1', groupId: 'g1' }))._unsafeUnwrap();
    const back = await driver.createVolumeFromSnapshot({ name: 'b2', sizeGiB: 2 }, { name: 's1', volumeName: 'v1', groupId: 'g1' });
    expect(back._unsafeUnwrap().path).toBe(`${BASE}/b2`);
    expect(sim.inspect.file(`${BASE}/b2`)._unsafeUnwrap().clone).toBeNull();
    expect(digestOf(sim, `${BASE}/b2`)).toBe(digestOf(sim, `${G1}/s1`));
  });

  it('leaves no copy and no work file when a cross-group copy fails', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    (await driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'b1', sizeGiB: 1 }))._unsafeUnwrap();
    const before = fileState(sim, '/gpfs0');
    for (const command of ['cp', 'qemu-img', 'ln']) {
      sim.faults.failWhen({ command }, { exitCode: 1, stderr: `${command}: injected` }, { times: 1 });
      const result = await driver.createClonedVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' }, { name: 'b1' });
      expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', cleanup: { complete: true } });
      expect(fileState(sim, '/gpfs0')).toEqual(before);
    }
  });
});
