import { describe, expect, it } from 'vitest';
import { errAsync } from 'neverthrow';
import { createGpfsDriver } from '../../src/driver/driver.js';
import type { OperationPlan } from '../../src/driver/plans/types.js';
import type { GpfsDriverOptions } from '../../src/driver/options.js';
import type { CommandRunner } from '../../src/runners/types.js';

const ran: string[][] = [];
const runner: CommandRunner = {
  name: 'refusing',
  run(command) {
    ran.push([...command.argv]);
    return errAsync({ kind: 'SpawnFailed', runner: 'refusing', argv: command.argv, message: 'dry runs run nothing' });
  },
};

function driverWith(options: Partial<GpfsDriverOptions> = {}) {
  return createGpfsDriver({ runner, mountPointBase: '/gpfs0/volumes', ...options });
}

/** The work file a create builds its volume as, before publishing it (dry runs show the tag as `<tag>`). */
const WORK = '/gpfs0/volumes/.tmp.create.<tag>';

function argvs(plan: OperationPlan, round = 0): string[][] {
  return (plan.rounds[round]?.commands ?? []).map((command) => [...command.argv]);
}

describe('driver: plans (dry runs)', () => {
  it('plans createVolume as one sparse, mode-660 round trip with the default pool (before setup: the pools are unknown)', () => {
    const plan = driverWith().plan.createVolume({ name: 'volume-1', sizeGiB: 10 })._unsafeUnwrap();
    expect(plan.rounds).toHaveLength(1);
    expect(argvs(plan)).toEqual([
      ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'],
      ['test', '!', '-e', '/gpfs0/volumes/volume-1'],
      // Made as a work file, published under its name once complete.
      ['truncate', '-s', '10G', WORK],
      ['chmod', '660', WORK],
      ['mmchattr', '-P', 'system', WORK],
      ['ln', '-T', '--', WORK, '/gpfs0/volumes/volume-1'],
      ['rm', '-f', '--', WORK],
    ]);
    expect(plan.rounds[0]!.commands.every((command) => command.asRoot)).toBe(true);
  });

  // cinder-gpfs-driver.md G.16 item 14 / E.8 item 21: the file system must survive preallocation.
  it('preallocates before mkfs when sparseVolumes is false', () => {
    const plan = driverWith({ sparseVolumes: false, storagePool: 'data' })
      .plan.createVolume({ name: 'v', sizeGiB: 2, metadata: { fstype: 'ext4', fslabel: 'root', replicas: '2' } })
      ._unsafeUnwrap();
    expect(argvs(plan).slice(2)).toEqual([
      ['truncate', '-s', '2G', WORK],
      ['chmod', '660', WORK],
      ['mmchattr', '-P', 'data', '-r', '2', '-m', '2', WORK],
      ['dd', 'if=/dev/zero', `of=${WORK}`, 'bs=1M', 'count=2048'],
      ['mkfs', '-t', 'ext4', '-F', '-L', 'root', WORK],
      ['ln', '-T', '--', WORK, '/gpfs0/volumes/v'],
      ['rm', '-f', '--', WORK],
    ]);
  });

  it('plans createSnapshot with a conditional redirect round only when maxCloneDepth is set', () => {
    const unlimited = driverWith().plan.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' })._unsafeUnwrap();
    expect(unlimited.rounds).toHaveLength(1);
    expect(argvs(unlimited)).toEqual([
      ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'],
      ['test', '-f', '/gpfs0/volumes/volume-1', '-a', '!', '-e', '/gpfs0/volumes/snap-1'],
      ['mmclone', 'snap', '/gpfs0/volumes/volume-1', '/gpfs0/volumes/snap-1'],
      ['chmod', '640', '/gpfs0/volumes/snap-1'],
    ]);
    const limited = driverWith({ maxCloneDepth: 3 }).plan.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' })._unsafeUnwrap();
    expect(argvs(limited).at(-1)).toEqual(['mmclone', 'show', '/gpfs0/volumes/volume-1']);
    expect(argvs(limited, 1)).toEqual([['mmclone', 'redirect', '/gpfs0/volumes/volume-1']]);
    expect(limited.rounds[1]!.condition).toMatch(/exceeds maxCloneDepth \(3\)/);
  });

  it('plans deleteSnapshot as rename to .ts, then a removal only when its link count says no clone depends on it', () => {
    const plan = driverWith().plan.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' })._unsafeUnwrap();
    expect(argvs(plan)).toEqual([
      ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'],
      ['test', '-f', '/gpfs0/volumes/snap-1', '-a', '!', '-e', '/gpfs0/volumes/snap-1.ts'],
      ['mv', '/gpfs0/volumes/snap-1', '/gpfs0/volumes/snap-1.ts'],
      ['find', '/gpfs0/volumes/snap-1.ts', '-maxdepth', '0', '-printf', '%n\\n', '-links', '1', '-delete'],
    ]);
    expect(argvs(plan, 1)).toEqual([
      ['test', '-f', '/gpfs0/volumes/snap-1'],
      ['mv', '/gpfs0/volumes/snap-1', '/gpfs0/volumes/snap-1.<tag>.ts'],
      ['find', '/gpfs0/volumes/snap-1.<tag>.ts', '-maxdepth', '0', '-printf', '%n\\n', '-links', '1', '-delete'],
    ]);
    expect(plan.rounds[1]!.condition).toMatch(/already exists/);
    expect(
      argvs(plan)
        .flat()
        .some((word) => word.startsWith('mm')),
    ).toBe(false);
  });

  it('plans createVolumeFromSnapshot with a raw-pinned resize and size probe', () => {
    const plan = driverWith({ maxCloneDepth: 2 }).plan.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 20 }, { name: 'snap-1', volumeName: 'volume-1' })._unsafeUnwrap();
    expect(argvs(plan)).toEqual([
      ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'],
      ['test', '-f', '/gpfs0/volumes/snap-1', '-a', '!', '-e', '/gpfs0/volumes/volume-2'],
      ['mmclone', 'copy', '/gpfs0/volumes/snap-1', WORK],
      ['chmod', '660', WORK],
      ['mmchattr', '-P', 'system', WORK],
      ['qemu-img', 'resize', '-f', 'raw', WORK, '20G'],
      ['qemu-img', 'info', '-f', 'raw', '--output=json', WORK],
      ['mmclone', 'show', WORK],
    ]);
    // With maxCloneDepth set, the volume is published in the second round, after any redirect.
    expect(argvs(plan, 1)).toEqual([
      ['mmclone', 'redirect', WORK],
      ['ln', '-T', '--', WORK, '/gpfs0/volumes/volume-2'],
      ['rm', '-f', '--', WORK],
    ]);
  });

  it('plans createClonedVolume through a hidden <dest>.snap parent, as the seed does', () => {
    const plan = driverWith({ maxCloneDepth: 1 }).plan.createClonedVolume({ name: 'volume-2', sizeGiB: 10 }, { name: 'volume-1' })._unsafeUnwrap();
    expect(argvs(plan)).toEqual([
      ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'],
      ['test', '-f', '/gpfs0/volumes/volume-1', '-a', '!', '-e', '/gpfs0/volumes/volume-2'],
      ['test', '!', '-e', '/gpfs0/volumes/volume-2.snap'],
      ['mmclone', 'snap', '/gpfs0/volumes/volume-1', '/gpfs0/volumes/volume-2.snap'],
      ['mmclone', 'copy', '/gpfs0/volumes/volume-2.snap', WORK],
      ['chmod', '660', WORK],
      ['mmchattr', '-P', 'system', WORK],
      ['qemu-img', 'resize', '-f', 'raw', WORK, '10G'],
      ['qemu-img', 'info', '-f', 'raw', '--output=json', WORK],
      ['mmclone', 'show', '/gpfs0/volumes/volume-1', WORK],
    ]);
    expect(argvs(plan, 1)).toEqual([
      ['mmclone', 'redirect', '/gpfs0/volumes/volume-1'],
      ['mmclone', 'redirect', WORK],
      ['ln', '-T', '--', WORK, '/gpfs0/volumes/volume-2'],
      ['rm', '-f', '--', WORK],
      ['rm', '-f', '/gpfs0/volumes/volume-2.snap'],
    ]);
  });

  it('plans extendVolume as one round trip: a raw size probe, then a resize that can only grow', () => {
    const plan = driverWith().plan.extendVolume({ name: 'volume-1' }, 30)._unsafeUnwrap();
    expect(plan.rounds).toHaveLength(1);
    expect(argvs(plan)).toEqual([
      ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'],
      ['test', '-f', '/gpfs0/volumes/volume-1'],
      ['qemu-img', 'info', '-f', 'raw', '--output=json', '/gpfs0/volumes/volume-1'],
      ['truncate', '-c', '-s', '>30G', '/gpfs0/volumes/volume-1'],
    ]);
  });

  it("plans deleteVolume with the mount check in the clone-tree executor's first round trip", () => {
    const plan = driverWith().plan.deleteVolume({ name: 'volume-1' })._unsafeUnwrap();
    expect(plan.rounds).toHaveLength(3);
    expect(argvs(plan)).toEqual([
      ['df', '-P', '-t', 'gpfs', '/gpfs0/volumes'],
      ['find', '/gpfs0/volumes', '-mindepth', '1', '-maxdepth', '1', '-printf', '%i %s %b %m %y %p\\0'],
    ]);
  });

  it('plans setup in two read-only rounds, with same-filesystem and fileset probes for copy_on_write', () => {
    const plan = driverWith({ imagesDir: '/gpfs0/images', imagesShareMode: 'copy_on_write', storagePool: 'data' }).plan.setup()._unsafeUnwrap();
    expect(argvs(plan)).toEqual([
      ['mmgetstate', '-Y'],
      ['mmlsconfig', 'clusterId,clusterName', '-Y'],
      ['mmlsconfig', 'minreleaseLeveldaemon', '-Y'],
      ['test', '-d', '/gpfs0/volumes'],
      ['df', '-P', '-B', '1', '/gpfs0/volumes'],
      ['mmlsattr', '-L', '/gpfs0/volumes'],
      ['test', '-d', '/gpfs0/images'],
      ['df', '-P', '-B', '1', '/gpfs0/images'],
      ['mmlsattr', '-L', '/gpfs0/images'],
      ['stat', '-f', '-c', '%i', '/gpfs0/volumes', '/gpfs0/images'],
    ]);
    expect(argvs(plan, 1)).toEqual([
      ['mmlsfs', '<device>', '-V', '--encryption', '-Y'],
      ['mmlspool', '<device>', 'all'],
      ['mmlsfs', '<images-device>', '-V', '-Y'],
    ]);
  });

  it('is pure: the same inputs give the same plan, and planning runs nothing', () => {
    ran.length = 0;
    const driver = driverWith({ maxCloneDepth: 2 });
    const first = driver.plan.createClonedVolume({ name: 'b', sizeGiB: 1 }, { name: 'a' });
    const second = driver.plan.createClonedVolume({ name: 'b', sizeGiB: 1 }, { name: 'a' });
    expect(first).toEqual(second);
    expect(ran).toEqual([]);
  });

  it.each([
    ['a bad volume name', (driver: ReturnType<typeof driverWith>) => driver.plan.createVolume({ name: '../etc', sizeGiB: 1 }), 'InvalidName'],
    ['a zero size', (driver: ReturnType<typeof driverWith>) => driver.plan.createVolume({ name: 'v', sizeGiB: 0 }), 'InvalidArgument'],
    ['a fractional size', (driver: ReturnType<typeof driverWith>) => driver.plan.extendVolume({ name: 'v' }, 1.5), 'InvalidArgument'],
    ['a bad snapshot name', (driver: ReturnType<typeof driverWith>) => driver.plan.deleteSnapshot({ name: 's.ts', volumeName: 'v' }), 'InvalidName'],
    ['a bad source name', (driver: ReturnType<typeof driverWith>) => driver.plan.createClonedVolume({ name: 'b', sizeGiB: 1 }, { name: '-rf' }), 'InvalidName'],
    ['fstype on a clone', (driver: ReturnType<typeof driverWith>) => driver.plan.createClonedVolume({ name: 'b', sizeGiB: 1, metadata: { fstype: 'ext4' } }, { name: 'a' }), 'InvalidMetadata'],
  ])('refuses %s in the plan, as the operation would', (_label, plan, kind) => {
    expect(plan(driverWith())._unsafeUnwrapErr().kind).toBe(kind);
  });
});
