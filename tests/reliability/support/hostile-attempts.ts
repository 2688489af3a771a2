/**
 * Where a hostile value can go: every name, id, path and metadata argument of every driver operation,
 * and the driver's options. Operations the facade does not have yet are left out until it has them.
 */
import type { ResultAsync } from 'neverthrow';
import type { GpfsDriver } from '../../../src/driver/driver.js';
import type { GpfsError } from '../../../src/driver/errors.js';
import { BASE, CLUSTER_ID, callMethod, hasMethod } from './cluster.js';

/** One place a value goes. */
export interface Attempt {
  /** Operation and argument, e.g. `createVolume name`. */
  readonly slot: string;
  /**
   * Calls the operation with the value in that slot.
   *
   * @param driver - The driver.
   * @param value - The hostile value.
   */
  readonly run: (driver: GpfsDriver, value: string) => ResultAsync<unknown, GpfsError>;
}

/** A driver option a value can go into (path options get the value as their last component). */
export interface OptionSlot {
  /** Option name. */
  readonly option: 'mountPointBase' | 'imagesDir' | 'storagePool' | 'backendName';
  /**
   * The option value made from the hostile value.
   *
   * @param value - The hostile value.
   */
  readonly valueFor: (value: string) => string;
}

const METADATA_KEYS = ['data_pool_name', 'replicas', 'dio', 'write_affinity_depth', 'block_group_factor', 'write_affinity_failure_group', 'fstype'] as const;

const CORE: readonly Attempt[] = [
  { slot: 'createVolume name', run: (driver, value) => driver.createVolume({ name: value, sizeGiB: 1 }) },
  ...METADATA_KEYS.map((key): Attempt => ({ slot: `createVolume metadata ${key}`, run: (driver, value) => driver.createVolume({ name: 'hostile-target', sizeGiB: 1, metadata: { [key]: value } }) })),
  { slot: 'createVolume metadata fslabel', run: (driver, value) => driver.createVolume({ name: 'hostile-target', sizeGiB: 1, metadata: { fstype: 'ext4', fslabel: value } }) },
  { slot: 'createVolume groupId', run: (driver, value) => driver.createVolume({ name: 'hostile-target', sizeGiB: 1, groupId: value }) },
  { slot: 'deleteVolume name', run: (driver, value) => driver.deleteVolume({ name: value }) },
  { slot: 'deleteVolume groupId', run: (driver, value) => driver.deleteVolume({ name: 'base-vol', groupId: value }) },
  { slot: 'createSnapshot name', run: (driver, value) => driver.createSnapshot({ name: value, volumeName: 'base-vol' }) },
  { slot: 'createSnapshot volumeName', run: (driver, value) => driver.createSnapshot({ name: 'hostile-snap', volumeName: value }) },
  { slot: 'deleteSnapshot name', run: (driver, value) => driver.deleteSnapshot({ name: value, volumeName: 'base-vol' }) },
  { slot: 'deleteSnapshot volumeName', run: (driver, value) => driver.deleteSnapshot({ name: 'base-snap', volumeName: value }) },
  { slot: 'createVolumeFromSnapshot name', run: (driver, value) => driver.createVolumeFromSnapshot({ name: value, sizeGiB: 1 }, { name: 'base-snap', volumeName: 'base-vol' }) },
  { slot: 'createVolumeFromSnapshot snapshot', run: (driver, value) => driver.createVolumeFromSnapshot({ name: 'hostile-target', sizeGiB: 1 }, { name: value, volumeName: 'base-vol' }) },
  { slot: 'createVolumeFromSnapshot volumeName', run: (driver, value) => driver.createVolumeFromSnapshot({ name: 'hostile-target', sizeGiB: 1 }, { name: 'base-snap', volumeName: value }) },
  { slot: 'createClonedVolume name', run: (driver, value) => driver.createClonedVolume({ name: value, sizeGiB: 1 }, { name: 'base-vol' }) },
  { slot: 'createClonedVolume source', run: (driver, value) => driver.createClonedVolume({ name: 'hostile-target', sizeGiB: 1 }, { name: value }) },
  { slot: 'extendVolume name', run: (driver, value) => driver.extendVolume({ name: value }, 2) },
  { slot: 'initializeConnection name', run: (driver, value) => driver.initializeConnection({ name: value }) },
  { slot: 'localPath name', run: (driver, value) => driver.localPath({ name: value }) },
];

/** Slots of operations that may not be on the facade yet: `[method, slot, call]`. */
const LATER: readonly (readonly [string, string, (driver: GpfsDriver, value: string) => ResultAsync<unknown, GpfsError>])[] = [
  ['createVolumeFromImage', 'name', (driver, value) => callMethod(driver, 'createVolumeFromImage', { name: value, sizeGiB: 1 }, 'image-raw')],
  ['createVolumeFromImage', 'imageId', (driver, value) => callMethod(driver, 'createVolumeFromImage', { name: 'hostile-target', sizeGiB: 1 }, value)],
  ['backupVolume', 'name', (driver, value) => callMethod(driver, 'backupVolume', { name: value }, () => undefined)],
  ['restoreBackup', 'name', (driver, value) => callMethod(driver, 'restoreBackup', new Uint8Array(16), { name: value })],
  ['revertToSnapshot', 'volume', (driver, value) => callMethod(driver, 'revertToSnapshot', { name: value }, { name: 'base-snap', volumeName: 'base-vol' })],
  ['revertToSnapshot', 'snapshot', (driver, value) => callMethod(driver, 'revertToSnapshot', { name: 'base-vol' }, { name: value, volumeName: 'base-vol' })],
  ['manageExisting', 'path', (driver, value) => callMethod(driver, 'manageExisting', { path: value }, { name: 'hostile-target' })],
  ['manageExisting', 'path in base', (driver, value) => callMethod(driver, 'manageExisting', { path: `${BASE}/${value}` }, { name: 'hostile-target' })],
  ['manageExisting', 'name', (driver, value) => callMethod(driver, 'manageExisting', { path: `${BASE}/import/legacy.img` }, { name: value })],
  ['manageExistingGetSize', 'path', (driver, value) => callMethod(driver, 'manageExistingGetSize', { path: value })],
  ['unmanage', 'name', (driver, value) => callMethod(driver, 'unmanage', { name: value })],
  ['createGroup', 'id', (driver, value) => callMethod(driver, 'createGroup', { id: value })],
  ['deleteGroup', 'id', (driver, value) => callMethod(driver, 'deleteGroup', { id: value })],
  ['createGroupSnapshot', 'id', (driver, value) => callMethod(driver, 'createGroupSnapshot', { id: value, groupId: 'g1' })],
  ['createGroupSnapshot', 'groupId', (driver, value) => callMethod(driver, 'createGroupSnapshot', { id: 'hostile-gsnap', groupId: value })],
  ['deleteGroupSnapshot', 'id', (driver, value) => callMethod(driver, 'deleteGroupSnapshot', { id: value, groupId: 'g1' })],
  ['createGroupFromSource', 'id', (driver, value) => callMethod(driver, 'createGroupFromSource', { id: value }, { id: 'g1' })],
  ['createGroupFromSource', 'source', (driver, value) => callMethod(driver, 'createGroupFromSource', { id: 'hostile-group' }, { id: value })],
  ['createGroupFromSource', 'new volume name', (driver, value) => callMethod(driver, 'createGroupFromSource', { id: 'hostile-group' }, { id: 'g1' }, { volumeNames: { 'group-volume-1': value } })],
  ['updateGroup', 'id', (driver, value) => callMethod(driver, 'updateGroup', { id: value }, { addVolumes: [] })],
  ['migrateVolume', 'name', (driver, value) => callMethod(driver, 'migrateVolume', { name: value }, { host: 'backend-b', capabilities: { locationInfo: `GPFSDriver:${CLUSTER_ID}:/gpfs0/migrated` } })],
  [
    'migrateVolume',
    'location path',
    (driver, value) => callMethod(driver, 'migrateVolume', { name: 'base-vol' }, { host: 'backend-b', capabilities: { locationInfo: `GPFSDriver:${CLUSTER_ID}:/gpfs0/${value}` } }),
  ],
  ['migrateVolume', 'location info', (driver, value) => callMethod(driver, 'migrateVolume', { name: 'base-vol' }, { host: 'backend-b', capabilities: { locationInfo: value } })],
  [
    'retype',
    'name',
    (driver, value) =>
      callMethod(
        driver,
        'retype',
        { name: value },
        { extraSpecs: { 'capabilities:storage_pool': ['system', 'fast'] } },
        { host: 'backend-a', capabilities: { locationInfo: `GPFSDriver:${CLUSTER_ID}:${BASE}` } },
      ),
  ],
  [
    'retype',
    'storage pool',
    (driver, value) =>
      callMethod(
        driver,
        'retype',
        { name: 'base-vol' },
        { extraSpecs: { 'capabilities:storage_pool': ['system', value] } },
        { host: 'backend-a', capabilities: { locationInfo: `GPFSDriver:${CLUSTER_ID}:${BASE}` } },
      ),
  ],
  ['updateGroup', 'added volume', (driver, value) => callMethod(driver, 'updateGroup', { id: 'g1' }, { addVolumes: [{ name: value }] })],
];

/** The driver options a value can go into. */
export const OPTION_SLOTS: readonly OptionSlot[] = [
  { option: 'mountPointBase', valueFor: (value) => `/gpfs0/${value}` },
  { option: 'imagesDir', valueFor: (value) => `/gpfs0/${value}` },
  { option: 'storagePool', valueFor: (value) => value },
  { option: 'backendName', valueFor: (value) => value },
];

/**
 * The attempts the driver's facade supports.
 *
 * @param driver - Any driver (only its methods are looked at).
 * @returns The attempts, core ones first.
 */
export function attemptsFor(driver: GpfsDriver): Attempt[] {
  return [...CORE, ...LATER.filter(([method]) => hasMethod(driver, method)).map(([method, slot, run]) => ({ slot: `${method} ${slot}`, run }))];
}
