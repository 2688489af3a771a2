/**
 * localPath and initializeConnection: pure, no command runs.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { pathIn, validateName } from '../names.js';
import type { ConnectionInfo, VolumeRef } from '../types.js';

/**
 * The volume's file on GPFS: `<mountPointBase>/<name>`.
 *
 * @param context - The driver context.
 * @param volume - The volume.
 * @returns The path, or `InvalidName`.
 * @example
 * ```ts
 * localPath(context, { name: 'v1' }); // Ok('/gpfs0/volumes/v1')
 * ```
 */
export function localPath(context: DriverContext, volume: VolumeRef): ResultAsync<string, GpfsError> {
  const name = validateName(volume.name, 'volume');
  return name.isErr() ? errAsync(name.error) : okAsync(pathIn(context.options.mountPointBase, name.value));
}

/**
 * How a consumer attaches the volume: `{ driverVolumeType: 'gpfs', data: { name, devicePath } }`.
 *
 * @param context - The driver context.
 * @param volume - The volume.
 * @returns The connection info, or `InvalidName`.
 * @example
 * ```ts
 * initializeConnection(context, { name: 'v1' }); // Ok({ driverVolumeType: 'gpfs', data: { name: 'v1', devicePath: '/gpfs0/volumes/v1' } })
 * ```
 */
export function initializeConnection(context: DriverContext, volume: VolumeRef): ResultAsync<ConnectionInfo, GpfsError> {
  return localPath(context, volume).map((devicePath) => ({ driverVolumeType: 'gpfs' as const, data: { name: volume.name, devicePath } }));
}
