/**
 * The driver methods beyond the seed (issue 8), and the group- and NFS-aware versions of the volume
 * methods, ready to be spread into the driver object by `createGpfsDriverResult`.
 *
 * @module
 */
import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import type { Inventory } from '../inventory/types.js';
import { runOperation, type DriverContext } from './context.js';
import type { GpfsError, InvalidConfigError } from './errors.js';
import { volumeDirectory } from './group-names.js';
import type {
  CreateGroupFromSourceOptions,
  CreatedGroup,
  CreatedGroupFromSource,
  CreatedGroupSnapshot,
  DeletedGroup,
  DeletedGroupSnapshot,
  GroupChanges,
  GroupRef,
  GroupSnapshotRef,
  GroupSource,
  UpdatedGroup,
} from './group-types.js';
import { pathIn, validateName } from './names.js';
import { nfsConnectionInfo, consumerPath, resolveNfsOptions, type NfsConnectionInfo, type ResolvedNfsOptions } from './nfs.js';
import { collectGarbage, type CollectGarbageOptions, type GarbageReport } from './operations/collect-garbage.js';
import { createGroupFromSource } from './operations/group-from-source.js';
import {
  createClonedVolumeAnywhere,
  createSnapshotAnywhere,
  createVolumeAnywhere,
  createVolumeFromSnapshotAnywhere,
  deleteSnapshotAnywhere,
  deleteVolumeAnywhere,
  extendVolumeAnywhere,
} from './operations/group-routing.js';
import { createGroupSnapshot, deleteGroupSnapshot } from './operations/group-snapshots.js';
import { createGroup, deleteGroup } from './operations/groups.js';
import { inventory } from './operations/inventory.js';
import { manageExisting, manageExistingGetSize, unmanage, type ExistingRef, type ExistingSize, type ManagedVolume, type UnmanagedVolume } from './operations/manage-existing.js';
import { revertToSnapshot, type RevertedVolume } from './operations/revert-to-snapshot.js';
import { updateGroup } from './operations/update-group.js';
import type { ConnectionInfo, CreatedSnapshot, CreatedVolume, DeletedSnapshot, DeletedVolume, SnapshotRef, VolumeRef, VolumeSpec } from './types.js';

/**
 * Consistency groups, adoption, revert, garbage collection and inventory.
 *
 * @example
 * ```ts
 * await driver.createGroup({ id: 'g1' });
 * await driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' });
 * await driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' });
 * ```
 */
export interface GpfsDriverExtensions {
  /**
   * Creates a consistency group: an independent fileset `consisgroup-<id>` linked under the base (one round trip).
   *
   * @param group - The group.
   */
  createGroup(group: GroupRef): ResultAsync<CreatedGroup, GpfsError>;
  /**
   * Deletes a group with its volumes and group snapshots; idempotent (two round trips).
   *
   * @param group - The group.
   */
  deleteGroup(group: GroupRef): ResultAsync<DeletedGroup, GpfsError>;
  /**
   * Takes a point-in-time consistent snapshot of every volume of a group (three round trips).
   *
   * @param snapshot - Group snapshot id and group.
   */
  createGroupSnapshot(snapshot: GroupSnapshotRef): ResultAsync<CreatedGroupSnapshot, GpfsError>;
  /**
   * Deletes a group snapshot; idempotent (three round trips).
   *
   * @param snapshot - Group snapshot id and group.
   */
  deleteGroupSnapshot(snapshot: GroupSnapshotRef): ResultAsync<DeletedGroupSnapshot, GpfsError>;
  /**
   * Creates a group holding copies of a group snapshot's (`{ id, groupId }`) or a live group's (`{ id }`) volumes.
   *
   * @param group - The new group.
   * @param source - A group snapshot or a group.
   * @param options - New names for some volumes.
   */
  createGroupFromSource(group: GroupRef, source: GroupSource, options?: CreateGroupFromSourceOptions): ResultAsync<CreatedGroupFromSource, GpfsError>;
  /**
   * Moves volumes of the base into a group and volumes of the group back to the base.
   *
   * @param group - The group.
   * @param changes - `addVolumes` and `removeVolumes`.
   */
  updateGroup(group: GroupRef, changes: GroupChanges): ResultAsync<UpdatedGroup, GpfsError>;
  /**
   * Adopts a regular file under the base as a volume (renamed into the naming scheme).
   *
   * @param existing - The file.
   * @param volume - The volume's name and optional group.
   */
  manageExisting(existing: ExistingRef, volume: VolumeRef): ResultAsync<ManagedVolume, GpfsError>;
  /**
   * The size, in GiB rounded up, of a file that manageExisting would adopt.
   *
   * @param existing - The file.
   */
  manageExistingGetSize(existing: ExistingRef): ResultAsync<ExistingSize, GpfsError>;
  /**
   * Lets go of a volume without deleting it (renamed to `.unmanaged-<name>`).
   *
   * @param volume - The volume.
   */
  unmanage(volume: VolumeRef): ResultAsync<UnmanagedVolume, GpfsError>;
  /**
   * Makes a volume's content its snapshot's; the snapshot and its other clones stay intact.
   *
   * @param volume - The volume.
   * @param snapshot - The snapshot.
   */
  revertToSnapshot(volume: VolumeRef, snapshot: SnapshotRef): ResultAsync<RevertedVolume, GpfsError>;
  /**
   * Finds (and with `apply: true` removes) orphaned disposable clone parents; a dry run by default.
   *
   * @param options - `apply`.
   */
  collectGarbage(options?: CollectGarbageOptions): ResultAsync<GarbageReport, GpfsError>;
  /** Volumes, snapshots, tombstones, orphans, clone trees, logical versus allocated bytes (two round trips). */
  inventory(): ResultAsync<Inventory, GpfsError>;
}

/**
 * The volume methods that know about groups (a `groupId` in a ref) and NFS mode.
 *
 * @example
 * ```ts
 * const methods: GroupAwareVolumeMethods = createDriverExtensions(context, options)._unsafeUnwrap().volumes;
 * ```
 */
export interface GroupAwareVolumeMethods {
  /**
   * createVolume, in a group when `spec.groupId` is set.
   *
   * @param spec - The volume.
   */
  createVolume(spec: VolumeSpec): ResultAsync<CreatedVolume, GpfsError>;
  /**
   * deleteVolume, in a group when `volume.groupId` is set.
   *
   * @param volume - The volume.
   */
  deleteVolume(volume: VolumeRef): ResultAsync<DeletedVolume, GpfsError>;
  /**
   * createSnapshot beside the volume (in its group when `groupId` is set).
   *
   * @param snapshot - The snapshot.
   */
  createSnapshot(snapshot: SnapshotRef): ResultAsync<CreatedSnapshot, GpfsError>;
  /**
   * deleteSnapshot beside the volume.
   *
   * @param snapshot - The snapshot.
   */
  deleteSnapshot(snapshot: SnapshotRef): ResultAsync<DeletedSnapshot, GpfsError>;
  /**
   * createVolumeFromSnapshot: a clone within a group, a full copy across groups.
   *
   * @param spec - The new volume.
   * @param snapshot - The snapshot.
   */
  createVolumeFromSnapshot(spec: VolumeSpec, snapshot: SnapshotRef): ResultAsync<CreatedVolume, GpfsError>;
  /**
   * createClonedVolume: a clone within a group, a full copy across groups.
   *
   * @param spec - The new volume.
   * @param source - The source volume.
   */
  createClonedVolume(spec: VolumeSpec, source: VolumeRef): ResultAsync<CreatedVolume, GpfsError>;
  /**
   * extendVolume, in a group when `groupId` is set.
   *
   * @param volume - The volume.
   * @param newSizeGiB - The new size.
   */
  extendVolume(volume: VolumeRef, newSizeGiB: number): ResultAsync<CreatedVolume, GpfsError>;
  /**
   * The consumer's connection info: `gpfs` with the GPFS path, or `nfs` with the consumer-side path in NFS mode.
   *
   * @param volume - The volume.
   */
  initializeConnection(volume: VolumeRef): ResultAsync<ConnectionInfo | NfsConnectionInfo, GpfsError>;
  /**
   * The volume's file as the consumer sees it (the NFS-side path in NFS mode). No command runs.
   *
   * @param volume - The volume.
   */
  localPath(volume: VolumeRef): ResultAsync<string, GpfsError>;
}

/**
 * Makes the extension methods of a driver and validates the `nfs` option.
 *
 * @param context - The driver context.
 * @param options - The options as given (for `nfs`).
 * @returns The new methods and the group- and NFS-aware volume methods, or `InvalidConfig` for a bad `nfs` option.
 * @example
 * ```ts
 * const extensions = createDriverExtensions(context, { nfs: { consumerMountPoint: '/mnt/volumes' } });
 * ```
 */
export function createDriverExtensions(
  context: DriverContext,
  options: { readonly nfs?: unknown },
): Result<{ readonly methods: GpfsDriverExtensions; readonly volumes: GroupAwareVolumeMethods }, InvalidConfigError> {
  const nfs = resolveNfsOptions(options.nfs, context.options.mountPointBase);
  if (nfs.isErr()) return err(nfs.error);
  const run = <T>(operation: string, body: Parameters<typeof runOperation<T>>[2], defaultStep?: string) => runOperation(context, operation, body, defaultStep);
  const methods: GpfsDriverExtensions = {
    createGroup: (group) => run('createGroup', (runner) => createGroup(context, runner, group)),
    deleteGroup: (group) => run('deleteGroup', (runner) => deleteGroup(context, runner, group)),
    createGroupSnapshot: (snapshot) => run('createGroupSnapshot', (runner) => createGroupSnapshot(context, runner, snapshot)),
    deleteGroupSnapshot: (snapshot) => run('deleteGroupSnapshot', (runner) => deleteGroupSnapshot(context, runner, snapshot)),
    createGroupFromSource: (group, source, copyOptions) => run('createGroupFromSource', (runner) => createGroupFromSource(context, runner, group, source, copyOptions)),
    updateGroup: (group, changes) => run('updateGroup', (runner) => updateGroup(context, runner, group, changes), 'clone-tree'),
    manageExisting: (existing, volume) => run('manageExisting', (runner) => manageExisting(context, runner, existing, volume)),
    manageExistingGetSize: (existing) => run('manageExistingGetSize', (runner) => manageExistingGetSize(context, runner, existing)),
    unmanage: (volume) => run('unmanage', (runner) => unmanage(context, runner, volume)),
    revertToSnapshot: (volume, snapshot) => run('revertToSnapshot', (runner) => revertToSnapshot(context, runner, volume, snapshot), 'clone-tree'),
    collectGarbage: (gcOptions) => run('collectGarbage', (runner) => collectGarbage(context, runner, gcOptions), 'clone-tree'),
    inventory: () => run('inventory', (runner) => inventory(context, runner)),
  };
  const volumes: GroupAwareVolumeMethods = {
    createVolume: (spec) => run('createVolume', (runner) => createVolumeAnywhere(context, runner, spec)),
    deleteVolume: (volume) => run('deleteVolume', (runner) => deleteVolumeAnywhere(context, runner, volume), 'clone-tree'),
    createSnapshot: (snapshot) => run('createSnapshot', (runner) => createSnapshotAnywhere(context, runner, snapshot)),
    deleteSnapshot: (snapshot) => run('deleteSnapshot', (runner) => deleteSnapshotAnywhere(context, runner, snapshot)),
    createVolumeFromSnapshot: (spec, snapshot) => run('createVolumeFromSnapshot', (runner) => createVolumeFromSnapshotAnywhere(context, runner, spec, snapshot)),
    createClonedVolume: (spec, source) => run('createClonedVolume', (runner) => createClonedVolumeAnywhere(context, runner, spec, source)),
    extendVolume: (volume, newSizeGiB) => run('extendVolume', (runner) => extendVolumeAnywhere(context, runner, volume, newSizeGiB)),
    initializeConnection: (volume) =>
      run('initializeConnection', () =>
        volumePath(context, volume).map((path): ConnectionInfo | NfsConnectionInfo =>
          nfs.value === null ? { driverVolumeType: 'gpfs', data: { name: volume.name, devicePath: path } } : nfsConnectionInfo(nfs.value, volume.name, path),
        ),
      ),
    localPath: (volume) => run('localPath', () => volumePath(context, volume).map((path) => consumerSide(nfs.value, path))),
  };
  return ok({ methods, volumes });
}

/**
 * The extension methods of a driver whose options are invalid: each returns the options error.
 *
 * @param error - The options error.
 * @returns Methods that fail with `error`.
 * @example
 * ```ts
 * const methods = failedExtensions(invalidConfig(['mountPointBase: must be an absolute path']));
 * ```
 */
export function failedExtensions(error: InvalidConfigError): GpfsDriverExtensions {
  const fail = () => errAsync<never, GpfsError>(error);
  return {
    createGroup: fail,
    deleteGroup: fail,
    createGroupSnapshot: fail,
    deleteGroupSnapshot: fail,
    createGroupFromSource: fail,
    updateGroup: fail,
    manageExisting: fail,
    manageExistingGetSize: fail,
    unmanage: fail,
    revertToSnapshot: fail,
    collectGarbage: fail,
    inventory: fail,
  };
}

// --- Internal helpers ---

function volumePath(context: DriverContext, volume: VolumeRef): ResultAsync<string, GpfsError> {
  const name = validateName(volume?.name, 'volume');
  if (name.isErr()) return errAsync(name.error);
  const where = volumeDirectory(context.options.mountPointBase, volume.groupId);
  if (where.isErr()) return errAsync(where.error);
  return okAsync(pathIn(where.value.directory, name.value));
}

function consumerSide(nfs: ResolvedNfsOptions | null, path: string): string {
  return nfs === null ? path : consumerPath(nfs, path);
}
