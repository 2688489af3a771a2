/**
 * Minimal reproductions of what the model-based concurrency suite found (issue 7): two operations from
 * two drivers on one cluster, with the first held between two of its round trips.
 */
import { ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createGpfsDriver } from '../../src/driver/driver.js';
import type { CommandRunner } from '../../src/runners/types.js';
import type { GpfsSimulator } from '../../src/simulator/index.js';
import { BASE, callMethod, createCluster } from './support/cluster.js';

describe('reliability: regressions found by the concurrency model', () => {
  // '3 drivers': d1.clone(v2 <- v3, 1 GiB) || d2.snapshot(s1 of v2). The clone fails late (at the resize),
  // but until its cleanup ran the half-made v2 was a volume for everyone else: a second driver snapshotted
  // it (or a consumer wrote to it), and the snapshot outlived the "failed" volume.
  it('a volume whose creation fails is never visible to another driver under its name', async () => {
    const { sim, driver: other } = await createCluster();
    (await other.createVolume({ name: 'v3', sizeGiB: 2 }))._unsafeUnwrap();
    const paused = pausingRunner(sim, (argvs) => argvs.some((argv) => argv[0] === 'rm' || argv[0] === 'mv'));
    const driver = createGpfsDriver({ mountPointBase: BASE, runner: paused.runner });
    (await driver.setup())._unsafeUnwrap();
    const failing = driver.createClonedVolume({ name: 'v2', sizeGiB: 1 }, { name: 'v3' });
    await paused.reached;
    const snapshot = await other.createSnapshot({ name: 's1', volumeName: 'v2' });
    paused.release();
    expect((await failing)._unsafeUnwrapErr().kind).toBe('CommandFailed');
    expect(snapshot.isErr() ? snapshot.error.kind : 'Ok: a snapshot of a volume that was never created').toBe('NotFound');
  });

  // '3 drivers, clones at full size': d1.collectGarbage() || d1.deleteVolume(v3) (and || deleteSnapshot(s1)).
  // A file deleted between garbage collection's listing and its `mmclone show` fails the whole collection.
  it('collectGarbage tolerates a volume deleted while it runs', async () => {
    const { sim, driver: other } = await createCluster();
    (await other.createVolume({ name: 'v3', sizeGiB: 1 }))._unsafeUnwrap();
    const paused = pausingRunner(sim, (argvs) => argvs.some((argv) => argv[0] === 'mmclone' && argv[1] === 'show'));
    const driver = createGpfsDriver({ mountPointBase: BASE, runner: paused.runner });
    (await driver.setup())._unsafeUnwrap();
    const collecting = callMethod(driver, 'collectGarbage', { apply: true });
    await paused.reached;
    (await other.deleteVolume({ name: 'v3' }))._unsafeUnwrap();
    paused.release();
    const result = await collecting;
    expect(result.isOk() ? 'Ok' : `${result.error.kind}: ${result.error.message}`).toBe('Ok');
  });
});

/** A runner over `sim` that holds the first batch matching `when` until `release()`; `reached` resolves when it is held. */
function pausingRunner(sim: GpfsSimulator, when: (argvs: readonly (readonly string[])[]) => boolean) {
  let release = () => {};
  let reach = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let held = false;
  const runner: CommandRunner = {
    name: 'pausing',
    run: (command) => sim.run(command),
    runBatch: (commands, options) => {
      if (held || !when(commands.map((command) => command.argv))) return sim.runBatch(commands, options);
      held = true;
      reach();
      return new ResultAsync(released.then(() => sim.runBatch(commands, options)));
    },
  };
  return { runner, reached, release: () => release() };
}
