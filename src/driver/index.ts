/**
 * Barrel of the driver area: explicit named exports only.
 *
 * @module
 */
export { createGpfsDriver, createGpfsDriverResult, type GpfsDriver } from './driver.js';
export type { GpfsDriverPlans } from './plan-api.js';
export { resolveOptions, type GpfsDriverOptions, type ResolvedOptions, type ImagesShareMode, type DriverLogger, type CommandEvent } from './options.js';
export {
  invalidConfig,
  notFound,
  alreadyExists,
  invalidArgument,
  unsupported,
  notMounted,
  gpfsNotActive,
  type GpfsError,
  type InvalidConfigError,
  type InvalidNameError,
  type InvalidArgumentError,
  type InvalidMetadataError,
  type NotMountedError,
  type GpfsNotActiveError,
  type DownlevelClusterError,
  type DownlevelFilesystemError,
  type InvalidStoragePoolError,
  type NotFoundError,
  type AlreadyExistsError,
  type CommandFailedError,
  type CleanupReport,
  type UnsupportedError,
  type InUseError,
  type StreamFailedError,
  type InternalError,
  type DriverRunnerError,
  type NameRole,
  type ObjectRole,
} from './errors.js';
export { validateName, NAME_PATTERN, RESERVED_SUFFIXES } from './names.js';
export { volumeAttributes, mkfsArgv, FILESYSTEM_LABEL_LIMITS, type VolumeMetadata, type VolumeAttributes } from './metadata.js';
export { CLONE_MIN_RELEASE_LEVEL, ENCRYPTION_MIN_RELEASE_LEVEL, type ClusterFacts, type DirectoryFacts, type StoragePoolFacts } from './facts.js';
export type { OperationPlan, PlanRound, PlannedCommand, CommandCheck, CreatedObject, FileCondition } from './plans/types.js';
export { DRIVER_VERSION, type VolumeStats } from './plans/volume-stats.js';
export type { VolumeRef, VolumeSpec, SnapshotRef, CreatedVolume, CreatedSnapshot, DeletedVolume, DeletedSnapshot, ConnectionInfo } from './types.js';
export { deleteWithCloneTree, type DeleteWithCloneTreeOptions, type DeletionReport, type CloneDeletionKept, type CloneDeletionError } from './clone-deletion.js';
// Issue 8: consistency groups, adoption, revert, garbage collection, inventory, NFS mode.
export type { GpfsDriverExtensions, GroupAwareVolumeMethods } from './extensions.js';
export type {
  GroupRef,
  GroupSnapshotRef,
  CreatedGroup,
  DeletedGroup,
  GroupSnapshotMember,
  CreatedGroupSnapshot,
  DeletedGroupSnapshot,
  GroupSource,
  CreateGroupFromSourceOptions,
  CopiedVolume,
  CreatedGroupFromSource,
  GroupChanges,
  MovedVolume,
  UpdatedGroup,
} from './group-types.js';
export type { ExistingRef, ExistingSize, ManagedVolume, UnmanagedVolume } from './operations/manage-existing.js';
export type { RevertedVolume } from './operations/revert-to-snapshot.js';
export type { CollectGarbageOptions, GarbageReport } from './operations/collect-garbage.js';
export { resolveNfsOptions, consumerPath, type NfsOptions, type ResolvedNfsOptions, type NfsConnectionInfo } from './nfs.js';
// Images, backup and restore, migration and retype.
export type { GpfsDriverDataMethods, GpfsDriverDataPlans } from './data-api.js';
export type { GpfsDriverExtensionPlans } from './extension-plans.js';
export type { ImageVolumeOptions, ImageVolumeResult, ClonedImage, NotCloneable, NotCloneableReason, ImageCopyMethod, StreamOptions, BackupResult, RestoredVolume } from './image-backup-types.js';
export type { MigrationHost, MigrationReason, MigrationResult, RetypeVolume, RetypeDiff, RetypeResult } from './migration-types.js';
