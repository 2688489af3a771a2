/**
 * backupVolume and restoreBackup against the simulator: bytes streamed through the runner with
 * back-pressure (never a whole volume in memory), a point-in-time clone cleaned up by the clone-tree
 * executor whatever happens, and restores that replace the volume only once complete (a failed restore
 * leaves it as it was), keep its size, owner, mode and attributes, and never write through a link or
 * into a clone parent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { raw } from './support/groups.js';
import { BASE, createHarness, fileState, type Harness } from './support/harness.js';

const MIB = 2 ** 20;
const CHUNK = 64 * 1024;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A volume file with random data, a zero MiB in the middle and a trailing hole. */
function seedVolume(harness: Harness, name: string, sizeBytes: number): Uint8Array {
  const data = new Uint8Array(randomBytes(sizeBytes - MIB));
  data.fill(0, MIB, 2 * MIB);
  harness.sim.control.seedFile({ path: `${BASE}/${name}`, content: data, sizeBytes, mode: 0o660 })._unsafeUnwrap();
  const content = new Uint8Array(sizeBytes);
  content.set(data);
  return content;
}

/** A sink that hashes what it gets, keeps nothing, and makes the runner wait for it (back-pressure). */
function hashingSink() {
  const hash = createHash('sha256');
  const state = { bytes: 0, chunks: 0, largestChunk: 0, inFlight: 0, maxInFlight: 0 };
  const sink = async (chunk: Uint8Array) => {
    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    hash.update(chunk);
    state.bytes += chunk.byteLength;
    state.chunks += 1;
    state.largestChunk = Math.max(state.largestChunk, chunk.byteLength);
    state.inFlight -= 1;
  };
  return { sink, state, digest: () => hash.digest('hex') };
}

const workFiles = (harness: Harness) => harness.files().filter((path) => path.includes('/.tmp.') || path.includes('/.backup-'));

describe('driver: backupVolume (simulator)', () => {
  it.each([8, 48])('streams a %i MiB volume in bounded chunks with back-pressure, byte for byte (five round trips)', async (mebibytes) => {
    const harness = await createHarness();
    const content = seedVolume(harness, 'volume-1', mebibytes * MIB);
    const { sink, state, digest } = hashingSink();
    const { result, roundTrips } = await harness.measure(() => harness.driver.backupVolume({ name: 'volume-1' }, sink));
    const backup = result._unsafeUnwrap();
    expect(digest()).toBe(sha256(content));
    expect(backup.bytes).toBe(mebibytes * MIB);
    // Memory does not grow with the volume: the same chunk bound whatever the size, one chunk in flight at a time.
    expect(state.largestChunk).toBeLessThanOrEqual(CHUNK);
    expect(state.chunks).toBe((mebibytes * MIB) / CHUNK);
    expect(state.maxInFlight).toBe(1);
    expect(roundTrips).toBe(5);
  });

  it('backs up the volume as it was when the clone was taken, while the volume keeps changing', async () => {
    const harness = await createHarness();
    const { sim } = harness;
    const content = seedVolume(harness, 'volume-1', 8 * MIB);
    const hash = createHash('sha256');
    let wrote = false;
    const backup = await harness.driver.backupVolume({ name: 'volume-1' }, async (chunk) => {
      if (!wrote) {
        wrote = true;
        (await sim.run({ argv: ['dd', 'if=/dev/urandom', `of=${BASE}/volume-1`, 'bs=64k', 'count=64', 'conv=notrunc', 'status=none'], asRoot: true }))._unsafeUnwrap();
      }
      hash.update(chunk);
    });
    backup._unsafeUnwrap();
    expect(hash.digest('hex')).toBe(sha256(content));
    expect(sha256(sim.inspect.readContent(`${BASE}/volume-1`)._unsafeUnwrap())).not.toBe(sha256(content));
  });

  it('deletes the clone through the clone-tree executor and leaves one disposable parent, collected with the volume', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    seedVolume(harness, 'volume-1', 4 * MIB);
    const backup = (await driver.backupVolume({ name: 'volume-1' }, () => undefined))._unsafeUnwrap();
    expect(backup.cleanup).toEqual({ removed: [backup.sourcePath], kept: [{ path: backup.parentPath, reason: 'StillHasChildren' }], error: null });
    expect(harness.files()).toEqual([backup.parentPath, `${BASE}/volume-1`]);
    expect(sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap().clone?.parentInode).toBe(sim.inspect.file(backup.parentPath)._unsafeUnwrap().inode);
    expect(
      sim.log
        .entries()
        .filter((entry) => entry.argv[0] === 'rm')
        .map((entry) => entry.argv),
    ).toEqual([
      ['rm', '-f', '--', backup.sourcePath],
      ['rm', '-f', '--', backup.parentPath],
    ]);
    const deleted = (await driver.deleteVolume({ name: 'volume-1' }))._unsafeUnwrap();
    expect(deleted.removed).toEqual([`${BASE}/volume-1`, backup.parentPath]);
    expect(harness.files()).toEqual([]);
  });

  it('redirects the volume when the backup snapshot makes it too deep, and then removes the parent too (six round trips)', async () => {
    const harness = await createHarness({ maxCloneDepth: 1 });
    const { driver, sim } = harness;
    const content = seedVolume(harness, 'volume-1', 4 * MIB);
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    const { sink, digest } = hashingSink();
    const { result, roundTrips } = await harness.measure(() => driver.backupVolume({ name: 'volume-1' }, sink));
    const backup = result._unsafeUnwrap();
    expect(backup.redirected).toBe(true);
    expect(roundTrips).toBe(6);
    expect(digest()).toBe(sha256(content));
    expect(backup.cleanup.removed).toEqual([backup.sourcePath, backup.parentPath]);
    expect(harness.files()).toEqual([`${BASE}/snap-1`, `${BASE}/volume-1`]);
    expect(sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap().clone?.parentInode).toBe(sim.inspect.file(`${BASE}/snap-1`)._unsafeUnwrap().inode);
  });

  it('stops, reports StreamFailed and still removes the clone when the sink throws', async () => {
    const harness = await createHarness();
    const { sim } = harness;
    const content = seedVolume(harness, 'volume-1', 8 * MIB);
    let calls = 0;
    const error = (
      await harness.driver.backupVolume({ name: 'volume-1' }, () => {
        calls += 1;
        if (calls === 3) throw new Error('backup store full');
      })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'StreamFailed', side: 'sink', bytes: 2 * CHUNK });
    expect(error.message).toContain('backup store full');
    expect(calls).toBe(3);
    expect(workFiles(harness).filter((path) => path.includes('/.tmp.'))).toEqual([]);
    expect(sha256(sim.inspect.readContent(`${BASE}/volume-1`)._unsafeUnwrap())).toBe(sha256(content));
    expect(sim.inspect.internalErrors()).toEqual([]);
  });

  it.each([
    ['a read error of cat', { exitCode: 1, stderr: 'cat: read error: Input/output error\n' }, { kind: 'CommandFailed', step: 'stream' }],
    ['a lost connection', { error: 'ConnectionLost' as const }, { kind: 'ConnectionLost', operation: 'backupVolume' }],
    ['a short stream', { exitCode: 0, stdout: 'short' }, { kind: 'StreamFailed', side: 'length' }],
  ])('removes the clone after %s and returns the error', async (_label, outcome, expected) => {
    const harness = await createHarness();
    seedVolume(harness, 'volume-1', 4 * MIB);
    harness.sim.faults.failWhen({ command: 'cat' }, outcome);
    const error = (await harness.driver.backupVolume({ name: 'volume-1' }, () => undefined))._unsafeUnwrapErr();
    expect(error).toMatchObject(expected);
    expect(harness.files().filter((path) => path.includes('/.tmp.'))).toEqual([]);
  });

  it.each([
    ['snap', ['mmclone', 'snap']],
    ['clone', ['mmclone', 'copy']],
    ['read-size', ['qemu-img', 'info']],
  ])("undoes the work files when step %s fails, keeping the volume's content", async (step, prefix) => {
    const harness = await createHarness();
    const content = seedVolume(harness, 'volume-1', 4 * MIB);
    harness.sim.faults.failWhen({ argvPrefix: prefix }, { exitCode: 1, stderr: 'injected\n' });
    const error = (await harness.driver.backupVolume({ name: 'volume-1' }, () => undefined))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'CommandFailed', operation: 'backupVolume', step });
    expect(harness.files().filter((path) => path.includes('/.tmp.'))).toEqual([]);
    // A parent the volume already depends on can only become a collectable tombstone.
    expect(
      harness
        .files()
        .filter((path) => path.includes('/.backup-'))
        .every((path) => path.endsWith('.ts')),
    ).toBe(true);
    expect(sha256(harness.sim.inspect.readContent(`${BASE}/volume-1`)._unsafeUnwrap())).toBe(sha256(content));
  });

  it('still completes the backup when the redirect fails (the chain stays one level deep until the next redirect)', async () => {
    const harness = await createHarness({ maxCloneDepth: 1 });
    seedVolume(harness, 'volume-1', 4 * MIB);
    (await harness.driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    harness.sim.faults.failWhen({ argvPrefix: ['mmclone', 'redirect'] }, { exitCode: 1, stderr: 'injected\n' });
    const backup = (await harness.driver.backupVolume({ name: 'volume-1' }, () => undefined))._unsafeUnwrap();
    expect(backup).toMatchObject({ redirected: false, bytes: 4 * MIB });
    expect(backup.cleanup).toMatchObject({ removed: [backup.sourcePath], kept: [{ path: backup.parentPath, reason: 'StillHasChildren' }] });
  });

  it('returns the complete backup with the cleanup error when the clone cannot be removed', async () => {
    const harness = await createHarness();
    seedVolume(harness, 'volume-1', 4 * MIB);
    harness.sim.faults.failWhen({ command: 'find' }, { exitCode: 1, stderr: 'find: injected\n' });
    const backup = (await harness.driver.backupVolume({ name: 'volume-1' }, () => undefined))._unsafeUnwrap();
    expect(backup.bytes).toBe(4 * MIB);
    expect(backup.cleanup).toMatchObject({ removed: [], kept: [], error: expect.stringContaining('CommandFailed') });
    expect(harness.files()).toContain(backup.sourcePath);
  });

  it('refuses a missing volume, a symbolic link and a bad name without creating anything', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    expect((await driver.backupVolume({ name: 'missing' }, () => undefined))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'volume' });
    expect(await raw(sim, 'ln', '-s', '/etc/hostname', `${BASE}/link`)).toBe(0);
    expect((await driver.backupVolume({ name: 'link' }, () => undefined))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument', argument: 'volume' });
    const { result, roundTrips } = await harness.measure(() => driver.backupVolume({ name: '../x' }, () => undefined));
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName' });
    expect(roundTrips).toBe(0);
    expect(workFiles(harness)).toEqual([]);
  });
});

describe('driver: restoreBackup (simulator)', () => {
  /** The restore's work file (`<base>/.tmp.restore.<tag>`), while it exists. */
  const restoreWorkFile = (harness: Harness) => harness.sim.inspect.files({ under: BASE }).find((file) => file.path.startsWith(`${BASE}/.tmp.restore.`))?.path;

  /**
   * A lazy source of `bytes` in 64 KiB chunks that records, when each chunk is pulled, how many leading
   * chunks of the restore's work file already hold the backup.
   */
  function lazySource(harness: Harness, bytes: Uint8Array) {
    const writtenWhenPulled: number[] = [];
    let written = 0;
    const writtenChunks = (): number => {
      const work = restoreWorkFile(harness);
      if (work === undefined) return -1;
      // What dd wrote only grows: go on from the chunks already seen written.
      for (; written * CHUNK < bytes.length; written += 1) {
        const part = harness.sim.inspect.readContent(work, { offset: written * CHUNK, length: CHUNK })._unsafeUnwrap();
        if (sha256(part) !== sha256(bytes.slice(written * CHUNK, (written + 1) * CHUNK))) break;
      }
      return written;
    };
    async function* generate() {
      for (let offset = 0; offset < bytes.length; offset += CHUNK) {
        writtenWhenPulled.push(writtenChunks());
        yield bytes.slice(offset, offset + CHUNK);
      }
    }
    return { source: generate(), writtenWhenPulled };
  }

  it('writes a streamed backup into a larger volume, keeping its size, pulling the source as dd consumes it (three round trips)', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    // 12 MiB: data, one all-zero file system block (4 MiB), data.
    const content = new Uint8Array(12 * MIB);
    content.set(new Uint8Array(randomBytes(4 * MIB)), 0);
    content.set(new Uint8Array(randomBytes(4 * MIB)), 8 * MIB);
    (await driver.createVolume({ name: 'volume-2', sizeGiB: 1 }))._unsafeUnwrap();
    const { source, writtenWhenPulled } = lazySource(harness, content);
    const { result, roundTrips } = await harness.measure(() => driver.restoreBackup(source, { name: 'volume-2' }));
    expect(result._unsafeUnwrap()).toEqual({ name: 'volume-2', path: `${BASE}/volume-2`, bytes: 12 * MIB, sizeBytes: 2 ** 30, sparse: true });
    expect(roundTrips).toBe(3);
    const restored = sim.inspect.file(`${BASE}/volume-2`)._unsafeUnwrap();
    expect(restored.sizeBytes).toBe(2 ** 30);
    expect(sha256(sim.inspect.readContent(`${BASE}/volume-2`, { offset: 0, length: 12 * MIB })._unsafeUnwrap())).toBe(sha256(content));
    expect(
      sim.inspect
        .readContent(`${BASE}/volume-2`, { offset: 12 * MIB, length: MIB })
        ._unsafeUnwrap()
        .every((byte) => byte === 0),
    ).toBe(true);
    // The zero block of the backup became a hole, and the source was pulled chunk by chunk as dd wrote.
    expect(restored.allocatedBytes).toBe(8 * MIB);
    // While the first 4 MiB streamed, each chunk was pulled only once dd had written (about) the ones before it.
    const firstBlock = writtenWhenPulled.slice(0, (4 * MIB) / CHUNK);
    expect(firstBlock.every((written, pulled) => written <= pulled && written >= pulled - 1)).toBe(true);
    expect(restoreWorkFile(harness)).toBeUndefined();
  });

  it('restores a backup taken by backupVolume into a volume of the same size in three round trips', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    const content = seedVolume(harness, 'volume-1', 4 * MIB);
    const chunks: Uint8Array[] = [];
    (
      await driver.backupVolume({ name: 'volume-1' }, (chunk) => {
        chunks.push(chunk);
      })
    )._unsafeUnwrap();
    sim.control.seedFile({ path: `${BASE}/volume-2`, content: new Uint8Array(randomBytes(4 * MIB)), mode: 0o660 })._unsafeUnwrap();
    async function* replay() {
      yield* chunks;
    }
    const { result, roundTrips } = await harness.measure(() => driver.restoreBackup(replay(), { name: 'volume-2' }));
    expect(result._unsafeUnwrap()).toMatchObject({ bytes: 4 * MIB, sizeBytes: 4 * MIB });
    expect(roundTrips).toBe(3);
    expect(sha256(sim.inspect.readContent(`${BASE}/volume-2`)._unsafeUnwrap())).toBe(sha256(content));
  });

  // Upstream 1a8ea0eac: a sparse write over old content must not let the old blocks show through the holes.
  it('leaves none of the old content under the holes of the backup, also in a clone child (replaced by a new file)', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    const backup = new Uint8Array(6 * MIB);
    backup.set(new Uint8Array(randomBytes(MIB)), 0);
    backup.set(new Uint8Array(randomBytes(MIB)), 5 * MIB);
    (await driver.createVolume({ name: 'volume-2', sizeGiB: 1 }))._unsafeUnwrap();
    expect(await raw(sim, 'dd', 'if=/dev/urandom', `of=${BASE}/volume-2`, 'bs=1M', 'count=8', 'conv=notrunc', 'status=none')).toBe(0);
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-2' }))._unsafeUnwrap();
    const restored = (await driver.restoreBackup(backup, { name: 'volume-2' }))._unsafeUnwrap();
    expect(restored.sparse).toBe(true);
    const head = sim.inspect.readContent(`${BASE}/volume-2`, { offset: 0, length: 8 * MIB })._unsafeUnwrap();
    const expected = new Uint8Array(8 * MIB);
    expected.set(backup);
    expect(sha256(head)).toBe(sha256(expected));
    const file = sim.inspect.file(`${BASE}/volume-2`)._unsafeUnwrap();
    expect(file.sizeBytes).toBe(2 ** 30);
    expect(file.allocatedBytes).toBe(8 * MIB);
    expect(file.clone?.parentPath ?? null).toBeNull();
    expect(
      sim.inspect
        .readContent(`${BASE}/snap-1`, { offset: 0, length: 8 * MIB })
        ._unsafeUnwrap()
        .some((byte) => byte !== 0),
    ).toBe(true);
  });

  it("keeps the volume's owner, mode and GPFS attributes (a volume retyped to another pool, replicated, direct I/O)", async () => {
    const harness = await createHarness({}, { filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', pools: ['system', 'fast'] }] });
    const { driver, sim } = harness;
    seedVolume(harness, 'volume-1', 4 * MIB);
    expect(await raw(sim, 'chown', '1000:100', `${BASE}/volume-1`)).toBe(0);
    expect(await raw(sim, 'chmod', '640', `${BASE}/volume-1`)).toBe(0);
    expect(await raw(sim, 'mmchattr', '-P', 'fast', '-r', '2', '-m', '2', '-D', 'yes', `${BASE}/volume-1`)).toBe(0);
    const attributes = async () =>
      (await sim.run({ argv: ['mmlsattr', '-L', `${BASE}/volume-1`], asRoot: true }))
        ._unsafeUnwrap()
        .stdout.split('\n')
        .filter((line) => !/^(file name|creation time):/.test(line));
    const summary = () => {
      const { uid, gid, mode, pool, dataReplicas, metadataReplicas, sizeBytes } = sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap();
      return { uid, gid, mode, pool, dataReplicas, metadataReplicas, sizeBytes };
    };
    const before = { file: summary(), attributes: await attributes() };
    expect(before.file).toMatchObject({ uid: 1000, pool: 'fast', dataReplicas: 2 });
    expect(before.attributes.some((line) => line.includes('directio'))).toBe(true);
    (await driver.restoreBackup(new Uint8Array(MIB).fill(5), { name: 'volume-1' }))._unsafeUnwrap();
    expect({ file: summary(), attributes: await attributes() }).toEqual(before);
  });

  it('refuses a clone parent and a symbolic link, writing nothing', async () => {
    const harness = await createHarness();
    const { driver, sim } = harness;
    seedVolume(harness, 'volume-1', 2 * MIB);
    expect(await raw(sim, 'mmclone', 'snap', `${BASE}/volume-1`)).toBe(0);
    expect(await raw(sim, 'ln', '-s', '/etc/motd', `${BASE}/link`)).toBe(0);
    const before = fileState(sim);
    expect((await driver.restoreBackup(new Uint8Array(10), { name: 'volume-1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'InUse', path: `${BASE}/volume-1` });
    expect((await driver.restoreBackup(new Uint8Array(10), { name: 'link' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument', argument: 'volume' });
    expect(fileState(sim)).toEqual(before);
    expect(sim.inspect.localDiskWrites()).toEqual([]);
    expect(sim.log.entries().filter((entry) => entry.argv[0] === 'dd')).toEqual([]);
  });

  it('refuses a backup larger than the volume, leaving the volume as it was', async () => {
    const harness = await createHarness();
    const content = seedVolume(harness, 'volume-1', 2 * MIB);
    const error = (await harness.driver.restoreBackup(new Uint8Array(3 * MIB).fill(7), { name: 'volume-1' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'InvalidArgument', argument: 'source' });
    expect(sha256(harness.sim.inspect.readContent(`${BASE}/volume-1`)._unsafeUnwrap())).toBe(sha256(content));
    expect(workFiles(harness)).toEqual([]);
  });

  it('stops with StreamFailed when the source throws, leaving the volume as it was', async () => {
    const harness = await createHarness();
    const { sim } = harness;
    const content = seedVolume(harness, 'volume-1', 4 * MIB);
    async function* failing() {
      yield new Uint8Array(CHUNK).fill(1);
      throw new Error('backup store went away');
    }
    const error = (await harness.driver.restoreBackup(failing(), { name: 'volume-1' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'StreamFailed', side: 'source', bytes: CHUNK });
    expect(error.message).toContain('backup store went away');
    expect(sha256(sim.inspect.readContent(`${BASE}/volume-1`)._unsafeUnwrap())).toBe(sha256(content));
    expect(workFiles(harness)).toEqual([]);
    expect(sim.inspect.internalErrors()).toEqual([]);
  });

  it('reports a failing dd and a missing volume', async () => {
    const harness = await createHarness();
    seedVolume(harness, 'volume-1', 2 * MIB);
    harness.sim.faults.failWhen({ command: 'dd' }, { exitCode: 1, stderr: 'dd: error writing: No space left on device\n' }, { times: 1 });
    expect((await harness.driver.restoreBackup(new Uint8Array(10), { name: 'volume-1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'stream' });
    expect((await harness.driver.restoreBackup(new Uint8Array(10), { name: 'missing' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound', role: 'volume' });
  });

  it.each([
    ['read-clone-state', ['mmclone', 'show']],
    ['read-size', ['qemu-img', 'info']],
    ['create-work', ['truncate']],
    ['read-attributes', ['mmlsattr']],
    ['replace-volume', ['mv']],
  ])('reports step %s failing as CommandFailed, leaving the volume as it was and no work file', async (step, prefix) => {
    const harness = await createHarness();
    const content = seedVolume(harness, 'volume-1', 2 * MIB);
    harness.sim.faults.failWhen({ argvPrefix: prefix }, { exitCode: 1, stderr: 'injected\n' });
    expect((await harness.driver.restoreBackup(new Uint8Array(CHUNK).fill(3), { name: 'volume-1' }))._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', operation: 'restoreBackup', step });
    expect(sha256(harness.sim.inspect.readContent(`${BASE}/volume-1`)._unsafeUnwrap())).toBe(sha256(content));
    expect(workFiles(harness)).toEqual([]);
  });

  it("is aborted by the caller's signal", async () => {
    const harness = await createHarness();
    seedVolume(harness, 'volume-1', 2 * MIB);
    const controller = new AbortController();
    async function* slow() {
      yield new Uint8Array(CHUNK);
      controller.abort();
      yield new Uint8Array(CHUNK);
    }
    expect((await harness.driver.restoreBackup(slow(), { name: 'volume-1' }, { signal: controller.signal }))._unsafeUnwrapErr()).toMatchObject({ kind: 'Aborted' });
  });
});
