/**
 * The driver operations the reliability suites exercise, each as a scenario on one shared fixture: a
 * base directory holding plain volumes, snapshots with clones, a clone of a volume (hidden `.snap`
 * parent), a tombstoned snapshot and a snapshot without clones, every volume with its own content.
 *
 * Operations other engineers are still adding (images, backups, migration, groups, manage, revert,
 * garbage collection, inventory) join automatically once the facade has them: see {@link hasMethod}.
 */
import type { ResultAsync } from 'neverthrow';
import { createGpfsDriver } from '../../../src/driver/driver.js';
import type { GpfsError } from '../../../src/driver/errors.js';
import { BASE, CLUSTER_ID, IMAGE_IDS, MIGRATED, callMethod, hasMethod, writeToken, type Cluster } from './cluster.js';

/** One operation, run against the {@link prepareFixture} state. */
export interface OperationScenario {
  /** Label, e.g. `deleteSnapshot (has clones)`. */
  readonly name: string;
  /** The facade method it calls. */
  readonly method: string;
  /** Whether it changes anything on GPFS. */
  readonly mutating: boolean;
  /**
   * Runs it.
   *
   * @param cluster - A prepared cluster.
   * @returns The driver's result.
   */
  run(cluster: Cluster): ResultAsync<unknown, GpfsError>;
  /**
   * For operations that answer "not done, fall back" with `Ok` (an image that cannot be cloned, a
   * migration left to the caller): whether a result is such an answer.
   */
  declined?(value: unknown): boolean;
  /** The matching delete of a create, for an outcome-unknown failure that left the object behind. */
  undo?(cluster: Cluster): ResultAsync<unknown, GpfsError>;
}

/** Tokens written into the fixture's volumes (distinct content, distinct digests). */
export const FIXTURE_TOKENS: Readonly<Record<string, string>> = {
  'volume-1': 'content of volume-1\n',
  'volume-2': 'content of volume-2\n',
  'volume-3': 'content of volume-3\n',
  'volume-4': 'content of volume-4\n',
  'volume-5': 'content of volume-5\n',
  'volume-6': 'content of volume-6\n',
};

const call = (cluster: Cluster, method: string, ...args: unknown[]) => callMethod(cluster.driver, method, ...args);

/** Orphaned clone parents the fixture leaves on purpose (what a crash leaves), for garbage collection to find. */
export const FIXTURE_ORPHANS = [`${BASE}/orphan-2.snap`] as const;

/**
 * Builds the shared fixture through the driver (and, for the orphans and the file to adopt, through
 * the simulator's own commands):
 *
 * ```text
 * volume-1 (content), snap-1 (its snapshot, with clones), volume-2 (from snap-1, content),
 * snap-2.ts (a deleted snapshot of volume-2 that volume-2b still uses), volume-3 (a clone of
 * volume-1, through volume-3.snap), volume-4 + snap-3 (a plain volume and its snapshot), snap-4 (a
 * snapshot whose volume was deleted: no clones), volume-6 (plain), orphan-1.snap <- orphan-2.snap (an orphaned chain),
 * import/legacy.img (a file to adopt); and, when the driver has groups, group g1 (fileset
 * consisgroup-g1) holding group-volume-1 (content) with group snapshot gsnap-1.
 * ```
 *
 * @param cluster - A cluster after setup.
 */
export async function prepareFixture(cluster: Cluster): Promise<void> {
  const { driver, sim } = cluster;
  const must = async (label: string, result: ResultAsync<unknown, GpfsError>) => {
    const settled = await result;
    if (settled.isErr()) throw new Error(`fixture step ${label} failed: ${settled.error.kind}: ${settled.error.message}`);
  };
  const write = (name: string) => writeToken(sim, `${BASE}/${name}`, FIXTURE_TOKENS[name] ?? name);
  await must('volume-1', driver.createVolume({ name: 'volume-1', sizeGiB: 1 }));
  await write('volume-1');
  await must('snap-1', driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }));
  await must('volume-2', driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 1 }, { name: 'snap-1', volumeName: 'volume-1' }));
  await write('volume-2');
  await must('snap-2', driver.createSnapshot({ name: 'snap-2', volumeName: 'volume-2' }));
  await must('volume-2b', driver.createVolumeFromSnapshot({ name: 'volume-2b', sizeGiB: 1 }, { name: 'snap-2', volumeName: 'volume-2' }));
  await must('delete snap-2', driver.deleteSnapshot({ name: 'snap-2', volumeName: 'volume-2' }));
  await must('volume-3', driver.createClonedVolume({ name: 'volume-3', sizeGiB: 1 }, { name: 'volume-1' }));
  await write('volume-3');
  await must('volume-4', driver.createVolume({ name: 'volume-4', sizeGiB: 1 }));
  await write('volume-4');
  await must('snap-3', driver.createSnapshot({ name: 'snap-3', volumeName: 'volume-4' }));
  await must('volume-5', driver.createVolume({ name: 'volume-5', sizeGiB: 1 }));
  await write('volume-5');
  await must('snap-4', driver.createSnapshot({ name: 'snap-4', volumeName: 'volume-5' }));
  await must('delete volume-5', driver.deleteVolume({ name: 'volume-5' }));
  await must('volume-6', driver.createVolume({ name: 'volume-6', sizeGiB: 1 }));
  await write('volume-6');
  for (const argv of [
    ['truncate', '-s', '1M', `${BASE}/orphan-source`],
    ['mmclone', 'snap', `${BASE}/orphan-source`, `${BASE}/orphan-1.snap`],
    ['mmclone', 'snap', `${BASE}/orphan-source`, `${BASE}/orphan-2.snap`],
    ['rm', '-f', `${BASE}/orphan-source`],
  ]) {
    const output = (await sim.run({ argv, asRoot: true }))._unsafeUnwrap();
    if (output.exitCode !== 0) throw new Error(`fixture step ${argv.join(' ')} failed: ${output.stderr}`);
  }
  sim.control.seedFile({ path: `${BASE}/import/legacy.img`, content: 'legacy content\n', sizeBytes: 3 * 1024 ** 2 })._unsafeUnwrap();
  if (hasMethod(driver, 'createGroup')) {
    await must('group g1', call(cluster, 'createGroup', { id: 'g1' }));
    await must('group-volume-1', driver.createVolume({ name: 'group-volume-1', sizeGiB: 1, groupId: 'g1' }));
    await writeToken(sim, `${BASE}/consisgroup-g1/group-volume-1`, 'content of group-volume-1\n');
    await must('gsnap-1', call(cluster, 'createGroupSnapshot', { id: 'gsnap-1', groupId: 'g1' }));
  }
}

const deleteNew = (cluster: Cluster) => cluster.driver.deleteVolume({ name: 'new' });

/** The operations of the seed (issue 5) that the facade has today. */
const CORE_SCENARIOS: readonly OperationScenario[] = [
  {
    name: 'setup',
    method: 'setup',
    mutating: false,
    run: (cluster) => createGpfsDriver({ ...cluster.driverOptions, runner: cluster.sim }).setup(),
  },
  {
    name: 'createVolume (ext4, attributes)',
    method: 'createVolume',
    mutating: true,
    run: (cluster) => cluster.driver.createVolume({ name: 'new', sizeGiB: 1, metadata: { fstype: 'ext4', fslabel: 'data', dio: 'no', write_affinity_depth: '1' } }),
    undo: deleteNew,
  },
  { name: 'deleteVolume (clone of a tombstone)', method: 'deleteVolume', mutating: true, run: (cluster) => cluster.driver.deleteVolume({ name: 'volume-2b' }) },
  { name: 'deleteVolume (clone of a volume)', method: 'deleteVolume', mutating: true, run: (cluster) => cluster.driver.deleteVolume({ name: 'volume-3' }) },
  {
    name: 'createSnapshot',
    method: 'createSnapshot',
    mutating: true,
    run: (cluster) => cluster.driver.createSnapshot({ name: 'snap-new', volumeName: 'volume-1' }),
    undo: (cluster) => cluster.driver.deleteSnapshot({ name: 'snap-new', volumeName: 'volume-1' }),
  },
  { name: 'deleteSnapshot (has clones)', method: 'deleteSnapshot', mutating: true, run: (cluster) => cluster.driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }) },
  { name: 'deleteSnapshot (no clones)', method: 'deleteSnapshot', mutating: true, run: (cluster) => cluster.driver.deleteSnapshot({ name: 'snap-4', volumeName: 'volume-5' }) },
  {
    name: 'createVolumeFromSnapshot',
    method: 'createVolumeFromSnapshot',
    mutating: true,
    run: (cluster) => cluster.driver.createVolumeFromSnapshot({ name: 'new', sizeGiB: 2 }, { name: 'snap-1', volumeName: 'volume-1' }),
    undo: deleteNew,
  },
  {
    name: 'createClonedVolume',
    method: 'createClonedVolume',
    mutating: true,
    run: (cluster) => cluster.driver.createClonedVolume({ name: 'new', sizeGiB: 2 }, { name: 'volume-2' }),
    undo: deleteNew,
  },
  { name: 'extendVolume', method: 'extendVolume', mutating: true, run: (cluster) => cluster.driver.extendVolume({ name: 'volume-1' }, 2) },
  { name: 'getVolumeStats', method: 'getVolumeStats', mutating: false, run: (cluster) => cluster.driver.getVolumeStats({ refresh: true }) },
  { name: 'initializeConnection', method: 'initializeConnection', mutating: false, run: (cluster) => cluster.driver.initializeConnection({ name: 'volume-1' }) },
  { name: 'localPath', method: 'localPath', mutating: false, run: (cluster) => cluster.driver.localPath({ name: 'volume-1' }) },
];

/** Operations that join once the facade has them (issues 5 and 8, some still being written). */
const LATER_SCENARIOS: readonly OperationScenario[] = [
  {
    name: 'createVolumeFromImage (raw)',
    method: 'createVolumeFromImage',
    mutating: true,
    run: (cluster) => call(cluster, 'createVolumeFromImage', { name: 'new', sizeGiB: 2 }, IMAGE_IDS[0]),
    declined: (value) => (value as { cloned?: unknown }).cloned !== true,
    undo: deleteNew,
  },
  {
    name: 'createVolumeFromImage (qcow2)',
    method: 'createVolumeFromImage',
    mutating: true,
    run: (cluster) => call(cluster, 'createVolumeFromImage', { name: 'new', sizeGiB: 2 }, IMAGE_IDS[1]),
    declined: (value) => (value as { cloned?: unknown }).cloned !== true,
    undo: deleteNew,
  },
  { name: 'backupVolume', method: 'backupVolume', mutating: false, run: (cluster) => call(cluster, 'backupVolume', { name: 'volume-1' }, () => undefined) },
  {
    name: 'restoreBackup',
    method: 'restoreBackup',
    mutating: true,
    run: (cluster) => call(cluster, 'restoreBackup', new TextEncoder().encode('restored content\n'), { name: 'volume-4' }),
  },
  { name: 'revertToSnapshot', method: 'revertToSnapshot', mutating: true, run: (cluster) => call(cluster, 'revertToSnapshot', { name: 'volume-4' }, { name: 'snap-3', volumeName: 'volume-4' }) },
  { name: 'collectGarbage', method: 'collectGarbage', mutating: true, run: (cluster) => call(cluster, 'collectGarbage', { apply: true }) },
  { name: 'inventory', method: 'inventory', mutating: false, run: (cluster) => call(cluster, 'inventory') },
  {
    name: 'manageExisting',
    method: 'manageExisting',
    mutating: true,
    run: (cluster) => call(cluster, 'manageExisting', { path: `${BASE}/import/legacy.img` }, { name: 'managed' }),
  },
  { name: 'manageExistingGetSize', method: 'manageExistingGetSize', mutating: false, run: (cluster) => call(cluster, 'manageExistingGetSize', { path: `${BASE}/import/legacy.img` }) },
  { name: 'unmanage', method: 'unmanage', mutating: true, run: (cluster) => call(cluster, 'unmanage', { name: 'volume-4' }) },
  {
    name: 'createGroup',
    method: 'createGroup',
    mutating: true,
    run: (cluster) => call(cluster, 'createGroup', { id: 'group-new' }),
    undo: (cluster) => call(cluster, 'deleteGroup', { id: 'group-new' }),
  },
  { name: 'deleteGroup', method: 'deleteGroup', mutating: true, run: (cluster) => call(cluster, 'deleteGroup', { id: 'g1' }) },
  {
    name: 'createVolume (in a group)',
    method: 'createGroup',
    mutating: true,
    run: (cluster) => cluster.driver.createVolume({ name: 'new', sizeGiB: 1, groupId: 'g1' }),
    undo: (cluster) => cluster.driver.deleteVolume({ name: 'new', groupId: 'g1' }),
  },
  {
    name: 'createGroupSnapshot',
    method: 'createGroupSnapshot',
    mutating: true,
    run: (cluster) => call(cluster, 'createGroupSnapshot', { id: 'gsnap-new', groupId: 'g1' }),
    undo: (cluster) => call(cluster, 'deleteGroupSnapshot', { id: 'gsnap-new', groupId: 'g1' }),
  },
  { name: 'deleteGroupSnapshot', method: 'deleteGroupSnapshot', mutating: true, run: (cluster) => call(cluster, 'deleteGroupSnapshot', { id: 'gsnap-1', groupId: 'g1' }) },
  {
    name: 'createGroupFromSource (group snapshot)',
    method: 'createGroupFromSource',
    mutating: true,
    run: (cluster) => call(cluster, 'createGroupFromSource', { id: 'group-new' }, { id: 'gsnap-1', groupId: 'g1' }),
    undo: (cluster) => call(cluster, 'deleteGroup', { id: 'group-new' }),
  },
  {
    name: 'migrateVolume (same cluster)',
    method: 'migrateVolume',
    mutating: true,
    run: (cluster) => call(cluster, 'migrateVolume', { name: 'volume-6' }, { host: 'backend-b', capabilities: { locationInfo: `GPFSDriver:${CLUSTER_ID}:${MIGRATED}` } }),
    declined: (value) => (value as { migrated?: unknown }).migrated !== true,
  },
  {
    name: 'retype (storage pool)',
    method: 'retype',
    mutating: true,
    run: (cluster) =>
      call(
        cluster,
        'retype',
        { name: 'volume-6' },
        { extraSpecs: { 'capabilities:storage_pool': ['system', 'fast'] } },
        { host: 'backend-a', capabilities: { locationInfo: `GPFSDriver:${CLUSTER_ID}:${BASE}` } },
      ),
    declined: (value) => (value as { retyped?: unknown }).retyped !== true,
  },
  {
    name: 'updateGroup (add a volume)',
    method: 'updateGroup',
    mutating: true,
    run: (cluster) => call(cluster, 'updateGroup', { id: 'g1' }, { addVolumes: [{ name: 'volume-6' }] }),
  },
];

/**
 * The scenarios whose method the driver has.
 *
 * @param cluster - Any cluster (only its driver's methods are looked at).
 * @returns Scenarios, core ones first; and the names of later operations not on the facade yet.
 */
export function availableScenarios(cluster: Cluster): { readonly scenarios: OperationScenario[]; readonly missing: string[] } {
  const scenarios = [...CORE_SCENARIOS, ...LATER_SCENARIOS].filter((scenario) => hasMethod(cluster.driver, scenario.method));
  const missing = [...new Set(LATER_SCENARIOS.filter((scenario) => !hasMethod(cluster.driver, scenario.method)).map((scenario) => scenario.method))];
  return { scenarios, missing };
}
