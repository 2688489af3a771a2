/**
 * manageExisting (two round trips), manageExistingGetSize (one) and unmanage (one). See
 * `plans/manage-existing.ts`.
 *
 * @module
 */
import { errAsync, ok, okAsync, type ResultAsync } from 'neverthrow';
import { parseFileListing } from '../../parsers/index.js';
import type { CommandOutput } from '../../runners/types.js';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { roundOutputs, sendRound, type RoundOutputs } from '../executor.js';
import { unmanagedPath, volumeDirectory } from '../group-names.js';
import { diagnoseMountFailure } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import { groupCheck } from '../plans/groups.js';
import { readCheck } from '../preconditions.js';
import { adoptSteps, existingFileSteps, manageExistingReadSteps, readExistingFile, unmanageSteps, validateExistingPath, type ExistingFile } from '../plans/manage-existing.js';
import type { TracedRunner } from '../trace.js';
import type { VolumeRef } from '../types.js';
import { createUndoableExecution, type StepCommand } from '../undoable.js';

/**
 * A file offered for adoption, by path.
 *
 * @example
 * ```ts
 * const existing: ExistingRef = { path: '/gpfs0/volumes/import/disk.img' };
 * ```
 */
export interface ExistingRef {
  /** Absolute path of a regular file under `mountPointBase`. */
  readonly path: string;
}

/**
 * The size of a file offered for adoption.
 *
 * @example
 * ```ts
 * const size: ExistingSize = { path: '/gpfs0/volumes/import/disk.img', sizeBytes: 1610612736, sizeGiB: 2 };
 * ```
 */
export interface ExistingSize {
  /** The path. */
  readonly path: string;
  /** Its size in bytes. */
  readonly sizeBytes: number;
  /** Its size in GiB, rounded up (at least 1): what the volume's size is reported as. */
  readonly sizeGiB: number;
}

/**
 * A volume adopted by manageExisting.
 *
 * @example
 * ```ts
 * const managed: ManagedVolume = { name: 'volume-9', path: '/gpfs0/volumes/volume-9', previousPath: '/gpfs0/volumes/import/disk.img', sizeBytes: 1610612736, sizeGiB: 2 };
 * ```
 */
export interface ManagedVolume extends ExistingSize {
  /** The volume's name. */
  readonly name: string;
  /** Where the file was before. */
  readonly previousPath: string;
}

/**
 * A volume let go by unmanage.
 *
 * @example
 * ```ts
 * const released: UnmanagedVolume = { name: 'v1', path: '/gpfs0/volumes/v1', unmanagedPath: '/gpfs0/volumes/.unmanaged-v1' };
 * ```
 */
export interface UnmanagedVolume {
  /** The volume's name (free again). */
  readonly name: string;
  /** Where its file was. */
  readonly path: string;
  /** Where its file is now, unchanged. */
  readonly unmanagedPath: string;
}

/**
 * Reports the size of a file that could be adopted, after checking it could be.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param existing - The file.
 * @returns Its size in bytes and in GiB (rounded up).
 * @example
 * ```ts
 * manageExistingGetSize(context, runner, { path: '/gpfs0/volumes/import/disk.img' }).map((size) => size.sizeGiB);
 * ```
 */
export function manageExistingGetSize(context: DriverContext, runner: TracedRunner, existing: ExistingRef): ResultAsync<ExistingSize, GpfsError> {
  const base = context.options.mountPointBase;
  const path = validateExistingPath(base, existing?.path);
  if (path.isErr()) return errAsync(path.error);
  return readRound(context, runner, path.value, []).map(({ file }) => ({ path: file.path, sizeBytes: file.sizeBytes, sizeGiB: file.sizeGiB }));
}

/**
 * Adopts a regular file under the base as a volume: renames it to `<base>[/consisgroup-<groupId>]/<name>`
 * and sets mode 660. Its content is not touched; its size is reported in GiB rounded up.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param existing - The file.
 * @param volume - The volume's name (and optional group).
 * @returns The volume.
 * @example
 * ```ts
 * manageExisting(context, runner, { path: '/gpfs0/volumes/import/disk.img' }, { name: 'volume-9' });
 * ```
 */
export function manageExisting(context: DriverContext, runner: TracedRunner, existing: ExistingRef, volume: VolumeRef): ResultAsync<ManagedVolume, GpfsError> {
  const base = context.options.mountPointBase;
  const path = validateExistingPath(base, existing?.path);
  if (path.isErr()) return errAsync(path.error);
  const name = validateName(volume?.name, 'volume');
  if (name.isErr()) return errAsync(name.error);
  const where = volumeDirectory(base, volume.groupId);
  if (where.isErr()) return errAsync(where.error);
  const destination = pathIn(where.value.directory, name.value);
  return context.locks.withLocks([path.value, destination], () =>
    context.ensureFacts(runner).andThen((facts) => {
      const extra = where.value.groupId === null ? [] : [groupCheck(facts.base.device, where.value.directory)];
      return readRound(context, runner, path.value, extra, destination).andThen(({ file, round }) => {
        const inGroup = round.output('check-group') === undefined ? ok(true) : readCheck('manageExisting', 'check-group', round.output('check-group'));
        if (inGroup.isErr()) return errAsync<ManagedVolume, GpfsError>(inGroup.error);
        if (!inGroup.value) {
          return errAsync<ManagedVolume, GpfsError>({
            kind: 'NotFound',
            role: 'group',
            path: where.value.directory,
            message: `group directory ${where.value.directory} is not a fileset junction: create the group first. Nothing was changed.`,
          });
        }
        const execution = createUndoableExecution(runner, 'manageExisting');
        return execution.round(adoptSteps(file.path, destination, file.mode)).andThen((second) => {
          const arrived = parseFileListing(second.output('verify')?.stdout ?? '').map((entries) => entries.some((entry) => entry.path === destination && entry.inode === file.inode));
          if (arrived.isErr() || !arrived.value) {
            return execution.abort<ManagedVolume>({ kind: 'Internal', operation: 'manageExisting', message: `${destination} is not the adopted file after the rename` });
          }
          return okAsync({ name: name.value, path: destination, previousPath: file.path, sizeBytes: file.sizeBytes, sizeGiB: file.sizeGiB });
        });
      });
    }),
  );
}

/**
 * Lets go of a volume without deleting it: renames it to `.unmanaged-<name>` in its directory.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param volume - The volume (and optional group).
 * @returns Where the file is now.
 * @example
 * ```ts
 * unmanage(context, runner, { name: 'v1' }).map((released) => released.unmanagedPath); // '/gpfs0/volumes/.unmanaged-v1'
 * ```
 */
export function unmanage(context: DriverContext, runner: TracedRunner, volume: VolumeRef): ResultAsync<UnmanagedVolume, GpfsError> {
  const base = context.options.mountPointBase;
  const name = validateName(volume?.name, 'volume');
  if (name.isErr()) return errAsync(name.error);
  const where = volumeDirectory(base, volume.groupId);
  if (where.isErr()) return errAsync(where.error);
  const path = pathIn(where.value.directory, name.value);
  const released = unmanagedPath(where.value.directory, name.value);
  if (released.isErr()) return errAsync(released.error);
  return context.locks.withLocks([path, released.value], () =>
    context.ensureFacts(runner).andThen(() =>
      createUndoableExecution(runner, 'unmanage')
        .round(unmanageSteps(base, path, released.value))
        .map((): UnmanagedVolume => ({ name: name.value, path, unmanagedPath: released.value }))
        .mapErr((error): GpfsError =>
          error.kind === 'AlreadyExists' && error.path === released.value
            ? { ...error, message: `${released.value} already holds an earlier unmanaged volume of that name; rename or remove it first. Nothing was changed.` }
            : error,
        ),
    ),
  );
}

// --- Internal helpers ---

function readRound(
  context: DriverContext,
  runner: TracedRunner,
  path: string,
  extra: readonly StepCommand[],
  destination?: string,
): ResultAsync<{ readonly file: ExistingFile; readonly round: RoundOutputs }, GpfsError> {
  const base = context.options.mountPointBase;
  const steps = destination === undefined ? existingFileSteps(base, path, extra) : manageExistingReadSteps(base, path, destination, extra);
  return sendRound(runner, steps, false).andThen((outputs) => {
    const round = roundOutputs(steps, outputs);
    const mounted = round.output('check-mounted');
    if (mounted?.exitCode !== 0) return diagnoseMountFailure(runner, base, mounted?.stderr ?? '').andThen((error) => errAsync(error));
    const file = readExistingFile(path, (step) => round.output(step));
    if (file.isErr() && file.error.kind === 'NotFound' && destination !== undefined && listedAsFile(round.output('stat-destination'), destination)) {
      // The answer a retry gets after a rename whose outcome was unknown: say where the file may be.
      return errAsync({ ...file.error, message: `${file.error.message}; ${destination} exists: an earlier manageExisting of this file may have completed` });
    }
    return file.isErr() ? errAsync(file.error) : okAsync({ file: file.value, round });
  });
}

function listedAsFile(output: CommandOutput | undefined, path: string): boolean {
  return parseFileListing(output?.stdout ?? '')
    .map((entries) => entries.some((entry) => entry.path === path && entry.type === 'f'))
    .unwrapOr(false);
}
