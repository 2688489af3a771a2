/**
 * Issue 9 part 5: `ls`, `tree` and `gc` read the cluster through the driver's inventory; `gc` is a dry
 * run unless `--apply`. The garbage is made behind the driver's back with gpfs-sim (a clone parent whose
 * only child was removed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GarbageReport } from '../../src/driver/operations/collect-garbage.js';
import type { Inventory, InventoryFile } from '../../src/inventory/types.js';
import { formatBytes } from '../../src/inventory/render.js';
import { BASE, createSimState, parseJson, type SimState } from './support.js';

describe('cli: ls, tree and gc', () => {
  let sim: SimState;
  /** Bytes the simulator allocated to the orphan (the garbage collection's reclaimable bytes). */
  let orphanBytes = 0;

  beforeAll(() => {
    sim = createSimState('gv-cli-inventory-');
    for (const args of [
      ['create', 'volume-1', '--size', '1'],
      ['snapshot', 'volume-1', 'snap-1'],
      ['clone', 'volume-1@snap-1', 'volume-2', '--size', '2'],
    ]) {
      const ran = sim.cli(...args, '--quiet');
      expect(ran.status, ran.stderr).toBe(0);
    }
    // An orphan: a hidden clone parent whose only child is gone.
    const exec = (...argv: string[]) => expect(sim.sim('exec', '--state', sim.state, '--as-root', '--', ...argv).status).toBe(0);
    exec('truncate', '-s', '1M', `${BASE}/scratch`);
    exec('dd', 'if=/dev/urandom', `of=${BASE}/scratch`, 'bs=64K', 'count=4', 'conv=notrunc', 'status=none');
    exec('mmclone', 'snap', `${BASE}/scratch`, `${BASE}/scratch.snap`);
    exec('rm', '-f', `${BASE}/scratch`);
    orphanBytes = sim.files().get('scratch.snap')?.allocatedBytes ?? 0;
    expect(orphanBytes).toBeGreaterThan(0);
  });

  afterAll(() => sim?.remove());

  it('ls lists volumes and snapshots in a table, and every file with --all', () => {
    const ran = sim.cli('ls');
    expect(ran.status, ran.stderr).toBe(0);
    const lines = ran.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+SIZE\s+ALLOCATED\s+DEPTH\s+CLONE OF$/);
    expect(lines.slice(1, -1).map((line) => line.split(/\s{2,}/))).toEqual([
      ['snap-1', 'snapshot', '1.0 GiB', '0 B', '0', '-'],
      ['volume-1', 'volume', '1.0 GiB', '0 B', '1', 'snap-1'],
      ['volume-2', 'volume', '2.0 GiB', '0 B', '1', 'snap-1'],
    ]);
    expect(lines.at(-1)).toBe(`2 volumes, 1 snapshot in ${BASE}; garbage: 1 file, ${formatBytes(orphanBytes)} reclaimable (gpfs-volumes gc); 1 more with --all`);

    const all = sim.cli('ls', '--all');
    expect(all.stdout).toMatch(new RegExp(`^scratch\\.snap\\s+hidden-parent \\(garbage\\)\\s+1\\.0 MiB\\s+${formatBytes(orphanBytes).replace('.', '\\.')}\\s`, 'm'));
  });

  it('ls --json prints the listed files as one document', () => {
    const listed = parseJson<{ base: string; files: InventoryFile[] }>(sim.cli('ls', '--json'));
    expect(listed.base).toBe(BASE);
    expect(listed.files.map((file) => [file.name, file.kind, file.parentPath])).toEqual([
      ['snap-1', 'snapshot', null],
      ['volume-1', 'volume', `${BASE}/snap-1`],
      ['volume-2', 'volume', `${BASE}/snap-1`],
    ]);
    expect(parseJson<{ files: InventoryFile[] }>(sim.cli('ls', '--all', '--json')).files.map((file) => file.name)).toContain('scratch.snap');
  });

  it('tree draws the clone trees as text, as Mermaid, and as the whole inventory in JSON', () => {
    const text = sim.cli('tree');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(`${BASE}\n`);
    expect(text.stdout).toContain('└── snap-1  [snapshot]  1.0 GiB, 0 B allocated\n    ├── volume-1  [volume]  1.0 GiB, 0 B allocated\n    └── volume-2  [volume]  2.0 GiB, 0 B allocated\n');
    expect(text.stdout).toContain('scratch.snap  [hidden parent]');

    const mermaid = sim.cli('tree', '--mermaid');
    expect(mermaid.stdout.startsWith('flowchart TD\n')).toBe(true);
    expect(mermaid.stdout).toContain('snap-1<br/>snapshot');

    const inventory = parseJson<Inventory>(sim.cli('tree', '--json'));
    expect(inventory.trees).toHaveLength(1);
    expect(inventory.orphans.map((file) => file.name)).toEqual(['scratch.snap']);
  });

  it('gc is a dry run by default and removes the garbage with --apply', () => {
    const dry = sim.cli('gc');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(
      `1 orphan, ${formatBytes(orphanBytes)} reclaimable:\n  ${BASE}/scratch.snap  [hidden-parent]  ${formatBytes(orphanBytes)}\ndry run: nothing removed (run gc --apply to remove them)\n`,
    );
    expect(sim.files().has('scratch.snap')).toBe(true);
    expect(parseJson<GarbageReport>(sim.cli('gc', '--json'))).toMatchObject({ applied: false, removed: [], reclaimableBytes: orphanBytes });

    const applied = sim.cli('gc', '--apply', '--json');
    expect(applied.status, applied.stderr).toBe(0);
    expect(parseJson<GarbageReport>(applied)).toMatchObject({ applied: true, removed: [`${BASE}/scratch.snap`], kept: [] });
    expect([...sim.files().keys()].sort()).toEqual(['snap-1', 'volume-1', 'volume-2']);
    expect(sim.cli('gc').stdout).toBe('no garbage\n');
  });
});
