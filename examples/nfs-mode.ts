/**
 * NFS mode on the built-in GPFS simulator: `npx tsx examples/nfs-mode.ts`.
 *
 * GPFS exports `/gpfs0` over NFS (for instance through CES) and the consumers mount it at
 * `/mnt/gpfs0`. Every command the driver runs uses GPFS-side paths; `localPath` and
 * `initializeConnection` give the consumer-side ones, with no command and no share discovery.
 */
import { createGpfsDriver, createGpfsSimulator, formatError, type CommandEvent } from 'gpfs-volumes';

const BASE = '/gpfs0/volumes';
const sim = createGpfsSimulator();
sim.control.mkdir(BASE)._unsafeUnwrap();
const events: CommandEvent[] = [];
const driver = createGpfsDriver({
  runner: sim,
  mountPointBase: BASE,
  nfs: { server: 'ces.example.com', exportPath: '/gpfs0', consumerMountPoint: '/mnt/gpfs0' },
  onCommand: (event) => events.push(event),
});

(await driver.createVolume({ name: 'volume-1', sizeGiB: 1 }))._unsafeUnwrap();
(await driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
(await driver.createVolume({ name: 'volume-2', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
console.log('commands run (GPFS side):');
for (const event of events.filter((candidate) => candidate.operation === 'createVolume')) console.log(`  ${event.argv.join(' ')}`);
const before = events.length;
for (const volume of [{ name: 'volume-1' }, { name: 'volume-2', groupId: 'g1' }]) {
  const path = await driver.localPath(volume);
  const connection = await driver.initializeConnection(volume);
  if (path.isErr() || connection.isErr()) throw new Error(formatError(path.isErr() ? path.error : connection._unsafeUnwrapErr()));
  console.log(`${volume.name}: localPath ${path.value}`);
  console.log(`  initializeConnection ${JSON.stringify(connection.value)}`);
}
console.log(`commands run for localPath and initializeConnection: ${events.length - before}`);
const invalid = createGpfsDriver({ runner: sim, mountPointBase: BASE, nfs: { consumerMountPoint: '/mnt/gpfs0', exportPath: '/gpfs1' } });
console.log(`an export that does not contain the volumes is refused: ${invalid.configError?.issues.join('; ')}`);
