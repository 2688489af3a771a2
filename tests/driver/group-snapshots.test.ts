import { describe, expect, it } from 'vitest';
import { createGpfsDriver } from '../../src/driver/driver.js';
import { BASE, createHarness, fileState } from './support/harness.js';
import { digestOf, interleave, writeData } from './support/groups.js';

const G1 = `${BASE}/consisgroup-g1`;
const NAMES = ['v1', 'v2', 'v3'];

async function groupWithVolumes(names: readonly string[] = NAMES) {
  const harness = await createHarness();
  (await harness.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
  for (const name of names) {
    (await harness.driver.createVolume({ name, sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    await writeData(harness.sim, `${G1}/${name}`, `${name} first`);
  }
  return harness;
}

const isSnapshotBatch = (argvs: readonly (readonly string[])[]) => argvs.some((argv) => argv[0] === 'mmcrsnapshot');
const isMemberBatch = (argvs: readonly (readonly string[])[]) => argvs.some((argv) => argv[0] === 'mmclone' && argv[1] === 'copy' && argv[2]?.includes('/.snapshots/') === true);

describe('driver: group snapshots', () => {
  it('captures every volume at the instant of one fileset snapshot, whatever is written before and after it', async () => {
    const harness = await groupWithVolumes();
    const { sim } = harness;
    const atSnapshot = new Map<string, string>();
    // A concurrent writer changes every volume just before the round trip that takes the fileset
    // snapshot (those writes must be in the group snapshot) and again just before the member clones are
    // made from it (those must not be).
    const runner = interleave(sim, [
      {
        when: isSnapshotBatch,
        act: async () => {
          for (const name of NAMES) {
            await writeData(sim, `${G1}/${name}`, `${name} second`);
            atSnapshot.set(name, digestOf(sim, `${G1}/${name}`));
          }
        },
      },
      {
        when: isMemberBatch,
        act: async () => {
          for (const name of NAMES) await writeData(sim, `${G1}/${name}`, `${name} third`);
        },
      },
    ]);
    const driver = createGpfsDriver({ runner, mountPointBase: BASE });
    const made = (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    expect(runner.fired()).toBe(2);
    expect(made.snapshots.map((member) => member.name)).toEqual(['gs1.v1', 'gs1.v2', 'gs1.v3']);
    for (const member of made.snapshots) {
      expect(digestOf(sim, member.path)).toBe(atSnapshot.get(member.volumeName));
      expect(digestOf(sim, member.path)).not.toBe(digestOf(sim, `${G1}/${member.volumeName}`));
    }
    expect(sim.inspect.snapshotState().filesystems[0]?.snapshots).toEqual([expect.objectContaining({ name: 'gs1', fileset: 'consisgroup-g1' })]);
    expect(
      sim.log
        .entries()
        .filter((entry) => entry.argv[0] === 'mmcrsnapshot')
        .map((entry) => entry.argv),
    ).toEqual([['mmcrsnapshot', 'gpfs0', 'gs1', '-j', 'consisgroup-g1']]);
  });

  it('shows that snapshotting volume by volume (upstream) fails the same check', async () => {
    const harness = await groupWithVolumes(['v1', 'v2']);
    const { sim, driver } = harness;
    (await driver.createSnapshot({ name: 'a.v1', volumeName: 'v1', groupId: 'g1' }))._unsafeUnwrap();
    const v1AtFirst = digestOf(sim, `${G1}/v1`);
    const v2AtFirst = digestOf(sim, `${G1}/v2`);
    await writeData(sim, `${G1}/v2`, 'v2 written between the two snapshots');
    (await driver.createSnapshot({ name: 'a.v2', volumeName: 'v2', groupId: 'g1' }))._unsafeUnwrap();
    expect(digestOf(sim, `${G1}/a.v1`)).toBe(v1AtFirst);
    expect(digestOf(sim, `${G1}/a.v2`)).not.toBe(v2AtFirst);
  });

  it.each([1, 3, 10])('takes three round trips for %i volumes', async (count) => {
    const harness = await groupWithVolumes(Array.from({ length: count }, (_, index) => `v${index}`));
    const { result, roundTrips } = await harness.measure(() => harness.driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }));
    expect(result._unsafeUnwrap().snapshots).toHaveLength(count);
    expect(roundTrips).toBe(3);
  });

  it('makes ordinary snapshots: clones come from them, and they never pin their live volume', async () => {
    const harness = await groupWithVolumes(['v1']);
    const { driver, sim } = harness;
    const made = (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    const member = made.snapshots[0]!;
    expect(sim.inspect.file(member.path)._unsafeUnwrap()).toMatchObject({ mode: 0o640, clone: expect.objectContaining({ isParent: true }) });
    (await driver.createVolumeFromSnapshot({ name: 'v9', sizeGiB: 1, groupId: 'g1' }, { name: member.name, volumeName: 'v1', groupId: 'g1' }))._unsafeUnwrap();
    expect(sim.inspect.file(`${G1}/v9`)._unsafeUnwrap().clone?.parentInode).toBe(sim.inspect.file(member.path)._unsafeUnwrap().inode);
    expect(digestOf(sim, `${G1}/v9`)).toBe(digestOf(sim, member.path));
    // GPFS reports a clone of a snapshot file with the live file's inode as parent; the anchor keeps that
    // from making the live volume look like a clone parent to the clone-tree executor.
    const deleted = await driver.deleteVolume({ name: 'v1', groupId: 'g1' });
    expect(deleted._unsafeUnwrap().removed).toEqual([`${G1}/v1`]);
    expect(digestOf(sim, `${G1}/v9`)).toBe(digestOf(sim, member.path));
  });

  it('leaves snapshots, hidden parents, tombstones and unmanaged files out of the group snapshot', async () => {
    const harness = await groupWithVolumes(['v1', 'v2']);
    const { driver } = harness;
    (await driver.createSnapshot({ name: 's1', volumeName: 'v1', groupId: 'g1' }))._unsafeUnwrap();
    (await driver.createClonedVolume({ name: 'v3', sizeGiB: 1, groupId: 'g1' }, { name: 'v2', groupId: 'g1' }))._unsafeUnwrap();
    (await driver.unmanage({ name: 'v3', groupId: 'g1' }))._unsafeUnwrap();
    const made = (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    expect(made.snapshots.map((member) => member.volumeName)).toEqual(['v1', 'v2']);
  });

  it('refuses an existing id and a missing group without changing anything', async () => {
    const harness = await groupWithVolumes(['v1']);
    (await harness.driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    const before = fileState(harness.sim, '/gpfs0');
    expect((await harness.driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'AlreadyExists', role: 'group snapshot' });
    expect((await harness.driver.createGroupSnapshot({ id: 'gs2', groupId: 'g2' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'group' });
    expect((await harness.driver.createGroupSnapshot({ id: 'gs/2', groupId: 'g1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName', role: 'group snapshot' });
    expect(fileState(harness.sim, '/gpfs0')).toEqual(before);
    expect(harness.sim.inspect.snapshotState().filesystems[0]?.snapshots).toHaveLength(1);
  });

  it.each([
    ['mmcrsnapshot', 1],
    ['mkdir', 1],
    ['mmclone snap (second member)', 2],
    ['chmod (last member)', 3],
  ])('undoes everything when %s fails', async (label, nth) => {
    const harness = await groupWithVolumes();
    const { sim, driver } = harness;
    const command = label.split(' ')[0]!;
    const before = fileState(sim, '/gpfs0');
    const matcher = command === 'mmclone' ? { argvPrefix: ['mmclone', 'snap'] } : command === 'chmod' ? { argvPrefix: ['chmod', '640'] } : { command };
    const skip = command === 'mmclone' ? 2 : 0;
    sim.faults.inject({ match: matcher, nth: nth + skip, outcome: { exitCode: 1, stderr: `${command}: injected failure` } });
    const result = await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', cleanup: { complete: true } });
    expect(fileState(sim, '/gpfs0')).toEqual(before);
    expect(sim.inspect.snapshotState().filesystems[0]?.snapshots).toEqual([]);
    expect(sim.inspect.file(`${G1}/.group-snapshots/gs1`).isErr()).toBe(true);
  });

  it('deletes a group snapshot completely in three round trips; deleting it again is Ok in one', async () => {
    const harness = await groupWithVolumes();
    const { driver, sim } = harness;
    (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    const first = await harness.measure(() => driver.deleteGroupSnapshot({ id: 'gs1', groupId: 'g1' }));
    expect(first.result._unsafeUnwrap()).toMatchObject({ status: 'removed', tombstones: [], filesetSnapshotDeleted: true });
    expect(first.roundTrips).toBe(3);
    expect(harness.files()).toEqual(NAMES.map((name) => `${G1}/${name}`));
    expect(sim.inspect.snapshotState().filesystems[0]?.snapshots).toEqual([]);
    const second = await harness.measure(() => driver.deleteGroupSnapshot({ id: 'gs1', groupId: 'g1' }));
    expect(second.result._unsafeUnwrap().status).toBe('absent');
    expect(second.roundTrips).toBe(1);
  });

  it('keeps what clones depend on as tombstones; deleting the clones and collecting garbage finishes it', async () => {
    const harness = await groupWithVolumes(['v1', 'v2']);
    const { driver, sim } = harness;
    (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    (await driver.createVolumeFromSnapshot({ name: 'c1', sizeGiB: 1, groupId: 'g1' }, { name: 'gs1.v1', volumeName: 'v1', groupId: 'g1' }))._unsafeUnwrap();
    const c1 = digestOf(sim, `${G1}/c1`);
    const deleted = (await driver.deleteGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    expect(deleted).toMatchObject({ status: 'tombstoned', tombstones: [`${G1}/gs1.v1.ts`], filesetSnapshotDeleted: false });
    expect(deleted.removed).toEqual([`${G1}/gs1.v2`, `${G1}/.group-snapshots/gs1/v2`]);
    expect(digestOf(sim, `${G1}/c1`)).toBe(c1);
    expect(sim.inspect.snapshotState().filesystems[0]?.snapshots).toHaveLength(1);
    expect((await driver.deleteGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap().status).toBe('absent');
    expect((await driver.deleteVolume({ name: 'c1', groupId: 'g1' }))._unsafeUnwrap().removed).toEqual([`${G1}/c1`, `${G1}/gs1.v1.ts`]);
    const collected = (await driver.collectGarbage({ apply: true }))._unsafeUnwrap();
    expect(collected.groupSnapshots).toEqual([{ id: 'gs1', groupId: 'g1' }]);
    expect(collected.removed).toContain('fileset snapshot consisgroup-g1:gs1');
    expect(sim.inspect.snapshotState().filesystems[0]?.snapshots).toEqual([]);
    expect(sim.inspect.files({ under: `${G1}/.group-snapshots` }).filter((file) => file.path !== `${G1}/.group-snapshots`)).toEqual([]);
  });

  it('never deletes the fileset snapshot when a removal fails on the way', async () => {
    const harness = await groupWithVolumes(['v1']);
    const { driver, sim } = harness;
    (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    sim.faults.failWhen({ argvPrefix: ['rm', '-f', '--', `${G1}/.group-snapshots/gs1/v1`] }, { exitCode: 1, stderr: 'rm: injected' }, { times: 1 });
    const failed = await driver.deleteGroupSnapshot({ id: 'gs1', groupId: 'g1' });
    expect(failed._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'remove' });
    expect(sim.inspect.snapshotState().filesystems[0]?.snapshots).toHaveLength(1);
    const retried = await driver.deleteGroupSnapshot({ id: 'gs1', groupId: 'g1' });
    expect(retried._unsafeUnwrap()).toMatchObject({ status: 'removed', filesetSnapshotDeleted: true });
  });
});
