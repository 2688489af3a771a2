import { describe, expect, it } from 'vitest';
import { buildInventory, formatBytes, planGarbage, renderCloneTree, type ScannedEntry } from '../../src/inventory/index.js';

const BASE = '/gpfs0/volumes';

function entry(path: string, inode: number, clone: ScannedEntry['clone'] = null, allocatedBytes = 0): ScannedEntry {
  return { path, inode, sizeBytes: 1024 ** 3, allocatedBytes, mode: 0o660, type: 'f', clone };
}

const parent = (fileName: string, parentInode: number | null = null) => ({ isParent: true, depth: parentInode === null ? 0 : 1, parentInode, fileName });
const child = (fileName: string, parentInode: number) => ({ isParent: false, depth: 1, parentInode, fileName });

describe('inventory: renderCloneTree and planGarbage', () => {
  it('escapes names that would break a Mermaid label, and hangs files with unknown parents under a place-holder', () => {
    const inventory = buildInventory({
      base: BASE,
      imagesDir: null,
      entries: [entry(`${BASE}/we"ird<name>#&`, 10), entry(`${BASE}/v1`, 11, child(`${BASE}/v1`, 999))],
      filesets: [],
      filesetSnapshots: [],
    })._unsafeUnwrap();
    const mermaid = renderCloneTree(inventory, { format: 'mermaid' });
    expect(mermaid).toContain('we#quot;ird#lt;name#gt;#35;#amp;<br/>other');
    expect(mermaid).not.toContain('we"ird');
    expect(mermaid).toMatch(/p0\(\["inode 999 \(outside the directories read\)"\]\)/);
    expect(renderCloneTree(inventory, { format: 'text' })).toContain('├── (inode 999 (outside the directories read))\n│   └── v1  [volume]');
  });

  it('counts a parent shared by two orphans once, with the second', () => {
    const files = buildInventory({
      base: BASE,
      imagesDir: null,
      entries: [
        entry(`${BASE}/shared.snap`, 1, parent(`${BASE}/shared.snap`), 4096),
        entry(`${BASE}/a.ts`, 2, parent(`${BASE}/a.ts`, 1), 512),
        entry(`${BASE}/b.ts`, 3, parent(`${BASE}/b.ts`, 1), 1024),
        entry(`${BASE}/snapshot-1`, 4, parent(`${BASE}/snapshot-1`)),
      ],
      filesets: [],
      filesetSnapshots: [],
    })._unsafeUnwrap().files;
    const plan = planGarbage(files)._unsafeUnwrap();
    expect(plan.targets.map((target) => target.chain.map((link) => link.path))).toEqual([[`${BASE}/a.ts`], [`${BASE}/b.ts`, `${BASE}/shared.snap`]]);
    expect(plan.reclaimableBytes).toBe(4096 + 512 + 1024);
  });

  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [4 * 1024 ** 2, '4.0 MiB'],
    [1.5 * 1024 ** 3, '1.5 GiB'],
  ])('formats %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
