import { describe, expect, it } from 'vitest';
import { createGpfsSimulator, parseDf } from '../../src/index.js';
import { ok, root } from './support.js';

describe('simulator: mounts, the root disk and snapshots', () => {
  it('sends writes under an unmounted mount point to the root disk, where inspection shows them', async () => {
    const sim = createGpfsSimulator();
    sim.control.unmount('gpfs0')._unsafeUnwrap();
    const df = parseDf((await ok(sim, ['df', '/gpfs0'])).stdout)._unsafeUnwrap()[0];
    expect(df).toMatchObject({ filesystem: '/dev/vda1', mountedOn: '/' });
    await ok(sim, ['truncate', '-s', '1G', '/gpfs0/volume-1']);
    const writes = sim.inspect.localDiskWrites();
    expect(writes.map((file) => [file.path, file.device])).toEqual([['/gpfs0/volume-1', '/dev/vda1']]);
    const attr = await root(sim, ['mmlsattr', '/gpfs0/volume-1']);
    expect(attr.stderr).toContain('/gpfs0/volume-1 is not a GPFS file system object.');
    expect((await root(sim, ['mmclone', 'snap', '/gpfs0/volume-1'])).exitCode).not.toBe(0);
    expect((await root(sim, ['mmcrsnapshot', 'gpfs0', 's1'])).stderr).toContain('6027-602 ERROR: file system not mounted. Mount file system gpfs0 and retry command.');
    sim.control.mount('gpfs0')._unsafeUnwrap();
    expect((await root(sim, ['test', '-e', '/gpfs0/volume-1'])).exitCode).toBe(1);
    expect(sim.inspect.files({ device: '/dev/vda1', under: '/gpfs0' }).map((file) => file.path)).toEqual(['/gpfs0', '/gpfs0/volume-1']);
  });

  it('answers df -t gpfs as GNU df does: the GPFS row when mounted, exit 1 for the root disk under an unmounted or inactive file system', async () => {
    const sim = createGpfsSimulator();
    sim.control.mkdir('/gpfs0/volumes')._unsafeUnwrap();
    const mounted = await ok(sim, ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes']);
    expect(parseDf(mounted.stdout)._unsafeUnwrap()).toMatchObject([{ filesystem: 'gpfs0', mountedOn: '/gpfs0' }]);
    expect(await root(sim, ['df', '-P', '-t', 'gpfs', '/tmp'])).toMatchObject({ exitCode: 1, stdout: '', stderr: 'df: no file systems processed\n' });
    expect((await ok(sim, ['df', '-P', '-x', 'gpfs', '/tmp'])).stdout).toContain('/dev/vda1');
    expect((await ok(sim, ['df', '-P', '--type=gpfs'])).stdout).not.toContain('/dev/vda1');
    expect((await ok(sim, ['stat', '-f', '-c', '%T', '/gpfs0/volumes'])).stdout).toBe('gpfs\n');
    sim.control.unmount('gpfs0')._unsafeUnwrap();
    // The mount point is a root-disk directory again (ext2/ext3 to stat -f), and the base under it is gone.
    expect(await root(sim, ['df', '-P', '-t', 'gpfs', '/gpfs0'])).toMatchObject({ exitCode: 1, stderr: 'df: no file systems processed\n' });
    expect(await root(sim, ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'])).toMatchObject({ exitCode: 1, stderr: 'df: /gpfs0/volumes: No such file or directory\n' });
    expect((await ok(sim, ['stat', '-f', '-c', '%T', '/gpfs0'])).stdout).toBe('ext2/ext3\n');
    sim.control.mount('gpfs0')._unsafeUnwrap();
    sim.control.setNodeState('node1', 'down')._unsafeUnwrap();
    expect((await root(sim, ['df', '-P', '-t', 'gpfs', '/gpfs0'])).exitCode).toBe(1);
    sim.control.setNodeState('node1', 'active')._unsafeUnwrap();
    expect((await root(sim, ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'])).exitCode).toBe(0);
  });

  it('counts each clone child as a link of its parent (find -printf %n, -links), as GPFS does', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['truncate', '-s', '1M', '/gpfs0/volume']);
    await ok(sim, ['mmclone', 'snap', '/gpfs0/volume', '/gpfs0/parent']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/parent', '/gpfs0/clone']);
    const links = async (path: string) => (await ok(sim, ['find', path, '-maxdepth', '0', '-printf', '%n\\n'])).stdout;
    expect(await links('/gpfs0/parent')).toBe('3\n');
    expect(await links('/gpfs0/clone')).toBe('1\n');
    // -links 1 -delete keeps a parent with children (exit 0) and deletes a file with one link.
    await ok(sim, ['find', '/gpfs0/parent', '-maxdepth', '0', '-links', '1', '-delete']);
    expect(sim.inspect.file('/gpfs0/parent').isOk()).toBe(true);
    await ok(sim, ['find', '/gpfs0/clone', '-maxdepth', '0', '-links', '1', '-delete']);
    expect(sim.inspect.file('/gpfs0/clone').isErr()).toBe(true);
    expect(await links('/gpfs0/parent')).toBe('2\n');
  });

  it('unmounts file systems while the local daemon is down and mounts them again when it is active', async () => {
    const sim = createGpfsSimulator();
    sim.control.setNodeState('node1', 'down')._unsafeUnwrap();
    expect(sim.inspect.mounts()).toEqual([{ device: 'gpfs0', mountPoint: '/gpfs0', mounted: true, effective: false }]);
    expect((await root(sim, ['stat', '-f', '-c', '%T', '/gpfs0'])).stdout).toBe('ext2/ext3\n');
    sim.control.setNodeState('node1', 'active')._unsafeUnwrap();
    expect((await root(sim, ['stat', '-f', '-c', '%T', '/gpfs0'])).stdout).toBe('gpfs\n');
  });

  it('freezes file content in a global snapshot, readable under .snapshots and usable as a clone source', async () => {
    const sim = createGpfsSimulator();
    sim.control.seedFile({ path: '/gpfs0/volume-1', content: 'before', sizeBytes: 1024 ** 3 })._unsafeUnwrap();
    const frozen = sim.inspect.digest('/gpfs0/volume-1')._unsafeUnwrap();
    await ok(sim, ['mmcrsnapshot', 'gpfs0', 'snap1']);
    await ok(sim, ['dd', 'of=/gpfs0/volume-1', 'conv=notrunc', 'status=none'], { stdin: 'after!' });
    expect(sim.inspect.digest('/gpfs0/.snapshots/snap1/volume-1')._unsafeUnwrap()).toBe(frozen);
    expect((await ok(sim, ['cat', '/gpfs0/.snapshots/snap1/volume-1'], { stdoutSink: () => undefined })).exitCode).toBe(0);
    expect((await ok(sim, ['stat', '-c', '%i', '/gpfs0/.snapshots/snap1/volume-1'])).stdout).toBe((await ok(sim, ['stat', '-c', '%i', '/gpfs0/volume-1'])).stdout);
    const write = await root(sim, ['truncate', '-s', '0', '/gpfs0/.snapshots/snap1/volume-1']);
    expect(write.stderr).toBe("truncate: cannot open '/gpfs0/.snapshots/snap1/volume-1' for writing: Read-only file system\n");
    expect((await root(sim, ['find', '/gpfs0', '-name', 'volume-1'])).stdout).toBe('/gpfs0/volume-1\n');
    await ok(sim, ['mmclone', 'copy', '/gpfs0/.snapshots/snap1/volume-1', '/gpfs0/restored']);
    expect(sim.inspect.digest('/gpfs0/restored')._unsafeUnwrap()).toBe(frozen);
    expect(sim.inspect.file('/gpfs0/restored')._unsafeUnwrap().clone).toMatchObject({ depth: 1, parentPath: '/gpfs0/.snapshots/snap1/volume-1' });
  });

  it('makes clone reads fail with an I/O error once the snapshot holding their parent is deleted', async () => {
    const sim = createGpfsSimulator();
    sim.control.seedFile({ path: '/gpfs0/volume-1', content: 'data' })._unsafeUnwrap();
    await ok(sim, ['mmcrsnapshot', 'gpfs0', 'snap1']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/.snapshots/snap1/volume-1', '/gpfs0/clone']);
    await ok(sim, ['mmdelsnapshot', 'gpfs0', 'snap1']);
    expect(await root(sim, ['cat', '/gpfs0/clone'])).toMatchObject({ exitCode: 1, stderr: 'cat: /gpfs0/clone: Input/output error\n' });
    expect(sim.inspect.digest('/gpfs0/clone').isErr()).toBe(true);
    expect((await root(sim, ['test', '-d', '/gpfs0/.snapshots/snap1'])).exitCode).toBe(1);
  });

  it('keeps fileset snapshots under the fileset junction', async () => {
    const sim = createGpfsSimulator({ filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', filesets: [{ name: 'cg', junctionPath: '/gpfs0/groups/cg' }] }] });
    sim.control.seedFile({ path: '/gpfs0/groups/cg/v', content: 'in fileset' })._unsafeUnwrap();
    await ok(sim, ['mmcrsnapshot', 'gpfs0', 'cgsnap', '-j', 'cg']);
    expect(sim.inspect.readText('/gpfs0/groups/cg/.snapshots/cgsnap/v')._unsafeUnwrap()).toBe('in fileset');
    expect((await root(sim, ['test', '-e', '/gpfs0/.snapshots/cgsnap'])).exitCode).toBe(1);
    const busy = await root(sim, ['mmdelfileset', 'gpfs0', 'cg', '-f']);
    expect(busy.exitCode).not.toBe(0);
  });

  it('refuses mv across file systems and filesets, keeping the inode within one', async () => {
    const sim = createGpfsSimulator({ filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', filesets: ['other'] }] });
    await ok(sim, ['truncate', '-s', '1M', '/gpfs0/a']);
    const inode = sim.inspect.file('/gpfs0/a')._unsafeUnwrap().inode;
    await ok(sim, ['mkdir', '/gpfs0/dir']);
    await ok(sim, ['mv', '/gpfs0/a', '/gpfs0/dir/b']);
    expect(sim.inspect.file('/gpfs0/dir/b')._unsafeUnwrap().inode).toBe(inode);
    expect((await root(sim, ['mv', '/gpfs0/dir/b', '/tmp/b'])).stderr).toBe("mv: cannot move '/gpfs0/dir/b' to '/tmp/b': Invalid cross-device link\n");
    expect((await root(sim, ['mv', '/gpfs0/dir/b', '/gpfs0/other/b'])).stderr).toContain('Invalid cross-device link');
    expect((await root(sim, ['mv', '/gpfs0/dir', '/gpfs0/dir/sub'])).stderr).toContain('to a subdirectory of itself');
  });
});
