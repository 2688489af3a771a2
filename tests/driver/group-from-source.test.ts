import { describe, expect, it } from 'vitest';
import { createGpfsDriver } from '../../src/driver/driver.js';
import { BASE, createHarness, fileState } from './support/harness.js';
import { digestOf, interleave, writeData } from './support/groups.js';

const G1 = `${BASE}/consisgroup-g1`;
const G2 = `${BASE}/consisgroup-g2`;

async function sourceGroup() {
  const harness = await createHarness();
  (await harness.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
  for (const name of ['v1', 'v2']) {
    (await harness.driver.createVolume({ name, sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    await writeData(harness.sim, `${G1}/${name}`, `${name} original`);
  }
  return harness;
}

const filesetNames = (harness: Awaited<ReturnType<typeof createHarness>>) =>
  harness.sim.inspect
    .snapshotState()
    .filesystems[0]?.filesets.map((fileset) => fileset.name)
    .filter((name) => name !== 'root') ?? [];

describe('driver: createGroupFromSource', () => {
  it('makes a new group of full copies of a group snapshot, in two round trips', async () => {
    const harness = await sourceGroup();
    const { driver, sim } = harness;
    const snapshot = (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    for (const name of ['v1', 'v2']) await writeData(sim, `${G1}/${name}`, `${name} changed later`);
    const { result, roundTrips } = await harness.measure(() => driver.createGroupFromSource({ id: 'g2' }, { id: 'gs1', groupId: 'g1' }));
    const made = result._unsafeUnwrap();
    expect(roundTrips).toBe(2);
    expect(made).toMatchObject({ id: 'g2', filesetName: 'consisgroup-g2', path: G2 });
    expect(made.volumes.map((volume) => [volume.sourceName, volume.path, volume.sizeBytes])).toEqual([
      ['v1', `${G2}/v1`, 1024 ** 3],
      ['v2', `${G2}/v2`, 1024 ** 3],
    ]);
    for (const member of snapshot.snapshots) {
      const copy = sim.inspect.file(`${G2}/${member.volumeName}`)._unsafeUnwrap();
      expect(copy).toMatchObject({ fileset: 'consisgroup-g2', mode: 0o660, clone: null });
      expect(digestOf(sim, copy.path)).toBe(digestOf(sim, member.path));
    }
    expect(filesetNames(harness)).toEqual(['consisgroup-g1', 'consisgroup-g2']);
  });

  it('copies a live group at one instant through a temporary fileset snapshot (four round trips)', async () => {
    const harness = await sourceGroup();
    const { sim } = harness;
    const atInstant = new Map<string, string>();
    const runner = interleave(sim, [
      {
        when: (argvs) => argvs.some((argv) => argv[0] === 'mmcrsnapshot'),
        act: async () => {
          for (const name of ['v1', 'v2']) {
            await writeData(sim, `${G1}/${name}`, `${name} just before`);
            atInstant.set(name, digestOf(sim, `${G1}/${name}`));
          }
        },
      },
      { when: (argvs) => argvs.some((argv) => argv[0] === 'cp'), act: async () => writeData(sim, `${G1}/v2`, 'v2 during the copy') },
    ]);
    const driver = createGpfsDriver({ runner, mountPointBase: BASE });
    (await driver.setup())._unsafeUnwrap();
    const made = (await driver.createGroupFromSource({ id: 'g2' }, { id: 'g1' }, { volumeNames: { v1: 'copy-of-v1' } }))._unsafeUnwrap();
    expect(made.volumes.map((volume) => volume.name)).toEqual(['copy-of-v1', 'v2']);
    expect(digestOf(sim, `${G2}/copy-of-v1`)).toBe(atInstant.get('v1'));
    expect(digestOf(sim, `${G2}/v2`)).toBe(atInstant.get('v2'));
    expect(digestOf(sim, `${G1}/v2`)).not.toBe(atInstant.get('v2'));
    expect(sim.inspect.snapshotState().filesystems[0]?.snapshots).toEqual([]);
    const counted = await createHarness();
    (await counted.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    (await counted.driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    const { roundTrips } = await counted.measure(() => counted.driver.createGroupFromSource({ id: 'g2' }, { id: 'g1' }));
    expect(roundTrips).toBe(4);
  });

  it('checks the names before making anything', async () => {
    const harness = await sourceGroup();
    (await harness.driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    const before = fileState(harness.sim, '/gpfs0');
    const unknown = await harness.driver.createGroupFromSource({ id: 'g2' }, { id: 'gs1', groupId: 'g1' }, { volumeNames: { nope: 'x' } });
    expect(unknown._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument', argument: 'volumeNames' });
    const invalid = await harness.driver.createGroupFromSource({ id: 'g2' }, { id: 'gs1', groupId: 'g1' }, { volumeNames: { v1: '../x' } });
    expect(invalid._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName', role: 'volume' });
    const clash = await harness.driver.createGroupFromSource({ id: 'g2' }, { id: 'gs1', groupId: 'g1' }, { volumeNames: { v1: 'v2' } });
    expect(clash._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument' });
    const missing = await harness.driver.createGroupFromSource({ id: 'g2' }, { id: 'gs9', groupId: 'g1' });
    expect(missing._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'group snapshot' });
    const taken = await harness.driver.createGroupFromSource({ id: 'g1' }, { id: 'gs1', groupId: 'g1' });
    expect(taken._unsafeUnwrapErr()).toMatchObject({ kind: 'AlreadyExists', role: 'group' });
    expect(fileState(harness.sim, '/gpfs0')).toEqual(before);
    expect(filesetNames(harness)).toEqual(['consisgroup-g1']);
  });

  it.each(['snapshot', 'live group'])('removes the new group and its copies when a copy fails (%s source)', async (kind) => {
    const harness = await sourceGroup();
    const { driver, sim } = harness;
    if (kind === 'snapshot') (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    const before = fileState(sim, '/gpfs0');
    const snapshotsBefore = sim.inspect.snapshotState().filesystems[0]?.snapshots;
    sim.faults.inject({ match: { command: 'cp' }, nth: 2, outcome: { exitCode: 1, stderr: 'cp: No space left on device' } });
    const source = kind === 'snapshot' ? { id: 'gs1', groupId: 'g1' } : { id: 'g1' };
    const result = await driver.createGroupFromSource({ id: 'g2' }, source);
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'copy', cleanup: { complete: true } });
    expect(fileState(sim, '/gpfs0')).toEqual(before);
    expect(filesetNames(harness)).toEqual(['consisgroup-g1']);
    expect(sim.inspect.snapshotState().filesystems[0]?.snapshots).toEqual(snapshotsBefore);
  });
});
