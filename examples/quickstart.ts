/**
 * `npm run demo`: the driver at work on the built-in GPFS simulator.
 *
 * Sets up, creates a volume, snapshots it, clones the snapshot, clones the clone, then deletes
 * everything in an awkward order (snapshot first, then the original, then the clones) and shows how
 * the clone tree collapses. For each step it prints the commands the driver ran (through the
 * `onCommand` hook), grouped by round trip.
 */
import { countRoundTrips, createGpfsDriver, createGpfsSimulator, formatCommand, formatError, type CommandEvent, type DeletedVolume, type GpfsError } from 'gpfs-volumes';
import type { Result } from 'neverthrow';

const BASE = '/gpfs0/volumes';
const sim = createGpfsSimulator();
sim.control.mkdir(BASE)._unsafeUnwrap();
const runner = countRoundTrips(sim);
const events: CommandEvent[] = [];
const driver = createGpfsDriver({ runner, mountPointBase: BASE, maxCloneDepth: 2, onCommand: (event) => events.push(event) });

const summary: { step: string; roundTrips: number; commands: number }[] = [];

async function step<T>(title: string, operation: () => PromiseLike<Result<T, GpfsError>>, describe: (value: T) => string): Promise<void> {
  events.length = 0;
  runner.reset();
  const result = await operation();
  summary.push({ step: title, roundTrips: runner.roundTrips, commands: events.length });
  console.log(`\n## ${title}  (${runner.roundTrips} round trip${runner.roundTrips === 1 ? '' : 's'})`);
  let roundTrip = 0;
  for (const event of events) {
    if (event.roundTrip !== roundTrip) {
      roundTrip = event.roundTrip;
      console.log(`  round trip ${roundTrip}:`);
    }
    const status = event.exitCode === 0 ? 'ok' : `exit ${event.exitCode ?? event.signal}${event.stderr.trim() === '' ? '' : `: ${event.stderr.trim().split('\n')[0]}`}`;
    console.log(`    ${formatCommand(event.argv).padEnd(78)} [${event.step}] ${status}`);
  }
  console.log(result.isOk() ? `  => ${describe(result.value)}` : `  => ${formatError(result.error)}`);
}

function describeDeletion(deleted: DeletedVolume): string {
  const kept = deleted.kept.map((entry) => `${entry.path} (${entry.reason})`).join(', ');
  return `removed ${deleted.removed.join(', ') || 'nothing'}${kept === '' ? '' : `; kept ${kept}`}`;
}

function printTree(title: string): void {
  const files = sim.inspect.files({ under: BASE }).filter((file) => file.type === 'file');
  const byInode = new Map(files.map((file) => [file.inode, file]));
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  for (const file of files) {
    const parent = file.clone?.parentInode ?? null;
    if (parent !== null && byInode.has(parent)) children.set(parent, [...(children.get(parent) ?? []), file.inode]);
    else roots.push(file.inode);
  }
  console.log(`\n  clone tree ${title}:`);
  if (files.length === 0) console.log('    (empty)');
  const walk = (inode: number, indent: string): void => {
    const file = byInode.get(inode)!;
    const role = file.clone?.isParent ? 'clone parent' : file.clone ? `clone, depth ${file.clone.depth ?? '?'}` : 'file';
    console.log(`    ${indent}${file.path.slice(BASE.length + 1)}  (inode ${file.inode}, ${role}, ${file.sizeBytes / 2 ** 30} GiB, mode ${file.mode.toString(8)})`);
    for (const child of children.get(inode) ?? []) walk(child, `${indent}  `);
  };
  for (const root of roots.sort((a, b) => a - b)) walk(root, '');
}

console.log('gpfs-volumes quickstart: a GpfsDriver on the in-memory GPFS simulator');
console.log(`volumes live in ${BASE} on the simulated file system gpfs0; maxCloneDepth is 2 (deeper clones are redirected)`);

await step(
  'setup',
  () => driver.setup(),
  (facts) => `cluster ${facts.clusterId}, device ${facts.base.device}, format level ${facts.base.formatLevel}, pool ${facts.storagePool.name}`,
);
await step(
  'create volume-1 (10 GiB, ext4)',
  () => driver.createVolume({ name: 'volume-1', sizeGiB: 10, metadata: { fstype: 'ext4', fslabel: 'data' } }),
  (volume) => `${volume.path}, ${volume.sizeGiB} GiB`,
);
await step(
  'snapshot volume-1 as snap-1',
  () => driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }),
  (snapshot) => `${snapshot.path}${snapshot.redirected ? ' (volume redirected)' : ''}`,
);
await step(
  'volume-2 from snap-1',
  () => driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 20 }, { name: 'snap-1', volumeName: 'volume-1' }),
  (volume) => `${volume.path}, ${volume.sizeGiB} GiB`,
);
await step(
  'volume-3: clone of volume-2',
  () => driver.createClonedVolume({ name: 'volume-3', sizeGiB: 20 }, { name: 'volume-2' }),
  (volume) => `${volume.path}, ${volume.sizeGiB} GiB`,
);
await step(
  'volume-4: clone of volume-3 (a clone of a clone)',
  () => driver.createClonedVolume({ name: 'volume-4', sizeGiB: 20 }, { name: 'volume-3' }),
  (volume) => `${volume.path}, ${volume.sizeGiB} GiB`,
);
printTree('after the creates');

await step(
  'delete snap-1 (clones still depend on it)',
  () => driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }),
  (deleted) => `${deleted.status}${deleted.tombstonePath ? ` as ${deleted.tombstonePath}` : ''}`,
);
await step('delete volume-1 (the original)', () => driver.deleteVolume({ name: 'volume-1' }), describeDeletion);
await step('delete volume-3 (the middle of the chain)', () => driver.deleteVolume({ name: 'volume-3' }), describeDeletion);
printTree('after deleting snap-1, volume-1 and volume-3');
await step('delete volume-2', () => driver.deleteVolume({ name: 'volume-2' }), describeDeletion);
await step('delete volume-4 (the last clone collects every parent)', () => driver.deleteVolume({ name: 'volume-4' }), describeDeletion);
await step(
  'delete volume-4 again (idempotent)',
  () => driver.deleteVolume({ name: 'volume-4' }),
  (deleted) => (deleted.existed ? 'removed' : 'already gone: Ok'),
);
await step(
  'refused before any command: a hostile name',
  () => driver.createVolume({ name: '../../etc/passwd', sizeGiB: 1 }),
  () => 'created?!',
);
printTree('at the end');

console.log('\n## round trips per step');
for (const entry of summary) console.log(`  ${entry.step.padEnd(56)} ${String(entry.roundTrips).padStart(2)} round trip(s), ${entry.commands} command(s)`);
const stats = sim.stats();
console.log(`\nsimulator: ${stats.commands} commands in ${stats.roundTrips} round trips, ${(stats.elapsedMs / 1000).toFixed(1)} s of simulated time`);
