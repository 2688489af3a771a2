/**
 * Issue 9 part 5: the operator CLI changes the cluster as the driver would. Every step runs the bundled
 * `gpfs-volumes` as a process against a gpfs-sim state directory; the effect is read back with
 * `gpfs-sim inspect`, not through the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createSimState, parseJson, type SimState } from './support.js';

const GIB = 2 ** 30;

describe('cli: create, snapshot, clone, extend and delete against gpfs-sim', () => {
  let sim: SimState;

  beforeAll(() => {
    sim = createSimState();
  });

  afterAll(() => sim?.remove());

  it('creates a sparse volume with mode 660 and reports it', () => {
    const ran = sim.cli('create', 'volume-1', '--size', '2');
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout).toBe(`created volume volume-1 (2 GiB) at ${BASE}/volume-1\n`);
    const file = sim.files().get('volume-1');
    expect(file).toMatchObject({ sizeBytes: 2 * GIB, allocatedBytes: 0, mode: 0o660, clone: null });
  });

  it('snapshots a volume: the snapshot becomes the clone parent of the volume', () => {
    const ran = sim.cli('snapshot', 'volume-1', 'snap-1', '--json');
    expect(ran.status, ran.stderr).toBe(0);
    expect(parseJson(ran)).toEqual({ name: 'snap-1', volumeName: 'volume-1', path: `${BASE}/snap-1`, redirected: false });
    const files = sim.files();
    expect(files.get('snap-1')?.clone).toMatchObject({ isParent: true, children: 1 });
    expect(files.get('volume-1')?.clone).toMatchObject({ isParent: false, parentPath: `${BASE}/snap-1` });
  });

  it('clones a snapshot (volume@snapshot) at its size when --size is left out', () => {
    const ran = sim.cli('clone', 'volume-1@snap-1', 'volume-2');
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout).toBe(`created volume volume-2 (2 GiB) as a clone of volume-1@snap-1 at ${BASE}/volume-2\n`);
    const files = sim.files();
    expect(files.get('volume-2')).toMatchObject({ sizeBytes: 2 * GIB, clone: { parentPath: `${BASE}/snap-1` } });
    expect(files.get('snap-1')?.clone?.children).toBe(2);
  });

  it('clones a volume through a hidden .snap parent, at the size asked for', () => {
    const ran = sim.cli('clone', 'volume-2', 'volume-3', '--size', '3', '--json');
    expect(ran.status, ran.stderr).toBe(0);
    expect(parseJson(ran)).toEqual({ name: 'volume-3', path: `${BASE}/volume-3`, sizeGiB: 3 });
    const files = sim.files();
    expect(files.get('volume-3')).toMatchObject({ sizeBytes: 3 * GIB, clone: { parentPath: `${BASE}/volume-3.snap` } });
    expect(files.get('volume-2')?.clone?.parentPath).toBe(`${BASE}/volume-3.snap`);
  });

  it('extends a volume, and refuses to shrink one with nothing changed', () => {
    const grown = sim.cli('extend', 'volume-1', '--size', '5');
    expect(grown.status, grown.stderr).toBe(0);
    expect(grown.stdout).toBe(`volume volume-1 is now 5 GiB (${BASE}/volume-1)\n`);
    expect(sim.files().get('volume-1')?.sizeBytes).toBe(5 * GIB);

    const shrink = sim.cli('extend', 'volume-1', '--size', '1', '--quiet');
    expect(shrink.status).toBe(1);
    expect(shrink.stdout).toBe('');
    expect(shrink.stderr).toMatch(/^\[gpfs\] \[[^\]]+\] InvalidArgument: refusing to shrink .*\n$/);
    expect(sim.files().get('volume-1')?.sizeBytes).toBe(5 * GIB);
  });

  it('deletes a snapshot with clones into a tombstone, then volumes with the parents they leave unused', () => {
    const snapshot = sim.cli('delete', 'volume-1@snap-1', '--json');
    expect(snapshot.status, snapshot.stderr).toBe(0);
    expect(parseJson(snapshot)).toMatchObject({ name: 'snap-1', volumeName: 'volume-1', status: 'tombstoned', tombstonePath: `${BASE}/snap-1.ts` });
    expect([...sim.files().keys()].sort()).toEqual(['snap-1.ts', 'volume-1', 'volume-2', 'volume-3', 'volume-3.snap']);

    const volume = sim.cli('delete', 'volume-3');
    expect(volume.status, volume.stderr).toBe(0);
    expect(volume.stdout).toContain('deleted volume volume-3\n');
    expect([...sim.files().keys()].sort()).toEqual(['snap-1.ts', 'volume-1', 'volume-2', 'volume-3.snap']);

    for (const name of ['volume-2', 'volume-1']) expect(sim.cli('delete', name, '--quiet').status).toBe(0);
    expect([...sim.files().keys()]).toEqual([]);
  });

  it('deleting what does not exist succeeds and says so (idempotent)', () => {
    const ran = sim.cli('delete', 'volume-1');
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout).toBe('volume volume-1 did not exist: nothing to delete\n');
    expect(parseJson(sim.cli('delete', 'volume-1@snap-1', '--json'))).toMatchObject({ status: 'absent' });
  });

  it('preallocates with --preallocate: every byte of the volume is allocated', () => {
    const ran = sim.cli('create', 'full-1', '--size', '1', '--preallocate', '--quiet');
    expect(ran.status, ran.stderr).toBe(0);
    expect(sim.files().get('full-1')).toMatchObject({ sizeBytes: GIB, allocatedBytes: GIB });
  });
});
