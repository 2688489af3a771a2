import { describe, expect, it } from 'vitest';
import { ResultAsync } from 'neverthrow';
import { createGpfsDriver } from '../../src/driver/driver.js';
import type { CommandRunner } from '../../src/runners/types.js';
import { createGpfsSimulator } from '../../src/simulator/index.js';

const BASE = '/gpfs0';

/** Passes batches to the simulator after yielding to the event loop, and records which volume each batch was for. */
function interleavingRunner() {
  const sim = createGpfsSimulator();
  const order: string[] = [];
  const tag = (argvs: readonly (readonly string[])[]) => {
    const resize = argvs.find((argv) => argv[0] === 'qemu-img' && argv[1] === 'resize');
    if (resize !== undefined) return `resize ${resize[4]?.slice(BASE.length + 1)} ${resize[5]}`;
    if (argvs.some((argv) => argv[0] === 'qemu-img' && argv[1] === 'info')) return 'read size';
    return argvs.some((argv) => argv[0] === 'mmgetstate') ? 'setup' : 'other';
  };
  const runner: CommandRunner = {
    name: 'interleaving',
    run: (command) => sim.run(command),
    runBatch: (commands, options) =>
      ResultAsync.fromSafePromise(new Promise((resolve) => setTimeout(resolve, 1))).andThen(() => {
        order.push(tag(commands.map((command) => command.argv)));
        return sim.runBatch(commands, options);
      }),
  };
  return { sim, runner, order };
}

describe('driver: concurrency', () => {
  it('serializes calls on the same volume', async () => {
    const { runner, order } = interleavingRunner();
    const driver = createGpfsDriver({ runner, mountPointBase: BASE });
    (await driver.createVolume({ name: 'a0', sizeGiB: 1 }))._unsafeUnwrap();
    order.length = 0;
    // Unserialized, both would read the size before either resized.
    const results = await Promise.all([driver.extendVolume({ name: 'a0' }, 2), driver.extendVolume({ name: 'a0' }, 3)]);
    for (const result of results) result._unsafeUnwrap();
    expect(order).toEqual(['read size', 'resize a0 2G', 'read size', 'resize a0 3G']);
  });

  it('runs calls on different volumes in parallel', async () => {
    const { runner, order } = interleavingRunner();
    const driver = createGpfsDriver({ runner, mountPointBase: BASE });
    (await driver.createVolume({ name: 'a0', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'b0', sizeGiB: 1 }))._unsafeUnwrap();
    order.length = 0;
    const results = await Promise.all([driver.extendVolume({ name: 'a0' }, 2), driver.extendVolume({ name: 'b0' }, 3)]);
    for (const result of results) result._unsafeUnwrap();
    expect(order).toEqual(['read size', 'read size', 'resize a0 2G', 'resize b0 3G']);
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
    expect(order).toEqual(['setup', 'other', 'other', 'other']);
  });
});
