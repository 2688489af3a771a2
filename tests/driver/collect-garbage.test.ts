import { describe, expect, it } from 'vitest';
import { createGpfsDriver } from '../../src/driver/driver.js';
import { BASE, createHarness, fileState } from './support/harness.js';
import { interleave, raw, writeData } from './support/groups.js';

const G1 = `${BASE}/consisgroup-g1`;
const MIB = 1024 * 1024;

/** Leaks the way crashes and old drivers do: a clone parent whose child was removed behind the driver's back. */
async function leak(harness: Awaited<ReturnType<typeof createHarness>>, directory: string, child: string, parents: readonly string[], megabytes: number) {
  const { sim } = harness;
  expect(await raw(sim, 'truncate', '-s', '1G', `${directory}/${child}`)).toBe(0);
  await writeData(sim, `${directory}/${child}`, child, megabytes);
  for (const parent of parents) expect(await raw(sim, 'mmclone', 'snap', `${directory}/${child}`, `${directory}/${parent}`)).toBe(0);
  expect(await raw(sim, 'rm', '-f', `${directory}/${child}`)).toBe(0);
}

async function withGarbage() {
  const harness = await createHarness();
  const { driver } = harness;
  (await driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
  await leak(harness, BASE, 'gone-1', ['gone-1.snap'], 4);
  await leak(harness, BASE, 'gone-2', ['gone-2.snap', 'snap-7.ts'], 4);
  await leak(harness, G1, 'gone-3', ['gone-3.snap'], 8);
  // Not garbage: a parent with children, and a childless snapshot (not disposable).
  (await driver.createVolume({ name: 'v1', sizeGiB: 1 }))._unsafeUnwrap();
  (await driver.createClonedVolume({ name: 'v2', sizeGiB: 1 }, { name: 'v1' }))._unsafeUnwrap();
  (await driver.createSnapshot({ name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
  (await driver.deleteVolume({ name: 'v1' }))._unsafeUnwrap();
  return harness;
}

describe('driver: collectGarbage', () => {
  it('reports orphaned .snap and .ts parents across the base and the groups, with their bytes, without removing anything', async () => {
    const harness = await withGarbage();
    const before = fileState(harness.sim, '/gpfs0');
    const { result, roundTrips } = await harness.measure(() => harness.driver.collectGarbage());
    const report = result._unsafeUnwrap();
    expect(roundTrips).toBe(2);
    expect(report.applied).toBe(false);
    expect(report.candidates.map((candidate) => [candidate.path, candidate.chain.map((link) => link.path), candidate.allocatedBytes])).toEqual([
      [`${BASE}/consisgroup-g1/gone-3.snap`, [`${G1}/gone-3.snap`], 8 * MIB],
      [`${BASE}/gone-1.snap`, [`${BASE}/gone-1.snap`], 4 * MIB],
      [`${BASE}/snap-7.ts`, [`${BASE}/snap-7.ts`, `${BASE}/gone-2.snap`], 4 * MIB],
    ]);
    expect(report.reclaimableBytes).toBe(16 * MIB);
    expect(report.removed).toEqual([]);
    expect(fileState(harness.sim, '/gpfs0')).toEqual(before);
  });

  it('removes them through the clone-tree executor with apply, and nothing else', async () => {
    const harness = await withGarbage();
    const kept = harness.files().filter((path) => !/gone|snap-7/.test(path));
    const { result, roundTrips } = await harness.measure(() => harness.driver.collectGarbage({ apply: true }));
    const report = result._unsafeUnwrap();
    expect(roundTrips).toBe(2 + 3 * 3);
    expect([...report.removed].sort()).toEqual([`${BASE}/gone-1.snap`, `${BASE}/gone-2.snap`, `${BASE}/snap-7.ts`, `${G1}/gone-3.snap`].sort());
    expect(report.kept).toEqual([]);
    expect(harness.files()).toEqual(kept);
    expect(kept).toEqual(expect.arrayContaining([`${BASE}/v2.snap`, `${BASE}/s1`, `${BASE}/v2`]));
    expect((await harness.driver.inventory())._unsafeUnwrap().orphans).toEqual([]);
  });

  it('keeps a candidate that got a clone between the scan and its removal', async () => {
    const harness = await withGarbage();
    const { sim } = harness;
    let armed = false;
    let batches = 0;
    const runner = interleave(sim, [
      {
        // The third round trip is the executor's first for the first candidate (the group's .snap).
        when: () => armed && (batches += 1) === 3,
        act: async () => {
          expect(await raw(sim, 'mmclone', 'copy', `${G1}/gone-3.snap`, `${G1}/rescued`)).toBe(0);
        },
      },
    ]);
    const driver = createGpfsDriver({ runner, mountPointBase: BASE });
    (await driver.setup())._unsafeUnwrap();
    armed = true;
    const report = (await driver.collectGarbage({ apply: true }))._unsafeUnwrap();
    expect(report.kept).toEqual([{ path: `${G1}/gone-3.snap`, reason: 'a clone was made from it since the scan' }]);
    expect(harness.files()).toEqual(expect.arrayContaining([`${G1}/gone-3.snap`, `${G1}/rescued`]));
  });

  it('finishes a deleted group snapshot in one run when its member tombstone lost its last clone', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    (await driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    (await driver.createVolumeFromSnapshot({ name: 'c1', sizeGiB: 1, groupId: 'g1' }, { name: 'gs1.v1', volumeName: 'v1', groupId: 'g1' }))._unsafeUnwrap();
    expect((await driver.deleteGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap().status).toBe('tombstoned');
    expect(await raw(sim, 'rm', '-f', `${G1}/c1`)).toBe(0);
    const dryRun = (await driver.collectGarbage())._unsafeUnwrap();
    expect(dryRun.candidates.map((candidate) => candidate.chain.map((link) => link.path))).toEqual([[`${G1}/gs1.v1.ts`, `${G1}/.group-snapshots/gs1.ts/v1`]]);
    expect(dryRun.groupSnapshots).toEqual([{ id: 'gs1', groupId: 'g1' }]);
    const report = (await driver.collectGarbage({ apply: true }))._unsafeUnwrap();
    expect(report.removed).toEqual([`${G1}/gs1.v1.ts`, `${G1}/.group-snapshots/gs1.ts/v1`, `${G1}/.group-snapshots/gs1.ts`, 'fileset snapshot consisgroup-g1:gs1']);
    expect(harness.files()).toEqual([`${G1}/v1`]);
    expect(sim.inspect.snapshotState().filesystems[0]?.snapshots).toEqual([]);
  });

  it('removes the work files that are garbage whoever left them and only reports the others', async () => {
    const harness = await createHarness();
    (await harness.driver.createVolume({ name: 'v1', sizeGiB: 1 }))._unsafeUnwrap();
    expect(await raw(harness.sim, 'truncate', '-s', '1M', `${BASE}/.tmp.revert-old.abc`)).toBe(0);
    expect(await raw(harness.sim, 'truncate', '-s', '1M', `${BASE}/.tmp.restore.jkl`)).toBe(0);
    expect(await raw(harness.sim, 'truncate', '-s', '1M', `${BASE}/.tmp.create.def`)).toBe(0);
    expect(await raw(harness.sim, 'ln', '--', `${BASE}/v1`, `${BASE}/.tmp.create.ghi`)).toBe(0);
    const dryRun = (await harness.driver.collectGarbage())._unsafeUnwrap();
    expect(dryRun.temporaries).toEqual([`${BASE}/.tmp.create.def`, `${BASE}/.tmp.create.ghi`, `${BASE}/.tmp.restore.jkl`, `${BASE}/.tmp.revert-old.abc`]);
    expect(harness.files()).toHaveLength(5);
    const report = (await harness.driver.collectGarbage({ apply: true }))._unsafeUnwrap();
    // A revert's old content, a restore's new content and a second name of a volume go; a create's work
    // file may belong to a create still running in another process: reported, kept.
    expect([...report.removed].sort()).toEqual([`${BASE}/.tmp.create.ghi`, `${BASE}/.tmp.restore.jkl`, `${BASE}/.tmp.revert-old.abc`]);
    expect(harness.files()).toEqual([`${BASE}/.tmp.create.def`, `${BASE}/v1`]);
    expect(harness.sim.inspect.file(`${BASE}/v1`)._unsafeUnwrap().sizeBytes).toBe(1024 ** 3);
  });

  it('refuses to run when GPFS is not mounted', async () => {
    const harness = await withGarbage();
    harness.sim.control.unmount('gpfs0')._unsafeUnwrap();
    expect((await harness.driver.collectGarbage({ apply: true }))._unsafeUnwrapErr().kind).toBe('NotMounted');
    expect(harness.sim.inspect.localDiskWrites()).toEqual([]);
  });
});
