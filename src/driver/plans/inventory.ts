/**
 * The read round of inventory() and collectGarbage(): the mount check, filesets, fileset snapshots and
 * the listings of the base, every group directory and every group snapshot anchor directory (and
 * `imagesDir` when configured). Pure, so that `driver.plan.inventory()` shows it.
 *
 * @module
 */
import { GROUP_PREFIX, GROUP_SNAPSHOTS_DIRECTORY } from '../group-names.js';
import { escapeGlob, LISTING_FORMAT, listStep } from '../scan.js';
import type { StepCommand } from '../undoable.js';
import { mountedStep } from './groups.js';

/**
 * The first round of an inventory scan (read-only, run to its end).
 *
 * @param base - `mountPointBase`.
 * @param device - The file system device (from the cached facts).
 * @param imagesDir - The images directory, or `null`.
 * @returns The steps: `check-mounted`, `read-filesets`, `read-snapshots`, `list-base`, `list-groups`,
 *   `list-anchors` and, with images, `list-images`.
 * @example
 * ```ts
 * inventoryReadSteps('/gpfs0/volumes', 'gpfs0', null).map((step) => step.step);
 * // ['check-mounted', 'read-filesets', 'read-snapshots', 'list-base', 'list-groups', 'list-anchors']
 * ```
 */
export function inventoryReadSteps(base: string, device: string, imagesDir: string | null): StepCommand[] {
  const glob = escapeGlob(base);
  return [
    mountedStep(base),
    { step: 'read-filesets', argv: ['mmlsfileset', device, '-Y'], asRoot: true },
    { step: 'read-snapshots', argv: ['mmlssnapshot', device, '-Y'], asRoot: true },
    listStep([base], { minDepth: 1, maxDepth: 1 }, 'list-base'),
    listStep([base], { minDepth: 2, maxDepth: 2, pathPattern: `${glob}/${GROUP_PREFIX}*/*` }, 'list-groups'),
    {
      step: 'list-anchors',
      argv: ['find', base, '-maxdepth', '4', '-name', '.snapshots', '-prune', '-o', '-path', `${glob}/${GROUP_PREFIX}*/${GROUP_SNAPSHOTS_DIRECTORY}/*`, '-printf', LISTING_FORMAT],
      asRoot: true,
    },
    ...(imagesDir === null ? [] : [listStep([imagesDir], { minDepth: 1, maxDepth: 1 }, 'list-images')]),
  ];
}
