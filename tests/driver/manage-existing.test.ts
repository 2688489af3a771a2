import { describe, expect, it } from 'vitest';
import { BASE, createHarness, fileState } from './support/harness.js';
import { digestOf, raw, writeData } from './support/groups.js';

const IMPORT = `${BASE}/import`;

async function withFile(sizeBytes: number, path = `${IMPORT}/disk.img`) {
  const harness = await createHarness();
  harness.sim.control.mkdir(IMPORT)._unsafeUnwrap();
  expect(await raw(harness.sim, 'truncate', '-s', String(sizeBytes), path)).toBe(0);
  await writeData(harness.sim, path, 'tenant data');
  return harness;
}

describe('driver: manageExisting, manageExistingGetSize, unmanage', () => {
  it.each([
    [3_000_000, 1],
    [1024 ** 3, 1],
    [1.5 * 1024 ** 3, 2],
  ])('reports a %i-byte file as %i GiB in one round trip', async (sizeBytes, sizeGiB) => {
    const harness = await withFile(sizeBytes);
    const { result, roundTrips } = await harness.measure(() => harness.driver.manageExistingGetSize({ path: `${IMPORT}/disk.img` }));
    expect(result._unsafeUnwrap()).toEqual({ path: `${IMPORT}/disk.img`, sizeBytes, sizeGiB });
    expect(roundTrips).toBe(1);
  });

  it('adopts a file: renamed into the naming scheme, mode 660, content untouched, in two round trips', async () => {
    const harness = await withFile(1.5 * 1024 ** 3);
    const content = digestOf(harness.sim, `${IMPORT}/disk.img`);
    const { result, roundTrips } = await harness.measure(() => harness.driver.manageExisting({ path: `${IMPORT}/disk.img` }, { name: 'volume-9' }));
    expect(result._unsafeUnwrap()).toEqual({ name: 'volume-9', path: `${BASE}/volume-9`, previousPath: `${IMPORT}/disk.img`, sizeBytes: 1.5 * 1024 ** 3, sizeGiB: 2 });
    expect(roundTrips).toBe(2);
    expect(harness.sim.inspect.file(`${IMPORT}/disk.img`).isErr()).toBe(true);
    expect(harness.sim.inspect.file(`${BASE}/volume-9`)._unsafeUnwrap().mode).toBe(0o660);
    expect(digestOf(harness.sim, `${BASE}/volume-9`)).toBe(content);
    (await harness.driver.createSnapshot({ name: 's9', volumeName: 'volume-9' }))._unsafeUnwrap();
  });

  it('adopts a file into a group', async () => {
    const harness = await createHarness();
    (await harness.driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
    expect(await raw(harness.sim, 'truncate', '-s', '1G', `${BASE}/consisgroup-g1/raw.img`)).toBe(0);
    const managed = await harness.driver.manageExisting({ path: `${BASE}/consisgroup-g1/raw.img` }, { name: 'v1', groupId: 'g1' });
    expect(managed._unsafeUnwrap().path).toBe(`${BASE}/consisgroup-g1/v1`);
  });

  it.each([
    ['/etc/passwd', 'outside the base'],
    ['/gpfs0/other/disk.img', 'outside the base'],
    [`${BASE}/import/../../../etc/passwd`, 'with ..'],
    [`${BASE}//import/disk.img`, 'with //'],
    [`${BASE}/consisgroup-g1/.snapshots/gs1/v1`, 'in a snapshot directory'],
    [`${BASE}/v1.snap`, 'named like a hidden parent'],
    [`${BASE}/s1.ts`, 'named like a tombstone'],
    [`${BASE}/import/disk\nimg`, 'with a newline'],
    ['relative/disk.img', 'relative'],
  ])('refuses %s (%s) without running anything', async (path) => {
    const harness = await withFile(1024);
    const before = fileState(harness.sim, '/gpfs0');
    for (const call of [() => harness.driver.manageExisting({ path }, { name: 'v1' }), () => harness.driver.manageExistingGetSize({ path })]) {
      const { result, roundTrips } = await harness.measure(call);
      expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument', argument: 'path' });
      expect(roundTrips).toBe(0);
    }
    expect(fileState(harness.sim, '/gpfs0')).toEqual(before);
  });

  it('refuses what is not a regular file, a missing file, a clone parent, and a taken name', async () => {
    const harness = await withFile(1024);
    const { driver, sim } = harness;
    expect(await raw(sim, 'ln', '-s', `${IMPORT}/disk.img`, `${IMPORT}/link.img`)).toBe(0);
    (await driver.createVolume({ name: 'v1', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
    const before = fileState(sim, '/gpfs0');
    expect((await driver.manageExisting({ path: `${IMPORT}/link.img` }, { name: 'v2' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument' });
    expect((await driver.manageExisting({ path: IMPORT }, { name: 'v2' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument' });
    expect((await driver.manageExisting({ path: `${IMPORT}/gone.img` }, { name: 'v2' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound' });
    expect((await driver.manageExisting({ path: `${BASE}/s1` }, { name: 'v2' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'InUse', path: `${BASE}/s1` });
    expect((await driver.manageExisting({ path: `${IMPORT}/disk.img` }, { name: 'v1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'AlreadyExists', path: `${BASE}/v1` });
    expect((await driver.manageExisting({ path: `${IMPORT}/disk.img` }, { name: 'a b' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName' });
    expect(fileState(sim, '/gpfs0')).toEqual(before);
  });

  it('renames the file back when a step after the rename fails', async () => {
    const harness = await withFile(4096);
    const before = fileState(harness.sim, '/gpfs0');
    harness.sim.faults.failWhen({ argvPrefix: ['chmod', '660'] }, { exitCode: 1, stderr: 'chmod: injected' }, { times: 1 });
    const result = await harness.driver.manageExisting({ path: `${IMPORT}/disk.img` }, { name: 'v1' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'set-permissions', cleanup: { complete: true } });
    expect(fileState(harness.sim, '/gpfs0')).toEqual(before);
  });

  it('refuses to write when GPFS is not mounted', async () => {
    const harness = await withFile(4096);
    harness.sim.control.unmount('gpfs0')._unsafeUnwrap();
    expect((await harness.driver.manageExisting({ path: `${IMPORT}/disk.img` }, { name: 'v1' }))._unsafeUnwrapErr().kind).toBe('NotMounted');
    expect(harness.sim.inspect.localDiskWrites()).toEqual([]);
  });

  it('lets go of a volume without deleting it, frees its name, and can adopt it again', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    (await driver.createVolume({ name: 'v1', sizeGiB: 1 }))._unsafeUnwrap();
    await writeData(sim, `${BASE}/v1`, 'keep me');
    const content = digestOf(sim, `${BASE}/v1`);
    const { result, roundTrips } = await harness.measure(() => driver.unmanage({ name: 'v1' }));
    expect(result._unsafeUnwrap()).toEqual({ name: 'v1', path: `${BASE}/v1`, unmanagedPath: `${BASE}/.unmanaged-v1` });
    expect(roundTrips).toBe(1);
    expect(digestOf(sim, `${BASE}/.unmanaged-v1`)).toBe(content);
    (await driver.createVolume({ name: 'v1', sizeGiB: 1 }))._unsafeUnwrap();
    expect((await driver.unmanage({ name: 'v1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'AlreadyExists', path: `${BASE}/.unmanaged-v1` });
    expect((await driver.unmanage({ name: 'v9' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', path: `${BASE}/v9` });
    const again = await driver.manageExisting({ path: `${BASE}/.unmanaged-v1` }, { name: 'v2' });
    expect(again._unsafeUnwrap().path).toBe(`${BASE}/v2`);
    expect(digestOf(sim, `${BASE}/v2`)).toBe(content);
  });
});
