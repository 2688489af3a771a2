/**
 * Adopting and letting go of volumes on the built-in GPFS simulator: `npx tsx examples/manage-existing.ts`.
 *
 * A disk image copied onto GPFS by hand becomes a volume (its size reported in GiB, rounded up), is
 * snapshotted like any other volume, is let go of without being deleted, and is adopted again.
 */
import type { Result } from 'neverthrow';
import { createGpfsDriver, createGpfsSimulator, formatError, type GpfsError } from 'gpfs-volumes';

const BASE = '/gpfs0/volumes';
const sim = createGpfsSimulator();
sim.control.mkdir(`${BASE}/import`)._unsafeUnwrap();
// Someone copied a 1.5 GiB raw disk onto GPFS.
sim.control.seedFile({ path: `${BASE}/import/legacy-disk.img`, content: 'legacy boot sector' })._unsafeUnwrap();
(await sim.run({ argv: ['truncate', '-s', String(1.5 * 1024 ** 3), `${BASE}/import/legacy-disk.img`], asRoot: true }))._unsafeUnwrap();
const driver = createGpfsDriver({ runner: sim, mountPointBase: BASE });

async function step<T>(title: string, operation: () => PromiseLike<Result<T, GpfsError>>, describe: (value: T) => string): Promise<T | null> {
  const result = await operation();
  console.log(`${title}: ${result.isOk() ? describe(result.value) : `refused: ${formatError(result.error)}`}`);
  return result.isOk() ? result.value : null;
}

await step(
  'manageExistingGetSize',
  () => driver.manageExistingGetSize({ path: `${BASE}/import/legacy-disk.img` }),
  (size) => `${size.sizeBytes} bytes -> ${size.sizeGiB} GiB`,
);
await step(
  'manageExisting /etc/passwd',
  () => driver.manageExisting({ path: '/etc/passwd' }, { name: 'stolen' }),
  () => 'adopted?!',
);
await step(
  'manageExisting',
  () => driver.manageExisting({ path: `${BASE}/import/legacy-disk.img` }, { name: 'volume-legacy' }),
  (volume) => `${volume.previousPath} is now volume ${volume.name} at ${volume.path} (${volume.sizeGiB} GiB)`,
);
await step(
  'createSnapshot',
  () => driver.createSnapshot({ name: 'legacy-snap', volumeName: 'volume-legacy' }),
  (snapshot) => snapshot.path,
);
await step(
  'unmanage',
  () => driver.unmanage({ name: 'volume-legacy' }),
  (released) => `kept, untouched, as ${released.unmanagedPath}; the name is free again`,
);
await step(
  'createVolume with the freed name',
  () => driver.createVolume({ name: 'volume-legacy', sizeGiB: 1 }),
  (volume) => volume.path,
);
await step(
  'manageExisting the unmanaged file again',
  () => driver.manageExisting({ path: `${BASE}/.unmanaged-volume-legacy` }, { name: 'volume-legacy-2' }),
  (volume) => volume.path,
);
console.log(
  'files now:',
  sim.inspect
    .files({ under: BASE })
    .filter((file) => file.type === 'file')
    .map((file) => file.path.slice(BASE.length + 1))
    .join(', '),
);
