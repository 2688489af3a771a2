/**
 * The deleteVolume plan, as a dry run: the clone-tree executor's three round trips, with the mount
 * check sent in the first one. Rounds 2 and 3 depend on what the listing finds, so they are shown
 * with placeholders.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import { listingCommand } from '../clone-deletion-facts.js';
import type { GpfsError } from '../errors.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import type { VolumeRef } from '../types.js';
import type { OperationPlan } from './types.js';

/**
 * A deleteVolume plan.
 *
 * @example
 * ```ts
 * const plan: DeleteVolumePlan = planDeleteVolume(options, { name: 'v1' })._unsafeUnwrap();
 * plan.directories; // ['/gpfs0']
 * ```
 */
export interface DeleteVolumePlan extends OperationPlan {
  /** The volume file. */
  readonly path: string;
  /** Directories listed for its clone parents: the base, then `migrationDirectories`. */
  readonly directories: readonly string[];
}

/**
 * Plans deleteVolume.
 *
 * @param options - Resolved driver options.
 * @param volume - The volume.
 * @returns The plan, or `InvalidName` (nothing runs).
 * @example
 * ```ts
 * planDeleteVolume(options, { name: 'v1' })._unsafeUnwrap().rounds.length; // 3
 * ```
 */
export function planDeleteVolume(options: ResolvedOptions, volume: VolumeRef): Result<DeleteVolumePlan, GpfsError> {
  return validateName(volume.name, 'volume').map((name) => {
    const path = pathIn(options.mountPointBase, name);
    // Migrated volumes may have clone parents in the directory they came from.
    const directories = [options.mountPointBase, ...options.migrationDirectories];
    return {
      operation: 'deleteVolume',
      path,
      directories,
      rounds: [
        { commands: [mountCheck(options.mountPointBase), { step: 'clone-tree', argv: listingCommand(directories, 1), asRoot: true }] },
        {
          commands: [{ step: 'clone-tree', argv: ['mmclone', 'show', '<every regular file listed>'], asRoot: true }],
          condition: `when ${path} exists (deleting a missing volume is Ok and stops here)`,
        },
        {
          commands: [
            { step: 'clone-tree', argv: ['rm', '-f', '--', path], asRoot: true },
            { step: 'clone-tree', argv: ['rm', '-f', '--', '<each disposable (.snap/.ts) ancestor left without children, children first>'], asRoot: true },
            { step: 'clone-tree', argv: listingCommand([path, '<each ancestor removed>'], 0), asRoot: true },
          ],
          condition: 'removals planned from the clone forest; the last command checks what is gone',
        },
      ],
    };
  });
}
