/**
 * Minimal reproductions of the violations the reliability suites found (issue 7), one per bug.
 */
import { ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createGpfsDriver } from '../../src/driver/driver.js';
import { countRoundTrips } from '../../src/runners/counting.js';
import type { CommandRunner } from '../../src/runners/types.js';
import type { GpfsSimulator } from '../../src/simulator/index.js';
import { parseFilesystemFormatVersion, parseMmgetstate, parseMmlsfs } from '../../src/parsers/index.js';
import { BASE, callMethod, createCluster } from './support/cluster.js';

describe('reliability: regressions found by the suites', () => {
  // Fault matrix: deleteSnapshot, command 2 `test -f <snapshot>`, exit 5. The check failing for any
  // reason was read as "already deleted": Ok('absent') while the snapshot was still there.
  it('deleteSnapshot does not report a snapshot as absent when checking for it fails', async () => {
    const { sim, driver } = await createCluster();
    (await driver.createVolume({ name: 'volume-1', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap();
    sim.faults.failWhen({ argvPrefix: ['test', '-f'] }, { exitCode: 5, stderr: 'test: Input/output error\n' }, { times: 1 });
    const result = await driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' });
    expect(sim.inspect.file(`${BASE}/snap-1`).isOk()).toBe(true);
    expect(result.isErr() ? result.error.kind : `Ok(${result.value.status})`).toBe('CommandFailed');
  });

  it('deleteSnapshot still reports an absent snapshot as absent (test -f exits 1)', async () => {
    const { driver } = await createCluster();
    (await driver.createVolume({ name: 'volume-1', sizeGiB: 1 }))._unsafeUnwrap();
    const result = await driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' });
    expect(result._unsafeUnwrap().status).toBe('absent');
  });

  // Parser fuzz: the typed -Y parsers return errors without a line when the output has no HEADER of
  // their command, or when that HEADER lacks a required column (the HEADER's line is known).
  it('typed -Y parsers point at a line when the HEADER is missing', () => {
    expect(parseMmgetstate('')._unsafeUnwrapErr().line).toBe(1);
  });

  it('typed -Y parsers point at the HEADER line when it lacks a required column', () => {
    expect(parseMmlsfs('\nmmlsfs::HEADER:version:reserved:reserved:deviceName:\n')._unsafeUnwrapErr().line).toBe(2);
  });

  // Parser fuzz: parseFilesystemFormatVersion returns errors without a line.
  it('parseFilesystemFormatVersion points at line 1 when the text is not a version', () => {
    expect(parseFilesystemFormatVersion('garbage')._unsafeUnwrapErr().line).toBe(1);
  });

  // Concurrency model, '3 drivers': d1.clone(v2 <- v3, 1 GiB) || d2.snapshot(s1 of v2). The clone fails
  // late (at the resize), but until its cleanup ran the half-made v2 was a volume for everyone else: a
  // second driver snapshotted it (or a consumer wrote to it), and the snapshot outlived the "failed" volume.
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

  // Concurrency model, '3 drivers, clones at full size': d1.collectGarbage() || d1.deleteVolume(v3). A
  // file deleted between garbage collection's listing and its `mmclone show` fails the whole collection.
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

describe('reliability: regressions found by the hostile-input suite', () => {
  // Hostile input: createGroupFromSource with volumeNames { 'group-volume-1': '*' } (or any invalid name)
  // returns InvalidName ("Nothing was run") after 8 commands in 3 round trips, a fileset snapshot made and deleted among them.
  it('createGroupFromSource refuses an invalid new volume name before running anything', async () => {
    const { sim, driver } = await createCluster();
    (await callMethod(driver, 'createGroup', { id: 'g1' }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'group-volume-1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    const counted = countRoundTrips(sim);
    const fresh = createGpfsDriver({ mountPointBase: BASE, runner: counted });
    (await fresh.setup())._unsafeUnwrap();
    counted.reset();
    const result = await callMethod(fresh, 'createGroupFromSource', { id: 'g2' }, { id: 'g1' }, { volumeNames: { 'group-volume-1': '*' } });
    expect(result.isErr() && result.error.kind).toBe('InvalidName');
    expect(counted.roundTrips).toBe(0);
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
