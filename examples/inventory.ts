/**
 * The inventory and its clone trees on the built-in GPFS simulator: `npx tsx examples/inventory.ts`.
 *
 * Builds a small estate (a snapshot with clones, a deleted snapshot kept as a tombstone, a cloned
 * volume's hidden parent, a consistency group with a group snapshot), then prints the inventory as an
 * indented tree and as Mermaid, with logical versus allocated bytes.
 */
import { createGpfsDriver, createGpfsSimulator, formatBytes, formatError, renderCloneTree } from 'gpfs-volumes';

const BASE = '/gpfs0/volumes';
const sim = createGpfsSimulator();
sim.control.mkdir(BASE)._unsafeUnwrap();
const driver = createGpfsDriver({ runner: sim, mountPointBase: BASE });
const fill = (path: string, megabytes: number) => sim.run({ argv: ['dd', 'if=/dev/urandom', `of=${path}`, 'bs=1M', `count=${megabytes}`, 'conv=notrunc'], asRoot: true });

(await driver.createVolume({ name: 'golden-image', sizeGiB: 10 }))._unsafeUnwrap();
(await fill(`${BASE}/golden-image`, 64))._unsafeUnwrap();
(await driver.createSnapshot({ name: 'golden-v1', volumeName: 'golden-image' }))._unsafeUnwrap();
for (const name of ['vm-1', 'vm-2']) (await driver.createVolumeFromSnapshot({ name, sizeGiB: 10 }, { name: 'golden-v1', volumeName: 'golden-image' }))._unsafeUnwrap();
(await fill(`${BASE}/vm-1`, 8))._unsafeUnwrap();
(await driver.deleteSnapshot({ name: 'golden-v1', volumeName: 'golden-image' }))._unsafeUnwrap();
(await driver.createClonedVolume({ name: 'vm-1-copy', sizeGiB: 10 }, { name: 'vm-1' }))._unsafeUnwrap();
(await driver.createGroup({ id: 'db' }))._unsafeUnwrap();
(await driver.createVolume({ name: 'db-data', sizeGiB: 20, groupId: 'db' }))._unsafeUnwrap();
(await driver.createGroupSnapshot({ id: 'nightly', groupId: 'db' }))._unsafeUnwrap();

const inventory = await driver.inventory();
if (inventory.isErr()) throw new Error(formatError(inventory.error));
const { totals } = inventory.value;
console.log(`${inventory.value.volumes.length} volumes, ${inventory.value.snapshots.length} snapshots, ${inventory.value.tombstones.length} tombstones, ${inventory.value.orphans.length} orphans`);
console.log(`logical ${formatBytes(totals.all.logicalBytes)}, allocated ${formatBytes(totals.all.allocatedBytes)}\n`);
console.log(renderCloneTree(inventory.value, { format: 'text' }));
console.log('```mermaid');
console.log(renderCloneTree(inventory.value, { format: 'mermaid' }).trimEnd());
console.log('```');
