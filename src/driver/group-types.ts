/**
 * The shapes the consistency-group methods take and return.
 *
 * @module
 */
import type { VolumeRef } from './types.js';

/**
 * A consistency group, by id.
 *
 * @example
 * ```ts
 * const group: GroupRef = { id: 'g1' };
 * ```
 */
export interface GroupRef {
  /** The group id: one safe path component (its fileset is `consisgroup-<id>`). */
  readonly id: string;
}

/**
 * A group snapshot, by id and group.
 *
 * @example
 * ```ts
 * const snapshot: GroupSnapshotRef = { id: 'gs1', groupId: 'g1' };
 * ```
 */
export interface GroupSnapshotRef {
  /** The group snapshot id (also the name of its GPFS fileset snapshot). */
  readonly id: string;
  /** The group it was (or will be) taken of. */
  readonly groupId: string;
}

/**
 * A group the driver made.
 *
 * @example
 * ```ts
 * const group: CreatedGroup = { id: 'g1', filesetName: 'consisgroup-g1', path: '/gpfs0/volumes/consisgroup-g1' };
 * ```
 */
export interface CreatedGroup {
  /** The group id. */
  readonly id: string;
  /** Its independent fileset. */
  readonly filesetName: string;
  /** Its junction directory, where its volumes live. */
  readonly path: string;
}

/**
 * What deleting a group did.
 *
 * @example
 * ```ts
 * const deleted: DeletedGroup = { id: 'g1', filesetName: 'consisgroup-g1', path: '/gpfs0/volumes/consisgroup-g1', existed: true, volumes: ['v1'], groupSnapshots: ['gs1'] };
 * ```
 */
export interface DeletedGroup extends CreatedGroup {
  /** `false` when the fileset was already gone (deleting is idempotent). */
  readonly existed: boolean;
  /** Names of the volume and snapshot files that were in it (deleted with the fileset). */
  readonly volumes: readonly string[];
  /** The fileset snapshots (group snapshots) deleted with it. */
  readonly groupSnapshots: readonly string[];
}

/**
 * One volume's snapshot within a group snapshot: an ordinary snapshot of that volume.
 *
 * @example
 * ```ts
 * const member: GroupSnapshotMember = { name: 'gs1.v1', volumeName: 'v1', groupId: 'g1', path: '/gpfs0/volumes/consisgroup-g1/gs1.v1' };
 * ```
 */
export interface GroupSnapshotMember {
  /** The snapshot's name, `<group snapshot id>.<volume name>`. */
  readonly name: string;
  /** The volume it is a snapshot of. */
  readonly volumeName: string;
  /** The group. */
  readonly groupId: string;
  /** Its file. */
  readonly path: string;
}

/**
 * A group snapshot the driver made.
 *
 * @example
 * ```ts
 * const made: CreatedGroupSnapshot = { id: 'gs1', groupId: 'g1', filesetSnapshotPath: '/gpfs0/volumes/consisgroup-g1/.snapshots/gs1', snapshots: [] };
 * ```
 */
export interface CreatedGroupSnapshot extends GroupSnapshotRef {
  /** The GPFS fileset snapshot every member was cloned from (the consistent point in time). */
  readonly filesetSnapshotPath: string;
  /** One snapshot per volume of the group at that instant. */
  readonly snapshots: readonly GroupSnapshotMember[];
}

/**
 * What deleting a group snapshot did.
 *
 * @example
 * ```ts
 * const deleted: DeletedGroupSnapshot = { id: 'gs1', groupId: 'g1', status: 'removed', removed: ['/gpfs0/volumes/consisgroup-g1/gs1.v1'], tombstones: [], filesetSnapshotDeleted: true };
 * ```
 */
export interface DeletedGroupSnapshot extends GroupSnapshotRef {
  /**
   * `'removed'`: it is gone, fileset snapshot included. `'tombstoned'`: volumes cloned from some of its
   * snapshots still depend on them, so those stay as `.ts` tombstones, with the fileset snapshot, until
   * their clones are deleted and garbage collection runs. `'absent'`: it was already deleted.
   */
  readonly status: 'removed' | 'tombstoned' | 'absent';
  /** Files removed. */
  readonly removed: readonly string[];
  /** Member snapshots renamed to tombstones because clones depend on them. */
  readonly tombstones: readonly string[];
  /** Whether the GPFS fileset snapshot was deleted. */
  readonly filesetSnapshotDeleted: boolean;
}

/**
 * Where createGroupFromSource copies from: a group snapshot (`{ id, groupId }`) or a live group
 * (`{ id }`, copied at one consistent instant through a temporary fileset snapshot).
 *
 * @example
 * ```ts
 * const fromSnapshot: GroupSource = { id: 'gs1', groupId: 'g1' };
 * const fromGroup: GroupSource = { id: 'g1' };
 * ```
 */
export type GroupSource = GroupSnapshotRef | GroupRef;

/**
 * Options of createGroupFromSource.
 *
 * @example
 * ```ts
 * const options: CreateGroupFromSourceOptions = { volumeNames: { v1: 'v1-copy' } };
 * ```
 */
export interface CreateGroupFromSourceOptions {
  /** New names for some source volumes (source name to new name); others keep their names. */
  readonly volumeNames?: Readonly<Record<string, string>>;
}

/**
 * A volume made in a new group from a source volume.
 *
 * @example
 * ```ts
 * const copied: CopiedVolume = { name: 'v1', sourceName: 'v1', groupId: 'g2', path: '/gpfs0/volumes/consisgroup-g2/v1', sizeBytes: 1073741824 };
 * ```
 */
export interface CopiedVolume {
  /** The new volume's name. */
  readonly name: string;
  /** The source volume's name. */
  readonly sourceName: string;
  /** The new group. */
  readonly groupId: string;
  /** The new volume's file. */
  readonly path: string;
  /** Its size, bytes (the source's at the consistent instant). */
  readonly sizeBytes: number;
}

/**
 * A group made from a source.
 *
 * @example
 * ```ts
 * const made: CreatedGroupFromSource = { id: 'g2', filesetName: 'consisgroup-g2', path: '/gpfs0/volumes/consisgroup-g2', volumes: [] };
 * ```
 */
export interface CreatedGroupFromSource extends CreatedGroup {
  /** The volumes copied into it. */
  readonly volumes: readonly CopiedVolume[];
}

/**
 * Volumes to move into or out of a group.
 *
 * @example
 * ```ts
 * const changes: GroupChanges = { addVolumes: [{ name: 'v3' }], removeVolumes: [{ name: 'v1' }] };
 * ```
 */
export interface GroupChanges {
  /** Volumes of the base directory to move into the group. */
  readonly addVolumes?: readonly VolumeRef[];
  /** Volumes of the group to move back to the base directory. */
  readonly removeVolumes?: readonly VolumeRef[];
}

/**
 * One volume moved by updateGroup.
 *
 * @example
 * ```ts
 * const moved: MovedVolume = { name: 'v3', from: '/gpfs0/volumes/v3', to: '/gpfs0/volumes/consisgroup-g1/v3', removedParents: [] };
 * ```
 */
export interface MovedVolume {
  /** The volume's name. */
  readonly name: string;
  /** Its old file (deleted). */
  readonly from: string;
  /** Its new file. */
  readonly to: string;
  /** Disposable clone parents the old file left without children, removed with it. */
  readonly removedParents: readonly string[];
}

/**
 * What updateGroup did.
 *
 * @example
 * ```ts
 * const updated: UpdatedGroup = { id: 'g1', added: [], removed: [] };
 * ```
 */
export interface UpdatedGroup {
  /** The group id. */
  readonly id: string;
  /** Volumes moved into the group. */
  readonly added: readonly MovedVolume[];
  /** Volumes moved out of it. */
  readonly removed: readonly MovedVolume[];
}
