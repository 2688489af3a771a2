/**
 * The createVolume plan: one round trip.
 *
 * Mount check, "does not exist yet", sparse file (`truncate`), mode 660, `mmchattr` attributes, then
 * (when `sparseVolumes` is false) the zero fill, and only then `mkfs`/`mkswap`: the file system is made
 * last, so preallocation cannot wipe it (upstream runs mkfs first: cinder-gpfs-driver.md E.8 item 21).
 * All of it is made on a work file `.tmp.create.<tag>` beside the volume, published under the volume's
 * name with `ln` only once complete: no one ever sees (or snapshots) a half-made volume.
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
import { buildPath, checkAbsent, publishCommands, setAttributes, setMode } from './commands.js';
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
  /** The work file it is made as, then published. */
  readonly workPath: string;
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
 * @param tag - The execution's unique tag for the work file (`<tag>` in dry runs).
 * @returns The plan, or `InvalidName`/`InvalidArgument`/`InvalidMetadata` (nothing runs).
 * @example
 * ```ts
 * planCreateVolume(options, { name: 'v1', sizeGiB: 1 })._unsafeUnwrap().rounds[0].commands.map((c) => c.argv.join(' '));
 * // ['df -P -t gpfs /gpfs0', 'test ! -e /gpfs0/v1', 'truncate -s 1G /gpfs0/.tmp.create.<tag>', 'chmod 660 /gpfs0/.tmp.create.<tag>',
 * //  'mmchattr -P system /gpfs0/.tmp.create.<tag>', 'ln -T -- /gpfs0/.tmp.create.<tag> /gpfs0/v1', 'rm -f -- /gpfs0/.tmp.create.<tag>']
 * ```
 */
export function planCreateVolume(options: ResolvedOptions, spec: VolumeSpec, dataPools: readonly string[] | null = null, tag = '<tag>'): Result<CreateVolumePlan, GpfsError> {
  return allOk([validateName(spec.name, 'volume'), validateSize(spec.sizeGiB, 'sizeGiB')] as const).andThen(([name, sizeGiB]) =>
    volumeAttributes(spec.metadata, options.storagePool).map((attributes): CreateVolumePlan => {
      const path = pathIn(options.mountPointBase, name);
      const work = buildPath(path, tag);
      const commands: PlannedCommand[] = [
        mountCheck(options.mountPointBase),
        checkAbsent('check-volume-absent', 'volume', path),
        {
          step: 'create-sparse-file',
          argv: ['truncate', '-s', `${sizeGiB}G`, work],
          asRoot: true,
          creates: [{ path: work, dispose: 'remove', exclusive: true }],
        },
        setMode(work, '660'),
        // Attributes before any block is allocated, so blocks follow the pool and replication asked for.
        ...setAttributes(work, attributes.mmchattrOptions, dataPools),
      ];
      if (!options.sparseVolumes) {
        commands.push({
          step: 'preallocate',
          argv: ['dd', 'if=/dev/zero', `of=${work}`, 'bs=1M', `count=${sizeGiB * 1024}`],
          asRoot: true,
        });
      }
      if (attributes.fstype !== null) {
        commands.push({ step: 'make-filesystem', argv: mkfsArgv(attributes.fstype, attributes.fslabel, work), asRoot: true });
      }
      commands.push(...publishCommands(work, path));
      return { operation: 'createVolume', rounds: [{ commands }], path, workPath: work, sizeGiB };
    }),
  );
}
