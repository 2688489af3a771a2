import { describe, expect, it } from 'vitest';
import { renderCloneTree } from '../../src/inventory/index.js';
import { BASE, createHarness } from './support/harness.js';
import { raw, writeData } from './support/groups.js';

const G1 = `${BASE}/consisgroup-g1`;
const MIB = 1024 * 1024;

async function populated() {
  const harness = await createHarness();
  const { driver, sim } = harness;
  (await driver.createVolume({ name: 'v1', sizeGiB: 1 }))._unsafeUnwrap();
  await writeData(sim, `${BASE}/v1`, 'v1', 8);
  (await driver.createSnapshot({ name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
  (await driver.createVolumeFromSnapshot({ name: 'v2', sizeGiB: 1 }, { name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
  await writeData(sim, `${BASE}/v2`, 'v2', 4);
  (await driver.deleteSnapshot({ name: 's1', volumeName: 'v1' }))._unsafeUnwrap();
  (await driver.createClonedVolume({ name: 'v3', sizeGiB: 1 }, { name: 'v2' }))._unsafeUnwrap();
  (await driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
  (await driver.createVolume({ name: 'g-v1', sizeGiB: 2, groupId: 'g1' }))._unsafeUnwrap();
  (await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
  expect(await raw(sim, 'truncate', '-s', '1G', `${BASE}/leaked`)).toBe(0);
  expect(await raw(sim, 'mmclone', 'snap', `${BASE}/leaked`, `${BASE}/leaked.snap`)).toBe(0);
  expect(await raw(sim, 'rm', '-f', `${BASE}/leaked`)).toBe(0);
  (await driver.createVolume({ name: 'old', sizeGiB: 1 }))._unsafeUnwrap();
  (await driver.unmanage({ name: 'old' }))._unsafeUnwrap();
  return harness;
}

const paths = (files: readonly { readonly path: string }[]) => files.map((file) => file.path);

describe('driver: inventory', () => {
  it('classifies every file of the base and the groups in two round trips', async () => {
    const harness = await populated();
    const { result, roundTrips } = await harness.measure(() => harness.driver.inventory());
    const found = result._unsafeUnwrap();
    expect(roundTrips).toBe(2);
    expect(paths(found.volumes)).toEqual([`${BASE}/consisgroup-g1/g-v1`, `${BASE}/v1`, `${BASE}/v2`, `${BASE}/v3`]);
    expect(paths(found.snapshots)).toEqual([`${G1}/gs1.g-v1`]);
    expect(paths(found.tombstones)).toEqual([`${BASE}/s1.ts`]);
    expect(paths(found.hiddenParents)).toEqual([`${BASE}/leaked.snap`, `${BASE}/v3.snap`]);
    expect(paths(found.orphans)).toEqual([`${BASE}/leaked.snap`]);
    expect(found.others.map((file) => [file.name, file.kind])).toEqual([['.unmanaged-old', 'unmanaged']]);
    expect(found.groups).toEqual([{ id: 'g1', path: G1, filesetName: 'consisgroup-g1', filesetStatus: 'Linked' }]);
    expect(found.groupSnapshots).toEqual([{ id: 'gs1', groupId: 'g1', state: 'live', filesetSnapshot: true, volumeNames: ['g-v1'] }]);
    const member = found.snapshots[0]!;
    expect(member.groupSnapshotId).toBe('gs1');
    const anchor = found.files.find((file) => file.kind === 'anchor')!;
    expect(anchor).toMatchObject({ path: `${G1}/.group-snapshots/gs1/g-v1`, parentInode: null, parentPath: `${G1}/.snapshots/gs1/g-v1`, childCount: 1 });
  });

  it('tells logical from allocated bytes: clones share their parents blocks', async () => {
    const harness = await populated();
    const found = (await harness.driver.inventory())._unsafeUnwrap();
    const byName = new Map(found.files.map((file) => [file.name, file]));
    expect(byName.get('s1.ts')).toMatchObject({ sizeBytes: 1024 ** 3, allocatedBytes: 8 * MIB, childCount: 2, isParent: true });
    expect(byName.get('v1')).toMatchObject({ sizeBytes: 1024 ** 3, allocatedBytes: 0, parentPath: `${BASE}/s1.ts` });
    expect(byName.get('v3.snap')).toMatchObject({ allocatedBytes: 4 * MIB, parentPath: `${BASE}/s1.ts` });
    expect(byName.get('v3')).toMatchObject({ allocatedBytes: 0, parentPath: `${BASE}/v3.snap` });
    expect(found.totals.volumes).toEqual({ files: 4, logicalBytes: 5 * 1024 ** 3, allocatedBytes: 0 });
    expect(found.totals.all.allocatedBytes).toBe(12 * MIB);
    expect(found.totals.all.logicalBytes).toBe(found.files.reduce((sum, file) => sum + file.sizeBytes, 0));
    expect(found.totals.garbage).toEqual({ files: 1, logicalBytes: 1024 ** 3, allocatedBytes: 0 });
  });

  it('draws the clone forests as a text tree and as Mermaid', async () => {
    const harness = await populated();
    const found = (await harness.driver.inventory())._unsafeUnwrap();
    expect(renderCloneTree(found, { format: 'text' })).toBe(
      [
        '/gpfs0/volumes',
        '├── .unmanaged-old  [unmanaged]  1.0 GiB, 0 B allocated',
        '├── leaked.snap  [hidden parent]  1.0 GiB, 0 B allocated',
        '└── s1.ts  [tombstone]  1.0 GiB, 8.0 MiB allocated',
        '    ├── v1  [volume]  1.0 GiB, 0 B allocated',
        '    └── v3.snap  [hidden parent]  1.0 GiB, 4.0 MiB allocated',
        '        ├── v2  [volume]  1.0 GiB, 0 B allocated',
        '        └── v3  [volume]  1.0 GiB, 0 B allocated',
        '/gpfs0/volumes/consisgroup-g1  (group g1)',
        '├── (fileset snapshot gs1)',
        '│   └── g-v1  [group snapshot anchor]  2.0 GiB, 0 B allocated',
        '│       └── gs1.g-v1  [snapshot]  2.0 GiB, 0 B allocated',
        '└── g-v1  [volume]  2.0 GiB, 0 B allocated',
        '10 files: 13.0 GiB logical, 12.0 MiB allocated; 4 volumes: 5.0 GiB logical, 0 B allocated; garbage: 1 files, 0 B reclaimable',
        '',
      ].join('\n'),
    );
    const mermaid = renderCloneTree(found, { format: 'mermaid' });
    expect(mermaid.startsWith('flowchart TD\n')).toBe(true);
    expect(mermaid).toContain('subgraph s0["/gpfs0/volumes"]');
    const ids = new Map([...mermaid.matchAll(/^\s+(n\d+)\["([^<"]+)<br\/>([a-z ]+) ·/gm)].map((match) => [`${match[2]}`.concat(match[3] === 'volume' ? '' : ` ${match[3]}`), match[1]]));
    expect(ids.size).toBe(10);
    expect(mermaid).toContain(`${ids.get('s1.ts tombstone')} --> ${ids.get('v1')}`);
    expect(mermaid).toContain(`${ids.get('v3.snap hidden parent')} --> ${ids.get('v2')}`);
    expect(mermaid).toContain(`${ids.get('v3.snap hidden parent')} --> ${ids.get('v3')}`);
    expect(mermaid).toMatch(/p0\(\["fileset snapshot gs1"\]\)/);
    expect(mermaid).toContain(`p0 --> ${ids.get('g-v1 group snapshot anchor')}`);
    expect(mermaid.match(/^ {2}end$/gm)).toHaveLength(2);
  });

  it('reads nothing outside the base: an empty base is an empty inventory', async () => {
    const harness = await createHarness();
    expect(await raw(harness.sim, 'truncate', '-s', '1G', '/gpfs0/elsewhere.img')).toBe(0);
    const found = (await harness.driver.inventory())._unsafeUnwrap();
    expect(found.files).toEqual([]);
    expect(renderCloneTree(found, { format: 'text' })).toBe('/gpfs0/volumes  (empty)\n0 files: 0 B logical, 0 B allocated; 0 volumes: 0 B logical, 0 B allocated; garbage: 0 files, 0 B reclaimable\n');
  });
});
