/**
 * Connecting to a real cluster over SSH: `npx tsx examples/ssh.ts`
 *
 * Configuration comes from the environment:
 *
 *   GPFS_SSH_HOST         a GPFS node (host name or address)
 *   GPFS_SSH_PORT         its SSH port (optional, default 22)
 *   GPFS_SSH_USER         the login user (not root: commands that need root go through `sudo -n`)
 *   GPFS_SSH_KEY          path of the private key file
 *   GPFS_SSH_KNOWN_HOSTS  path of an OpenSSH known_hosts file holding the node's host key (unknown keys are refused)
 *   GPFS_VOLUMES_BASE     an existing directory on GPFS for the volumes, such as /gpfs0/volumes
 *
 * It runs the driver's setup checks, then a small cycle on volumes whose names it makes up (create,
 * snapshot, clone the snapshot, delete all three), prints each result, and closes the connection.
 * It exits 2 when the configuration is incomplete and 1 when an operation fails.
 */
import { readFileSync } from 'node:fs';
import { createGpfsDriver, formatError, type GpfsError } from 'gpfs-volumes';
import { createSshRunner } from 'gpfs-volumes/ssh';
import type { ResultAsync } from 'neverthrow';

const VARIABLES = {
  GPFS_SSH_HOST: 'a GPFS node (host name or address)',
  GPFS_SSH_USER: 'the login user',
  GPFS_SSH_KEY: 'path of the private key file',
  GPFS_SSH_KNOWN_HOSTS: "path of a known_hosts file with the node's host key",
  GPFS_VOLUMES_BASE: 'an existing directory on GPFS for the volumes, such as /gpfs0/volumes',
} as const;

function fail(exitCode: number, message: string): never {
  console.error(message);
  process.exit(exitCode);
}

const missing = Object.entries(VARIABLES).filter(([name]) => (process.env[name] ?? '') === '');
if (missing.length > 0) {
  fail(
    2,
    [`examples/ssh.ts: set ${missing.map(([name]) => name).join(', ')} first:`, ...missing.map(([name, what]) => `  ${name.padEnd(21)} ${what}`), '  (GPFS_SSH_PORT is optional, 22 by default)'].join(
      '\n',
    ),
  );
}
const env = (name: keyof typeof VARIABLES): string => process.env[name] ?? '';
const port = Number(process.env['GPFS_SSH_PORT'] ?? '22');
if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(2, `examples/ssh.ts: GPFS_SSH_PORT must be a port number (got ${process.env['GPFS_SSH_PORT']})`);
let privateKey: string;
try {
  privateKey = readFileSync(env('GPFS_SSH_KEY'), 'utf8');
} catch (error) {
  fail(2, `examples/ssh.ts: cannot read the key file GPFS_SSH_KEY=${env('GPFS_SSH_KEY')}: ${error instanceof Error ? error.message : String(error)}`);
}

const base = env('GPFS_VOLUMES_BASE');
const runner = createSshRunner({
  hosts: [env('GPFS_SSH_HOST')],
  port,
  username: env('GPFS_SSH_USER'),
  privateKey,
  knownHostsFile: env('GPFS_SSH_KNOWN_HOSTS'),
});
const driver = createGpfsDriver({ runner, mountPointBase: base });

/** Runs one step and prints its result; the first failure ends the cycle. */
async function step<T>(title: string, operation: () => ResultAsync<T, GpfsError>, describe: (value: T) => string): Promise<boolean> {
  const result = await operation();
  console.log(result.isOk() ? `ok    ${title}: ${describe(result.value)}` : `FAIL  ${title}: ${formatError(result.error)}`);
  return result.isOk();
}

// Names of our own, so that the example never touches someone else's volume.
const tag = `example-${Date.now().toString(36)}`;
const volume = `${tag}-volume`;
const snapshot = { name: `${tag}-snap`, volumeName: volume };
const clone = `${tag}-clone`;

let succeeded = false;
try {
  console.log(`connecting to ${env('GPFS_SSH_USER')}@${env('GPFS_SSH_HOST')}:${port}, volumes in ${base}`);
  succeeded =
    (await step(
      'setup',
      () => driver.setup(),
      (facts) => `cluster ${facts.clusterId}, device ${facts.base.device} (format level ${facts.base.formatLevel}), fileset ${facts.base.fileset}, pool ${facts.storagePool.name}`,
    )) &&
    (await step(
      `create ${volume}`,
      () => driver.createVolume({ name: volume, sizeGiB: 1 }),
      (created) => `${created.path}, ${created.sizeGiB} GiB`,
    )) &&
    (await step(
      `snapshot ${snapshot.name}`,
      () => driver.createSnapshot(snapshot),
      (created) => created.path,
    )) &&
    (await step(
      `clone ${clone} from the snapshot`,
      () => driver.createVolumeFromSnapshot({ name: clone, sizeGiB: 2 }, snapshot),
      (created) => `${created.path}, ${created.sizeGiB} GiB`,
    )) &&
    (await step(
      'volume stats',
      () => driver.getVolumeStats({ refresh: true }),
      (stats) => `${stats.freeCapacityGiB} of ${stats.totalCapacityGiB} GiB free`,
    ));
} finally {
  // Clean up whatever was made, even after a failure (every delete is idempotent).
  const cleanup = [
    await step(
      `delete ${snapshot.name}`,
      () => driver.deleteSnapshot(snapshot),
      (deleted) => deleted.status,
    ),
    await step(
      `delete ${volume}`,
      () => driver.deleteVolume({ name: volume }),
      (deleted) => `removed ${deleted.removed.length} file(s)`,
    ),
    await step(
      `delete ${clone}`,
      () => driver.deleteVolume({ name: clone }),
      (deleted) => `removed ${deleted.removed.join(', ') || 'nothing'}`,
    ),
  ];
  succeeded &&= cleanup.every(Boolean);
  await runner.dispose();
}
console.log(succeeded ? 'done: everything the example made is gone' : 'failed (see above)');
process.exitCode = succeeded ? 0 : 1;
