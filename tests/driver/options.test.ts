import { describe, expect, it } from 'vitest';
import { errAsync } from 'neverthrow';
import { createGpfsDriver, createGpfsDriverResult } from '../../src/driver/driver.js';
import { resolveOptions } from '../../src/driver/options.js';
import type { CommandRunner } from '../../src/runners/types.js';

const calls: string[][] = [];
const runner: CommandRunner = {
  name: 'refusing',
  run(command) {
    calls.push([...command.argv]);
    return errAsync({ kind: 'SpawnFailed', runner: 'refusing', argv: command.argv, message: 'no commands in this test' });
  },
};

describe('driver: options', () => {
  it('fills in the seed defaults and normalises directories', () => {
    const resolved = resolveOptions({ runner, mountPointBase: '/gpfs0/volumes/' })._unsafeUnwrap();
    expect(resolved).toMatchObject({
      mountPointBase: '/gpfs0/volumes',
      imagesDir: null,
      imagesShareMode: null,
      maxCloneDepth: 0,
      sparseVolumes: true,
      storagePool: 'system',
      backendName: 'GPFS',
      onCommand: null,
    });
  });

  it.each([
    ['relative base', { mountPointBase: 'gpfs0' }, 'mountPointBase'],
    ['root as base', { mountPointBase: '/' }, 'mountPointBase'],
    ['dot dot in base', { mountPointBase: '/gpfs0/../etc' }, 'mountPointBase'],
    ['newline in base', { mountPointBase: '/gpfs0\n/x' }, 'mountPointBase'],
    ['share mode without images dir', { mountPointBase: '/gpfs0', imagesShareMode: 'copy' }, 'imagesDir'],
    ['unknown share mode', { mountPointBase: '/gpfs0', imagesDir: '/gpfs0/images', imagesShareMode: 'link' }, 'imagesShareMode'],
    ['negative depth', { mountPointBase: '/gpfs0', maxCloneDepth: -1 }, 'maxCloneDepth'],
    ['fractional depth', { mountPointBase: '/gpfs0', maxCloneDepth: 1.5 }, 'maxCloneDepth'],
    ['pool with a space', { mountPointBase: '/gpfs0', storagePool: 'a b' }, 'storagePool'],
    ['sparse as string', { mountPointBase: '/gpfs0', sparseVolumes: 'no' }, 'sparseVolumes'],
    ['logger with a non-function', { mountPointBase: '/gpfs0', logger: { warn: 1 } }, 'logger'],
    ['onCommand not a function', { mountPointBase: '/gpfs0', onCommand: 'x' }, 'onCommand'],
  ])('refuses %s', (_label, options, option) => {
    const error = resolveOptions({ runner, ...options })._unsafeUnwrapErr();
    expect(error.kind).toBe('InvalidConfig');
    expect(error.issues.some((issue) => issue.startsWith(`${option}:`))).toBe(true);
  });

  it('refuses a runner without run', () => {
    expect(resolveOptions({ runner: {}, mountPointBase: '/gpfs0' })._unsafeUnwrapErr().issues[0]).toMatch(/^runner:/);
    expect(resolveOptions(undefined)._unsafeUnwrapErr().kind).toBe('InvalidConfig');
  });

  it('never throws on invalid options: every method and dry run returns InvalidConfig and runs nothing', async () => {
    calls.length = 0;
    const driver = createGpfsDriver({ runner, mountPointBase: 'relative' });
    expect(driver.configError?.kind).toBe('InvalidConfig');
    const results = await Promise.all([
      driver.setup(),
      driver.createVolume({ name: 'v1', sizeGiB: 1 }),
      driver.deleteVolume({ name: 'v1' }),
      driver.createSnapshot({ name: 's1', volumeName: 'v1' }),
      driver.deleteSnapshot({ name: 's1', volumeName: 'v1' }),
      driver.createVolumeFromSnapshot({ name: 'v2', sizeGiB: 1 }, { name: 's1', volumeName: 'v1' }),
      driver.createClonedVolume({ name: 'v2', sizeGiB: 1 }, { name: 'v1' }),
      driver.extendVolume({ name: 'v1' }, 2),
      driver.getVolumeStats({ refresh: true }),
      driver.initializeConnection({ name: 'v1' }),
      driver.localPath({ name: 'v1' }),
    ]);
    for (const result of results) expect(result._unsafeUnwrapErr().kind).toBe('InvalidConfig');
    expect(driver.plan.createVolume({ name: 'v1', sizeGiB: 1 })._unsafeUnwrapErr().kind).toBe('InvalidConfig');
    expect(calls).toEqual([]);
    expect(createGpfsDriverResult({ runner, mountPointBase: 'relative' })._unsafeUnwrapErr().issues).toEqual(['mountPointBase: must be an absolute path']);
  });
});
