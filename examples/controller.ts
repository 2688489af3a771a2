/**
 * A custom controller: a reconcile loop that embeds the driver. `npx tsx examples/controller.ts`
 *
 * The volumes and snapshots you want are plain data. Each pass reads `driver.inventory()`, compares
 * it with that data, and deletes what is not wanted, extends what is too small and creates what is
 * missing (a snapshot once its volume exists, a clone once its snapshot exists), until a pass finds
 * nothing to do. Errors are handled by kind: a bad declaration is rejected for good, an outcome-unknown
 * failure (ConnectionLost, Timeout) is settled by reading the inventory again, and an unusable cluster
 * (NotMounted, GpfsNotActive, ...) ends the pass and backs off.
 *
 * It runs against the simulator, where "the world" loses a connection and unmounts the file system
 * along the way. It exits 1 if it does not converge, or if a pass after convergence changes anything.
 */
import { createGpfsDriver, createGpfsSimulator, formatError, type GpfsDriver, type GpfsError, type Inventory } from 'gpfs-volumes';
import type { ResultAsync } from 'neverthrow';

// --- What we want: data (a real controller reads it from a file, a database or an API) ---

interface DesiredVolume {
  readonly name: string;
  readonly sizeGiB: number;
  /** Create it as a clone of this snapshot (declared below). */
  readonly fromSnapshot?: string;
}
interface DesiredSnapshot {
  readonly name: string;
  readonly volumeName: string;
}

const desiredVolumes: readonly DesiredVolume[] = [
  { name: 'golden', sizeGiB: 4 },
  { name: 'data-1', sizeGiB: 10 },
  { name: 'data-2', sizeGiB: 20 },
  { name: 'vm-1', sizeGiB: 4, fromSnapshot: 'golden-v1' },
  { name: 'vm-2', sizeGiB: 8, fromSnapshot: 'golden-v1' },
  { name: '../escape', sizeGiB: 1 }, // a bad declaration: the driver refuses it before running anything
];
const desiredSnapshots: readonly DesiredSnapshot[] = [{ name: 'golden-v1', volumeName: 'golden' }];

// --- Planning: pure, from the desired state and what the inventory shows ---

type Change =
  | { readonly kind: 'delete-snapshot'; readonly name: string; readonly volumeName: string }
  | { readonly kind: 'delete-volume'; readonly name: string }
  | { readonly kind: 'extend-volume'; readonly name: string; readonly fromBytes: number; readonly sizeGiB: number }
  | { readonly kind: 'create-volume'; readonly volume: DesiredVolume }
  | { readonly kind: 'create-snapshot'; readonly snapshot: DesiredSnapshot };

const GiB = 2 ** 30;
const keyOf = (change: Change): string =>
  change.kind === 'create-volume' ? `volume ${change.volume.name}` : change.kind === 'create-snapshot' ? `snapshot ${change.snapshot.name}` : `${change.kind} ${change.name}`;

function plan(inventory: Inventory, rejected: ReadonlySet<string>): { changes: Change[]; waiting: string[] } {
  // Only the base directory is ours here (consistency groups have directories of their own).
  const volumes = new Map(inventory.volumes.filter((file) => file.groupId === null).map((file) => [file.name, file]));
  const snapshots = new Map(inventory.snapshots.filter((file) => file.groupId === null && file.groupSnapshotId === null).map((file) => [file.name, file]));
  const changes: Change[] = [];
  const waiting: string[] = [];
  for (const snapshot of snapshots.values()) {
    if (desiredSnapshots.some((wanted) => wanted.name === snapshot.name)) continue;
    // GPFS makes the snapshotted volume a clone of its snapshot, like every volume made from it; the
    // driver finds a snapshot by its name beside its volume, so any child volume's name will do.
    const child = inventory.volumes.find((file) => file.parentPath === snapshot.path);
    changes.push({ kind: 'delete-snapshot', name: snapshot.name, volumeName: child?.name ?? snapshot.name });
  }
  for (const volume of volumes.values()) {
    if (!desiredVolumes.some((wanted) => wanted.name === volume.name)) changes.push({ kind: 'delete-volume', name: volume.name });
  }
  for (const wanted of desiredVolumes) {
    const found = volumes.get(wanted.name);
    if (found && found.sizeBytes < wanted.sizeGiB * GiB) changes.push({ kind: 'extend-volume', name: wanted.name, fromBytes: found.sizeBytes, sizeGiB: wanted.sizeGiB });
    if (found || rejected.has(keyOf({ kind: 'create-volume', volume: wanted }))) continue;
    if (wanted.fromSnapshot === undefined || snapshots.has(wanted.fromSnapshot)) changes.push({ kind: 'create-volume', volume: wanted });
    else waiting.push(`${wanted.name} waits for snapshot ${wanted.fromSnapshot}`);
  }
  for (const wanted of desiredSnapshots) {
    if (snapshots.has(wanted.name) || rejected.has(keyOf({ kind: 'create-snapshot', snapshot: wanted }))) continue;
    if (volumes.has(wanted.volumeName)) changes.push({ kind: 'create-snapshot', snapshot: wanted });
    else waiting.push(`${wanted.name} waits for volume ${wanted.volumeName}`);
  }
  // A rejected change (a bad declaration) is not tried again; a real controller would retry once its declaration changes.
  return { changes: changes.filter((change) => !rejected.has(keyOf(change))), waiting };
}

// --- Acting: one driver call per change, and what to do about each kind of error ---

function apply(driver: GpfsDriver, change: Change): ResultAsync<string, GpfsError> {
  switch (change.kind) {
    case 'delete-snapshot':
      return driver.deleteSnapshot({ name: change.name, volumeName: change.volumeName }).map((deleted) => `snapshot ${change.name} ${deleted.status}`);
    case 'delete-volume':
      return driver.deleteVolume({ name: change.name }).map((deleted) => `removed ${deleted.removed.map((path) => path.split('/').pop()).join(', ') || 'nothing'}`);
    case 'extend-volume':
      return driver.extendVolume({ name: change.name }, change.sizeGiB).map(() => `${change.name}: ${change.fromBytes / GiB} GiB -> ${change.sizeGiB} GiB`);
    case 'create-snapshot':
      return driver.createSnapshot(change.snapshot).map((snapshot) => `snapshot ${snapshot.path}`);
    case 'create-volume': {
      const { volume } = change;
      const source = desiredSnapshots.find((snapshot) => snapshot.name === volume.fromSnapshot);
      const created = source ? driver.createVolumeFromSnapshot(volume, source) : driver.createVolume(volume);
      return created.map((made) => `${made.path} (${made.sizeGiB} GiB${source ? `, clone of ${source.name}` : ''})`);
    }
  }
}

/** `reject`: fix the declaration, never retried. `reobserve`: the next pass reads what really happened. `backoff`: the cluster is unusable, end the pass. */
type Disposition = 'reject' | 'reobserve' | 'backoff';

function disposition(error: GpfsError): Disposition {
  switch (error.kind) {
    case 'InvalidName':
    case 'InvalidArgument':
    case 'InvalidMetadata':
    case 'InvalidStoragePool':
    case 'Unsupported':
      return 'reject';
    case 'AlreadyExists': // someone else made or removed it meanwhile
    case 'NotFound':
    case 'InUse':
    case 'ConnectionLost': // outcome unknown: it may have happened
    case 'Timeout':
    case 'Aborted':
    case 'CommandFailed':
    case 'StreamFailed':
    case 'ParseError':
    case 'PlanError':
    case 'Internal':
      return 'reobserve';
    case 'NotMounted':
    case 'GpfsNotActive':
    case 'DownlevelCluster':
    case 'DownlevelFilesystem':
    case 'InvalidConfig':
    case 'SpawnFailed':
    case 'ConnectionFailed':
    case 'HostKeyRejected':
    case 'AuthenticationFailed':
    case 'UnexpectedCommand':
      return 'backoff';
    default:
      return error satisfies never;
  }
}

// --- The loop ---

const BASE = '/gpfs0/volumes';
const sim = createGpfsSimulator();
sim.control.mkdir(BASE)._unsafeUnwrap();
const driver = createGpfsDriver({ runner: sim, mountPointBase: BASE });

// What is already on the cluster: a volume that is too small, and a volume and snapshot nobody wants.
(await driver.createVolume({ name: 'data-1', sizeGiB: 5 }))._unsafeUnwrap();
(await driver.createVolume({ name: 'stale', sizeGiB: 2 }))._unsafeUnwrap();
(await driver.createSnapshot({ name: 'stale-snap', volumeName: 'stale' }))._unsafeUnwrap();

// The world outside the controller, before some passes.
const world = new Map<number, { say: string; act: () => void }>([
  [
    2,
    {
      say: 'the connection drops right after the next mmclone snap runs',
      act: () => void sim.faults.failWhen({ argvPrefix: ['mmclone', 'snap'] }, { error: 'ConnectionLost' }, { times: 1, timing: 'after' }),
    },
  ],
  [3, { say: 'an operator unmounts gpfs0', act: () => void sim.control.unmount('gpfs0') }],
  [4, { say: 'gpfs0 is mounted again', act: () => void sim.control.mount('gpfs0') }],
]);

const rejected = new Map<string, string>();
const MAX_PASSES = 10;
let backoffMs = 20;

interface PassOutcome {
  /** Changes tried (successful or not). */
  readonly attempted: number;
  /** Declarations waiting for another to exist. */
  readonly waiting: number;
  /** The cluster could not be used: wait before the next pass. */
  readonly backoff: boolean;
}

/** One pass: observe, plan, act. */
async function reconcile(pass: number): Promise<PassOutcome> {
  const observed = await driver.inventory();
  if (observed.isErr()) {
    console.log(`pass ${pass}: cannot read the inventory (${disposition(observed.error)}): ${formatError(observed.error)}`);
    return { attempted: 0, waiting: 0, backoff: true };
  }
  const { changes, waiting } = plan(observed.value, new Set(rejected.keys()));
  console.log(
    `pass ${pass}: ${observed.value.volumes.length} volumes, ${observed.value.snapshots.length} snapshots; ${changes.length} change(s)${changes.length === 0 && waiting.length === 0 ? ': converged' : ''}`,
  );
  for (const line of waiting) console.log(`  waiting   ${line}`);
  for (const [index, change] of changes.entries()) {
    const result = await apply(driver, change);
    if (result.isOk()) {
      console.log(`  ok        ${change.kind.padEnd(16)} ${result.value}`);
      continue;
    }
    const what = disposition(result.error);
    console.log(`  ${what.padEnd(9)} ${change.kind.padEnd(16)} ${formatError(result.error)}`);
    if (what === 'reject') rejected.set(keyOf(change), result.error.kind);
    if (what === 'backoff') return { attempted: index + 1, waiting: waiting.length, backoff: true };
  }
  return { attempted: changes.length, waiting: waiting.length, backoff: false };
}

console.log('ok: done; reject: a bad declaration, never retried; reobserve: the next pass reads what really happened; backoff: the cluster is unusable\n');
let convergedAt: number | null = null;
for (let pass = 1; pass <= MAX_PASSES && convergedAt === null; pass++) {
  const event = world.get(pass);
  if (event) {
    console.log(`(world: ${event.say})`);
    event.act();
  }
  const outcome = await reconcile(pass);
  if (outcome.backoff) {
    console.log(`  backing off ${backoffMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, backoffMs));
    backoffMs = Math.min(backoffMs * 2, 1_000);
  } else if (outcome.attempted === 0 && outcome.waiting === 0) convergedAt = pass;
}
if (convergedAt === null) {
  console.error(`did not converge in ${MAX_PASSES} passes`);
  process.exit(1);
}
console.log(`converged after ${convergedAt} passes; rejected declarations: ${[...rejected].map(([key, kind]) => `${key} (${kind})`).join(', ') || 'none'}`);

// Idempotence: another pass over a converged cluster reads, and changes nothing.
const before = JSON.stringify(sim.inspect.snapshotState());
sim.log.clear();
const again = await reconcile(convergedAt + 1);
const changed = JSON.stringify(sim.inspect.snapshotState()) !== before;
const commands = sim.log.entries().map((entry) => entry.argv[0]);
console.log(`idempotence: ${again.attempted} change(s), state ${changed ? 'CHANGED' : 'unchanged'}; commands run: ${[...new Set(commands)].join(', ')}`);
if (again.attempted !== 0 || again.backoff || changed) process.exit(1);
const names = sim.inspect
  .files({ under: BASE })
  .filter((file) => file.type === 'file')
  .map((file) => file.path.slice(BASE.length + 1));
console.log(`files now: ${names.join(', ')}`);
