/**
 * Minimal reproductions of the violations the reliability suites found (issue 7), one per bug.
 */
import { describe, expect, it } from 'vitest';
import { parseFilesystemFormatVersion, parseMmgetstate, parseMmlsfs } from '../../src/parsers/index.js';
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
});
