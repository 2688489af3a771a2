import { describe, expect, it } from 'vitest';
import { BASE, createHarness, fileState } from './support/harness.js';

async function withVolume(options: Parameters<typeof createHarness>[0] = {}) {
  const harness = await createHarness(options);
  (await harness.driver.createVolume({ name: 'volume-1', sizeGiB: 1 }))._unsafeUnwrap();
  return harness;
}

describe('driver: createSnapshot (simulator)', () => {
  it('makes the snapshot the volume\'s read-only clone parent, mode 640, in one round trip', async () => {
    const { driver, sim, measure } = await withVolume();
    const { result, roundTrips } = await measure(() => driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }));
    expect(result._unsafeUnwrap()).toEqual({ name: 'snap-1', volumeName: 'volume-1', path: `${BASE}/snap-1`, redirected: false });
    expect(roundTrips).toBe(1);
    const snapshot = sim.inspect.file(`${BASE}/snap-1`)._unsafeUnwrap();
    const volume = sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap();
    expect(snapshot.mode).toBe(0o640);
    expect(snapshot.clone).toMatchObject({ isParent: true, children: 1 });
    expect(volume.clone).toMatchObject({ isParent: false, parentInode: snapshot.inode });
  });

  it('redirects the volume when its depth exceeds maxCloneDepth, in two round trips', async () => {
    const { driver, sim, measure } = await withVolume({ maxCloneDepth: 1 });
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    const { result, roundTrips } = await measure(() => driver.createSnapshot({ name: 'snap-2', volumeName: 'volume-1' }));
    expect(result._unsafeUnwrap().redirected).toBe(true);
    expect(roundTrips).toBe(2);
    const volume = sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap();
    const second = sim.inspect.file(`${BASE}/snap-2`)._unsafeUnwrap();
    // After the redirect the volume no longer depends on snap-2, its former immediate parent.
    expect(volume.clone?.parentInode).not.toBe(second.inode);
  });

  it('does not redirect within the limit', async () => {
    const { driver, events } = await withVolume({ maxCloneDepth: 5 });
    expect((await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap().redirected).toBe(false);
    expect(events.some((event) => event.step === 'redirect')).toBe(false);
  });

  it('refuses a missing volume and an existing snapshot name, changing nothing', async () => {
    const { driver, sim } = await withVolume();
    const before = fileState(sim);
    expect((await driver.createSnapshot({ name: 's', volumeName: 'nope' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'volume' });
    expect((await driver.createSnapshot({ name: 'volume-1', volumeName: 'volume-1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'AlreadyExists' });
    expect(fileState(sim)).toEqual(before);
  });

  it('leaves no snapshot behind when mmclone snap fails', async () => {
    const { driver, sim } = await withVolume();
    const before = fileState(sim);
    sim.faults.failWhen({ argvPrefix: ['mmclone', 'snap'] }, { exitCode: 1, stderr: 'mmclone: injected\n' }, { times: 1 });
    expect((await driver.createSnapshot({ name: 's', volumeName: 'volume-1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'snap' });
    expect(fileState(sim)).toEqual(before);
  });

  it('frees the snapshot name when a later step fails: the snapshot becomes a collectable tombstone', async () => {
    const { driver, sim } = await withVolume();
    sim.faults.failWhen({ command: 'chmod' }, { exitCode: 1, stderr: 'chmod: injected\n' }, { times: 1 });
    const error = (await driver.createSnapshot({ name: 's', volumeName: 'volume-1' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'CommandFailed', step: 'set-permissions' });
    expect(error.kind === 'CommandFailed' && error.cleanup?.leftovers[0]?.path).toMatch(/^\/gpfs0\/volumes\/s\.[0-9a-z]+\.ts$/);
    expect(sim.inspect.file(`${BASE}/s`).isErr()).toBe(true);
    // The volume is intact, and deleting it collects the tombstone.
    expect(sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap().sizeBytes).toBe(2 ** 30);
    (await driver.deleteVolume({ name: 'volume-1' }))._unsafeUnwrap();
    expect(fileState(sim)).toEqual([]);
  });

  it('undoes the snapshot when the redirect fails', async () => {
    const { driver, sim } = await withVolume({ maxCloneDepth: 1 });
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    sim.faults.failWhen({ argvPrefix: ['mmclone', 'redirect'] }, { exitCode: 1, stderr: 'mmclone: injected\n' }, { times: 1 });
    expect((await driver.createSnapshot({ name: 'snap-2', volumeName: 'volume-1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'redirect' });
    expect(sim.inspect.file(`${BASE}/snap-2`).isErr()).toBe(true);
  });
});

describe('driver: deleteSnapshot (simulator)', () => {
  it('tombstones a snapshot its volume still depends on, in one round trip', async () => {
    const { driver, sim, measure } = await withVolume();
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    const { result, roundTrips } = await measure(() => driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }));
    expect(result._unsafeUnwrap()).toEqual({ name: 'snap-1', volumeName: 'volume-1', status: 'tombstoned', tombstonePath: `${BASE}/snap-1.ts` });
    expect(roundTrips).toBe(1);
    expect(sim.inspect.file(`${BASE}/snap-1`).isErr()).toBe(true);
    expect(sim.inspect.file(`${BASE}/snap-1.ts`)._unsafeUnwrap().clone?.isParent).toBe(true);
  });

  it('removes a snapshot nothing depends on', async () => {
    const { driver, sim } = await withVolume({ maxCloneDepth: 1 });
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    // The second snapshot redirects the volume away from snap-2, leaving it childless.
    (await driver.createSnapshot({ name: 'snap-2', volumeName: 'volume-1' }))._unsafeUnwrap();
    const result = (await driver.deleteSnapshot({ name: 'snap-2', volumeName: 'volume-1' }))._unsafeUnwrap();
    expect(result.status).toBe('removed');
    expect(sim.inspect.files({ under: BASE }).map((file) => file.path)).not.toContain(`${BASE}/snap-2.ts`);
  });

  // G.16 item 10 / E.8 item 10: upstream's mv fails on the second delete.
  it('is idempotent: deleting twice is Ok', async () => {
    const { driver } = await withVolume();
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    (await driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    expect((await driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap().status).toBe('absent');
    expect((await driver.deleteSnapshot({ name: 'never', volumeName: 'volume-1' }))._unsafeUnwrap().status).toBe('absent');
  });

  it('never overwrites an earlier tombstone of the same name (two round trips)', async () => {
    const { driver, sim, measure } = await withVolume();
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    (await driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 1 }, { name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    (await driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    const firstTombstone = sim.inspect.file(`${BASE}/snap-1.ts`)._unsafeUnwrap();
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-2' }))._unsafeUnwrap();
    const { result, roundTrips } = await measure(() => driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-2' }));
    const deleted = result._unsafeUnwrap();
    expect(roundTrips).toBe(2);
    expect(deleted.status).toBe('tombstoned');
    expect(deleted.tombstonePath).toMatch(/^\/gpfs0\/volumes\/snap-1\.[0-9a-z]+\.ts$/);
    expect(sim.inspect.file(`${BASE}/snap-1.ts`)._unsafeUnwrap().inode).toBe(firstTombstone.inode);
  });

  it('gives the snapshot its name back when rm fails on a file that is not a clone parent', async () => {
    const { driver, sim } = await withVolume();
    sim.control.seedFile({ path: `${BASE}/plain`, content: 'x' })._unsafeUnwrap();
    sim.faults.failWhen({ argv: ['rm', '-f', `${BASE}/plain.ts`] }, { exitCode: 1, stderr: 'rm: injected\n' }, { times: 1 });
    const error = (await driver.deleteSnapshot({ name: 'plain', volumeName: 'volume-1' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'CommandFailed', step: 'remove-tombstone' });
    expect(sim.inspect.file(`${BASE}/plain`).isOk()).toBe(true);
  });

  it('reports a failed rename, changing nothing', async () => {
    const { driver, sim } = await withVolume();
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    const before = fileState(sim);
    sim.faults.failWhen({ command: 'mv' }, { exitCode: 1, stderr: 'mv: injected\n' }, { times: 1 });
    expect((await driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'rename-to-tombstone' });
    expect(fileState(sim)).toEqual(before);
  });
});
