import { describe, expect, it } from 'vitest';
import { BASE, createHarness, fileState } from './support/harness.js';

async function withVolume(options: Parameters<typeof createHarness>[0] = {}) {
  const harness = await createHarness(options);
  (await harness.driver.createVolume({ name: 'volume-1', sizeGiB: 1 }))._unsafeUnwrap();
  return harness;
}

describe('driver: createSnapshot (simulator)', () => {
  it("makes the snapshot the volume's read-only clone parent, mode 640, in one round trip", async () => {
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

  it('checks volume and snapshot name in one test command, and names the exact problem from a second look only on failure', async () => {
    const { driver, sim, events, measure } = await withVolume();
    events.length = 0;
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    expect(events.filter((event) => event.argv[0] === 'test').map((event) => event.argv)).toEqual([['test', '-f', `${BASE}/volume-1`, '-a', '!', '-e', `${BASE}/snap-1`]]);
    const before = fileState(sim);
    const missing = await measure(() => driver.createSnapshot({ name: 's', volumeName: 'nope' }));
    expect(missing.result._unsafeUnwrapErr()).toEqual({ kind: 'NotFound', role: 'volume', path: `${BASE}/nope`, message: `volume ${BASE}/nope does not exist` });
    expect(missing.roundTrips).toBe(2);
    const taken = await measure(() => driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }));
    expect(taken.result._unsafeUnwrapErr()).toMatchObject({ kind: 'AlreadyExists', role: 'snapshot', path: `${BASE}/snap-1` });
    expect(taken.roundTrips).toBe(2);
    // Both wrong: the first condition is reported.
    expect((await driver.createSnapshot({ name: 'snap-1', volumeName: 'nope' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'volume' });
    expect(fileState(sim)).toEqual(before);
  });

  it('goes on when the conditions hold on the second look (a concurrent create), and never reads a failing test as false', async () => {
    const { driver, sim, measure } = await withVolume();
    // The combined check reports "false" once (as if volume-1 appeared just after it): the round is sent
    // again with one test per condition, which pass, and the snapshot is made.
    sim.faults.failWhen({ argvPrefix: ['test', '-f', `${BASE}/volume-1`, '-a'] }, { exitCode: 1 }, { times: 1 });
    const raced = await measure(() => driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }));
    expect(raced.result._unsafeUnwrap().path).toBe(`${BASE}/snap-1`);
    expect(raced.roundTrips).toBe(2);
    // test exiting 2 and up could not check anything: CommandFailed, not NotFound, and nothing changed.
    const before = fileState(sim);
    sim.faults.failWhen({ argvPrefix: ['test', '-f'] }, { exitCode: 5, stderr: 'test: Input/output error\n' }, { times: 1 });
    const failed = await measure(() => driver.createSnapshot({ name: 'snap-2', volumeName: 'volume-1' }));
    expect(failed.result._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'check-preconditions', exitCode: 5 });
    expect(failed.roundTrips).toBe(1);
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

  it("decides between removing and keeping from the tombstone's link count, in one round trip of system commands only", async () => {
    const { driver, sim, events, measure } = await withVolume();
    (await driver.createSnapshot({ name: 'kept', volumeName: 'volume-1' }))._unsafeUnwrap();
    (await driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 1 }, { name: 'kept', volumeName: 'volume-1' }))._unsafeUnwrap();
    // Two clones (volume-1 and volume-2) depend on it: three links.
    expect(sim.inspect.file(`${BASE}/kept`)._unsafeUnwrap().clone).toMatchObject({ isParent: true, children: 2 });
    events.length = 0;
    const kept = await measure(() => driver.deleteSnapshot({ name: 'kept', volumeName: 'volume-1' }));
    expect(kept.result._unsafeUnwrap()).toMatchObject({ status: 'tombstoned', tombstonePath: `${BASE}/kept.ts` });
    expect(kept.roundTrips).toBe(1);
    expect(events.find((event) => event.step === 'remove-tombstone')?.argv).toEqual(['find', `${BASE}/kept.ts`, '-maxdepth', '0', '-printf', '%n\\n', '-links', '1', '-delete']);
    expect(sim.inspect.file(`${BASE}/kept.ts`)._unsafeUnwrap().clone).toMatchObject({ isParent: true, children: 2 });
    expect(events.some((event) => event.argv[0]?.startsWith('mm'))).toBe(false);
    // A plain file under a snapshot name (no clone depends on it): one link, removed.
    sim.control.seedFile({ path: `${BASE}/lone`, content: 'x' })._unsafeUnwrap();
    const removed = await measure(() => driver.deleteSnapshot({ name: 'lone', volumeName: 'volume-1' }));
    expect(removed.result._unsafeUnwrap()).toMatchObject({ status: 'removed', tombstonePath: null });
    expect(removed.roundTrips).toBe(1);
    expect(sim.inspect.file(`${BASE}/lone.ts`).isErr()).toBe(true);
    // Deleting both clones collects the kept tombstone.
    (await driver.deleteVolume({ name: 'volume-2' }))._unsafeUnwrap();
    (await driver.deleteVolume({ name: 'volume-1' }))._unsafeUnwrap();
    expect(fileState(sim)).toEqual([]);
  });

  // G.16 item 10 / E.8 item 10: upstream's mv fails on the second delete.
  it('is idempotent: deleting twice is Ok', async () => {
    const { driver, measure } = await withVolume();
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    (await driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    expect((await driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap().status).toBe('absent');
    const never = await measure(() => driver.deleteSnapshot({ name: 'never', volumeName: 'volume-1' }));
    expect(never.result._unsafeUnwrap().status).toBe('absent');
    // The combined check failed; the second round trip found the snapshot missing and ran nothing else.
    expect(never.roundTrips).toBe(2);
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

  it('gives the snapshot its name back when removing a tombstone no clone depends on fails', async () => {
    const { driver, sim } = await withVolume();
    sim.control.seedFile({ path: `${BASE}/plain`, content: 'x' })._unsafeUnwrap();
    sim.faults.failWhen({ argvPrefix: ['find', `${BASE}/plain.ts`] }, { exitCode: 1, stderr: 'find: cannot delete: injected\n' }, { times: 1 });
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
