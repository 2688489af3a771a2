import { describe, expect, it } from 'vitest';
import { BASE, createHarness, fileState } from './support/harness.js';
import { digestOf, writeData } from './support/groups.js';

async function volumeWithSnapshot() {
  const harness = await createHarness();
  const { driver, sim } = harness;
  (await driver.createVolume({ name: 'v1', sizeGiB: 1 }))._unsafeUnwrap();
  await writeData(sim, `${BASE}/v1`, 'as snapshotted');
  (await driver.createSnapshot({ name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
  const snapshotted = digestOf(sim, `${BASE}/v1`);
  await writeData(sim, `${BASE}/v1`, 'written after the snapshot');
  return { harness, snapshotted, written: digestOf(sim, `${BASE}/v1`) };
}

const temporaries = (harness: Awaited<ReturnType<typeof createHarness>>) => harness.files().filter((path) => path.includes('/.tmp.'));

describe('driver: revertToSnapshot', () => {
  it('gives the volume the snapshot content, keeps the snapshot and its other clones, in four round trips', async () => {
    const { harness, snapshotted } = await volumeWithSnapshot();
    const { driver, sim } = harness;
    (await driver.createVolumeFromSnapshot({ name: 'v2', sizeGiB: 1 }, { name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
    await writeData(sim, `${BASE}/v2`, 'v2 own data');
    const v2 = digestOf(sim, `${BASE}/v2`);
    const s1 = sim.inspect.file(`${BASE}/s1`)._unsafeUnwrap();
    const { result, roundTrips } = await harness.measure(() => driver.revertToSnapshot({ name: 'v1' }, { name: 's1', volumeName: 'v1' }));
    const reverted = result._unsafeUnwrap();
    expect(roundTrips).toBe(4);
    expect(reverted).toMatchObject({ name: 'v1', path: `${BASE}/v1`, snapshotPath: `${BASE}/s1`, sizeBytes: 1024 ** 3 });
    expect(reverted.removed).toEqual([expect.stringMatching(/\/\.tmp\.revert-old\./)]);
    expect(digestOf(sim, `${BASE}/v1`)).toBe(snapshotted);
    expect(sim.inspect.file(`${BASE}/v1`)._unsafeUnwrap()).toMatchObject({ mode: 0o660, clone: expect.objectContaining({ parentInode: s1.inode }) });
    expect(sim.inspect.file(`${BASE}/s1`)._unsafeUnwrap()).toMatchObject({ inode: s1.inode, mode: 0o640 });
    expect(digestOf(sim, `${BASE}/s1`)).toBe(snapshotted);
    expect(digestOf(sim, `${BASE}/v2`)).toBe(v2);
    expect(temporaries(harness)).toEqual([]);
  });

  it('never leaves the volume name missing, at any command', async () => {
    const { harness } = await volumeWithSnapshot();
    const { driver, sim } = harness;
    const missingAt: string[] = [];
    const observed: string[] = [];
    // The predicate sees every command just before it runs; it only observes, it never matches.
    sim.faults.failWhen(
      (argv) => {
        observed.push(argv[0] ?? '');
        if (sim.inspect.file(`${BASE}/v1`).isErr()) missingAt.push(argv.join(' '));
        return false;
      },
      { exitCode: 1 },
    );
    (await driver.revertToSnapshot({ name: 'v1' }, { name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
    expect(sim.inspect.file(`${BASE}/v1`).isOk()).toBe(true);
    expect(observed).toEqual(expect.arrayContaining(['mmclone', 'ln', 'mv', 'rm']));
    expect(missingAt).toEqual([]);
  });

  it.each([
    ['mmclone', 'clone-snapshot'],
    ['chmod', 'set-permissions'],
    ['ln', 'keep-old-content'],
    ['mv', 'swap'],
  ])('leaves the volume as it was when %s fails', async (command, step) => {
    const { harness, written } = await volumeWithSnapshot();
    const { driver, sim } = harness;
    const before = fileState(sim);
    sim.faults.failWhen({ command }, { exitCode: 1, stderr: `${command}: injected failure` }, { times: 1 });
    const result = await driver.revertToSnapshot({ name: 'v1' }, { name: 's1', volumeName: 'v1' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step, cleanup: { complete: true } });
    expect(fileState(sim)).toEqual(before);
    expect(digestOf(sim, `${BASE}/v1`)).toBe(written);
  });

  it('keeps a way back when the connection is lost after the swap: the old content stays as a temporary', async () => {
    const { harness, snapshotted, written } = await volumeWithSnapshot();
    const { driver, sim } = harness;
    sim.faults.failWhen({ command: 'mv' }, { error: 'ConnectionLost' }, { times: 1, timing: 'after' });
    const result = await driver.revertToSnapshot({ name: 'v1' }, { name: 's1', volumeName: 'v1' });
    expect(result._unsafeUnwrapErr().kind).toBe('ConnectionLost');
    expect(digestOf(sim, `${BASE}/v1`)).toBe(snapshotted);
    const [old] = temporaries(harness);
    expect(old).toMatch(/\/\.tmp\.revert-old\./);
    expect(digestOf(sim, old!)).toBe(written);
    const found = (await driver.inventory())._unsafeUnwrap();
    expect(found.others.map((file) => [file.path, file.kind])).toEqual([[old, 'temporary']]);
  });

  it('keeps a volume that grew after the snapshot at its size', async () => {
    const { harness, snapshotted } = await volumeWithSnapshot();
    (await harness.driver.extendVolume({ name: 'v1' }, 3))._unsafeUnwrap();
    const reverted = (await harness.driver.revertToSnapshot({ name: 'v1' }, { name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
    expect(reverted.sizeBytes).toBe(3 * 1024 ** 3);
    expect(harness.sim.inspect.file(`${BASE}/v1`)._unsafeUnwrap().sizeBytes).toBe(3 * 1024 ** 3);
    expect(harness.sim.inspect.readContent(`${BASE}/v1`, { length: 32 })._unsafeUnwrap()).toEqual(harness.sim.inspect.readContent(`${BASE}/s1`, { length: 32 })._unsafeUnwrap());
    expect(digestOf(harness.sim, `${BASE}/s1`)).toBe(snapshotted);
  });

  it('collects the hidden parent that only the old content kept alive', async () => {
    const { harness } = await volumeWithSnapshot();
    const { driver } = harness;
    (await driver.createClonedVolume({ name: 'v3', sizeGiB: 1 }, { name: 'v1' }))._unsafeUnwrap();
    (await driver.deleteVolume({ name: 'v3' }))._unsafeUnwrap();
    expect(harness.files()).toContain(`${BASE}/v3.snap`);
    const reverted = (await driver.revertToSnapshot({ name: 'v1' }, { name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
    expect(reverted.removed).toEqual([expect.stringMatching(/\.tmp\.revert-old\./), `${BASE}/v3.snap`]);
    expect(harness.files()).toEqual([`${BASE}/s1`, `${BASE}/v1`]);
  });

  it('reverts a volume of a group to a group snapshot member', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    const g1 = `${BASE}/consisgroup-g1`;
    (await driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    await writeData(sim, `${g1}/v1`, 'before');
    const before = digestOf(sim, `${g1}/v1`);
    (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    await writeData(sim, `${g1}/v1`, 'after');
    (await driver.revertToSnapshot({ name: 'v1', groupId: 'g1' }, { name: 'gs1.v1', volumeName: 'v1', groupId: 'g1' }))._unsafeUnwrap();
    expect(digestOf(sim, `${g1}/v1`)).toBe(before);
  });

  it('checks names, the volume and the snapshot before changing anything', async () => {
    const { harness } = await volumeWithSnapshot();
    const { driver, sim } = harness;
    const before = fileState(sim);
    const invalid = await harness.measure(() => driver.revertToSnapshot({ name: '../v1' }, { name: 's1', volumeName: 'v1' }));
    expect(invalid.result._unsafeUnwrapErr().kind).toBe('InvalidName');
    expect(invalid.roundTrips).toBe(0);
    expect((await driver.revertToSnapshot({ name: 'v9' }, { name: 's1', volumeName: 'v9' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'volume' });
    expect((await driver.revertToSnapshot({ name: 'v1' }, { name: 's9', volumeName: 'v1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'snapshot' });
    expect(fileState(sim)).toEqual(before);
  });
});
