import { describe, expect, it } from 'vitest';
import {
  createGpfsSimulator,
  parseDf,
  parseFilesystemFormatVersion,
  parseMachineReadable,
  parseMmgetstate,
  parseMmlsattr,
  parseMmlsattrReplication,
  parseMmlsconfig,
  parseMmlsfileset,
  parseMmlsfs,
  parseMmlsmount,
  parseMmlspool,
  parseMmlssnapshot,
  parseStatFilesystemIds,
} from '../../src/index.js';
import { ok, root, user } from './support.js';

describe('simulator: GPFS administration commands read back with the library parsers', () => {
  it('reports one active node per mmgetstate -Y, and every node with -a', async () => {
    const sim = createGpfsSimulator({ nodes: [{ name: 'nsd1' }, { name: 'nsd2', state: 'down' }, { name: 'client1', quorum: false }] });
    const local = parseMmgetstate((await ok(sim, ['mmgetstate', '-Y'])).stdout)._unsafeUnwrap();
    expect(local).toHaveLength(1);
    expect(local[0]).toMatchObject({ nodeName: 'nsd1', nodeNumber: 1, state: 'active', nodesUp: 2, totalNodes: 3 });
    const all = parseMmgetstate((await ok(sim, ['mmgetstate', '-a', '-Y'])).stdout)._unsafeUnwrap();
    expect(all.map((node) => [node.nodeName, node.state])).toEqual([
      ['nsd1', 'active'],
      ['nsd2', 'down'],
      ['client1', 'active'],
    ]);
  });

  it('answers mmlsconfig for the attributes the driver reads, case-insensitively', async () => {
    const sim = createGpfsSimulator({ clusterId: '42', clusterName: 'lab.example.org', minReleaseLevel: '5.1.9.0', daemonReleaseLevel: 1609 });
    const read = async (attribute: string): Promise<string | undefined> => parseMmlsconfig((await ok(sim, ['mmlsconfig', attribute, '-Y'])).stdout)._unsafeUnwrap()[0]?.value;
    expect(await read('clusterId')).toBe('42');
    expect(await read('clusterName')).toBe('lab.example.org');
    expect(await read('minReleaseLevel')).toBe('5.1.9.0');
    expect(await read('minreleaseLeveldaemon')).toBe('1609');
    const all = parseMmlsconfig((await ok(sim, ['mmlsconfig', '-Y'])).stdout)._unsafeUnwrap();
    expect(all.map((entry) => entry.configParameter)).toContain('minReleaseLevel');
    expect(all.map((entry) => entry.configParameter)).not.toContain('minreleaseLeveldaemon');
    const unknown = await root(sim, ['mmlsconfig', 'noSuchAttribute', '-Y']);
    expect(unknown.exitCode).not.toBe(0);
  });

  it('prints five version rows for mmlsfs -V -Y that parse into the format version', async () => {
    const sim = createGpfsSimulator({ filesystems: [{ device: 'fs1', mountPoint: '/gpfs/fs1', formatVersion: '27.00 (5.1.3.0)', encryption: true }] });
    const rows = parseMmlsfs((await ok(sim, ['mmlsfs', 'fs1', '-V', '-Y'])).stdout)._unsafeUnwrap();
    expect(rows.map((row) => row.fieldName)).toEqual(['filesystemVersion', 'filesystemVersionLocal', 'filesystemVersionManager', 'filesystemVersionOriginal', 'filesystemHighestSupported']);
    expect(parseFilesystemFormatVersion(rows[0]!.data)._unsafeUnwrap()).toMatchObject({ major: 27, minor: 0, release: '5.1.3.0' });
    const encryption = parseMmlsfs((await ok(sim, ['mmlsfs', '/dev/fs1', '--encryption', '-Y'])).stdout)._unsafeUnwrap();
    expect(encryption).toEqual([expect.objectContaining({ deviceName: 'fs1', fieldName: 'encryption', data: 'Yes' })]);
  });

  it('encodes the mount point in mmlsfs -T -Y and lists every attribute for mmlsfs all -Y', async () => {
    const sim = createGpfsSimulator();
    const text = (await ok(sim, ['mmlsfs', 'all', '-T', '-Y'])).stdout;
    expect(text).toContain(':gpfs0:defaultMountPoint:%2Fgpfs0::');
    expect(parseMmlsfs(text)._unsafeUnwrap()[0]?.data).toBe('/gpfs0');
    const everything = parseMmlsfs((await ok(sim, ['mmlsfs', 'gpfs0', '-Y'])).stdout)._unsafeUnwrap();
    const byName = new Map(everything.map((row) => [row.fieldName, row.data]));
    expect(byName.get('blockSize')).toBe('4194304');
    expect(byName.get('create-time')).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
  });

  it('fails mmlsfs for an unknown device and for a bad flag, with the GPFS closing line', async () => {
    const sim = createGpfsSimulator();
    const unknown = await root(sim, ['mmlsfs', 'nosuchfs', '-V', '-Y']);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toContain('File system nosuchfs is not known to the GPFS cluster.');
    expect(unknown.stderr).toContain('mmlsfs: Command failed. Examine previous error messages to determine cause.');
    const badFlag = await root(sim, ['mmlsfs', 'gpfs0', '-W']);
    expect(badFlag.exitCode).toBe(1);
    expect(badFlag.stderr).toMatch(/Usage:/);
  });

  it('shows mmlsattr -L with pool and fileset, and the replication table without -L', async () => {
    const sim = createGpfsSimulator({ filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', pools: ['system', 'sata'], filesets: ['cinder-vols'] }] });
    await ok(sim, ['truncate', '-s', '1G', '/gpfs0/cinder-vols/volume-1']);
    await ok(sim, ['mmchattr', '-P', 'sata', '-r', '2', '/gpfs0/cinder-vols/volume-1']);
    const records = parseMmlsattr((await ok(sim, ['mmlsattr', '-L', '/gpfs0/cinder-vols/volume-1'])).stdout)._unsafeUnwrap();
    expect(records[0]).toMatchObject({ fileName: '/gpfs0/cinder-vols/volume-1', storagePoolName: 'sata', filesetName: 'cinder-vols', dataReplication: { current: 2, max: 2 } });
    const table = parseMmlsattrReplication((await ok(sim, ['mmlsattr', '/gpfs0', '/gpfs0/cinder-vols/volume-1'])).stdout)._unsafeUnwrap();
    expect(table.map((row) => [row.fileName, row.dataReplication.current])).toEqual([
      ['/gpfs0', 1],
      ['/gpfs0/cinder-vols/volume-1', 2],
    ]);
  });

  it('refuses mmlsattr on a path outside GPFS and on a missing path', async () => {
    const sim = createGpfsSimulator();
    const local = await root(sim, ['mmlsattr', '/tmp']);
    expect(local.exitCode).not.toBe(0);
    expect(local.stderr).toContain('/tmp is not a GPFS file system object.');
    const missing = await root(sim, ['mmlsattr', '-L', '/gpfs0/missing']);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain('/gpfs0/missing: No such file or directory');
  });

  it('validates mmchattr values the way GPFS does', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['truncate', '-s', '1M', '/gpfs0/v']);
    for (const argv of [
      ['mmchattr', '-r', 'x', '/gpfs0/v'],
      ['mmchattr', '-D', 'maybe', '/gpfs0/v'],
      ['mmchattr', '--write-affinity-depth', '3', '/gpfs0/v'],
      ['mmchattr', '--block-group-factor', '0', '/gpfs0/v'],
      ['mmchattr', '--write-affinity-failure-group', 'a;b', '/gpfs0/v'],
      ['mmchattr', '-Q', '/gpfs0/v'],
    ]) {
      const output = await root(sim, argv);
      expect(output.exitCode, argv.join(' ')).toBe(1);
      expect(output.stderr).toContain('Usage:');
    }
    const tooMany = await root(sim, ['mmchattr', '-r', '3', '/gpfs0/v']);
    expect(tooMany.stderr).toContain('/gpfs0/v: Change replication failed: Invalid argument.');
    const noPool = await root(sim, ['mmchattr', '-P', 'gold', '/gpfs0/v']);
    expect(noPool.stderr).toContain('Change storage pool failed: Invalid argument.');
    await ok(sim, ['mmchattr', '-m', '2', '-D', 'yes', '--write-affinity-depth', '1', '--block-group-factor', '128', '--write-affinity-failure-group', '1,0,1;2,0,1', '/gpfs0/v']);
    const file = sim.inspect.file('/gpfs0/v')._unsafeUnwrap();
    expect(file.metadataReplicas).toBe(2);
    expect((await ok(sim, ['mmlsattr', '-L', '/gpfs0/v'])).stdout).toContain('Block group factor:   128');
  });

  it('lists pools with mmlspool in the table the parser reads, and fails for an unknown pool', async () => {
    const sim = createGpfsSimulator({
      filesystems: [
        {
          device: 'gpfs0',
          mountPoint: '/gpfs0',
          capacityBytes: 2 * 1024 ** 4,
          pools: [
            { name: 'system', capacityBytes: 1024 ** 4 },
            { name: 'data', capacityBytes: 1024 ** 4 },
          ],
        },
      ],
    });
    const parsed = parseMmlspool((await ok(sim, ['mmlspool', 'gpfs0', 'all'])).stdout)._unsafeUnwrap();
    expect(parsed.mountPoint).toBe('/gpfs0');
    expect(parsed.pools.map((pool) => [pool.name, pool.id, pool.blockSizeBytes, pool.data, pool.meta])).toEqual([
      ['system', 0, 4194304, true, true],
      ['data', 65537, 4194304, true, false],
    ]);
    expect(parsed.pools[1]?.totalDataKB).toBe(1024 ** 3);
    const missing = await root(sim, ['mmlspool', 'gpfs0', 'gold']);
    expect(missing.exitCode).not.toBe(0);
  });

  it('reports space in df and df -P -B 1 that follows allocation', async () => {
    const sim = createGpfsSimulator();
    const before = parseDf((await ok(sim, ['df', '-P', '-B', '1', '/gpfs0'])).stdout)._unsafeUnwrap()[0]!;
    await ok(sim, ['dd', 'if=/dev/zero', 'of=/gpfs0/v', 'bs=1M', 'count=64', 'status=none']);
    const after = parseDf((await ok(sim, ['df', '-P', '-B', '1', '/gpfs0'])).stdout)._unsafeUnwrap()[0]!;
    expect(after).toMatchObject({ filesystem: 'gpfs0', mountedOn: '/gpfs0', totalBytes: 4 * 1024 ** 4 });
    expect(after.usedBytes - before.usedBytes).toBe(64 * 1024 ** 2);
    expect(after.availableBytes).toBe(before.availableBytes - 64 * 1024 ** 2);
    const plain = parseDf((await ok(sim, ['df', '/gpfs0'])).stdout)._unsafeUnwrap()[0]!;
    expect(plain.filesystem).toBe('gpfs0');
  });

  it('prints one hex file system id per path for stat -f -c %i', async () => {
    const sim = createGpfsSimulator({
      filesystems: [
        { device: 'gpfs0', mountPoint: '/gpfs0' },
        { device: 'gpfs1', mountPoint: '/gpfs1' },
      ],
    });
    const ids = parseStatFilesystemIds((await ok(sim, ['stat', '-f', '-c', '%i', '/gpfs0', '/gpfs0/', '/gpfs1', '/tmp'])).stdout)._unsafeUnwrap();
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(3);
  });

  it('creates, links, lists, unlinks and deletes filesets, with exit code 2 for a missing fileset', async () => {
    const sim = createGpfsSimulator();
    const created = await ok(sim, ['mmcrfileset', 'gpfs0', 'consisgroup-7', '--inode-space', 'new']);
    expect(created.stdout).toMatch(/^Fileset consisgroup-7 created with id 1 root inode \d+\.\n$/);
    await ok(sim, ['mmlinkfileset', 'gpfs0', 'consisgroup-7', '-J', '/gpfs0/consisgroup-7']);
    const records = parseMmlsfileset((await ok(sim, ['mmlsfileset', 'gpfs0', 'consisgroup-7', '-Y'])).stdout)._unsafeUnwrap();
    expect(records[0]).toMatchObject({ filesetName: 'consisgroup-7', status: 'Linked', path: '/gpfs0/consisgroup-7', isInodeSpaceOwner: true });
    await ok(sim, ['truncate', '-s', '1M', '/gpfs0/consisgroup-7/v']);
    expect(sim.inspect.file('/gpfs0/consisgroup-7/v')._unsafeUnwrap().fileset).toBe('consisgroup-7');
    await ok(sim, ['mmunlinkfileset', 'gpfs0', 'consisgroup-7', '-f']);
    const unlinked = (await ok(sim, ['mmlsfileset', 'gpfs0', '-Y'])).stdout;
    expect(unlinked).toContain(':consisgroup-7:1:');
    expect(unlinked).toContain(':Unlinked:%2D%2D:');
    expect(
      parseMmlsfileset(unlinked)
        ._unsafeUnwrap()
        .find((record) => record.filesetName === 'consisgroup-7')?.status,
    ).toBe('Unlinked');
    const notEmpty = await root(sim, ['mmdelfileset', 'gpfs0', 'consisgroup-7']);
    expect(notEmpty.exitCode).not.toBe(0);
    await ok(sim, ['mmdelfileset', 'gpfs0', 'consisgroup-7', '-f']);
    for (const argv of [
      ['mmlsfileset', 'gpfs0', 'consisgroup-7'],
      ['mmdelfileset', 'gpfs0', 'consisgroup-7', '-f'],
      ['mmunlinkfileset', 'gpfs0', 'consisgroup-7', '-f'],
      ['mmlinkfileset', 'gpfs0', 'consisgroup-7'],
    ]) {
      const missing = await root(sim, argv);
      expect(missing.exitCode, argv.join(' ')).toBe(2);
      expect(missing.stderr).toContain('Fileset name consisgroup-7 not found.');
    }
  });

  it('creates, lists and deletes snapshots; lists none as an error as GPFS does', async () => {
    const sim = createGpfsSimulator({ filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', filesets: ['projects'] }] });
    expect((await root(sim, ['mmlssnapshot', 'gpfs0', '-Y'])).stderr).toContain('No snapshots in file system gpfs0');
    await ok(sim, ['mmcrsnapshot', 'gpfs0', 'nightly']);
    await ok(sim, ['mmcrsnapshot', 'gpfs0', 'hourly', '-j', 'projects']);
    const records = parseMmlssnapshot((await ok(sim, ['mmlssnapshot', 'gpfs0', '-Y'])).stdout)._unsafeUnwrap();
    expect(records.map((record) => [record.directory, record.snapID, record.status, record.fileset])).toEqual([
      ['nightly', 1, 'Valid', ''],
      ['hourly', 2, 'Valid', 'projects'],
    ]);
    const duplicate = await root(sim, ['mmcrsnapshot', 'gpfs0', 'nightly']);
    expect(duplicate.exitCode).not.toBe(0);
    await ok(sim, ['mmdelsnapshot', 'gpfs0', 'nightly']);
    const missing = await root(sim, ['mmdelsnapshot', 'gpfs0', 'nightly']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('File system gpfs0 does not contain a snapshot nightly, rc=2.');
  });

  it('reports the mount on the local node with mmlsmount -Y', async () => {
    const sim = createGpfsSimulator();
    expect(parseMmlsmount((await ok(sim, ['mmlsmount', 'gpfs0', '-L', '-Y'])).stdout)._unsafeUnwrap()[0]).toMatchObject({ realDevName: 'gpfs0', nodeName: 'node1' });
    sim.control.unmount('gpfs0')._unsafeUnwrap();
    expect(parseMmlsmount((await ok(sim, ['mmlsmount', 'gpfs0', '-L', '-Y'])).stdout)._unsafeUnwrap()).toEqual([]);
  });

  it('writes every -Y table so that the generic reader finds a HEADER and well-formed rows', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['mmcrsnapshot', 'gpfs0', 'nightly']);
    for (const argv of [
      ['mmgetstate', '-Y', '-a'],
      ['mmlsconfig', '-Y'],
      ['mmlsfs', 'all', '-Y'],
      ['mmlsfileset', 'gpfs0', '-Y'],
      ['mmlssnapshot', 'gpfs0', '-Y'],
    ]) {
      const tables = parseMachineReadable((await ok(sim, argv)).stdout)._unsafeUnwrap();
      expect(tables.length, argv.join(' ')).toBe(1);
      expect(tables[0]!.rows.length).toBeGreaterThan(0);
      expect(tables[0]!.extraFields.every((extra) => extra.length === 0)).toBe(true);
    }
    expect((await ok(sim, ['mmlssnapshot', 'gpfs0', '-Y'])).stdout).toMatch(/:nightly:1:Valid:\w{3} \w{3} [ \d]\d \d\d%3A\d\d%3A\d\d \d{4}:/);
  });

  it('makes root-only GPFS commands fail like a mode-0700 program for an ordinary user', async () => {
    const sim = createGpfsSimulator();
    const denied = await user(sim, ['mmlsfs', 'gpfs0', '-V', '-Y']);
    expect(denied).toMatchObject({ exitCode: 126, stdout: '', stderr: 'mmlsfs: Permission denied\n' });
    const fullPath = await user(sim, ['/usr/lpp/mmfs/bin/mmgetstate', '-Y']);
    expect(fullPath.stderr).toBe('/usr/lpp/mmfs/bin/mmgetstate: Permission denied\n');
    expect((await user(sim, ['mmlsattr', '/gpfs0'])).exitCode).toBe(0);
  });

  it('fails GPFS commands while the daemon is down, and reports the state with mmgetstate', async () => {
    const sim = createGpfsSimulator();
    sim.control.setNodeState('node1', 'down')._unsafeUnwrap();
    const down = await root(sim, ['mmlsfs', 'gpfs0', '-V', '-Y']);
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toBe('mmlsfs: 6027-665 Failed to connect to file system daemon: Connection refused\nmmlsfs: Command failed. Examine previous error messages to determine cause.\n');
    expect(parseMmgetstate((await ok(sim, ['mmgetstate', '-Y'])).stdout)._unsafeUnwrap()[0]?.state).toBe('down');
    sim.control.setNodeState('node1', 'arbitrating')._unsafeUnwrap();
    expect((await root(sim, ['mmclone', 'show', '/gpfs0'])).stderr).toContain('6027-725');
    sim.control.setNodeState('node1', 'active')._unsafeUnwrap();
    expect((await root(sim, ['mmlsfs', 'gpfs0', '-V', '-Y'])).exitCode).toBe(0);
  });

  it('answers unknown commands with exit 127 and names given with a directory only from bin directories', async () => {
    const sim = createGpfsSimulator();
    expect(await root(sim, ['mmfrobnicate', '-Y'])).toMatchObject({ exitCode: 127, stderr: 'mmfrobnicate: command not found\n' });
    expect((await root(sim, ['/usr/lpp/mmfs/bin/mmlsconfig', 'clusterId', '-Y'])).exitCode).toBe(0);
    expect(await root(sim, ['/opt/bin/true'])).toMatchObject({ exitCode: 127, stderr: '/opt/bin/true: No such file or directory\n' });
  });
});
