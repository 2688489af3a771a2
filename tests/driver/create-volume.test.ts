import { describe, expect, it } from 'vitest';
import { raw } from './support/groups.js';
import { BASE, createHarness, fileState } from './support/harness.js';

describe('driver: createVolume (simulator)', () => {
  it('creates a sparse file of the size asked, mode 660, in the default pool, in one round trip', async () => {
    const { driver, sim, measure } = await createHarness();
    const { result, roundTrips } = await measure(() => driver.createVolume({ name: 'volume-1', sizeGiB: 10 }));
    expect(result._unsafeUnwrap()).toEqual({ name: 'volume-1', path: `${BASE}/volume-1`, sizeGiB: 10 });
    expect(roundTrips).toBe(1);
    const file = sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap();
    expect(file).toMatchObject({ filesystem: 'gpfs', sizeBytes: 10 * 2 ** 30, allocatedBytes: 0, mode: 0o660, pool: 'system' });
  });

  it('applies the metadata attributes with mmchattr', async () => {
    const { driver, sim } = await createHarness({}, { filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', pools: ['system', 'data'] }] });
    (await driver.createVolume({ name: 'v', sizeGiB: 1, metadata: { data_pool_name: 'data', replicas: '2' } }))._unsafeUnwrap();
    expect(sim.inspect.file(`${BASE}/v`)._unsafeUnwrap()).toMatchObject({ pool: 'data', dataReplicas: 2, metadataReplicas: 2 });
  });

  // G.16 item 14 / E.8 item 21: upstream's zero fill wipes the file system mkfs just made.
  it('keeps the file system when preallocating (sparseVolumes false) with fstype', async () => {
    const { driver, sim } = await createHarness({ sparseVolumes: false });
    (await driver.createVolume({ name: 'v', sizeGiB: 1, metadata: { fstype: 'ext4', fslabel: 'data' } }))._unsafeUnwrap();
    const file = sim.inspect.file(`${BASE}/v`)._unsafeUnwrap();
    expect(file.allocatedBytes).toBe(2 ** 30);
    expect(file.filesystemSignature).toEqual({ type: 'ext4', label: 'data' });
  });

  // G.16 item 9: fstype=swap uses mkswap.
  it('makes swap with mkswap', async () => {
    const { driver, sim, events } = await createHarness();
    (await driver.createVolume({ name: 'v', sizeGiB: 1, metadata: { fstype: 'swap' } }))._unsafeUnwrap();
    // Made on the work file, before the volume is published under its name.
    expect(events.find((event) => event.step === 'make-filesystem')?.argv).toEqual(['mkswap', expect.stringMatching(/^\/gpfs0\/volumes\/\.tmp\.create\.[0-9a-z]+$/)]);
    expect(sim.inspect.file(`${BASE}/v`)._unsafeUnwrap().filesystemSignature?.type).toBe('swap');
  });

  it('refuses to overwrite an existing file and leaves it untouched', async () => {
    const { driver, sim } = await createHarness();
    sim.control.seedFile({ path: `${BASE}/taken`, content: 'tenant data' })._unsafeUnwrap();
    const before = fileState(sim);
    const error = (await driver.createVolume({ name: 'taken', sizeGiB: 1 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'AlreadyExists', role: 'volume', path: `${BASE}/taken` });
    expect(fileState(sim)).toEqual(before);
  });

  it('refuses hostile names before running anything', async () => {
    const { driver, counted } = await createHarness();
    counted.reset();
    for (const name of ['../etc/passwd', '-rf', 'a b', 'x;id', 'v.snap', '']) {
      expect((await driver.createVolume({ name, sizeGiB: 1 }))._unsafeUnwrapErr().kind).toBe('InvalidName');
    }
    expect((await driver.createVolume({ name: 'v', sizeGiB: 1, metadata: { replicas: '{1,2}' } }))._unsafeUnwrapErr().kind).toBe('InvalidMetadata');
    expect(counted.roundTrips).toBe(0);
  });

  // Upstream bugs 1242511 and 1249411.
  it('writes nothing to the local disk under an unmounted mount point', async () => {
    const { driver, sim } = await createHarness({ mountPointBase: '/gpfs0' });
    sim.control.unmount('gpfs0')._unsafeUnwrap();
    const error = (await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrapErr();
    expect(error.kind).toBe('NotMounted');
    expect(sim.inspect.localDiskWrites()).toEqual([]);
    // The same write without the driver's check lands on the local disk: the inspection does see it.
    expect(await raw(sim, 'truncate', '-s', '1G', '/gpfs0/v')).toBe(0);
    expect(sim.inspect.localDiskWrites().map((file) => file.path)).toContain('/gpfs0/v');
  });

  it('reports GpfsNotActive when the daemon is down', async () => {
    const { driver, sim } = await createHarness();
    sim.control.setNodeState('node1', 'down')._unsafeUnwrap();
    expect((await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrapErr()).toMatchObject({ kind: 'GpfsNotActive', state: 'down' });
    expect(sim.inspect.localDiskWrites()).toEqual([]);
  });

  it.each([
    ['truncate', 'create-sparse-file'],
    ['chmod', 'set-permissions'],
    ['mmchattr', 'set-attributes'],
    ['dd', 'preallocate'],
    ['mkfs', 'make-filesystem'],
  ])('removes the half-made volume when %s fails, and names the step', async (command, step) => {
    const { driver, sim } = await createHarness({ sparseVolumes: false }, { filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', pools: ['system', 'data'] }] });
    const before = fileState(sim);
    sim.faults.failWhen({ command }, { exitCode: 1, stderr: `${command}: injected failure\n` }, { times: 1 });
    const error = (await driver.createVolume({ name: 'v', sizeGiB: 1, metadata: { fstype: 'xfs' } }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'CommandFailed', operation: 'createVolume', step, exitCode: 1 });
    expect(error.kind === 'CommandFailed' && error.cleanup?.complete).toBe(true);
    expect(error.message).toContain(step);
    expect(fileState(sim)).toEqual(before);
  });

  it('leaves nothing when a command fails after it took effect', async () => {
    const { driver, sim } = await createHarness();
    sim.faults.failWhen({ command: 'truncate' }, { exitCode: 1, stderr: 'truncate: injected\n' }, { times: 1, timing: 'after' });
    expect((await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrapErr().kind).toBe('CommandFailed');
    expect(sim.inspect.file(`${BASE}/v`).isErr()).toBe(true);
  });

  it('returns the runner error when the connection drops, and a retry or delete converges', async () => {
    const { driver, sim } = await createHarness();
    sim.faults.failWhen({ command: 'chmod' }, { error: 'ConnectionLost' }, { times: 1, timing: 'after' });
    expect((await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrapErr()).toMatchObject({ kind: 'ConnectionLost', operation: 'createVolume' });
    (await driver.deleteVolume({ name: 'v' }))._unsafeUnwrap();
    expect(sim.inspect.file(`${BASE}/v`).isErr()).toBe(true);
    (await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrap();
  });
});
