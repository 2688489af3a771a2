import { describe, expect, it } from 'vitest';
import { BASE, createHarness, fileState } from './support/harness.js';
import { digestOf, writeData } from './support/groups.js';

const G1 = `${BASE}/consisgroup-g1`;

async function withGroup() {
  const harness = await createHarness();
  (await harness.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
  return harness;
}

describe('driver: updateGroup', () => {
  it('moves a volume into the group (copy, then delete through the clone-tree executor) in 3 + 3 round trips', async () => {
    const harness = await withGroup();
    const { driver, sim } = harness;
    (await driver.createVolume({ name: 'b1', sizeGiB: 1 }))._unsafeUnwrap();
    await writeData(sim, `${BASE}/b1`, 'b1 content');
    const content = digestOf(sim, `${BASE}/b1`);
    const { result, roundTrips } = await harness.measure(() => driver.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'b1' }] }));
    expect(result._unsafeUnwrap()).toEqual({ id: 'g1', added: [{ name: 'b1', from: `${BASE}/b1`, to: `${G1}/b1`, removedParents: [] }], removed: [] });
    expect(roundTrips).toBe(6);
    expect(harness.files()).toEqual([`${G1}/b1`]);
    expect(digestOf(sim, `${G1}/b1`)).toBe(content);
    expect(sim.inspect.file(`${G1}/b1`)._unsafeUnwrap()).toMatchObject({ fileset: 'consisgroup-g1', mode: 0o660 });
  });

  it('moves volumes out of the group and collects the hidden parents they leave', async () => {
    const harness = await withGroup();
    const { driver, sim } = harness;
    (await driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    await writeData(sim, `${G1}/v1`, 'v1');
    (await driver.createClonedVolume({ name: 'v2', sizeGiB: 1, groupId: 'g1' }, { name: 'v1', groupId: 'g1' }))._unsafeUnwrap();
    const contents = { v1: digestOf(sim, `${G1}/v1`), v2: digestOf(sim, `${G1}/v2`) };
    const { result, roundTrips } = await harness.measure(() => driver.updateGroup({ id: 'g1' }, { removeVolumes: [{ name: 'v1' }, { name: 'v2' }] }));
    const updated = result._unsafeUnwrap();
    expect(roundTrips).toBe(3 + 3 * 2);
    expect(updated.removed.map((moved) => [moved.name, moved.to, moved.removedParents])).toEqual([
      ['v1', `${BASE}/v1`, []],
      ['v2', `${BASE}/v2`, [`${G1}/v2.snap`]],
    ]);
    expect(harness.files()).toEqual([`${BASE}/v1`, `${BASE}/v2`]);
    expect(digestOf(sim, `${BASE}/v1`)).toBe(contents.v1);
    expect(digestOf(sim, `${BASE}/v2`)).toBe(contents.v2);
  });

  it('refuses to move a volume whose clone chain holds a snapshot, changing nothing', async () => {
    const harness = await withGroup();
    const { driver, sim } = harness;
    (await driver.createVolume({ name: 'b1', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 's1', volumeName: 'b1' }))._unsafeUnwrap();
    const before = fileState(sim, '/gpfs0');
    const result = await driver.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'b1' }] });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'InUse', path: `${BASE}/b1` });
    expect(result._unsafeUnwrapErr().message).toContain(`${BASE}/s1`);
    expect(fileState(sim, '/gpfs0')).toEqual(before);
  });

  it('checks names and places before copying anything', async () => {
    const harness = await withGroup();
    const { driver, sim } = harness;
    (await driver.createVolume({ name: 'b1', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'b1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    const before = fileState(sim, '/gpfs0');
    expect((await driver.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'nope' }] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'volume' });
    expect((await driver.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'b1' }] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'AlreadyExists', path: `${G1}/b1` });
    expect((await driver.updateGroup({ id: 'g1' }, { addVolumes: [{ name: '../b1' }] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName' });
    expect((await driver.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'b1' }], removeVolumes: [{ name: 'b1' }] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument' });
    expect((await driver.updateGroup({ id: 'g2' }, { addVolumes: [{ name: 'b1' }] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'group' });
    expect(fileState(sim, '/gpfs0')).toEqual(before);
  });

  it('removes every copy when one copy fails, leaving each volume where it was', async () => {
    const harness = await withGroup();
    const { driver, sim } = harness;
    for (const name of ['b1', 'b2']) (await driver.createVolume({ name, sizeGiB: 1 }))._unsafeUnwrap();
    const before = fileState(sim, '/gpfs0');
    sim.faults.inject({ match: { command: 'cp' }, nth: 2, outcome: { exitCode: 1, stderr: 'cp: No space left on device' } });
    const result = await driver.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'b1' }, { name: 'b2' }] });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'copy', cleanup: { complete: true } });
    expect(fileState(sim, '/gpfs0')).toEqual(before);
  });

  it('removes the copies of the volumes not yet deleted when deleting an old file fails', async () => {
    const harness = await withGroup();
    const { driver, sim } = harness;
    for (const name of ['b1', 'b2']) (await driver.createVolume({ name, sizeGiB: 1 }))._unsafeUnwrap();
    sim.faults.failWhen({ argv: ['rm', '-f', '--', `${BASE}/b2`] }, { exitCode: 1, stderr: 'rm: Device or resource busy' }, { times: 1 });
    const result = await driver.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'b1' }, { name: 'b2' }] });
    expect(result._unsafeUnwrapErr().message).toContain('volumes moved before the failure: b1');
    expect(harness.files()).toEqual([`${BASE}/b2`, `${G1}/b1`]);
  });
});
