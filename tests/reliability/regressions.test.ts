/**
 * Minimal reproductions of the violations the reliability suites found (issue 7), one per bug.
 */
import { describe, expect, it } from 'vitest';
import { BASE, createCluster } from './support/cluster.js';

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
});
