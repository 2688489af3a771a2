/**
 * The revertToSnapshot plan (not in upstream): the volume's content becomes the snapshot's; the snapshot
 * and its other clones stay as they are.
 *
 * Round 1: checks (mount, volume, snapshot, free work names), the sizes of both files, and the new
 * content made beside the volume: `mmclone copy <snapshot> <dir>/.tmp.revert-new.<tag>`, mode 660,
 * storage pool. A failure removes the work file; the volume was not touched.
 *
 * Rounds 2 to 4 are the clone-tree executor deleting the old content, with the swap as the preflight of
 * its first round trip: `truncate` the new file up to the volume's size when the volume grew after the
 * snapshot (a revert never shrinks a volume), `ln <volume> <dir>/.tmp.revert-old.<tag>` (a second name
 * for the old content), then `mv -T <new> <volume>` (rename(2) replaces the volume in one step). The
 * executor then deletes the old content by its second name, with the disposable clone parents only it
 * kept alive.
 *
 * Crash safety: at no instant is the volume's name missing. Before the `mv`, the volume is untouched
 * (at worst `.tmp.revert-*` work files are left, which inventory lists as temporaries). After it, the
 * volume holds the snapshot's content and, until the executor's last round trip, the old content is
 * still reachable as `.tmp.revert-old.<tag>`: the way back. A failed swap step removes the work file and
 * the second name again, leaving the volume as it was.
 *
 * @module
 */
import type { BatchCommand } from '../../runners/types.js';
import { temporaryPath } from '../group-names.js';
import { listStep } from '../scan.js';
import { removeFile, type StepCommand } from '../undoable.js';
import { mountedStep } from './groups.js';

/**
 * Paths of one revert.
 *
 * @example
 * ```ts
 * const paths: RevertPaths = revertPaths('/gpfs0/volumes', 'v1', 's1', 'k3x1');
 * ```
 */
export interface RevertPaths {
  /** The volume. */
  readonly volumePath: string;
  /** The snapshot. */
  readonly snapshotPath: string;
  /** The new content, made first. */
  readonly newPath: string;
  /** The second name of the old content, deleted last. */
  readonly oldPath: string;
}

/**
 * The paths of a revert.
 *
 * @param directory - The volume's directory.
 * @param volumeName - The volume.
 * @param snapshotName - The snapshot.
 * @param tag - Unique tag.
 * @returns The paths.
 * @example
 * ```ts
 * revertPaths('/gpfs0/volumes', 'v1', 's1', 'k3x1').oldPath; // '/gpfs0/volumes/.tmp.revert-old.k3x1'
 * ```
 */
export function revertPaths(directory: string, volumeName: string, snapshotName: string, tag: string): RevertPaths {
  return {
    volumePath: `${directory}/${volumeName}`,
    snapshotPath: `${directory}/${snapshotName}`,
    newPath: temporaryPath(directory, 'revert-new', tag),
    oldPath: temporaryPath(directory, 'revert-old', tag),
  };
}

/**
 * Round 1: checks, sizes, and the new content.
 *
 * @param base - `mountPointBase`.
 * @param paths - The revert's paths.
 * @param mmchattrOptions - Attributes of the new content (the storage pool).
 * @returns The steps (`sizes` lists volume and snapshot).
 * @example
 * ```ts
 * revertFirstRound('/gpfs0/volumes', paths, ['-P', 'system']).map((c) => c.step);
 * // ['check-mounted', 'check-volume', 'check-snapshot', 'check-work-absent', 'check-work-absent', 'sizes', 'clone-snapshot', 'set-permissions', 'set-attributes']
 * ```
 */
export function revertFirstRound(base: string, paths: RevertPaths, mmchattrOptions: readonly string[]): StepCommand[] {
  const { volumePath, snapshotPath, newPath, oldPath } = paths;
  return [
    mountedStep(base),
    { step: 'check-volume', argv: ['test', '-f', volumePath], asRoot: true, expect: { kind: 'present', role: 'volume', path: volumePath } },
    { step: 'check-snapshot', argv: ['test', '-f', snapshotPath], asRoot: true, expect: { kind: 'present', role: 'snapshot', path: snapshotPath } },
    { step: 'check-work-absent', argv: ['test', '!', '-e', newPath], asRoot: true, expect: { kind: 'absent', role: 'volume', path: newPath } },
    { step: 'check-work-absent', argv: ['test', '!', '-e', oldPath], asRoot: true, expect: { kind: 'absent', role: 'volume', path: oldPath } },
    listStep([volumePath, snapshotPath], { maxDepth: 0 }, 'sizes'),
    { step: 'clone-snapshot', argv: ['mmclone', 'copy', snapshotPath, newPath], asRoot: true, undo: [removeFile(newPath, true)], undoIfFailed: true },
    { step: 'set-permissions', argv: ['chmod', '660', newPath], asRoot: true },
    ...(mmchattrOptions.length === 0 ? [] : [{ step: 'set-attributes', argv: ['mmchattr', ...mmchattrOptions, newPath], asRoot: true }]),
  ];
}

/**
 * The swap, sent as the preflight of the executor's first round trip (stops at the first failure).
 *
 * @param paths - The revert's paths.
 * @param growToBytes - The volume's size when it is larger than the snapshot's, else `null`.
 * @returns The commands with their step names.
 * @example
 * ```ts
 * swapCommands(paths, null).map(({ command }) => command.argv[0]); // ['ln', 'mv']
 * ```
 */
export function swapCommands(paths: RevertPaths, growToBytes: number | null): { readonly step: string; readonly command: BatchCommand }[] {
  return [
    ...(growToBytes === null ? [] : [{ step: 'grow', command: { argv: ['truncate', '-s', String(growToBytes), paths.newPath], asRoot: true } }]),
    { step: 'keep-old-content', command: { argv: ['ln', '--', paths.volumePath, paths.oldPath], asRoot: true } },
    { step: 'swap', command: { argv: ['mv', '-T', '--', paths.newPath, paths.volumePath], asRoot: true } },
  ];
}
