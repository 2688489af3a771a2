import { describe, expect, it } from 'vitest';
import { raw } from './support/groups.js';
import { BASE, createHarness, fileState } from './support/harness.js';

/** A file system with a second data pool: there, `mmchattr -P <pool>` can change something and is sent. */
const TWO_POOLS = { filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', pools: ['system', 'data'] }] };

async function withSnapshot(options: Parameters<typeof createHarness>[0] = {}, simulatorOptions: Parameters<typeof createHarness>[1] = {}) {
  const harness = await createHarness(options, simulatorOptions);
  (await harness.driver.createVolume({ name: 'volume-1', sizeGiB: 1 }))._unsafeUnwrap();
  expect(await raw(harness.sim, 'dd', 'if=/dev/urandom', `of=${BASE}/volume-1`, 'bs=1M', 'count=1', 'conv=notrunc')).toBe(0);
  (await harness.driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
  return harness;
}

describe('driver: createVolumeFromSnapshot (simulator)', () => {
  it('clones the snapshot, mode 660, resized raw, in one round trip', async () => {
    const { driver, sim, measure } = await withSnapshot();
    const { result, roundTrips } = await measure(() => driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 3 }, { name: 'snap-1', volumeName: 'volume-1' }));
    expect(result._unsafeUnwrap()).toEqual({ name: 'volume-2', path: `${BASE}/volume-2`, sizeGiB: 3 });
    expect(roundTrips).toBe(1);
    const snapshot = sim.inspect.file(`${BASE}/snap-1`)._unsafeUnwrap();
    const volume = sim.inspect.file(`${BASE}/volume-2`)._unsafeUnwrap();
    expect(volume).toMatchObject({ mode: 0o660, sizeBytes: 3 * 2 ** 30 });
    expect(volume.clone?.parentInode).toBe(snapshot.inode);
    const head = (path: string) => sim.inspect.readContent(path, { offset: 0, length: 65536 })._unsafeUnwrap();
    expect(head(`${BASE}/volume-2`)).toEqual(head(`${BASE}/snap-1`));
  });

  it('redirects the new volume when it would be too deep (two round trips)', async () => {
    const { driver, sim, measure } = await withSnapshot({ maxCloneDepth: 1 });
    (await driver.createSnapshot({ name: 'snap-2', volumeName: 'volume-1' }))._unsafeUnwrap();
    const { result, roundTrips } = await measure(() => driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 1 }, { name: 'snap-2', volumeName: 'volume-1' }));
    result._unsafeUnwrap();
    expect(roundTrips).toBe(2);
    expect(sim.inspect.file(`${BASE}/volume-2`)._unsafeUnwrap().clone?.parentInode).not.toBe(sim.inspect.file(`${BASE}/snap-2`)._unsafeUnwrap().inode);
  });

  it("refuses a size below the snapshot's (qemu-img refuses to shrink) and leaves nothing", async () => {
    const { driver, sim } = await withSnapshot();
    (await driver.extendVolume({ name: 'volume-1' }, 4))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 'big', volumeName: 'volume-1' }))._unsafeUnwrap();
    const before = fileState(sim);
    const error = (await driver.createVolumeFromSnapshot({ name: 'small', sizeGiB: 1 }, { name: 'big', volumeName: 'volume-1' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'CommandFailed', step: 'resize' });
    expect(fileState(sim)).toEqual(before);
  });

  it('refuses a missing snapshot', async () => {
    const { driver } = await withSnapshot();
    expect((await driver.createVolumeFromSnapshot({ name: 'v', sizeGiB: 1 }, { name: 'nope', volumeName: 'volume-1' }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'NotFound',
      role: 'snapshot',
    });
  });

  it.each([
    [['mmclone', 'copy'], 'clone'],
    [['chmod'], 'set-permissions'],
    [['mmchattr'], 'set-attributes'],
    [['qemu-img', 'resize'], 'resize'],
    [['qemu-img', 'info'], 'read-size'],
    [['mmclone', 'show'], 'read-clone-depth'],
    [['mmclone', 'redirect'], 'redirect'],
  ])('removes the new volume when %j fails', async (prefix, step) => {
    const { driver, sim } = await withSnapshot({ maxCloneDepth: 1 }, TWO_POOLS);
    (await driver.createSnapshot({ name: 'snap-2', volumeName: 'volume-1' }))._unsafeUnwrap();
    const before = fileState(sim);
    sim.faults.failWhen({ argvPrefix: prefix }, { exitCode: 1, stderr: 'injected\n' }, { times: 1 });
    const error = (await driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 1 }, { name: 'snap-2', volumeName: 'volume-1' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'CommandFailed', operation: 'createVolumeFromSnapshot', step });
    expect(fileState(sim)).toEqual(before);
  });

  // E.8 item 14: never let qemu-img probe tenant data.
  it('pins the raw format even when the tenant wrote a qcow2 header into the snapshot', async () => {
    const { driver, sim, events } = await createHarness();
    sim.control.seedFile({ path: `${BASE}/tenant`, sizeBytes: 2 ** 30, imageFormat: 'qcow2', mode: 0o660 })._unsafeUnwrap();
    (await driver.createSnapshot({ name: 'tenant-snap', volumeName: 'tenant' }))._unsafeUnwrap();
    const created = (await driver.createVolumeFromSnapshot({ name: 'copy', sizeGiB: 2 }, { name: 'tenant-snap', volumeName: 'tenant' }))._unsafeUnwrap();
    expect(created.sizeGiB).toBe(2);
    expect(sim.inspect.file(`${BASE}/copy`)._unsafeUnwrap().sizeBytes).toBe(2 * 2 ** 30);
    for (const event of events.filter((candidate) => candidate.argv[0] === 'qemu-img')) expect(event.argv.slice(2, 4)).toEqual(['-f', 'raw']);
  });
});

describe('driver: createClonedVolume (simulator)', () => {
  it('clones through a hidden <dest>.snap parent shared with the source, in one round trip', async () => {
    const { driver, sim, measure } = await withSnapshot();
    const { result, roundTrips } = await measure(() => driver.createClonedVolume({ name: 'volume-2', sizeGiB: 2 }, { name: 'volume-1' }));
    expect(result._unsafeUnwrap()).toEqual({ name: 'volume-2', path: `${BASE}/volume-2`, sizeGiB: 2 });
    expect(roundTrips).toBe(1);
    const parent = sim.inspect.file(`${BASE}/volume-2.snap`)._unsafeUnwrap();
    expect(parent.clone).toMatchObject({ isParent: true, children: 2 });
    expect(sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap().clone?.parentInode).toBe(parent.inode);
    expect(sim.inspect.file(`${BASE}/volume-2`)._unsafeUnwrap()).toMatchObject({ mode: 0o660, sizeBytes: 2 * 2 ** 30, clone: { parentInode: parent.inode } });
  });

  // E.8 item 8: the seed never checks the destination when the source needs no redirect.
  it('redirects both clones and removes the hidden parent when both are too deep (two round trips)', async () => {
    const { driver, sim, measure } = await withSnapshot({ maxCloneDepth: 1 });
    const { roundTrips } = await measure(() => driver.createClonedVolume({ name: 'volume-2', sizeGiB: 1 }, { name: 'volume-1' }));
    expect(roundTrips).toBe(2);
    expect(sim.inspect.file(`${BASE}/volume-2.snap`).isErr()).toBe(true);
  });

  it('clones a clone of a clone and keeps every content', async () => {
    const { driver, sim } = await withSnapshot();
    (await driver.createClonedVolume({ name: 'volume-2', sizeGiB: 1 }, { name: 'volume-1' }))._unsafeUnwrap();
    (await driver.createClonedVolume({ name: 'volume-3', sizeGiB: 1 }, { name: 'volume-2' }))._unsafeUnwrap();
    const digest = (path: string) => sim.inspect.digest(path)._unsafeUnwrap();
    expect(digest(`${BASE}/volume-3`)).toBe(digest(`${BASE}/volume-1`));
    expect(sim.inspect.file(`${BASE}/volume-3`)._unsafeUnwrap().clone?.depth).toBeGreaterThanOrEqual(2);
  });

  it.each([
    [['mmclone', 'snap'], 'snap'],
    [['mmclone', 'copy'], 'clone'],
    [['chmod'], 'set-permissions'],
    [['qemu-img', 'resize'], 'resize'],
  ])('leaves the source intact and the destination absent when %j fails', async (prefix, step) => {
    const { driver, sim } = await withSnapshot();
    const sourceDigest = sim.inspect.digest(`${BASE}/volume-1`)._unsafeUnwrap();
    sim.faults.failWhen({ argvPrefix: prefix }, { exitCode: 1, stderr: 'injected\n' }, { times: 1 });
    const error = (await driver.createClonedVolume({ name: 'volume-2', sizeGiB: 1 }, { name: 'volume-1' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'CommandFailed', step });
    expect(error.kind === 'CommandFailed' && error.cleanup?.complete).toBe(true);
    expect(sim.inspect.file(`${BASE}/volume-2`).isErr()).toBe(true);
    expect(sim.inspect.digest(`${BASE}/volume-1`)._unsafeUnwrap()).toBe(sourceDigest);
    // Whatever hidden parent is left is collected with the source.
    (await driver.deleteVolume({ name: 'volume-1' }))._unsafeUnwrap();
    expect(sim.inspect.files({ under: BASE }).some((file) => file.path.endsWith('volume-2.snap'))).toBe(false);
  });

  it('uses a tagged hidden parent when <dest>.snap is still kept by the clones of an earlier volume of that name', async () => {
    const { driver, sim, measure } = await withSnapshot();
    (await driver.createClonedVolume({ name: 'volume-2', sizeGiB: 1 }, { name: 'volume-1' }))._unsafeUnwrap();
    (await driver.deleteVolume({ name: 'volume-2' }))._unsafeUnwrap();
    const kept = sim.inspect.file(`${BASE}/volume-2.snap`)._unsafeUnwrap();
    const { result, roundTrips } = await measure(() => driver.createClonedVolume({ name: 'volume-2', sizeGiB: 1 }, { name: 'volume-1' }));
    result._unsafeUnwrap();
    expect(roundTrips).toBe(2);
    expect(sim.inspect.file(`${BASE}/volume-2.snap`)._unsafeUnwrap().inode).toBe(kept.inode);
    const parent = sim.inspect.file(`${BASE}/volume-2`)._unsafeUnwrap().clone?.parentInode;
    const tagged = sim.inspect.files({ under: BASE }).find((file) => file.inode === parent);
    expect(tagged?.path).toMatch(/^\/gpfs0\/volumes\/volume-2\.[0-9a-z]+\.snap$/);
  });
});
