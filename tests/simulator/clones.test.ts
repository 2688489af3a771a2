import { describe, expect, it } from 'vitest';
import { buildCloneForest, createGpfsSimulator, parseFileListing, parseMmcloneShow, parseNulSeparated, type GpfsSimulator } from '../../src/index.js';
import { ok, root, user } from './support.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

async function volumeWithData(sim: GpfsSimulator, path: string, text: string): Promise<void> {
  await ok(sim, ['truncate', '-s', '1G', path]);
  await ok(sim, ['dd', `of=${path}`, 'conv=notrunc', 'status=none'], { stdin: text });
}

async function show(sim: GpfsSimulator, ...paths: string[]) {
  return parseMmcloneShow((await ok(sim, ['mmclone', 'show', ...paths])).stdout)._unsafeUnwrap();
}

describe('simulator: file clones', () => {
  it('mmclone snap src dest moves the blocks to a read-only parent and makes src its first child', async () => {
    const sim = createGpfsSimulator();
    await volumeWithData(sim, '/gpfs0/volume-1', 'hello');
    const digest = sim.inspect.digest('/gpfs0/volume-1')._unsafeUnwrap();
    const before = sim.inspect.file('/gpfs0/volume-1')._unsafeUnwrap();
    await ok(sim, ['mmclone', 'snap', '/gpfs0/volume-1', '/gpfs0/volume-1.snap']);
    const parent = sim.inspect.file('/gpfs0/volume-1.snap')._unsafeUnwrap();
    const child = sim.inspect.file('/gpfs0/volume-1')._unsafeUnwrap();
    expect(child.inode).toBe(before.inode);
    expect(parent.allocatedBytes).toBe(before.allocatedBytes);
    expect(child.allocatedBytes).toBe(0);
    expect(parent.links).toBe(2);
    expect(child.digest).toBe(digest);
    expect(parent.digest).toBe(digest);
    expect(await show(sim, '/gpfs0/volume-1.snap', '/gpfs0/volume-1')).toEqual([
      { isParent: true, depth: 0, parentInode: null, fileName: '/gpfs0/volume-1.snap' },
      { isParent: false, depth: 1, parentInode: parent.inode, fileName: '/gpfs0/volume-1' },
    ]);
  });

  it('mmclone snap src makes the file itself a parent, which then refuses writes', async () => {
    const sim = createGpfsSimulator();
    await volumeWithData(sim, '/gpfs0/image', 'base');
    await ok(sim, ['mmclone', 'snap', '/gpfs0/image']);
    expect(await show(sim, '/gpfs0/image')).toEqual([{ isParent: true, depth: 0, parentInode: null, fileName: '/gpfs0/image' }]);
    const cases: [string[], string][] = [
      [['dd', 'if=/dev/zero', 'of=/gpfs0/image', 'bs=1M', 'count=1', 'conv=notrunc'], "dd: failed to open '/gpfs0/image': Read-only file system\n"],
      [['truncate', '-s', '2G', '/gpfs0/image'], "truncate: cannot open '/gpfs0/image' for writing: Read-only file system\n"],
      [['qemu-img', 'resize', '-f', 'raw', '/gpfs0/image', '2G'], "qemu-img: Could not open '/gpfs0/image': Could not open '/gpfs0/image': Read-only file system\n"],
    ];
    for (const [argv, stderr] of cases) {
      const output = await root(sim, argv);
      expect(output.exitCode, argv.join(' ')).toBe(1);
      expect(output.stderr).toBe(stderr);
    }
    const mkfs = await root(sim, ['mkfs', '-t', 'ext4', '-F', '/gpfs0/image']);
    expect(mkfs.exitCode).not.toBe(0);
    expect(mkfs.stderr).toContain('Read-only file system');
    expect(sim.inspect.file('/gpfs0/image')._unsafeUnwrap().sizeBytes).toBe(GiB);
  });

  it('copies from a parent: the clone shares its blocks until written, then owns whole blocks', async () => {
    const sim = createGpfsSimulator();
    await volumeWithData(sim, '/gpfs0/volume-1', 'original');
    await ok(sim, ['mmclone', 'snap', '/gpfs0/volume-1', '/gpfs0/volume-1.snap']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/volume-1.snap', '/gpfs0/volume-2']);
    const parentDigest = sim.inspect.digest('/gpfs0/volume-1.snap')._unsafeUnwrap();
    expect(sim.inspect.file('/gpfs0/volume-2')._unsafeUnwrap()).toMatchObject({ sizeBytes: GiB, allocatedBytes: 0, digest: parentDigest });
    expect(sim.inspect.file('/gpfs0/volume-1.snap')._unsafeUnwrap().links).toBe(3);
    await ok(sim, ['dd', 'of=/gpfs0/volume-2', 'seek=10', 'bs=1M', 'conv=notrunc', 'status=none'], { stdin: 'changed' });
    const written = sim.inspect.file('/gpfs0/volume-2')._unsafeUnwrap();
    expect(written.allocatedBytes).toBe(4 * MiB);
    expect(written.digest).not.toBe(parentDigest);
    expect(new TextDecoder().decode(sim.inspect.readContent('/gpfs0/volume-2', { offset: 0, length: 8 })._unsafeUnwrap())).toBe('original');
    expect(new TextDecoder().decode(sim.inspect.readContent('/gpfs0/volume-2', { offset: 10 * MiB, length: 7 })._unsafeUnwrap())).toBe('changed');
    expect(sim.inspect.digest('/gpfs0/volume-1')._unsafeUnwrap()).toBe(parentDigest);
    expect(sim.inspect.digest('/gpfs0/volume-1.snap')._unsafeUnwrap()).toBe(parentDigest);
  });

  it('refuses copy from a file that is not a clone parent, onto an existing target, and across filesets', async () => {
    const sim = createGpfsSimulator({ filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', filesets: ['other'] }] });
    await volumeWithData(sim, '/gpfs0/plain', 'x');
    const notParent = await root(sim, ['mmclone', 'copy', '/gpfs0/plain', '/gpfs0/clone']);
    expect(notParent.exitCode).toBe(1);
    expect(notParent.stderr).toContain('mmclone: Command failed.');
    await ok(sim, ['mmclone', 'snap', '/gpfs0/plain', '/gpfs0/plain.snap']);
    expect((await root(sim, ['mmclone', 'copy', '/gpfs0/plain.snap', '/gpfs0/plain'])).stderr).toContain('/gpfs0/plain: File exists');
    expect((await root(sim, ['mmclone', 'copy', '/gpfs0/plain.snap', '/gpfs0/other/clone'])).stderr).toContain('Invalid cross-device link');
    expect((await root(sim, ['mmclone', 'snap', '/gpfs0/plain.snap'])).stderr).toContain('already a clone parent');
  });

  it('refuses rm of a parent with children, with or without -f, and removes a childless parent', async () => {
    const sim = createGpfsSimulator();
    await volumeWithData(sim, '/gpfs0/volume-1', 'data');
    await ok(sim, ['mmclone', 'snap', '/gpfs0/volume-1', '/gpfs0/volume-1.snap']);
    for (const argv of [
      ['rm', '/gpfs0/volume-1.snap'],
      ['rm', '-f', '/gpfs0/volume-1.snap'],
    ]) {
      expect(await root(sim, argv)).toMatchObject({ exitCode: 1, stdout: '', stderr: "rm: cannot remove '/gpfs0/volume-1.snap': Read-only file system\n" });
    }
    expect(sim.inspect.file('/gpfs0/volume-1.snap').isOk()).toBe(true);
    await ok(sim, ['rm', '-f', '/gpfs0/volume-1']);
    expect(sim.inspect.file('/gpfs0/volume-1.snap')._unsafeUnwrap().links).toBe(1);
    await ok(sim, ['rm', '-f', '/gpfs0/volume-1.snap']);
    expect(sim.inspect.file('/gpfs0/volume-1.snap').isErr()).toBe(true);
  });

  it('lets chmod, chown and mv work on a parent, keeping its inode and its children', async () => {
    const sim = createGpfsSimulator();
    await volumeWithData(sim, '/gpfs0/volume-1', 'data');
    await ok(sim, ['mmclone', 'snap', '/gpfs0/volume-1', '/gpfs0/snap-1']);
    const inode = sim.inspect.file('/gpfs0/snap-1')._unsafeUnwrap().inode;
    await ok(sim, ['chmod', '640', '/gpfs0/snap-1']);
    await ok(sim, ['chown', '1000:1000', '/gpfs0/snap-1']);
    await ok(sim, ['mv', '/gpfs0/snap-1', '/gpfs0/snap-1.ts']);
    expect(sim.inspect.file('/gpfs0/snap-1.ts')._unsafeUnwrap()).toMatchObject({ inode, mode: 0o640, uid: 1000, gid: 1000, links: 2 });
    const rows = await show(sim, '/gpfs0/volume-1');
    expect(rows[0]?.parentInode).toBe(inode);
  });

  it('keeps the recorded depth when an ancestor is redirected, and redirect moves a clone to its grandparent', async () => {
    const sim = createGpfsSimulator();
    await volumeWithData(sim, '/gpfs0/a', 'layer-a');
    await ok(sim, ['mmclone', 'snap', '/gpfs0/a', '/gpfs0/a.snap']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/a.snap', '/gpfs0/b']);
    await ok(sim, ['mmclone', 'snap', '/gpfs0/b', '/gpfs0/b.snap']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/b.snap', '/gpfs0/c']);
    const inodes = Object.fromEntries(['a.snap', 'b.snap'].map((name) => [name, sim.inspect.file(`/gpfs0/${name}`)._unsafeUnwrap().inode]));
    expect(await show(sim, '/gpfs0/b.snap', '/gpfs0/c')).toEqual([
      { isParent: true, depth: 1, parentInode: inodes['a.snap'], fileName: '/gpfs0/b.snap' },
      { isParent: false, depth: 2, parentInode: inodes['b.snap'], fileName: '/gpfs0/c' },
    ]);
    const digest = sim.inspect.digest('/gpfs0/c')._unsafeUnwrap();
    await ok(sim, ['mmclone', 'redirect', '/gpfs0/b.snap']);
    expect(await show(sim, '/gpfs0/b.snap', '/gpfs0/c')).toEqual([
      { isParent: true, depth: 1, parentInode: null, fileName: '/gpfs0/b.snap' },
      { isParent: false, depth: 2, parentInode: inodes['b.snap'], fileName: '/gpfs0/c' },
    ]);
    await ok(sim, ['mmclone', 'redirect', '/gpfs0/c']);
    expect(await show(sim, '/gpfs0/c')).toEqual([{ isParent: false, depth: null, parentInode: null, fileName: '/gpfs0/c' }]);
    expect(sim.inspect.digest('/gpfs0/c')._unsafeUnwrap()).toBe(digest);
    expect(sim.inspect.file('/gpfs0/b.snap')._unsafeUnwrap().links).toBe(2);
  });

  it('split makes a clone of a clone independent, copying what it inherited from every ancestor', async () => {
    const sim = createGpfsSimulator();
    await volumeWithData(sim, '/gpfs0/base', 'base-data');
    await ok(sim, ['mmclone', 'snap', '/gpfs0/base', '/gpfs0/base.snap']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/base.snap', '/gpfs0/mid']);
    await ok(sim, ['dd', 'of=/gpfs0/mid', 'seek=100', 'bs=1M', 'conv=notrunc', 'status=none'], { stdin: 'mid-data' });
    await ok(sim, ['mmclone', 'snap', '/gpfs0/mid', '/gpfs0/mid.snap']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/mid.snap', '/gpfs0/leaf']);
    const digest = sim.inspect.digest('/gpfs0/leaf')._unsafeUnwrap();
    await ok(sim, ['mmclone', 'split', '/gpfs0/leaf']);
    const leaf = sim.inspect.file('/gpfs0/leaf')._unsafeUnwrap();
    expect(leaf.clone).toBeNull();
    expect(leaf.digest).toBe(digest);
    expect(leaf.allocatedBytes).toBe(2 * 4 * MiB);
    await ok(sim, ['rm', '/gpfs0/mid']);
    await ok(sim, ['rm', '/gpfs0/mid.snap']);
    expect(sim.inspect.digest('/gpfs0/leaf')._unsafeUnwrap()).toBe(digest);
    const notClone = await root(sim, ['mmclone', 'split', '/gpfs0/leaf']);
    expect(notClone.exitCode).toBe(1);
  });

  it('snap of a clone puts the new parent in the clone place under the old parent', async () => {
    const sim = createGpfsSimulator();
    await volumeWithData(sim, '/gpfs0/v1', 'one');
    await ok(sim, ['mmclone', 'snap', '/gpfs0/v1', '/gpfs0/v1.snap']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/v1.snap', '/gpfs0/v2']);
    await ok(sim, ['mmclone', 'snap', '/gpfs0/v2', '/gpfs0/v2.snap']);
    const forest = buildCloneForest(sim.inspect.cloneForest('gpfs0').map(({ path, inode, isParent, depth, parentInode }) => ({ path, inode, isParent, depth, parentInode })));
    expect(forest.isOk()).toBe(true);
    const entries = sim.inspect.cloneForest();
    const byPath = new Map(entries.map((entry) => [entry.path, entry]));
    expect(byPath.get('/gpfs0/v2.snap')).toMatchObject({ isParent: true, depth: 1, parentInode: byPath.get('/gpfs0/v1.snap')?.inode });
    expect(byPath.get('/gpfs0/v2')).toMatchObject({ isParent: false, depth: 2, parentInode: byPath.get('/gpfs0/v2.snap')?.inode });
  });

  it('reads zeros in a clone past a truncation even after it grows again', async () => {
    const sim = createGpfsSimulator();
    await volumeWithData(sim, '/gpfs0/v', 'x'.repeat(100));
    await ok(sim, ['mmclone', 'snap', '/gpfs0/v', '/gpfs0/v.snap']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/v.snap', '/gpfs0/w']);
    await ok(sim, ['truncate', '-s', '10', '/gpfs0/w']);
    await ok(sim, ['truncate', '-s', '100', '/gpfs0/w']);
    const bytes = sim.inspect.readContent('/gpfs0/w')._unsafeUnwrap();
    expect(new TextDecoder().decode(bytes.subarray(0, 10))).toBe('x'.repeat(10));
    expect(bytes.subarray(10).every((byte) => byte === 0)).toBe(true);
  });

  it('finds a parent by inode the way the driver does, with find -inum -print0 -quit', async () => {
    const sim = createGpfsSimulator();
    await volumeWithData(sim, '/gpfs0/volume-1', 'data');
    await ok(sim, ['mmclone', 'snap', '/gpfs0/volume-1', '/gpfs0/volume-1.snap']);
    const parentInode = (await show(sim, '/gpfs0/volume-1'))[0]!.parentInode!;
    const output = await ok(sim, ['find', '/gpfs0', '-maxdepth', '1', '-ignore_readdir_race', '-inum', String(parentInode), '-print0', '-quit']);
    expect(parseNulSeparated(output.stdout)._unsafeUnwrap()).toEqual(['/gpfs0/volume-1.snap']);
    const listing = parseFileListing((await ok(sim, ['find', '/gpfs0', '-mindepth', '1', '-maxdepth', '1', '-printf', '%i %s %b %m %y %p\\0'])).stdout)._unsafeUnwrap();
    expect(listing.map((entry) => [entry.path, entry.inode === parentInode, entry.allocatedBytes])).toEqual([
      ['/gpfs0/volume-1', false, 0],
      ['/gpfs0/volume-1.snap', true, 4 * MiB],
    ]);
  });

  it('lets an ordinary user clone files they can read into directories they can write', async () => {
    const sim = createGpfsSimulator();
    sim.control.mkdir('/gpfs0/home', { mode: 0o755, uid: 1000, gid: 1000 })._unsafeUnwrap();
    sim.control.seedFile({ path: '/gpfs0/home/mine', content: 'abc', uid: 1000, gid: 1000 })._unsafeUnwrap();
    expect((await user(sim, ['mmclone', 'snap', '/gpfs0/home/mine', '/gpfs0/home/mine.snap'])).exitCode).toBe(0);
    const elsewhere = await user(sim, ['mmclone', 'copy', '/gpfs0/home/mine.snap', '/gpfs0/theirs']);
    expect(elsewhere.stderr).toContain('Permission denied');
  });
});
