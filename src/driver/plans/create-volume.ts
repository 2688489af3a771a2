/**
 * The createVolume plan: one round trip.
 *
 * Mount check, "does not exist yet", sparse file (`truncate`), mode 660, `mmchattr` attributes, then
 * (when `sparseVolumes` is false) the zero fill, and only then `mkfs`/`mkswap`: the file system is made
 * last, so preallocation cannot wipe it (upstream runs mkfs first: cinder-gpfs-driver.md E.8 item 21).
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { GpfsError } from '../errors.js';
import { mkfsArgv, volumeAttributes } from '../metadata.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import { allOk, validateSize, type VolumeSpec } from '../types.js';
import { checkAbsent, setAttributes, setMode } from './commands.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * A createVolume plan and the path it makes.
 *
 * @example
 * ```ts
 * const plan: CreateVolumePlan = planCreateVolume(options, { name: 'v1', sizeGiB: 1 })._unsafeUnwrap();
 * plan.path; // '/gpfs0/v1'
 * ```
 */
export interface CreateVolumePlan extends OperationPlan {
  /** The volume file. */
  readonly path: string;
  /** The validated size. */
  readonly sizeGiB: number;
}

/**
 * Plans createVolume.
 *
 * @param options - Resolved driver options.
 * @param spec - The volume to create.
 * @param dataPools - The file system's data pools from the cached facts (`null` before setup): with a
 *   single data pool that is the one asked for, no `mmchattr -P` is planned.
 * @returns The plan, or `InvalidName`/`InvalidArgument`/`InvalidMetadata` (nothing runs).
 * @example
 * ```ts
 * planCreateVolume(options, { name: 'v1', sizeGiB: 1 })._unsafeUnwrap().rounds[0].commands.map((c) => c.argv.join(' '));
 * // ['df -P -t gpfs /gpfs0', 'test ! -e /gpfs0/v1', 'truncate -s 1G /gpfs0/v1', 'chmod 660 /gpfs0/v1', 'mmchattr -P system /gpfs0/v1']
 * ```
 */
export function planCreateVolume(options: ResolvedOptions, spec: VolumeSpec, dataPools: readonly string[] | null = null): Result<CreateVolumePlan, GpfsError> {
  return allOk([
    validateName(spec.name, 'volume'),
    validateSize(spec.sizeGiB, 'sizeGiB'),
  ] as const).andThen(([name, sizeGiB]) =>
    volumeAttributes(spec.metadata, options.storagePool).map((attributes): CreateVolumePlan => {
      const path = pathIn(options.mountPointBase, name);
      const commands: PlannedCommand[] = [
        mountCheck(options.mountPointBase),
        checkAbsent('check-volume-absent', 'volume', path),
        {
          step: 'create-sparse-file',
          argv: ['truncate', '-s', `${sizeGiB}G`, path],
          asRoot: true,
          creates: [{ path, dispose: 'remove' }],
        },
        setMode(path, '660'),
        // Attributes before any block is allocated, so blocks follow the pool and replication asked for.
        ...setAttributes(path, attributes.mmchattrOptions, dataPools),
      ];
      if (!options.sparseVolumes) {
        commands.push({
          step: 'preallocate',
          argv: ['dd', 'if=/dev/zero', `of=${path}`, 'bs=1M', `count=${sizeGiB * 1024}`],
          asRoot: true,
        });
      }
      if (attributes.fstype !== null) {
        commands.push({ step: 'make-filesystem', argv: mkfsArgv(attributes.fstype, attributes.fslabel, path), asRoot: true });
      }
      return { operation: 'createVolume', rounds: [{ commands }], path, sizeGiB };
    }),
  );
}
