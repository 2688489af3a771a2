/**
 * Consistency groups on the built-in GPFS simulator: `npx tsx examples/consistency-groups.ts`.
 *
 * Creates a group (an independent fileset `consisgroup-g1`), two volumes in it, and a group snapshot
 * while a "database" keeps writing to both volumes between the driver's round trips: the snapshot
 * holds both volumes as they were at one instant (the fileset snapshot). Then a new group is made from
 * the group snapshot, a base volume is moved into the group, and everything is deleted again.
 */
import { ResultAsync, type Result } from 'neverthrow';
import { countRoundTrips, createGpfsDriver, createGpfsSimulator, formatError, type BatchCommand, type BatchOptions, type CommandRunner, type GpfsError } from 'gpfs-volumes';

const BASE = '/gpfs0/volumes';
const GROUP = `${BASE}/consisgroup-g1`;
const sim = createGpfsSimulator();
sim.control.mkdir(BASE)._unsafeUnwrap();

// A writer that changes both volumes just before the batch that takes the fileset snapshot, and again
// just before the batch that clones the members from it.
let writes = 0;
const write = async (label: string) => {
  for (const name of ['db-data', 'db-log']) {
    const bytes = new TextEncoder().encode(`${name}: ${label}\n`.padEnd(4096, '.'));
    (await sim.run({ argv: ['dd', `of=${GROUP}/${name}`, 'bs=4096', 'count=1', 'conv=notrunc'], asRoot: true, stdin: bytes }))._unsafeUnwrap();
  }
  writes += 1;
};
const writer: CommandRunner = {
  name: 'simulator with a concurrent writer',
  run: (command) => sim.run(command),
  runBatch: (commands: readonly BatchCommand[], options?: BatchOptions) => {
    const argvs = commands.map((command) => command.argv);
    const before = argvs.some((argv) => argv[0] === 'mmcrsnapshot')
      ? write('written just before the group snapshot')
      : argvs.some((argv) => argv[0] === 'mmclone' && argv[2]?.includes('/.snapshots/') === true)
        ? write('written after the group snapshot')
        : Promise.resolve();
    return new ResultAsync(before.then(() => sim.runBatch(commands, options)));
  },
};
const runner = countRoundTrips(writer);
const driver = createGpfsDriver({ runner, mountPointBase: BASE });

async function step<T>(title: string, operation: () => PromiseLike<Result<T, GpfsError>>, describe: (value: T) => string): Promise<T> {
  runner.reset();
  const result = await operation();
  const trips = `${runner.roundTrips} round trip${runner.roundTrips === 1 ? '' : 's'}`;
  if (result.isErr()) throw new Error(`${title} failed: ${formatError(result.error)}`);
  console.log(`${title} (${trips}): ${describe(result.value)}`);
  return result.value;
}

const firstLine = (path: string) => new TextDecoder().decode(sim.inspect.readContent(path, { length: 64 })._unsafeUnwrap()).split('\n')[0];

await step(
  'setup',
  () => driver.setup(),
  (facts) => `cluster ${facts.clusterId}, device ${facts.base.device}`,
);
await step(
  'createGroup g1',
  () => driver.createGroup({ id: 'g1' }),
  (group) => `fileset ${group.filesetName} linked at ${group.path}`,
);
for (const name of ['db-data', 'db-log']) {
  await step(
    `createVolume ${name} in g1`,
    () => driver.createVolume({ name, sizeGiB: 1, groupId: 'g1' }),
    (volume) => volume.path,
  );
}
const snapshot = await step(
  'createGroupSnapshot gs1',
  () => driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }),
  (made) => `fileset snapshot ${made.filesetSnapshotPath}; members ${made.snapshots.map((member) => member.name).join(', ')}`,
);
console.log(`  the writer ran ${writes} times during it; contents now:`);
for (const member of snapshot.snapshots) {
  console.log(`    ${member.volumeName}: live "${firstLine(`${GROUP}/${member.volumeName}`)}" | snapshot "${firstLine(member.path)}"`);
}
await step(
  'createGroupFromSource g2 <- gs1',
  () => driver.createGroupFromSource({ id: 'g2' }, { id: 'gs1', groupId: 'g1' }),
  (made) => `${made.volumes.map((volume) => `${volume.path} (${volume.sizeBytes} bytes, full copy)`).join(', ')}`,
);
await step(
  'createVolume base-1 in the base',
  () => driver.createVolume({ name: 'base-1', sizeGiB: 1 }),
  (volume) => volume.path,
);
await step(
  'updateGroup g1: add base-1',
  () => driver.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'base-1' }] }),
  (updated) => updated.added.map((moved) => `${moved.from} -> ${moved.to}`).join(', '),
);
await step(
  'deleteGroupSnapshot gs1',
  () => driver.deleteGroupSnapshot({ id: 'gs1', groupId: 'g1' }),
  (deleted) => `${deleted.status}, ${deleted.removed.length} files removed`,
);
for (const id of ['g1', 'g2', 'g1']) {
  await step(
    `deleteGroup ${id}`,
    () => driver.deleteGroup({ id }),
    (deleted) => (deleted.existed ? `deleted with ${deleted.volumes.join(', ')}` : 'already gone (idempotent)'),
  );
}
