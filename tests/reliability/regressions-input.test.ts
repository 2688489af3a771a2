/**
 * Minimal reproductions of what the hostile-input and parser-fuzz suites found (issue 7).
 */
import { describe, expect, it } from 'vitest';
import { createGpfsDriver } from '../../src/driver/driver.js';
import { parseFilesystemFormatVersion, parseMmgetstate, parseMmlsfs } from '../../src/parsers/index.js';
import { countRoundTrips } from '../../src/runners/counting.js';
import { BASE, callMethod, CLUSTER_ID, createCluster, MIGRATED } from './support/cluster.js';

describe('reliability: regressions found by the hostile-input suite', () => {
  // createGroupFromSource with volumeNames { 'group-volume-1': '*' } (any invalid name) returns InvalidName
  // ("Nothing was run") after 8 commands in 3 round trips, a fileset snapshot made and deleted among them.
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

  // createGroupSnapshot with a 255-character id (a valid name, but the member snapshot names built from it
  // are too long) returns InvalidName only after 10 commands, a fileset snapshot made and deleted among them.
  it('createGroupSnapshot refuses an id whose member names would be too long before running anything', async () => {
    const { sim, driver } = await createCluster();
    (await callMethod(driver, 'createGroup', { id: 'g1' }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'group-volume-1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
    const counted = countRoundTrips(sim);
    const fresh = createGpfsDriver({ mountPointBase: BASE, runner: counted });
    (await fresh.setup())._unsafeUnwrap();
    counted.reset();
    const result = await callMethod(fresh, 'createGroupSnapshot', { id: 'a'.repeat(255), groupId: 'g1' });
    expect(result.isErr() && result.error.kind).toBe('InvalidName');
    expect(counted.roundTrips).toBe(0);
  });

  // migrateVolume with the name '..' on a driver that has not cached its facts yet runs setup (11
  // commands in 2 round trips) before it refuses the name; every other operation refuses first.
  it('migrateVolume refuses an invalid name before the lazy setup runs anything', async () => {
    const { sim } = await createCluster({ setup: false });
    const counted = countRoundTrips(sim);
    const fresh = createGpfsDriver({ mountPointBase: BASE, migrationDirectories: [MIGRATED], runner: counted });
    const result = await callMethod(fresh, 'migrateVolume', { name: '..' }, { host: 'backend-b', capabilities: { locationInfo: `GPFSDriver:${CLUSTER_ID}:${MIGRATED}` } });
    expect(result.isErr() && result.error.kind).toBe('InvalidName');
    expect(counted.roundTrips).toBe(0);
  });
});

describe('reliability: regressions found by the parser fuzz', () => {
  // The typed -Y parsers return errors without a line when the output has no HEADER of their command,
  // or when that HEADER lacks a required column (the HEADER's line is known).
  it('typed -Y parsers point at a line when the HEADER is missing', () => {
    expect(parseMmgetstate('')._unsafeUnwrapErr().line).toBe(1);
  });

  it('typed -Y parsers point at the HEADER line when it lacks a required column', () => {
    expect(parseMmlsfs('\nmmlsfs::HEADER:version:reserved:reserved:deviceName:\n')._unsafeUnwrapErr().line).toBe(2);
  });

  // parseFilesystemFormatVersion returns errors without a line.
  it('parseFilesystemFormatVersion points at line 1 when the text is not a version', () => {
    expect(parseFilesystemFormatVersion('garbage')._unsafeUnwrapErr().line).toBe(1);
  });
});
