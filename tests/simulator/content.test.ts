import { describe, expect, it } from 'vitest';
import { createGpfsSimulator, parseQemuImgInfo } from '../../src/index.js';
import { ok, root } from './support.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

describe('simulator: file content', () => {
  it('keeps a 1 TiB sparse volume at zero allocated bytes and digests it without reading it', async () => {
    const sim = createGpfsSimulator({ filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', capacityBytes: 8 * TiB }] });
    await ok(sim, ['truncate', '-s', '1T', '/gpfs0/huge']);
    expect(sim.inspect.file('/gpfs0/huge')._unsafeUnwrap()).toMatchObject({ sizeBytes: TiB, allocatedBytes: 0 });
    sim.control.seedFile({ path: '/gpfs0/huge-zeros', sizeBytes: TiB, allocate: 'zeros' })._unsafeUnwrap();
    expect(sim.inspect.file('/gpfs0/huge-zeros')._unsafeUnwrap().allocatedBytes).toBe(TiB);
    expect(sim.inspect.digest('/gpfs0/huge')._unsafeUnwrap()).toBe(sim.inspect.digest('/gpfs0/huge-zeros')._unsafeUnwrap());
  });

  it('gives equal digests to equal content whatever the layout, and different digests otherwise', async () => {
    const sim = createGpfsSimulator();
    sim.control.seedFile({ path: '/gpfs0/a', content: 'abc', sizeBytes: 10 * MiB })._unsafeUnwrap();
    await ok(sim, ['truncate', '-s', '10M', '/tmp/b']);
    await ok(sim, ['dd', 'of=/tmp/b', 'conv=notrunc', 'status=none'], { stdin: 'abc' });
    await ok(sim, ['dd', 'if=/dev/zero', 'of=/tmp/b', 'bs=1M', 'seek=5', 'count=1', 'conv=notrunc', 'status=none']);
    expect(sim.inspect.digest('/tmp/b')._unsafeUnwrap()).toBe(sim.inspect.digest('/gpfs0/a')._unsafeUnwrap());
    await ok(sim, ['cp', '/gpfs0/a', '/gpfs0/c']);
    expect(sim.inspect.digest('/gpfs0/c')._unsafeUnwrap()).toBe(sim.inspect.digest('/gpfs0/a')._unsafeUnwrap());
    await ok(sim, ['dd', 'of=/gpfs0/c', 'seek=7', 'bs=1M', 'conv=notrunc', 'status=none'], { stdin: '\u0001' });
    expect(sim.inspect.digest('/gpfs0/c')._unsafeUnwrap()).not.toBe(sim.inspect.digest('/gpfs0/a')._unsafeUnwrap());
    await ok(sim, ['truncate', '-s', '11M', '/tmp/b']);
    expect(sim.inspect.digest('/tmp/b')._unsafeUnwrap()).not.toBe(sim.inspect.digest('/gpfs0/a')._unsafeUnwrap());
  });

  it('streams an async iterable into dd without asking for more than it writes', async () => {
    const sim = createGpfsSimulator();
    const chunk = new Uint8Array(MiB).fill(7);
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let index = 0; index < 32; index++) {
        pulled++;
        yield chunk;
      }
    }
    const output = await ok(sim, ['dd', 'of=/gpfs0/restored', 'bs=1M', 'iflag=fullblock'], { stdin: source() });
    expect(pulled).toBe(32);
    expect(output.stderr).toMatch(/^32\+0 records in\n32\+0 records out\n33554432 bytes \(34 MB, 32 MiB\) copied, [\d.]+ s, [\d.]+ [kMG]B\/s\n$/);
    expect(sim.inspect.file('/gpfs0/restored')._unsafeUnwrap()).toMatchObject({ sizeBytes: 32 * MiB, allocatedBytes: 32 * MiB });
    pulled = 0;
    const limited = await ok(sim, ['dd', 'of=/gpfs0/part', 'bs=1M', 'count=2', 'iflag=fullblock', 'status=none'], { stdin: source() });
    expect(limited.stderr).toBe('');
    expect(pulled).toBe(2);
    expect(sim.inspect.file('/gpfs0/part')._unsafeUnwrap().sizeBytes).toBe(2 * MiB);
  });

  it('streams cat output to a sink in bounded chunks with back-pressure', async () => {
    const sim = createGpfsSimulator();
    sim.control.seedFile({ path: '/gpfs0/volume', content: new Uint8Array(3 * MiB).fill(1), sizeBytes: 5 * MiB })._unsafeUnwrap();
    const sizes: number[] = [];
    let pending = 0;
    const output = await ok(sim, ['cat', '/gpfs0/volume'], {
      stdoutSink: async (bytes) => {
        expect(pending).toBe(0);
        pending++;
        sizes.push(bytes.length);
        await new Promise((resolve) => setTimeout(resolve, 0));
        pending--;
      },
    });
    expect(output.stdout).toBe('');
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(5 * MiB);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
    expect((await ok(sim, ['cat'], { stdin: 'from stdin' })).stdout).toBe('from stdin');
    expect((await root(sim, ['cat', '/gpfs0/none'])).stderr).toBe('cat: /gpfs0/none: No such file or directory\n');
  });

  it('records the file system type and label that mkfs and mkswap write, and loses it to a zero fill', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['truncate', '-s', '1G', '/gpfs0/v']);
    await ok(sim, ['mkfs', '-t', 'ext4', '-F', '-L', 'data', '/gpfs0/v']);
    expect(sim.inspect.file('/gpfs0/v')._unsafeUnwrap().filesystemSignature).toEqual({ type: 'ext4', label: 'data' });
    await ok(sim, ['mkfs', '-t', 'vfat', '-n', 'BOOT', '/gpfs0/v']);
    expect(sim.inspect.file('/gpfs0/v')._unsafeUnwrap().filesystemSignature).toEqual({ type: 'vfat', label: 'BOOT' });
    await ok(sim, ['mkswap', '-L', 'swap1', '/gpfs0/v']);
    expect(sim.inspect.file('/gpfs0/v')._unsafeUnwrap().filesystemSignature).toEqual({ type: 'swap', label: 'swap1' });
    await ok(sim, ['mkfs', '-t', 'xfs', '-f', '-L', 'logs', '/gpfs0/v']);
    expect(sim.inspect.file('/gpfs0/v')._unsafeUnwrap().filesystemSignature).toEqual({ type: 'xfs', label: 'logs' });
    await ok(sim, ['dd', 'if=/dev/zero', 'of=/gpfs0/v', 'bs=1M', 'count=1', 'conv=notrunc', 'status=none']);
    expect(sim.inspect.file('/gpfs0/v')._unsafeUnwrap().filesystemSignature).toBeNull();
  });

  it('asks before mke2fs overwrites a file system unless -F is given, and knows no mkfs.nope', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['truncate', '-s', '64M', '/gpfs0/v']);
    await ok(sim, ['mkfs', '-t', 'ext3', '/gpfs0/v']);
    const refused = await root(sim, ['mkfs', '-t', 'ext4', '/gpfs0/v']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain('/gpfs0/v contains a ext3 file system');
    const confirmed = await root(sim, ['mkfs', '-t', 'ext4', '/gpfs0/v'], { stdin: 'y\n' });
    expect(confirmed.exitCode).toBe(0);
    expect(sim.inspect.file('/gpfs0/v')._unsafeUnwrap().filesystemSignature?.type).toBe('ext4');
    expect(await root(sim, ['mkfs', '-t', 'nope', '/gpfs0/v'])).toMatchObject({ exitCode: 1, stderr: 'mkfs: failed to execute mkfs.nope: No such file or directory\n' });
    const small = await root(sim, ['mkfs', '-t', 'xfs', '-f', '/gpfs0/v']);
    expect(small.stderr).toContain('Filesystem must be larger than 300MB.');
  });

  it('reports raw images, and a raw file starting with the qcow2 magic as qcow2 unless -f raw pins it', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['truncate', '-s', '10G', '/gpfs0/volume']);
    const raw = parseQemuImgInfo((await ok(sim, ['qemu-img', 'info', '--output=json', '/gpfs0/volume'])).stdout)._unsafeUnwrap();
    expect(raw).toMatchObject({ format: 'raw', virtualSizeBytes: 10 * GiB, actualSizeBytes: 0 });
    const header = new Uint8Array(72);
    const view = new DataView(header.buffer);
    view.setUint32(0, 0x514649fb);
    view.setUint32(4, 3);
    view.setBigUint64(24, BigInt(100 * GiB));
    await ok(sim, ['dd', 'of=/gpfs0/volume', 'conv=notrunc', 'status=none'], { stdin: header });
    const probed = parseQemuImgInfo((await ok(sim, ['qemu-img', 'info', '--output=json', '/gpfs0/volume'])).stdout)._unsafeUnwrap();
    expect(probed).toMatchObject({ format: 'qcow2', virtualSizeBytes: 100 * GiB });
    const pinned = parseQemuImgInfo((await ok(sim, ['qemu-img', 'info', '-f', 'raw', '--output=json', '/gpfs0/volume'])).stdout)._unsafeUnwrap();
    expect(pinned).toMatchObject({ format: 'raw', virtualSizeBytes: 10 * GiB });
    await ok(sim, ['qemu-img', 'resize', '/gpfs0/volume', '200G']);
    expect(sim.inspect.file('/gpfs0/volume')._unsafeUnwrap().sizeBytes).toBe(10 * GiB);
    expect(parseQemuImgInfo((await ok(sim, ['qemu-img', 'info', '--output=json', '/gpfs0/volume'])).stdout)._unsafeUnwrap().virtualSizeBytes).toBe(200 * GiB);
    expect((await ok(sim, ['qemu-img', 'resize', '-f', 'raw', '/gpfs0/volume', '20G'])).stdout).toBe('Image resized.\n');
    expect(sim.inspect.file('/gpfs0/volume')._unsafeUnwrap().sizeBytes).toBe(20 * GiB);
    const shrink = await root(sim, ['qemu-img', 'resize', '-f', 'raw', '/gpfs0/volume', '1G']);
    expect(shrink.exitCode).toBe(1);
    expect(shrink.stderr).toContain('Use the --shrink option');
  });

  it('converts a seeded qcow2 image to a sparse raw volume holding the guest content', async () => {
    const sim = createGpfsSimulator();
    sim.control.seedFile({ path: '/gpfs0/images/cirros.qcow2', imageFormat: 'qcow2', sizeBytes: GiB, content: 'guest boot sector' })._unsafeUnwrap();
    const info = parseQemuImgInfo((await ok(sim, ['qemu-img', 'info', '--output=json', '/gpfs0/images/cirros.qcow2'])).stdout)._unsafeUnwrap();
    expect(info).toMatchObject({ format: 'qcow2', virtualSizeBytes: GiB });
    await ok(sim, ['qemu-img', 'convert', '-f', 'qcow2', '-O', 'raw', '/gpfs0/images/cirros.qcow2', '/gpfs0/volume-1']);
    const volume = sim.inspect.file('/gpfs0/volume-1')._unsafeUnwrap();
    expect(volume).toMatchObject({ sizeBytes: GiB, imageFormat: 'raw', allocatedBytes: 4 * MiB });
    expect(new TextDecoder().decode(sim.inspect.readContent('/gpfs0/volume-1', { length: 17 })._unsafeUnwrap())).toBe('guest boot sector');
    expect(sim.inspect.readText('/gpfs0/volume-1').isErr()).toBe(true);
    const wrong = await root(sim, ['qemu-img', 'convert', '-f', 'qcow2', '-O', 'raw', '/gpfs0/volume-1', '/gpfs0/volume-2']);
    expect(wrong).toMatchObject({ exitCode: 1, stderr: "qemu-img: Could not open '/gpfs0/volume-1': Image is not in qcow2 format\n" });
  });

  it('fails dd with ENOSPC when the file system fills up, keeping what fitted', async () => {
    const sim = createGpfsSimulator({ filesystems: [{ device: 'small', mountPoint: '/small', capacityBytes: 256 * MiB }] });
    const output = await root(sim, ['dd', 'if=/dev/zero', 'of=/small/fill', 'bs=1M']);
    expect(output.exitCode).toBe(1);
    expect(output.stderr).toContain("dd: error writing '/small/fill': No space left on device");
    const file = sim.inspect.file('/small/fill')._unsafeUnwrap();
    expect(file.allocatedBytes).toBeGreaterThan(200 * MiB);
    expect(file.allocatedBytes).toBeLessThanOrEqual(256 * MiB);
  });

  // Found by the robustness property: `dd if=/dev/zero` to a buffered standard output under a timeout
  // built a string longer than V8 allows and came back as an internal error.
  it('bounds what dd writes to a standard output that is not streamed', async () => {
    const sim = createGpfsSimulator();
    const endless = await sim.run({ argv: ['dd', 'if=/dev/zero'], timeoutMs: 1026 });
    expect(endless.isErr() ? endless.error.kind : endless.value.exitCode).toBe('Timeout');
    const large = (await sim.run({ argv: ['dd', 'if=/dev/zero', 'bs=1M', 'count=300'] }))._unsafeUnwrap();
    expect(large.exitCode).toBe(1);
    expect(large.stderr).toContain('the simulator buffers at most 268435456 bytes of output that is not streamed');
    expect(sim.inspect.internalErrors()).toEqual([]);
  });
});
