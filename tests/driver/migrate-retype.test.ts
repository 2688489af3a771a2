/**
 * migrateVolume and retype against the simulator: the seed's location-info rules, the allow-list of
 * destinations, moves that are renames within one file system and fileset, clone parents left behind
 * that stay collectable, and pool changes with mmchattr -P.
 */
import { describe, expect, it } from 'vitest';
import type { MigrationHost } from '../../src/driver/migration-types.js';
import type { SimulatorOptions } from '../../src/simulator/index.js';
import { raw } from './support/groups.js';
import { BASE, createHarness, fileState } from './support/harness.js';

const CLUSTER = '13882361916354541312';
const OTHER = '/gpfs0/b';
const SIMULATOR: SimulatorOptions = {
  filesystems: [
    { device: 'gpfs0', mountPoint: '/gpfs0', pools: ['system', 'fast'], filesets: ['tenant-b'] },
    { device: 'gpfs1', mountPoint: '/gpfs1' },
  ],
};
const to = (directory: string, type = 'GPFSDriver', cluster = CLUSTER): MigrationHost => ({ host: 'node1@other', capabilities: { locationInfo: `${type}:${cluster}:${directory}` } });

async function migrating(migrationDirectories: readonly string[] = [OTHER]) {
  const harness = await createHarness({ migrationDirectories }, SIMULATOR);
  for (const directory of [OTHER, '/gpfs1/b', '/srv/volumes']) harness.sim.control.mkdir(directory)._unsafeUnwrap();
  (await harness.driver.createVolume({ name: 'volume-1', sizeGiB: 1 }))._unsafeUnwrap();
  return harness;
}

describe('driver: migrateVolume (simulator)', () => {
  it('moves the volume with mv into an allowed directory of the same file system and fileset (two round trips)', async () => {
    const { driver, sim, measure } = await migrating();
    const inode = sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap().inode;
    const { result, roundTrips } = await measure(() => driver.migrateVolume({ name: 'volume-1' }, to(OTHER)));
    expect(result._unsafeUnwrap()).toMatchObject({ migrated: true, reason: 'Moved', path: `${OTHER}/volume-1` });
    expect(roundTrips).toBe(2);
    expect(sim.inspect.file(`${OTHER}/volume-1`)._unsafeUnwrap().inode).toBe(inode);
    expect(sim.inspect.file(`${BASE}/volume-1`).isErr()).toBe(true);
  });

  it.each([
    ['no location info', { host: 'x', capabilities: {} }, 'NoLocationInfo'],
    ['null location info', { host: 'x', capabilities: { locationInfo: null } }, 'NoLocationInfo'],
    ['four fields', { host: 'x', capabilities: { locationInfo: `GPFSDriver:${CLUSTER}:/gpfs0/b:extra` } }, 'UnexpectedLocationInfo'],
    ['a relative path', to('gpfs0/b'), 'UnexpectedLocationInfo'],
    ['a path with ..', to('/gpfs0/volumes/../b'), 'UnexpectedLocationInfo'],
    ['another driver', to(OTHER, 'LVMVolumeDriver'), 'DifferentDriver'],
    ['another cluster', to(OTHER, 'GPFSDriver', '42'), 'DifferentCluster'],
    ['a directory not in migrationDirectories', to('/gpfs0/elsewhere'), 'DestinationNotAllowed'],
  ] as const)('answers not migrated for %s, running nothing', async (_label, host, reason) => {
    const { driver, sim, measure } = await migrating();
    const before = fileState(sim, '/gpfs0');
    const { result, roundTrips } = await measure(() => driver.migrateVolume({ name: 'volume-1' }, host));
    expect(result._unsafeUnwrap()).toMatchObject({ migrated: false, reason, path: null });
    expect(roundTrips).toBe(0);
    expect(fileState(sim, '/gpfs0')).toEqual(before);
  });

  it('treats the same directory as migrated without work, and an empty allow-list (the default) as not migrated', async () => {
    const { driver } = await migrating([]);
    expect((await driver.migrateVolume({ name: 'volume-1' }, to(BASE)))._unsafeUnwrap()).toMatchObject({ migrated: true, reason: 'SameLocation' });
    expect((await driver.migrateVolume({ name: 'volume-1' }, to(OTHER)))._unsafeUnwrap()).toMatchObject({ migrated: false, reason: 'DestinationNotAllowed' });
  });

  it.each([
    ['/gpfs0/missing', 'DestinationNotADirectory'],
    ['/srv/volumes', 'DestinationNotOnGpfs'],
    ['/gpfs1/b', 'DifferentFilesystem'],
    ['/gpfs0/tenant-b', 'DifferentFileset'],
  ])('does not move into %s (%s): mv would copy or write off GPFS', async (directory, reason) => {
    const { driver, sim } = await migrating([directory]);
    const before = fileState(sim, '/');
    expect((await driver.migrateVolume({ name: 'volume-1' }, to(directory)))._unsafeUnwrap()).toMatchObject({ migrated: false, reason });
    expect(fileState(sim, '/')).toEqual(before);
    expect(sim.log.entries().filter((entry) => entry.argv[0] === 'mv')).toEqual([]);
  });

  it('refuses to overwrite a file at the destination, and reports a failing mv as not migrated', async () => {
    const { driver, sim } = await migrating();
    sim.control.seedFile({ path: `${OTHER}/volume-1`, content: 'someone else' })._unsafeUnwrap();
    expect((await driver.migrateVolume({ name: 'volume-1' }, to(OTHER)))._unsafeUnwrapErr()).toMatchObject({ kind: 'AlreadyExists', path: `${OTHER}/volume-1` });
    expect(sim.inspect.readText(`${OTHER}/volume-1`)._unsafeUnwrap()).toBe('someone else');
    expect(await raw(sim, 'rm', `${OTHER}/volume-1`)).toBe(0);
    sim.faults.failWhen({ command: 'mv' }, { exitCode: 1, stderr: 'mv: cannot move: Device or resource busy\n' }, { times: 1 });
    expect((await driver.migrateVolume({ name: 'volume-1' }, to(OTHER)))._unsafeUnwrap()).toMatchObject({ migrated: false, reason: 'MoveFailed' });
    expect(sim.inspect.file(`${BASE}/volume-1`).isOk()).toBe(true);
  });

  it('refuses a missing volume and an unmounted base', async () => {
    const { driver, sim } = await migrating();
    expect((await driver.migrateVolume({ name: 'missing' }, to(OTHER)))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotFound' });
    sim.control.unmount('gpfs0')._unsafeUnwrap();
    expect((await driver.migrateVolume({ name: 'volume-1' }, to(OTHER)))._unsafeUnwrapErr()).toMatchObject({ kind: 'NotMounted' });
    expect(sim.inspect.localDiskWrites()).toEqual([]);
  });

  // cinder-gpfs-driver.md G.16 item 11 / E.8 item 4: parents left in the old directory used to be orphaned.
  it('leaves clone parents collectable: the destination deletes the migrated clone and its parent in the old directory', async () => {
    const a = await createHarness({ migrationDirectories: [OTHER] }, SIMULATOR);
    a.sim.control.mkdir(OTHER)._unsafeUnwrap();
    const b = (await import('../../src/driver/driver.js')).createGpfsDriver({ runner: a.counted, mountPointBase: OTHER, migrationDirectories: [BASE] });
    const stats = (await b.getVolumeStats({ refresh: true }))._unsafeUnwrap();
    (await a.driver.createVolume({ name: 'volume-1', sizeGiB: 1 }))._unsafeUnwrap();
    (await a.driver.createClonedVolume({ name: 'volume-2', sizeGiB: 1 }, { name: 'volume-1' }))._unsafeUnwrap();
    (await a.driver.deleteVolume({ name: 'volume-1' }))._unsafeUnwrap();
    expect(a.files()).toEqual([`${BASE}/volume-2`, `${BASE}/volume-2.snap`]);
    expect((await a.driver.migrateVolume({ name: 'volume-2' }, { host: 'b', capabilities: stats }))._unsafeUnwrap()).toMatchObject({ migrated: true });
    const deleted = (await b.deleteVolume({ name: 'volume-2' }))._unsafeUnwrap();
    expect(deleted.removed).toEqual([`${OTHER}/volume-2`, `${BASE}/volume-2.snap`]);
    expect(a.sim.inspect.files({ under: '/gpfs0' }).filter((file) => file.type === 'file')).toEqual([]);
  });
});

describe('driver: retype (simulator)', () => {
  const pool = (from: unknown, toPool: unknown) => ({ extraSpecs: { 'capabilities:storage_pool': [from, toPool] as const } });
  const here: MigrationHost = { host: 'node1@a', capabilities: {} };

  it('moves the volume to another storage pool with mmchattr -P in one round trip', async () => {
    const { driver, sim, measure } = await migrating();
    const { result, roundTrips } = await measure(() => driver.retype({ name: 'volume-1', host: 'node1@a' }, pool('system', 'fast'), here));
    expect(result._unsafeUnwrap()).toMatchObject({ retyped: true, reason: 'Done', storagePool: { from: 'system', to: 'fast', changed: true }, migration: null });
    expect(roundTrips).toBe(1);
    expect(sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap().pool).toBe('fast');
    expect((await driver.retype({ name: 'volume-1' }, pool('fast', null), here))._unsafeUnwrap()).toMatchObject({ retyped: true, storagePool: { to: 'system' } });
    expect(sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap().pool).toBe('system');
  });

  it('refuses a pool that does not exist, changing nothing', async () => {
    const { driver, sim, measure } = await migrating();
    expect((await driver.retype({ name: 'volume-1' }, pool('system', 'slow'), here))._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidStoragePool', pool: 'slow', device: 'gpfs0' });
    expect(sim.inspect.file(`${BASE}/volume-1`)._unsafeUnwrap().pool).toBe('system');
    expect(sim.log.entries().filter((entry) => entry.argv[0] === 'mmchattr' && entry.argv[2] === 'slow')).toEqual([]);
    const { result, roundTrips } = await measure(() => driver.retype({ name: 'volume-1' }, pool('system', '-i yes'), here));
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidArgument', argument: 'diff' });
    expect(roundTrips).toBe(0);
  });

  it('answers false when mmchattr fails, and then does not migrate', async () => {
    const { driver, sim } = await migrating();
    sim.faults.failWhen({ argvPrefix: ['mmchattr', '-P'] }, { exitCode: 1, stderr: 'mmchattr: No space left in pool fast\n' });
    const result = (await driver.retype({ name: 'volume-1', host: 'node1@a' }, pool('system', 'fast'), to(OTHER)))._unsafeUnwrap();
    expect(result).toMatchObject({ retyped: false, reason: 'PoolChangeFailed', storagePool: { changed: false }, migration: null });
    expect(sim.inspect.file(`${BASE}/volume-1`).isOk()).toBe(true);
  });

  it('changes the pool, then migrates to a new host (three round trips)', async () => {
    const { driver, sim, measure } = await migrating();
    const { result, roundTrips } = await measure(() => driver.retype({ name: 'volume-1', host: 'node1@a' }, pool('system', 'fast'), to(OTHER)));
    expect(result._unsafeUnwrap()).toMatchObject({ retyped: true, reason: 'Done', migration: { migrated: true, path: `${OTHER}/volume-1` } });
    expect(roundTrips).toBe(3);
    expect(sim.inspect.file(`${OTHER}/volume-1`)._unsafeUnwrap().pool).toBe('fast');
  });

  it('leaves a change of backend to a migration, and says when there is nothing to do or the move is not allowed', async () => {
    const { driver, measure } = await migrating([]);
    const backends = await measure(() =>
      driver.retype({ name: 'volume-1', host: 'a' }, { extraSpecs: { volume_backend_name: ['gpfs-a', 'gpfs-b'], 'capabilities:storage_pool': ['system', 'fast'] } }, here),
    );
    expect(backends.result._unsafeUnwrap()).toMatchObject({ retyped: false, reason: 'DifferentBackends' });
    expect(backends.roundTrips).toBe(0);
    expect((await driver.retype({ name: 'volume-1', host: 'node1@a' }, { extraSpecs: { 'capabilities:storage_pool': ['fast', 'fast'] } }, here))._unsafeUnwrap()).toMatchObject({
      retyped: false,
      reason: 'NothingToDo',
    });
    expect((await driver.retype({ name: 'volume-1', host: 'node1@a' }, {}, to(OTHER)))._unsafeUnwrap()).toMatchObject({
      retyped: false,
      reason: 'NotMigrated',
      migration: { reason: 'DestinationNotAllowed' },
    });
  });
});
