import { describe, expect, it } from 'vitest';
import { createGpfsDriver } from '../../src/driver/driver.js';
import type { GpfsDriverOptions } from '../../src/driver/options.js';
import { createMockCluster, type MockClusterOptions } from './support/mock-cluster.js';

function setUp(cluster: MockClusterOptions = {}, options: Partial<GpfsDriverOptions> = {}) {
  const mock = createMockCluster(cluster);
  const driver = createGpfsDriver({ runner: mock, mountPointBase: '/gpfs0/volumes', ...options });
  return { mock, driver };
}

describe('driver: setup (exact commands, mock runner)', () => {
  it('reads everything in two round trips and reports what it found', async () => {
    const { mock, driver } = setUp({ encryption: 'Yes' });
    const facts = (await driver.setup())._unsafeUnwrap();
    expect(mock.roundTrips).toBe(2);
    expect(facts).toMatchObject({
      clusterId: '13882361916354541312',
      clusterName: 'gpfs-sim.example.com',
      node: 'node1',
      gpfsState: 'active',
      clusterReleaseLevel: 1504,
      base: { path: '/gpfs0/volumes', device: 'gpfs0', mountPoint: '/gpfs0', fileset: 'root', formatLevel: 2200 },
      imagesDir: null,
      storagePool: { name: 'system' },
      dataPools: ['system'],
      encryption: true,
    });
    // One mmlsconfig for id and name, one mmlsfs for format level and encryption, every pool listed.
    expect(mock.argvs.filter((argv) => argv[0] === 'mmlsconfig')).toEqual([
      ['mmlsconfig', 'clusterId,clusterName', '-Y'],
      ['mmlsconfig', 'minreleaseLeveldaemon', '-Y'],
    ]);
    expect(mock.argvs.slice(-2)).toEqual([
      ['mmlsfs', 'gpfs0', '-V', '--encryption', '-Y'],
      ['mmlspool', 'gpfs0', 'all'],
    ]);
  });

  it('caches the data pools, and reads the cluster name from the combined mmlsconfig output', async () => {
    const { driver } = setUp({ pools: ['system', 'data'] }, { storagePool: 'data' });
    const facts = (await driver.setup())._unsafeUnwrap();
    expect(facts).toMatchObject({ clusterName: 'gpfs-sim.example.com', storagePool: { name: 'data' }, dataPools: ['system', 'data'] });
  });

  // G.16 item 12: int(float('16.06') * 100) is 1605 in the seed.
  it('reads format levels with integer arithmetic', async () => {
    const { driver } = setUp({ formatVersion: '16.06 (4.2.2.0)' });
    expect((await driver.setup())._unsafeUnwrap().base.formatLevel).toBe(1606);
  });

  // G.16 item 3 / E.8 item 17: upstream crashes in stats on clusters below 1404.
  it('neither queries nor crashes on encryption when the cluster is below 1404', async () => {
    const { mock, driver } = setUp({ clusterLevel: '1403' });
    const facts = (await driver.setup())._unsafeUnwrap();
    expect(facts.encryption).toBeNull();
    expect(mock.argvs.some((argv) => argv.includes('--encryption'))).toBe(false);
    const stats = (await driver.getVolumeStats({ refresh: true }))._unsafeUnwrap();
    expect(stats.encryptionAtRest).toBeNull();
  });

  it.each([
    ['a downlevel cluster', { clusterLevel: '1104' }, 'DownlevelCluster'],
    ['a downlevel file system', { formatVersion: '11.05 (3.4.0.0)' }, 'DownlevelFilesystem'],
    ['an inactive daemon', { state: 'arbitrating' }, 'GpfsNotActive'],
    ['a missing pool', { pools: ['data'] }, 'InvalidStoragePool'],
    ['an unreadable level', { clusterLevel: 'x' }, 'ParseError'],
  ] as const)('refuses %s', async (_label, cluster, kind) => {
    const { driver } = setUp(cluster);
    const error = (await driver.setup())._unsafeUnwrapErr();
    expect(error.kind).toBe(kind);
    expect(error.message.length).toBeGreaterThan(20);
    expect(driver.facts()).toBeNull();
  });

  // G.16 item 4 / E.8 item 15: the seed's \w+ regex reads both filesets as 'cinder'.
  it('compares fileset names with - and . whole for copy_on_write', async () => {
    const { driver } = setUp({ baseFileset: 'cinder-vols', imagesFileset: 'cinder-images' }, { imagesDir: '/gpfs0/images', imagesShareMode: 'copy_on_write' });
    const error = (await driver.setup())._unsafeUnwrapErr();
    expect(error.kind).toBe('InvalidConfig');
    expect(error.message).toContain("'cinder-vols' and 'cinder-images'");
  });

  it('accepts copy_on_write when both directories share file system and fileset', async () => {
    const { driver } = setUp({ baseFileset: 'cinder-vols', imagesFileset: 'cinder-vols' }, { imagesDir: '/gpfs0/images', imagesShareMode: 'copy_on_write' });
    const facts = (await driver.setup())._unsafeUnwrap();
    expect(facts.imagesShare).toEqual({ sameFilesystem: true, sameFileset: true });
    expect(facts.imagesDir?.fileset).toBe('cinder-vols');
  });

  it('refuses copy_on_write across file systems', async () => {
    const { driver } = setUp({ filesystemIds: ['ef0009600000002', '000000000000007'] }, { imagesDir: '/gpfs0/images', imagesShareMode: 'copy_on_write' });
    expect((await driver.setup())._unsafeUnwrapErr().message).toMatch(/one file system/);
  });

  it('reports NotMounted when the base is not on GPFS, and runs no second round', async () => {
    const { mock, driver } = setUp({
      overrides: [{ match: { prefix: ['mmlsattr', '-L'] }, reply: { exitCode: 1, stderr: 'mmlsattr: /gpfs0/volumes is not in a GPFS file system\n' } }],
    });
    const error = (await driver.setup())._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'NotMounted', path: '/gpfs0/volumes' });
    expect(mock.roundTrips).toBe(1);
  });

  it('checks the exit code of every probe (G.16 item 2: upstream ignores them over SSH)', async () => {
    const { driver } = setUp({ overrides: [{ match: ['mmlsconfig', 'clusterId,clusterName', '-Y'], reply: { exitCode: 1, stderr: 'mmlsconfig: no cluster\n' } }] });
    expect((await driver.setup())._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'cluster-id', exitCode: 1 });
  });
});
