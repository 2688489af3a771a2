/**
 * Plans of the two clone creates, one round trip each plus a conditional redirect round:
 *
 * - createVolumeFromSnapshot: `mmclone copy <snapshot> <volume>`.
 * - createClonedVolume: `mmclone snap <source> <dest>.snap` (the hidden parent both share), then
 *   `mmclone copy <dest>.snap <dest>`, as the seed does.
 *
 * Both then set mode 660 and the metadata's attributes, resize with the format pinned to raw, read the
 * new size (raw) and, when `maxCloneDepth` is set, the clone depths that decide the redirect round.
 * The clone is made as a work file `.tmp.create.<tag>` and published under the volume's name (`ln`) in
 * the last round only: the first when `maxCloneDepth` is 0, otherwise the second, after any redirect.
 * A volume whose create fails is never visible under its name.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { GpfsError } from '../errors.js';
import { volumeAttributes } from '../metadata.js';
import { mountCheck } from '../mount-check.js';
import { checkDerivedName, hiddenParentPath, pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import { allOk, validateSize, type SnapshotRef, type VolumeRef, type VolumeSpec } from '../types.js';
import { checkAll } from '../preconditions.js';
import { buildPath, checkAbsent, publishCommands, PUBLISH_TOLERATED, readCloneDepth, readRawSize, redirect, resizeRaw, setAttributes, setMode, withoutNoopPool } from './commands.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * A clone-create plan and the paths it involves.
 *
 * @example
 * ```ts
 * const plan: CloneVolumePlan = planCreateClonedVolume(options, { name: 'v2', sizeGiB: 1 }, { name: 'v1' })._unsafeUnwrap();
 * plan.hiddenParent; // '/gpfs0/v2.snap'
 * ```
 */
export interface CloneVolumePlan extends OperationPlan {
  /** The new volume. */
  readonly path: string;
  /** The work file it is made as, then published. */
  readonly workPath: string;
  /** What it is cloned from: the snapshot, or the source volume. */
  readonly sourcePath: string;
  /** The validated size. */
  readonly sizeGiB: number;
  /** The files whose depth `read-clone-depth` reports and that may be redirected. */
  readonly depthPaths: readonly string[];
  /** For createClonedVolume: the hidden parent, removable once both its children are redirected. */
  readonly hiddenParent: string | null;
}

/**
 * Plans createVolumeFromSnapshot.
 *
 * @param options - Resolved driver options.
 * @param spec - The new volume.
 * @param snapshot - The snapshot to clone.
 * @param dataPools - The file system's data pools from the cached facts (`null` before setup).
 * @param tag - The execution's unique tag for the work file (`<tag>` in dry runs).
 * @returns The plan, or a validation error (nothing runs).
 * @example
 * ```ts
 * planCreateVolumeFromSnapshot(options, { name: 'v2', sizeGiB: 2 }, { name: 's1', volumeName: 'v1' });
 * ```
 */
export function planCreateVolumeFromSnapshot(
  options: ResolvedOptions,
  spec: VolumeSpec,
  snapshot: SnapshotRef,
  dataPools: readonly string[] | null = null,
  tag = '<tag>',
): Result<CloneVolumePlan, GpfsError> {
  return allOk([
    validateName(spec.name, 'volume'),
    validateSize(spec.sizeGiB, 'sizeGiB'),
    validateName(snapshot.name, 'snapshot'),
    validateName(snapshot.volumeName, 'source volume'),
  ] as const).andThen(([name, sizeGiB, snapshotName]) =>
    cloneAttributes(options, spec).map((attributes): CloneVolumePlan => {
      const path = pathIn(options.mountPointBase, name);
      const work = buildPath(path, tag);
      const snapshotPath = pathIn(options.mountPointBase, snapshotName);
      const commands: PlannedCommand[] = [
        mountCheck(options.mountPointBase),
        checkAll('check-preconditions', [
          { kind: 'present', role: 'snapshot', path: snapshotPath },
          { kind: 'absent', role: 'volume', path },
        ]),
        { step: 'clone', argv: ['mmclone', 'copy', snapshotPath, work], asRoot: true, creates: [{ path: work, dispose: 'remove', exclusive: true }] },
        ...finishClone(options, work, sizeGiB, withoutNoopPool(attributes, dataPools), [work]),
      ];
      return withRedirectRound('createVolumeFromSnapshot', options, commands, { path, workPath: work, sourcePath: snapshotPath, sizeGiB, depthPaths: [work], hiddenParent: null });
    }),
  );
}

/**
 * Plans createClonedVolume.
 *
 * @param options - Resolved driver options.
 * @param spec - The new volume.
 * @param source - The volume to clone.
 * @param parentTag - Tag for the hidden parent's name, used when `<dest>.snap` is already taken.
 * @param dataPools - The file system's data pools from the cached facts (`null` before setup).
 * @param tag - The execution's unique tag for the work file (`<tag>` in dry runs).
 * @returns The plan, or a validation error (nothing runs).
 * @example
 * ```ts
 * planCreateClonedVolume(options, { name: 'v2', sizeGiB: 2 }, { name: 'v1' });
 * ```
 */
export function planCreateClonedVolume(
  options: ResolvedOptions,
  spec: VolumeSpec,
  source: VolumeRef,
  parentTag?: string,
  dataPools: readonly string[] | null = null,
  tag = '<tag>',
): Result<CloneVolumePlan, GpfsError> {
  return allOk([
    validateName(spec.name, 'volume').andThen((valid) => checkDerivedName(valid, 'volume', hiddenParentPath(valid, parentTag), 'its hidden clone parent')),
    validateSize(spec.sizeGiB, 'sizeGiB'),
    validateName(source.name, 'source volume'),
  ] as const).andThen(([name, sizeGiB, sourceName]) =>
    cloneAttributes(options, spec).map((attributes): CloneVolumePlan => {
      const path = pathIn(options.mountPointBase, name);
      const work = buildPath(path, tag);
      const sourcePath = pathIn(options.mountPointBase, sourceName);
      const parent = hiddenParentPath(path, parentTag);
      const commands: PlannedCommand[] = [
        mountCheck(options.mountPointBase),
        checkAll('check-preconditions', [
          { kind: 'present', role: 'volume', path: sourcePath },
          { kind: 'absent', role: 'volume', path },
        ]),
        // Separate: a taken hidden parent name is not an error but a reason to use a tagged name.
        checkAbsent('check-parent-absent', 'clone parent', parent),
        { step: 'snap', argv: ['mmclone', 'snap', sourcePath, parent], asRoot: true, creates: [{ path: parent, dispose: 'tombstone' }] },
        { step: 'clone', argv: ['mmclone', 'copy', parent, work], asRoot: true, creates: [{ path: work, dispose: 'remove', exclusive: true }] },
        ...finishClone(options, work, sizeGiB, withoutNoopPool(attributes, dataPools), [sourcePath, work]),
      ];
      return withRedirectRound('createClonedVolume', options, commands, {
        path,
        workPath: work,
        sourcePath,
        sizeGiB,
        depthPaths: [sourcePath, work],
        hiddenParent: parent,
      });
    }),
  );
}

/**
 * The second round of a clone create when `maxCloneDepth` is set: the redirects
 * ({@link redirectCommands}), then the publish of the new volume, then (createClonedVolume, both
 * redirected) the removal of the hidden parent. Send with {@link LAST_ROUND_TOLERATED}.
 *
 * @param plan - The clone plan.
 * @param depths - Depth of each of `plan.depthPaths` (`null` when not a clone).
 * @param maxCloneDepth - The option.
 * @returns The commands (always at least the publish).
 * @example
 * ```ts
 * lastRoundCommands(plan, new Map(), 4).map((c) => c.step); // ['publish', 'drop-work-name']
 * ```
 */
export function lastRoundCommands(
  plan: Pick<CloneVolumePlan, 'depthPaths' | 'hiddenParent' | 'path' | 'workPath'>,
  depths: ReadonlyMap<string, number | null>,
  maxCloneDepth: number,
): PlannedCommand[] {
  const redirects = redirectCommands(plan, depths, maxCloneDepth);
  // The publish comes before the hidden parent's removal, a tolerated step after which nothing runs.
  const removal = redirects.filter((command) => command.step === 'remove-hidden-parent');
  return [...redirects.filter((command) => command.step !== 'remove-hidden-parent'), ...publishCommands(plan.workPath, plan.path), ...removal];
}

/**
 * Steps of the last round of a clone create whose failure does not fail the create.
 *
 * @example
 * ```ts
 * execution.round(lastRoundCommands(plan, depths, 4), LAST_ROUND_TOLERATED);
 * ```
 */
export const LAST_ROUND_TOLERATED: readonly string[] = [...PUBLISH_TOLERATED, 'remove-hidden-parent'];

/**
 * The redirects of a clone create: redirect each file whose depth exceeds `maxCloneDepth`, and for
 * createClonedVolume remove the hidden parent once both its children were redirected (the seed
 * checked the destination only when the source needed it: cinder-gpfs-driver.md E.8 item 8).
 *
 * @param plan - The clone plan.
 * @param depths - Depth of each of `plan.depthPaths` (`null` when not a clone).
 * @param maxCloneDepth - The option (0 = unlimited: no redirect).
 * @returns The commands to send, possibly none.
 * @example
 * ```ts
 * redirectCommands(plan, new Map([['/gpfs0/v2', 5]]), 4).map((c) => c.argv); // [['mmclone', 'redirect', '/gpfs0/v2']]
 * ```
 */
export function redirectCommands(plan: Pick<CloneVolumePlan, 'depthPaths' | 'hiddenParent'>, depths: ReadonlyMap<string, number | null>, maxCloneDepth: number): PlannedCommand[] {
  if (maxCloneDepth === 0) return [];
  const deep = plan.depthPaths.filter((path) => (depths.get(path) ?? 0) > maxCloneDepth);
  const commands = deep.map((path) => redirect(path));
  if (plan.hiddenParent !== null && deep.length === plan.depthPaths.length && deep.length > 0) {
    commands.push({ step: 'remove-hidden-parent', argv: ['rm', '-f', plan.hiddenParent], asRoot: true });
  }
  return commands;
}

// --- Internal helpers ---

function cloneAttributes(options: ResolvedOptions, spec: VolumeSpec): Result<readonly string[], GpfsError> {
  return volumeAttributes(spec.metadata, options.storagePool).andThen((attributes) => {
    if (attributes.fstype === null) return ok(attributes.mmchattrOptions);
    return err<readonly string[], GpfsError>({
      kind: 'InvalidMetadata',
      key: 'fstype',
      value: attributes.fstype,
      message: 'metadata fstype applies only to new empty volumes: making a file system on a clone would destroy the cloned data. Nothing was run.',
    });
  });
}

function finishClone(options: ResolvedOptions, path: string, sizeGiB: number, mmchattrOptions: readonly string[], depthPaths: readonly string[]): PlannedCommand[] {
  return [setMode(path, '660'), ...setAttributes(path, mmchattrOptions), resizeRaw(path, sizeGiB), readRawSize(path), ...(options.maxCloneDepth > 0 ? [readCloneDepth(depthPaths)] : [])];
}

function withRedirectRound(operation: string, options: ResolvedOptions, commands: PlannedCommand[], details: Omit<CloneVolumePlan, 'operation' | 'rounds'>): CloneVolumePlan {
  const rounds: OperationPlan['rounds'] =
    options.maxCloneDepth === 0
      ? [{ commands: [...commands, ...publishCommands(details.workPath, details.path)] }]
      : [
          { commands },
          {
            commands: lastRoundCommands(details, new Map(details.depthPaths.map((path) => [path, Number.MAX_SAFE_INTEGER])), options.maxCloneDepth),
            condition: `each redirect only for a file whose depth exceeds maxCloneDepth (${options.maxCloneDepth}); then the publish${details.hiddenParent === null ? '' : '; the hidden parent is removed only when both were redirected'}`,
          },
        ];
  return { operation, rounds, ...details };
}
