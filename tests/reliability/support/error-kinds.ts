/**
 * Every `kind` a driver method may return, checked against the `GpfsError` union at compile time (a
 * kind added to the union without being listed here fails the type check).
 */
import type { GpfsError } from '../../../src/driver/errors.js';

const KINDS = [
  'InvalidConfig',
  'InvalidName',
  'InvalidArgument',
  'InvalidMetadata',
  'NotMounted',
  'GpfsNotActive',
  'DownlevelCluster',
  'DownlevelFilesystem',
  'InvalidStoragePool',
  'NotFound',
  'AlreadyExists',
  'CommandFailed',
  'Unsupported',
  'InUse',
  'StreamFailed',
  'Internal',
  'ParseError',
  'PlanError',
  'SpawnFailed',
  'Timeout',
  'Aborted',
  'ConnectionFailed',
  'ConnectionLost',
  'HostKeyRejected',
  'AuthenticationFailed',
  'UnexpectedCommand',
] as const satisfies readonly GpfsError['kind'][];

/** Kinds of the union that the list above lacks: must stay `never`. */
type Unlisted = Exclude<GpfsError['kind'], (typeof KINDS)[number]>;
const everyKindListed: [Unlisted] extends [never] ? true : Unlisted = true;

/** The kinds of `GpfsError`, for checking that a returned error is typed. */
export const GPFS_ERROR_KINDS: ReadonlySet<string> = new Set<string>(everyKindListed ? KINDS : []);
