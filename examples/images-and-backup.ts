/**
 * Images, backup and restore on the built-in GPFS simulator (`npx tsx examples/images-and-backup.ts`).
 *
 * - createVolumeFromImage: a raw image is cloned copy-on-write (the image becomes a clone parent once),
 *   a qcow2 image is converted to raw, and a missing image comes back "not cloneable" for a fallback.
 * - backupVolume and restoreBackup: one volume is backed up and restored into another through a Node
 *   stream with back-pressure, so no volume is ever held in memory (a file or an object store works the
 *   same way).
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { countRoundTrips, createGpfsDriver, createGpfsSimulator, formatError, type GpfsError } from 'gpfs-volumes';
import type { Result } from 'neverthrow';

const BASE = '/gpfs0/volumes';
const IMAGES = '/gpfs0/images';
const sim = createGpfsSimulator();
sim.control.mkdir(BASE)._unsafeUnwrap();
sim.control.mkdir(IMAGES)._unsafeUnwrap();
sim.control.seedFile({ path: `${IMAGES}/ubuntu-raw`, content: 'raw guest data', sizeBytes: 2 ** 30 })._unsafeUnwrap();
sim.control.seedFile({ path: `${IMAGES}/cirros-qcow2`, content: 'qcow2 guest data', sizeBytes: 2 ** 30, imageFormat: 'qcow2' })._unsafeUnwrap();
const runner = countRoundTrips(sim);
const driver = createGpfsDriver({ runner, mountPointBase: BASE, imagesDir: IMAGES, imagesShareMode: 'copy_on_write' });

function unwrap<T>(what: string, result: Result<T, GpfsError>): T {
  if (result.isErr()) {
    console.error(`${what} failed: ${formatError(result.error)}`);
    process.exit(1);
  }
  console.log(`${what.padEnd(44)} ${String(runner.roundTrips).padStart(2)} round trip(s)`);
  runner.reset();
  return result.value;
}

unwrap('setup', await driver.setup());
const fromRaw = unwrap('createVolumeFromImage ubuntu-raw', await driver.createVolumeFromImage({ name: 'vm-1', sizeGiB: 2 }, 'ubuntu-raw'));
const fromQcow = unwrap('createVolumeFromImage cirros-qcow2', await driver.createVolumeFromImage({ name: 'vm-2', sizeGiB: 1 }, 'cirros-qcow2', { diskFormat: 'qcow2' }));
const missing = unwrap('createVolumeFromImage missing', await driver.createVolumeFromImage({ name: 'vm-3', sizeGiB: 1 }, 'missing'));
for (const result of [fromRaw, fromQcow, missing]) {
  console.log(
    result.cloned
      ? `  ${result.volume.path}: ${result.method} of a ${result.imageFormat} image${result.imageSnapped ? ' (image snapped in place)' : ''}`
      : `  not cloneable (${result.reason}): ${result.message}`,
  );
}

// Back vm-1 up straight into vm-2: the backup's sink writes into a stream that the restore reads.
(await sim.run({ argv: ['dd', 'if=/dev/urandom', `of=${BASE}/vm-1`, 'bs=1M', 'count=8', 'conv=notrunc', 'status=none'], asRoot: true }))._unsafeUnwrap();
unwrap('extendVolume vm-2 to 2 GiB', await driver.extendVolume({ name: 'vm-2' }, 2));
const pipe = new PassThrough({ highWaterMark: 1024 * 1024 });
const restoring = driver.restoreBackup(pipe, { name: 'vm-2' });
const backedUp = await driver.backupVolume({ name: 'vm-1' }, async (chunk) => {
  if (!pipe.write(chunk)) await once(pipe, 'drain');
});
pipe.end();
const restored = await restoring;
if (restored.isErr()) console.error(`restoreBackup failed: ${formatError(restored.error)}`);
const backup = unwrap('backupVolume vm-1 + restoreBackup vm-2', backedUp);
const digest = (name: string) => sim.inspect.digest(`${BASE}/${name}`).unwrapOr('unreadable');
console.log(`  ${backup.bytes} bytes from the point-in-time clone ${backup.sourcePath} (removed: ${backup.cleanup.removed.join(', ')})`);
console.log(`  vm-1 ${digest('vm-1')}\n  vm-2 ${digest('vm-2')}  ${digest('vm-1') === digest('vm-2') ? '(identical)' : '(DIFFERENT)'}`);
