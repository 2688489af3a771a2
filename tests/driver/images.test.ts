/**
 * createVolumeFromImage (the seed's clone_image) against the simulator: clone, copy and convert, the
 * "not cloneable" results, refused images, the depth limit, and every failing step.
 */
import { describe, expect, it } from 'vitest';
import { raw } from './support/groups.js';
import { BASE, createHarness, fileState } from './support/harness.js';

const IMAGES = '/gpfs0/images';
const GIB = 2 ** 30;
const GUEST = 'guest boot sector and data';

async function withImages(options: Parameters<typeof createHarness>[0] = {}, simulatorOptions: Parameters<typeof createHarness>[1] = {}) {
  const harness = await createHarness({ imagesDir: IMAGES, imagesShareMode: 'copy_on_write', ...options }, simulatorOptions);
  const { sim } = harness;
  sim.control.seedFile({ path: `${IMAGES}/raw-1`, content: GUEST, sizeBytes: GIB })._unsafeUnwrap();
  sim.control.seedFile({ path: `${IMAGES}/qcow-1`, content: GUEST, sizeBytes: GIB, imageFormat: 'qcow2' })._unsafeUnwrap();
  return harness;
}

const head = (harness: { sim: { inspect: { readContent: (path: string, range: { offset: number; length: number }) => { _unsafeUnwrap(): Uint8Array } } } }, path: string) =>
  Buffer.from(harness.sim.inspect.readContent(path, { offset: 0, length: GUEST.length })._unsafeUnwrap()).toString();

describe('driver: createVolumeFromImage (simulator)', () => {
  it('clones a raw image in copy_on_write mode, snapping it in place only the first time (two round trips)', async () => {
    const harness = await withImages();
    const { driver, sim, measure } = harness;
    const first = await measure(() => driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 2 }, 'raw-1'));
    expect(first.roundTrips).toBe(2);
    expect(first.result._unsafeUnwrap()).toEqual({
      cloned: true,
      volume: { name: 'volume-1', path: `${BASE}/volume-1`, sizeGiB: 2 },
      method: 'clone',
      imagePath: `${IMAGES}/raw-1`,
      imageFormat: 'raw',
      imageSnapped: true,
      redirected: false,
    });
    const image = sim.inspect.file(`${IMAGES}/raw-1`)._unsafeUnwrap();
    const volume = sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap();
    expect(image.clone).toMatchObject({ isParent: true, children: 1 });
    expect(volume).toMatchObject({ mode: 0o660, sizeBytes: 2 * GIB, allocatedBytes: 0, pool: 'system' });
    expect(volume.clone?.parentInode).toBe(image.inode);
    expect(head(harness, `${BASE}/volume-1`)).toBe(GUEST);

    const second = await measure(() => driver.createVolumeFromImage({ name: 'volume-2', sizeGiB: 1 }, 'raw-1'));
    expect(second.result._unsafeUnwrap()).toMatchObject({ cloned: true, imageSnapped: false, method: 'clone' });
    expect(second.roundTrips).toBe(2);
    expect(sim.inspect.file(`${IMAGES}/raw-1`)._unsafeUnwrap().clone?.children).toBe(2);
    expect(sim.log.entries().filter((entry) => entry.argv[0] === 'mmclone' && entry.argv[1] === 'snap')).toHaveLength(1);
  });

  it('copies a raw image with cp through the runner in copy mode: a plain file, no clone relation', async () => {
    const harness = await withImages({ imagesShareMode: 'copy' });
    const { driver, sim, measure } = harness;
    const { result, roundTrips } = await measure(() => driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'raw-1'));
    expect(result._unsafeUnwrap()).toMatchObject({ cloned: true, method: 'copy', imageSnapped: false });
    expect(roundTrips).toBe(2);
    expect(sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap()).toMatchObject({ clone: null, mode: 0o660, sizeBytes: GIB });
    expect(sim.inspect.file(`${IMAGES}/raw-1`)._unsafeUnwrap().clone).toBeNull();
    expect(sim.inspect.digest(`${BASE}/volume-1`)._unsafeUnwrap()).toBe(sim.inspect.digest(`${IMAGES}/raw-1`)._unsafeUnwrap());
    // Copied to a work file, published under the volume's name once complete.
    expect(sim.log.entries().some((entry) => /^cp --sparse=always \/gpfs0\/images\/raw-1 \/gpfs0\/volumes\/\.tmp\.create\.[0-9a-z]+$/.test(entry.argv.join(' ')))).toBe(true);
    expect(sim.inspect.localDiskWrites()).toEqual([]);
  });

  // Upstream fix 9710357f2: a non-raw image is converted, never snapped.
  it.each(['copy_on_write', 'copy'] as const)('converts a qcow2 image to raw without snapping it (%s)', async (imagesShareMode) => {
    const harness = await withImages({ imagesShareMode });
    const { driver, sim } = harness;
    const result = (await driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'qcow-1', { diskFormat: 'qcow2' }))._unsafeUnwrap();
    expect(result).toMatchObject({ cloned: true, method: 'convert', imageFormat: 'qcow2', imageSnapped: false });
    expect(sim.inspect.file(`${IMAGES}/qcow-1`)._unsafeUnwrap().clone).toBeNull();
    expect(sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap()).toMatchObject({ imageFormat: 'raw', sizeBytes: GIB, mode: 0o660, clone: null });
    expect(head(harness, `${BASE}/volume-1`)).toBe(GUEST);
    expect(sim.log.entries().some((entry) => /^qemu-img convert -f qcow2 -O raw \/gpfs0\/images\/qcow-1 \/gpfs0\/volumes\/\.tmp\.create\.[0-9a-z]+$/.test(entry.argv.join(' ')))).toBe(true);
  });

  it('probes the format of the image only, never of a volume (volume probes pin -f raw)', async () => {
    const { driver, sim } = await withImages();
    (await driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'raw-1'))._unsafeUnwrap();
    const unpinned = sim.log.entries().filter((entry) => entry.argv[0] === 'qemu-img' && !entry.argv.includes('raw') && entry.argv[1] !== 'convert');
    expect(unpinned.map((entry) => entry.argv)).toEqual([['qemu-img', 'info', '--output=json', `${IMAGES}/raw-1`]]);
  });

  // cinder-gpfs-driver.md E.8 item 16 and G.16 item 5: a fallback is a result, not an exception.
  it('reports not cloneable, with nothing run, when imagesDir or the share mode is unset', async () => {
    const withoutDir = await createHarness();
    const noDir = await withoutDir.measure(() => withoutDir.driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'raw-1'));
    expect(noDir.result._unsafeUnwrap()).toMatchObject({ cloned: false, reason: 'ImagesDirUnset', imagePath: null });
    expect(noDir.roundTrips).toBe(0);
    const withoutMode = await createHarness({ imagesDir: IMAGES });
    const noMode = await withoutMode.measure(() => withoutMode.driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'raw-1'));
    expect(noMode.result._unsafeUnwrap()).toMatchObject({ cloned: false, reason: 'ShareModeUnset' });
    expect(noMode.roundTrips).toBe(0);
  });

  it.each([
    ['a missing image', 'ImageNotFound', async () => {}],
    ['an image that is a symbolic link', 'ImageNotRegularFile', async (run: (argv: string[]) => Promise<unknown>) => run(['ln', '-s', '/etc/passwd', `${IMAGES}/missing-1`])],
    ['a directory', 'ImageNotFound', async (run: (argv: string[]) => Promise<unknown>) => run(['mkdir', `${IMAGES}/missing-1`])],
  ])('reports not cloneable for %s, after one round trip, creating nothing', async (_label, reason, prepare) => {
    const harness = await withImages();
    await prepare(async (argv) => harness.sim.run({ argv, asRoot: true }));
    const before = fileState(harness.sim);
    const { result, roundTrips } = await harness.measure(() => harness.driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'missing-1'));
    expect(result._unsafeUnwrap()).toMatchObject({ cloned: false, reason, imagePath: `${IMAGES}/missing-1` });
    expect(roundTrips).toBe(1);
    expect(fileState(harness.sim)).toEqual(before);
  });

  it('reports not cloneable when df -t gpfs says the image is not on GPFS (the seed raised here)', async () => {
    const { driver, sim } = await withImages();
    sim.faults.failWhen({ argv: ['df', '-P', '-t', 'gpfs', `${IMAGES}/raw-1`] }, { exitCode: 1, stderr: 'df: no file systems processed\n' });
    expect((await driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'raw-1'))._unsafeUnwrap()).toMatchObject({
      cloned: false,
      reason: 'ImageNotOnGpfs',
      message: expect.stringContaining('df: no file systems processed'),
    });
    expect(sim.inspect.file(`${IMAGES}/raw-1`)._unsafeUnwrap().clone).toBeNull();
  });

  it('refuses an image whose content does not match its declared format (CVE-2024-32498 shape), snapping nothing', async () => {
    const { driver, sim } = await withImages();
    const before = fileState(sim, '/gpfs0');
    const error = (await driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'qcow-1', { diskFormat: 'raw' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'InvalidArgument', argument: 'diskFormat' });
    expect(fileState(sim, '/gpfs0')).toEqual(before);
  });

  it('refuses an image with a backing file (converting it would read outside imagesDir)', async () => {
    const { driver, sim } = await withImages();
    const info = JSON.stringify({ 'virtual-size': GIB, filename: `${IMAGES}/qcow-1`, format: 'qcow2', 'backing-filename': '/gpfs0/volumes/victim' });
    sim.faults.failWhen({ argvPrefix: ['qemu-img', 'info', '--output=json'] }, { exitCode: 0, stdout: info });
    expect((await driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'qcow-1'))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument', argument: 'imageId' });
    expect(sim.inspect.file(`${BASE}/volume-1`).isErr()).toBe(true);
  });

  it("refuses a size below the image's virtual size before creating anything", async () => {
    const { driver, sim } = await withImages();
    sim.control.seedFile({ path: `${IMAGES}/big`, sizeBytes: 3 * GIB })._unsafeUnwrap();
    const before = fileState(sim, '/gpfs0');
    expect((await driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 2 }, 'big'))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument', argument: 'sizeGiB' });
    expect(fileState(sim, '/gpfs0')).toEqual(before);
  });

  // Upstream never enforces gpfs_max_clone_depth for image clones (E.8 item 8).
  it('redirects a volume cloned from a deep image when it exceeds maxCloneDepth (three round trips)', async () => {
    const { driver, sim, measure } = await withImages({ maxCloneDepth: 2 });
    for (const parent of ['p1', 'p2']) expect(await raw(sim, 'mmclone', 'snap', `${IMAGES}/raw-1`, `${IMAGES}/${parent}`)).toBe(0);
    expect(sim.inspect.file(`${IMAGES}/raw-1`)._unsafeUnwrap().clone?.depth).toBe(2);
    const { result, roundTrips } = await measure(() => driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'raw-1'));
    expect(result._unsafeUnwrap()).toMatchObject({ cloned: true, redirected: true, imageSnapped: true });
    expect(roundTrips).toBe(3);
    const volume = sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap();
    expect(volume.clone?.parentInode).not.toBe(sim.inspect.file(`${IMAGES}/raw-1`)._unsafeUnwrap().inode);
    expect(head({ sim }, `${BASE}/volume-1`)).toBe(GUEST);
  });

  it('does not redirect a shallow image clone', async () => {
    const { driver, measure } = await withImages({ maxCloneDepth: 1 });
    const { result, roundTrips } = await measure(() => driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'raw-1'));
    expect(result._unsafeUnwrap()).toMatchObject({ redirected: false });
    // The depth is known only after the clone, and the volume is published in the last round, after any
    // redirect: probe, clone, publish.
    expect(roundTrips).toBe(3);
  });

  it.each([
    ['clone', ['mmclone', 'copy'], 'copy_on_write', 'raw-1'],
    ['snap-image', ['mmclone', 'snap'], 'copy_on_write', 'raw-1'],
    ['copy', ['cp'], 'copy', 'raw-1'],
    ['convert', ['qemu-img', 'convert'], 'copy_on_write', 'qcow-1'],
    ['set-permissions', ['chmod'], 'copy_on_write', 'raw-1'],
    ['set-attributes', ['mmchattr'], 'copy_on_write', 'raw-1'],
    ['resize', ['qemu-img', 'resize'], 'copy', 'raw-1'],
    ['read-size', ['qemu-img', 'info', '-f', 'raw'], 'copy_on_write', 'qcow-1'],
    ['read-clone-depth', ['mmclone', 'show'], 'copy_on_write', 'raw-1'],
    ['redirect', ['mmclone', 'redirect'], 'copy_on_write', 'raw-1'],
  ] as const)('removes the new volume when step %s fails', async (step, prefix, imagesShareMode, image) => {
    // A second data pool, so that the pool assignment (mmchattr -P) is sent and can fail.
    const harness = await withImages({ imagesShareMode, maxCloneDepth: 1 }, { filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', pools: ['system', 'data'] }] });
    const { driver, sim } = harness;
    if (step === 'redirect') expect(await raw(sim, 'mmclone', 'snap', `${IMAGES}/raw-1`, `${IMAGES}/p1`)).toBe(0);
    const before = fileState(sim);
    // The depth is read from the new volume's work file in the base (the probe shows the image).
    const onVolume = (argv: readonly string[]) => argv[0] === 'mmclone' && argv[1] === 'show' && (argv[2] ?? '').startsWith(`${BASE}/`);
    sim.faults.failWhen(step === 'read-clone-depth' ? onVolume : { argvPrefix: prefix }, { exitCode: 1, stderr: 'injected\n' }, { times: 1 });
    const error = (await driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, image))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'CommandFailed', operation: 'createVolumeFromImage', step });
    expect(fileState(sim)).toEqual(before);
    expect(sim.inspect.files({ under: '/gpfs0' }).filter((file) => file.path.endsWith('.ts') || file.path.endsWith('.snap'))).toEqual([]);
  });

  it.each(['../raw-1', 'a/b', '', '.', '-rf', 'x\ny', 'raw-1.snap'])('refuses the image id %j before running anything', async (imageId) => {
    const { driver, measure } = await withImages();
    const { result, roundTrips } = await measure(() => driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, imageId));
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName', role: 'image' });
    expect(roundTrips).toBe(0);
  });

  it('refuses fstype metadata (mkfs would destroy the image) and an existing volume', async () => {
    const { driver, sim } = await withImages();
    expect((await driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1, metadata: { fstype: 'ext4' } }, 'raw-1'))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidMetadata', key: 'fstype' });
    sim.control.seedFile({ path: `${BASE}/taken`, content: 'tenant data' })._unsafeUnwrap();
    expect((await driver.createVolumeFromImage({ name: 'taken', sizeGiB: 1 }, 'raw-1'))._unsafeUnwrapErr()).toMatchObject({ kind: 'AlreadyExists', role: 'volume' });
    expect(sim.inspect.readText(`${BASE}/taken`)._unsafeUnwrap()).toBe('tenant data');
    expect(sim.inspect.file(`${IMAGES}/raw-1`)._unsafeUnwrap().clone).toBeNull();
  });

  it('writes nothing on the local disk when GPFS is unmounted', async () => {
    const { driver, sim } = await withImages();
    sim.control.unmount('gpfs0')._unsafeUnwrap();
    expect((await driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'raw-1'))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotMounted' });
    expect(sim.inspect.localDiskWrites()).toEqual([]);
  });

  it('applies metadata attributes and keeps a group volume out (not cloneable)', async () => {
    const { driver, sim } = await withImages();
    (await driver.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1, metadata: { replicas: '2' } }, 'raw-1'))._unsafeUnwrap();
    expect(sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap()).toMatchObject({ dataReplicas: 2, metadataReplicas: 2 });
    expect((await driver.createVolumeFromImage({ name: 'volume-2', sizeGiB: 1, groupId: 'g1' }, 'raw-1'))._unsafeUnwrap()).toMatchObject({ cloned: false, reason: 'InConsistencyGroup' });
  });

  it('shows its plan as a dry run: the probe, then the clone (no pool assignment on a one-pool file system)', async () => {
    const { driver } = await withImages();
    const plan = driver.plan.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'raw-1')._unsafeUnwrap();
    expect(plan.rounds.map((round) => round.commands.map((command) => command.argv.slice(0, 2).join(' ')))).toEqual([
      ['df -P', 'test !', 'test !', 'test -f', 'df -P', 'qemu-img info', 'mmclone show'],
      ['mmclone snap', 'mmclone copy', 'chmod 660', 'qemu-img resize', 'qemu-img info', 'ln -T', 'rm -f'],
    ]);
    expect(plan.rounds[1]?.commands.at(-2)?.argv).toEqual(['ln', '-T', '--', `${BASE}/.tmp.create.<tag>`, `${BASE}/volume-1`]);
    expect(plan.rounds[0]?.commands[4]?.argv).toEqual(['df', '-P', '-t', 'gpfs', `${IMAGES}/raw-1`]);
    const twoPools = await withImages({}, { filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', pools: ['system', 'data'] }] });
    const withPool = twoPools.driver.plan.createVolumeFromImage({ name: 'volume-1', sizeGiB: 1 }, 'raw-1')._unsafeUnwrap();
    expect(withPool.rounds[1]?.commands.map((command) => command.argv.join(' '))).toContain(`mmchattr -P system ${BASE}/.tmp.create.<tag>`);
  });
});
