/**
 * The driver's errors: one union of plain objects keyed on `kind`, with small constructors.
 *
 * Every driver method returns `ResultAsync<..., GpfsError>` and never throws. Each error carries a
 * `message` a person can act on, plus the data a program needs (paths, argv, exit code, stderr).
 * Render any of them with `formatError` from the package root.
 *
 * @module
 */
import type { ParseError, PlanError, RunnerError } from '../errors.js';
import type { CommandOutput } from '../runners/types.js';

/**
 * The driver's options are invalid: nothing was run. Every method of a driver created with them
 * returns this error.
 *
 * @example
 * ```ts
 * const error: InvalidConfigError = { kind: 'InvalidConfig', message: 'mountPointBase must be an absolute path', issues: ['mountPointBase: must be an absolute path'] };
 * ```
 */
export interface InvalidConfigError {
  /** Always `'InvalidConfig'`. */
  readonly kind: 'InvalidConfig';
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** One line per invalid option, `option: problem`. */
  readonly issues: readonly string[];
}

/**
 * What a validated name names.
 *
 * @example
 * ```ts
 * const role: NameRole = 'snapshot';
 * ```
 */
export type NameRole = 'volume' | 'snapshot' | 'source volume' | 'image' | 'group' | 'group snapshot';

/**
 * A volume or snapshot name is not one safe path component. Nothing was run.
 *
 * @example
 * ```ts
 * const error: InvalidNameError = { kind: 'InvalidName', role: 'volume', name: '../etc', message: "volume name '../etc' ..." };
 * ```
 */
export interface InvalidNameError {
  /** Always `'InvalidName'`. */
  readonly kind: 'InvalidName';
  /** What the name was for. */
  readonly role: NameRole;
  /** The rejected name, verbatim. */
  readonly name: string;
  /** Why it was rejected and what is allowed. */
  readonly message: string;
}

/**
 * An argument other than a name is out of range (a size of 0 GiB, shrinking a volume). Nothing was changed.
 *
 * @example
 * ```ts
 * const error: InvalidArgumentError = { kind: 'InvalidArgument', argument: 'sizeGiB', message: 'sizeGiB must be a whole number of GiB >= 1 (got 0)' };
 * ```
 */
export interface InvalidArgumentError {
  /** Always `'InvalidArgument'`. */
  readonly kind: 'InvalidArgument';
  /** Name of the argument, e.g. `'sizeGiB'`. */
  readonly argument: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/**
 * A volume metadata value would reach `mmchattr`, `mkfs` or `mkswap` but is not valid for it. Nothing was run.
 *
 * @example
 * ```ts
 * const error: InvalidMetadataError = { kind: 'InvalidMetadata', key: 'replicas', value: '*', message: "metadata replicas must be 1, 2 or 3 (got '*')" };
 * ```
 */
export interface InvalidMetadataError {
  /** Always `'InvalidMetadata'`. */
  readonly kind: 'InvalidMetadata';
  /** The metadata key. */
  readonly key: string;
  /** The rejected value, verbatim. */
  readonly value: string;
  /** What is allowed. */
  readonly message: string;
}

/**
 * The path is not on a mounted GPFS file system (the file system is unmounted, or the path is on
 * another file system). The driver refuses to write there.
 *
 * @example
 * ```ts
 * const error: NotMountedError = { kind: 'NotMounted', path: '/gpfs0/volumes', message: '/gpfs0/volumes is not on a mounted GPFS file system ...', stderr: '' };
 * ```
 */
export interface NotMountedError {
  /** Always `'NotMounted'`. */
  readonly kind: 'NotMounted';
  /** The path that was checked. */
  readonly path: string;
  /** What was found and what to do. */
  readonly message: string;
  /** Standard error of the check that failed, if any. */
  readonly stderr: string;
}

/**
 * The GPFS daemon on the node the runner reaches is not `active`.
 *
 * @example
 * ```ts
 * const error: GpfsNotActiveError = { kind: 'GpfsNotActive', state: 'arbitrating', node: 'node1', message: 'GPFS is not active on node1 (state: arbitrating) ...' };
 * ```
 */
export interface GpfsNotActiveError {
  /** Always `'GpfsNotActive'`. */
  readonly kind: 'GpfsNotActive';
  /** The state `mmgetstate` reported (`down`, `arbitrating`, ...), or `'unknown'`. */
  readonly state: string;
  /** The node name, where known. */
  readonly node: string | null;
  /** What to do. */
  readonly message: string;
}

/**
 * The cluster's daemon release level is below what file clones need (1200).
 *
 * @example
 * ```ts
 * const error: DownlevelClusterError = { kind: 'DownlevelCluster', level: 1104, requiredLevel: 1200, message: '...' };
 * ```
 */
export interface DownlevelClusterError {
  /** Always `'DownlevelCluster'`. */
  readonly kind: 'DownlevelCluster';
  /** `minreleaseLeveldaemon` as an integer. */
  readonly level: number;
  /** The lowest level that works. */
  readonly requiredLevel: number;
  /** What to do. */
  readonly message: string;
}

/**
 * A file system's format level is below what file clones need (1200).
 *
 * @example
 * ```ts
 * const error: DownlevelFilesystemError = { kind: 'DownlevelFilesystem', device: 'gpfs0', level: 1104, requiredLevel: 1200, message: '...' };
 * ```
 */
export interface DownlevelFilesystemError {
  /** Always `'DownlevelFilesystem'`. */
  readonly kind: 'DownlevelFilesystem';
  /** The file system device. */
  readonly device: string;
  /** The format level, e.g. 1323 for `13.23 (3.5.0.7)`. */
  readonly level: number;
  /** The lowest level that works. */
  readonly requiredLevel: number;
  /** What to do. */
  readonly message: string;
}

/**
 * The configured (or requested) storage pool does not exist in the file system.
 *
 * @example
 * ```ts
 * const error: InvalidStoragePoolError = { kind: 'InvalidStoragePool', pool: 'fast', device: 'gpfs0', message: "storage pool 'fast' does not exist in gpfs0 ..." };
 * ```
 */
export interface InvalidStoragePoolError {
  /** Always `'InvalidStoragePool'`. */
  readonly kind: 'InvalidStoragePool';
  /** The pool name. */
  readonly pool: string;
  /** The file system device. */
  readonly device: string;
  /** What to do. */
  readonly message: string;
}

/**
 * What kind of object a {@link NotFoundError} or {@link AlreadyExistsError} is about.
 *
 * @example
 * ```ts
 * const role: ObjectRole = 'clone parent';
 * ```
 */
export type ObjectRole = 'volume' | 'snapshot' | 'clone parent' | 'directory' | 'group' | 'group snapshot';

/**
 * The volume or snapshot an operation needs does not exist.
 *
 * @example
 * ```ts
 * const error: NotFoundError = { kind: 'NotFound', role: 'snapshot', path: '/gpfs0/snap-1', message: 'snapshot /gpfs0/snap-1 does not exist' };
 * ```
 */
export interface NotFoundError {
  /** Always `'NotFound'`. */
  readonly kind: 'NotFound';
  /** What was looked for. */
  readonly role: ObjectRole;
  /** Where. */
  readonly path: string;
  /** For people. */
  readonly message: string;
}

/**
 * A create would overwrite something that already exists. Nothing was changed.
 *
 * @example
 * ```ts
 * const error: AlreadyExistsError = { kind: 'AlreadyExists', role: 'volume', path: '/gpfs0/volume-1', message: 'volume /gpfs0/volume-1 already exists' };
 * ```
 */
export interface AlreadyExistsError {
  /** Always `'AlreadyExists'`. */
  readonly kind: 'AlreadyExists';
  /** What is in the way. */
  readonly role: ObjectRole;
  /** Where. */
  readonly path: string;
  /** For people. */
  readonly message: string;
}

/**
 * What the driver did to undo a failed create.
 *
 * @example
 * ```ts
 * const report: CleanupReport = { complete: true, removed: ['/gpfs0/v2'], leftovers: [{ path: '/gpfs0/v2.k3x.ts', reason: 'tombstone of /gpfs0/v2.snap, kept while clones depend on it' }] };
 * ```
 */
export interface CleanupReport {
  /** `true` when everything the operation made is gone (or, for clone parents, left as a collectable parent). */
  readonly complete: boolean;
  /** Paths removed. */
  readonly removed: readonly string[];
  /** Paths left behind, with the reason each was left. */
  readonly leftovers: readonly {
    /** The file left. */
    readonly path: string;
    /** Why it was left. */
    readonly reason: string;
  }[];
}

/**
 * A command ran and failed (non-zero exit or killed by a signal).
 *
 * @example
 * ```ts
 * const error: CommandFailedError = {
 *   kind: 'CommandFailed', operation: 'createVolume', step: 'set-attributes', argv: ['mmchattr', '-P', 'fast', '/gpfs0/v1'],
 *   exitCode: 1, signal: null, stderr: 'mmchattr: Invalid storage pool', message: 'createVolume failed at step set-attributes ...',
 * };
 * ```
 */
export interface CommandFailedError {
  /** Always `'CommandFailed'`. */
  readonly kind: 'CommandFailed';
  /** The driver operation, e.g. `'createVolume'`. */
  readonly operation: string;
  /** The step of that operation, e.g. `'create-sparse-file'`. */
  readonly step: string;
  /** The argv that failed. */
  readonly argv: readonly string[];
  /** Its exit code, or `null` when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended it, or `null`. */
  readonly signal: string | null;
  /** Its standard error. */
  readonly stderr: string;
  /** What failed and what the driver did about it. */
  readonly message: string;
  /** For a failed create: what was undone. */
  readonly cleanup?: CleanupReport;
}

/**
 * The operation is not possible with this configuration or cluster (e.g. cloning an image when no
 * images directory is configured).
 *
 * @example
 * ```ts
 * const error: UnsupportedError = { kind: 'Unsupported', operation: 'createVolumeFromImage', message: 'imagesDir is not configured' };
 * ```
 */
export interface UnsupportedError {
  /** Always `'Unsupported'`. */
  readonly kind: 'Unsupported';
  /** The driver operation. */
  readonly operation: string;
  /** Why, and what would make it possible. */
  readonly message: string;
}

/**
 * The object is in a state that forbids the operation (for example a volume file that is itself a
 * clone parent cannot be written or resized).
 *
 * @example
 * ```ts
 * const error: InUseError = { kind: 'InUse', path: '/gpfs0/volume-1', message: '/gpfs0/volume-1 is a clone parent and cannot be resized' };
 * ```
 */
export interface InUseError {
  /** Always `'InUse'`. */
  readonly kind: 'InUse';
  /** The object. */
  readonly path: string;
  /** Why it is in use. */
  readonly message: string;
}

/**
 * A byte stream of a backup or restore failed on the caller's side: the sink given to `backupVolume`
 * threw or rejected, the source given to `restoreBackup` threw, or the bytes did not add up (a short
 * backup stream). The command was stopped; the message says what state the volume is in.
 *
 * @example
 * ```ts
 * const error: StreamFailedError = { kind: 'StreamFailed', operation: 'backupVolume', side: 'sink', bytes: 1048576, message: 'the backup sink failed after 1048576 bytes: disk full; ...' };
 * ```
 */
export interface StreamFailedError {
  /** Always `'StreamFailed'`. */
  readonly kind: 'StreamFailed';
  /** `'backupVolume'` or `'restoreBackup'`. */
  readonly operation: string;
  /** Where it failed: the caller's `sink` or `source`, or a `length` mismatch. */
  readonly side: 'sink' | 'source' | 'length';
  /** Bytes that went through before it failed. */
  readonly bytes: number;
  /** What failed (the sink's or source's own message included) and what was left. */
  readonly message: string;
}

/**
 * A defect in this library (something threw where nothing should). Never expected; report it.
 *
 * @example
 * ```ts
 * const error: InternalError = { kind: 'Internal', operation: 'createVolume', message: 'unexpected defect in createVolume: ...; please report it' };
 * ```
 */
export interface InternalError {
  /** Always `'Internal'`. */
  readonly kind: 'Internal';
  /** The driver operation. */
  readonly operation: string;
  /** What happened. */
  readonly message: string;
}

/**
 * A runner error, with the driver operation during which it happened.
 *
 * @example
 * ```ts
 * const error: DriverRunnerError = { kind: 'ConnectionLost', runner: 'ssh', host: 'node1', argv: ['mmclone', 'copy', '/gpfs0/s1', '/gpfs0/v2'], message: 'connection lost', operation: 'createVolumeFromSnapshot' };
 * ```
 */
export type DriverRunnerError = RunnerError & {
  /** The driver operation, e.g. `'deleteVolume'`. */
  readonly operation?: string;
};

/**
 * Every error a driver method can return.
 *
 * Switch on `kind`; each member has a `message` for people.
 *
 * @example
 * ```ts
 * const result = await driver.createVolume({ name: 'volume-1', sizeGiB: 10 });
 * if (result.isErr()) {
 *   switch (result.error.kind) {
 *     case 'AlreadyExists': break; // pick another name
 *     case 'NotMounted': break;    // mount the file system
 *     default: console.error(formatError(result.error));
 *   }
 * }
 * ```
 */
export type GpfsError =
  | InvalidConfigError
  | InvalidNameError
  | InvalidArgumentError
  | InvalidMetadataError
  | NotMountedError
  | GpfsNotActiveError
  | DownlevelClusterError
  | DownlevelFilesystemError
  | InvalidStoragePoolError
  | NotFoundError
  | AlreadyExistsError
  | CommandFailedError
  | UnsupportedError
  | InUseError
  | StreamFailedError
  | InternalError
  | ParseError
  | PlanError
  | DriverRunnerError;

/**
 * A `CommandFailed` error for a step's output (or for a step that did not run), with the caller's message.
 *
 * @param operation - The driver operation.
 * @param step - The step.
 * @param output - What the step printed, or `undefined` when it did not run.
 * @param message - What went wrong, for people.
 * @returns The error, carrying the argv, exit code, signal and stderr of the output.
 * @example
 * ```ts
 * commandFailedFrom('setup', 'cluster-id', output, 'setup failed at step cluster-id: mmlsconfig exited 1');
 * ```
 */
export function commandFailedFrom(operation: string, step: string, output: CommandOutput | undefined, message: string): CommandFailedError {
  return {
    kind: 'CommandFailed',
    operation,
    step,
    argv: output?.argv ?? [],
    exitCode: output?.exitCode ?? null,
    signal: output?.signal ?? null,
    stderr: output?.stderr ?? '',
    message,
  };
}

/**
 * Makes an {@link InvalidConfigError} from a list of `option: problem` lines.
 *
 * @param issues - One line per invalid option.
 * @returns The error.
 * @example
 * ```ts
 * invalidConfig(['imagesDir: required when imagesShareMode is set']);
 * ```
 */
export function invalidConfig(issues: readonly string[]): InvalidConfigError {
  return {
    kind: 'InvalidConfig',
    issues,
    message: `invalid driver options: ${issues.join('; ')}. Fix the options passed to createGpfsDriver.`,
  };
}

/**
 * Makes a {@link NotFoundError}.
 *
 * @param role - What was looked for.
 * @param path - Where.
 * @returns The error.
 * @example
 * ```ts
 * notFound('volume', '/gpfs0/volume-1');
 * ```
 */
export function notFound(role: ObjectRole, path: string): NotFoundError {
  return { kind: 'NotFound', role, path, message: `${role} ${path} does not exist` };
}

/**
 * Makes an {@link AlreadyExistsError}.
 *
 * @param role - What is in the way.
 * @param path - Where.
 * @returns The error.
 * @example
 * ```ts
 * alreadyExists('volume', '/gpfs0/volume-1');
 * ```
 */
export function alreadyExists(role: ObjectRole, path: string): AlreadyExistsError {
  return {
    kind: 'AlreadyExists',
    role,
    path,
    message: `${path} already exists; choose another ${role} name or delete the existing one first (nothing was changed)`,
  };
}

/**
 * Makes an {@link InvalidArgumentError}.
 *
 * @param argument - The argument's name.
 * @param message - What is wrong and what is allowed.
 * @returns The error.
 * @example
 * ```ts
 * invalidArgument('sizeGiB', 'sizeGiB must be a whole number >= 1 (got 0)');
 * ```
 */
export function invalidArgument(argument: string, message: string): InvalidArgumentError {
  return { kind: 'InvalidArgument', argument, message };
}

/**
 * Makes an {@link UnsupportedError}.
 *
 * @param operation - The driver operation.
 * @param message - Why, and what would make it possible.
 * @returns The error.
 * @example
 * ```ts
 * unsupported('createVolumeFromImage', 'imagesDir is not configured');
 * ```
 */
export function unsupported(operation: string, message: string): UnsupportedError {
  return { kind: 'Unsupported', operation, message };
}

/**
 * Makes a {@link NotMountedError}.
 *
 * @param path - The path that was checked.
 * @param stderr - Standard error of the failed check.
 * @returns The error.
 * @example
 * ```ts
 * notMounted('/gpfs0/volumes', 'mmlsattr: /gpfs0/volumes is not in a GPFS file system');
 * ```
 */
export function notMounted(path: string, stderr: string): NotMountedError {
  const detail = stderr.trim() === '' ? '' : ` (${stderr.trim().split('\n')[0] ?? ''})`;
  return {
    kind: 'NotMounted',
    path,
    stderr,
    message: `${path} is not on a mounted GPFS file system${detail}; mount the file system (mmmount) and check the path. Nothing was written.`,
  };
}

/**
 * Makes a {@link GpfsNotActiveError}.
 *
 * @param state - The state mmgetstate reported.
 * @param node - The node name, where known.
 * @returns The error.
 * @example
 * ```ts
 * gpfsNotActive('down', 'node1');
 * ```
 */
export function gpfsNotActive(state: string, node: string | null): GpfsNotActiveError {
  const where = node === null ? '' : ` on ${node}`;
  return {
    kind: 'GpfsNotActive',
    state,
    node,
    message: `GPFS is not active${where} (state: ${state}); start it (mmstartup) or point the runner at an active node. Nothing was written.`,
  };
}
