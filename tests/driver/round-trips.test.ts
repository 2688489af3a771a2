/**
 * Round trips per operation, counted with countRoundTrips over the simulator, in each operation's
 * worst case (redirects, tombstone collisions, deep clone chains). Prints the table it checks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createHarness } from './support/harness.js';

const TARGETS: Record<string, number> = {
  setup: 3,
  createVolume: 2,
  createSnapshot: 2,
  createVolumeFromSnapshot: 2,
  createClonedVolume: 2,
  deleteSnapshot: 2,
  deleteVolume: 3,
};
const measured: { operation: string; scenario: string; roundTrips: number }[] = [];

async function record(operation: string, scenario: string, roundTrips: number) {
  measured.push({ operation, scenario, roundTrips });
  expect(roundTrips, `${operation} (${scenario})`).toBeLessThanOrEqual(TARGETS[operation] ?? 0);
}

describe('driver: round trips per operation (simulator, countRoundTrips)', () => {
  afterAll(() => {
    console.log(
      [
        'operation                  target  measured  scenario',
        ...measured.map((row) => `${row.operation.padEnd(26)} ${String(TARGETS[row.operation]).padStart(6)}  ${String(row.roundTrips).padStart(8)}  ${row.scenario}`),
      ].join('\n'),
    );
  });

  it('setup, with an images directory in copy_on_write mode', async () => {
    const { driver, measure } = await createHarness({ imagesDir: '/gpfs0/images', imagesShareMode: 'copy_on_write' }, {}, { setup: false });
    const { result, roundTrips } = await measure(() => driver.setup());
    result._unsafeUnwrap();
    await record('setup', 'copy_on_write images dir, encryption query', roundTrips);
  });

  it('createVolume, preallocated with attributes and mkfs', async () => {
    const { driver, measure } = await createHarness({ sparseVolumes: false });
    const { result, roundTrips } = await measure(() => driver.createVolume({ name: 'v', sizeGiB: 1, metadata: { fstype: 'ext4', replicas: '2' } }));
    result._unsafeUnwrap();
    await record('createVolume', 'dd + mmchattr + mkfs', roundTrips);
  });

  it('createSnapshot with a redirect of the volume', async () => {
    const { driver, measure } = await createHarness({ maxCloneDepth: 1 });
    (await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 's0', volumeName: 'v' }))._unsafeUnwrap();
    const snapshot = await measure(() => driver.createSnapshot({ name: 's', volumeName: 'v' }));
    expect(snapshot.result._unsafeUnwrap().redirected).toBe(true);
    await record('createSnapshot', 'volume redirected', snapshot.roundTrips);
  });

  it('createVolumeFromSnapshot with a redirect of the new volume', async () => {
    const { driver, events, measure } = await createHarness({ maxCloneDepth: 1 });
    (await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 's1', volumeName: 'v' }))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 's2', volumeName: 'v' }))._unsafeUnwrap();
    events.length = 0;
    const created = await measure(() => driver.createVolumeFromSnapshot({ name: 'w', sizeGiB: 2 }, { name: 's2', volumeName: 'v' }));
    created.result._unsafeUnwrap();
    expect(events.some((event) => event.step === 'redirect')).toBe(true);
    await record('createVolumeFromSnapshot', 'new volume redirected', created.roundTrips);
  });

  it('deleteSnapshot when its tombstone name is already taken', async () => {
    const { driver, events, measure } = await createHarness();
    (await driver.createVolume({ name: 'v', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 's', volumeName: 'v' }))._unsafeUnwrap();
    (await driver.deleteSnapshot({ name: 's', volumeName: 'v' }))._unsafeUnwrap();
    (await driver.createSnapshot({ name: 's', volumeName: 'v' }))._unsafeUnwrap();
    events.length = 0;
    const deleted = await measure(() => driver.deleteSnapshot({ name: 's', volumeName: 'v' }));
    expect(deleted.result._unsafeUnwrap().status).toBe('tombstoned');
    expect(events.filter((event) => event.step === 'rename-to-tombstone')).toHaveLength(1);
    await record('deleteSnapshot', 'tombstone name already taken', deleted.roundTrips);
  });

  it('createClonedVolume with both clones redirected and the hidden parent removed', async () => {
    const { driver, measure } = await createHarness({ maxCloneDepth: 1 });
    (await driver.createVolume({ name: 'a', sizeGiB: 1 }))._unsafeUnwrap();
    (await driver.createClonedVolume({ name: 'b', sizeGiB: 1 }, { name: 'a' }))._unsafeUnwrap();
    const clone = await measure(() => driver.createClonedVolume({ name: 'c', sizeGiB: 1 }, { name: 'b' }));
    clone.result._unsafeUnwrap();
    await record('createClonedVolume', 'clone of a clone, both redirected', clone.roundTrips);
  });

  it.each([1, 8, 32])('deleteVolume at the end of a clone chain %i deep', async (depth) => {
    const { driver, measure } = await createHarness();
    (await driver.createVolume({ name: 'v0', sizeGiB: 1 }))._unsafeUnwrap();
    for (let level = 1; level <= depth; level++) (await driver.createClonedVolume({ name: `v${level}`, sizeGiB: 1 }, { name: `v${level - 1}` }))._unsafeUnwrap();
    for (let level = 0; level < depth; level++) (await driver.deleteVolume({ name: `v${level}` }))._unsafeUnwrap();
    const deleted = await measure(() => driver.deleteVolume({ name: `v${depth}` }));
    expect(deleted.result._unsafeUnwrap().removed).toHaveLength(depth + 1);
    await record('deleteVolume', `chain of ${depth} hidden parents collected`, deleted.roundTrips);
  });
});
