import { describe, expect, it } from 'vitest';
import { ResultAsync } from 'neverthrow';
import { createGpfsDriver } from '../../src/driver/driver.js';
import type { CommandRunner } from '../../src/runners/types.js';
import { createGpfsSimulator } from '../../src/simulator/index.js';

const BASE = '/gpfs0';

/**
 * Passes batches to the simulator after yielding to the event loop, and records when each batch for a
 * resize starts and ends (extendVolume sends its read and its resize in one batch).
 */
function interleavingRunner() {
  const sim = createGpfsSimulator();
  const order: string[] = [];
  const tag = (argvs: readonly (readonly string[])[]) => {
    const resize = argvs.find((argv) => argv[0] === 'truncate' && argv.includes('-c'));
    if (resize !== undefined) return `resize ${resize[4]?.slice(BASE.length + 1)} ${resize[3]?.slice(1)}`;
    return argvs.some((argv) => argv[0] === 'mmgetstate') ? 'setup' : 'other';
  };
  const runner: CommandRunner = {
    name: 'interleaving',
    run: (command) => sim.run(command),
    runBatch: (commands, options) => {
      const label = tag(commands.map((command) => command.argv));
      order.push(`start ${label}`);
      return ResultAsync.fromSafePromise(new Promise((resolve) => setTimeout(resolve, 1)))
        .andThen(() => sim.runBatch(commands, options))
        .map((result) => {
          order.push(`end ${label}`);
          return result;
        });
    },
  };
  return { sim, runner, order };
}

describe('driver: concurrency', () => {
  it('serializes calls on the same volume', async () => {
    const { runner, order } = interleavingRunner();
    const driver = createGpfsDriver({ runner, mountPointBase: BASE });
    (await driver.createVolume({ name: 'a0', sizeGiB: 1 }))._unsafeUnwrap();
    order.length = 0;
    // Unserialized, the second batch would start before the first one ended.
    const results = await Promise.all([driver.extendVolume({ name: 'a0' }, 2), driver.extendVolume({ name: 'a0' }, 3)]);
    for (const result of results) result._unsafeUnwrap();
    expect(order).toEqual(['start resize a0 2G', 'end resize a0 2G', 'start resize a0 3G', 'end resize a0 3G']);
  });

  it('runs calls on different volumes in parallel', async () => {
    const { runner, order } = interleavingRunner();
    const driver = createGpfsDriver({ runner, mountPointBase: BASE });
    (await driver.createVolume({ name: 'a0', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'b0', sizeGiB: 1 }))._unsafeUnwrap();
    order.length = 0;
    const results = await Promise.all([driver.extendVolume({ name: 'a0' }, 2), driver.extendVolume({ name: 'b0' }, 3)]);
    for (const result of results) result._unsafeUnwrap();
    expect(order).toEqual(['start resize a0 2G', 'start resize b0 3G', 'end resize a0 2G', 'end resize b0 3G']);
  });

  it('lets exactly one of two concurrent creates of one name succeed', async () => {
    const { runner, sim } = interleavingRunner();
    const driver = createGpfsDriver({ runner, mountPointBase: BASE });
    const results = await Promise.all([driver.createVolume({ name: 'c1', sizeGiB: 1 }), driver.createVolume({ name: 'c1', sizeGiB: 2 })]);
    expect(results.map((result) => (result.isOk() ? 'ok' : result.error.kind)).sort()).toEqual(['AlreadyExists', 'ok']);
    expect(sim.inspect.file(`${BASE}/c1`).isOk()).toBe(true);
  });

  it('shares one lazy setup between concurrent first calls', async () => {
    const { runner, order } = interleavingRunner();
    const driver = createGpfsDriver({ runner, mountPointBase: BASE });
    const results = await Promise.all([driver.createVolume({ name: 'a1', sizeGiB: 1 }), driver.createVolume({ name: 'b1', sizeGiB: 1 })]);
    for (const result of results) result._unsafeUnwrap();
    // One setup (two round trips: probe, then file system queries), then the two creates.
    expect(order.filter((entry) => entry.startsWith('start'))).toEqual(['start setup', 'start other', 'start other', 'start other']);
  });
});
