/**
 * Reverting a volume to a snapshot on the built-in GPFS simulator: `npx tsx examples/revert-to-snapshot.ts`.
 *
 * The volume's content becomes the snapshot's; the snapshot and a volume cloned from it are untouched.
 * The new content is cloned from the snapshot first, then swapped in with one rename while the old
 * content keeps a second name, and only then is the old content deleted through the clone-tree executor:
 * the volume's name never disappears, and until the end there is a way back.
 */
import { createGpfsDriver, createGpfsSimulator, formatError, type CommandEvent } from 'gpfs-volumes';

const BASE = '/gpfs0/volumes';
const sim = createGpfsSimulator();
sim.control.mkdir(BASE)._unsafeUnwrap();
const events: CommandEvent[] = [];
const driver = createGpfsDriver({ runner: sim, mountPointBase: BASE, onCommand: (event) => events.push(event) });
const text = (path: string) => new TextDecoder().decode(sim.inspect.readContent(path, { length: 24 })._unsafeUnwrap()).replace(/\0+$/, '');
const write = (path: string, content: string) => sim.run({ argv: ['dd', `of=${path}`, 'bs=24', 'count=1', 'conv=notrunc'], asRoot: true, stdin: new TextEncoder().encode(content.padEnd(24, ' ')) });

(await driver.createVolume({ name: 'vm-disk', sizeGiB: 1 }))._unsafeUnwrap();
(await write(`${BASE}/vm-disk`, 'good state'))._unsafeUnwrap();
(await driver.createSnapshot({ name: 'before-upgrade', volumeName: 'vm-disk' }))._unsafeUnwrap();
(await driver.createVolumeFromSnapshot({ name: 'test-copy', sizeGiB: 1 }, { name: 'before-upgrade', volumeName: 'vm-disk' }))._unsafeUnwrap();
(await write(`${BASE}/vm-disk`, 'broken by the upgrade'))._unsafeUnwrap();
console.log(`before: vm-disk "${text(`${BASE}/vm-disk`)}", snapshot "${text(`${BASE}/before-upgrade`)}", test-copy "${text(`${BASE}/test-copy`)}"`);

events.length = 0;
const reverted = await driver.revertToSnapshot({ name: 'vm-disk' }, { name: 'before-upgrade', volumeName: 'vm-disk' });
if (reverted.isErr()) throw new Error(formatError(reverted.error));
for (const event of events) console.log(`  round trip ${event.roundTrip}  ${event.step.padEnd(20)} ${event.argv.join(' ')}`);
console.log(`after:  vm-disk "${text(`${BASE}/vm-disk`)}", snapshot "${text(`${BASE}/before-upgrade`)}", test-copy "${text(`${BASE}/test-copy`)}"`);
console.log(`removed: ${reverted.value.removed.join(', ')}`);
