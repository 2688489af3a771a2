/**
 * `driver.plan.*` for the operations beyond the seed (issue 8): each dry run validates its arguments
 * as the operation does and lists the argv of its first round trip(s), from the pure plans under
 * `plans/` and the cached facts (`<device>` stands for the file system device until setup has run).
 * Rounds that depend on what an earlier one reads carry a `condition`, and placeholders (`<tag>`,
 * `<file>...`) where names are only known then; rounds after those (clone-tree deletions, member
 * snapshots) are described in the last condition rather than listed.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { DriverContext } from './context.js';
import { invalidArgument, type GpfsError, type InvalidConfigError } from './errors.js';
import { groupDirectory, unmanagedPath, validateGroupId, validateGroupSnapshotId, volumeDirectory } from './group-names.js';
import type { CreateGroupFromSourceOptions, GroupChanges, GroupRef, GroupSnapshotRef, GroupSource } from './group-types.js';
import { volumeAttributes } from './metadata.js';
import { pathIn, validateName } from './names.js';
import { fromGroupChecks, fromSnapshotChecks, temporarySnapshotSteps, validateVolumeNames, type GroupCopyContext } from './plans/group-from-source.js';
import { createGroupSnapshotChecks, deleteGroupSnapshotReads, takeGroupSnapshotSteps } from './plans/group-snapshots.js';
import { deleteGroupCommands, deleteGroupReadCommands, groupCheck, planCreateGroup } from './plans/groups.js';
import { inventoryReadSteps } from './plans/inventory.js';
import { adoptSteps, existingFileSteps, manageExistingReadSteps, unmanageSteps, validateExistingPath } from './plans/manage-existing.js';
import { revertFirstRound, revertPaths, swapCommands } from './plans/revert-to-snapshot.js';
import type { OperationPlan, PlannedCommand } from './plans/types.js';
import { copyMoveSteps, planMoves, updateGroupChecks } from './plans/update-group.js';
import { allOk, type SnapshotRef, type VolumeRef } from './types.js';

/**
 * Dry runs of the issue 8 operations. Validation errors come back exactly as the operation returns them.
 *
 * @example
 * ```ts
 * driver.plan.createGroup({ id: 'g1' }).map((plan) => plan.rounds[0]?.commands.map((command) => command.argv.join(' ')));
 * ```
 */
export interface GpfsDriverExtensionPlans {
  /**
   * The createGroup plan (one round trip).
   *
   * @param group - The group.
   */
  createGroup(group: GroupRef): Result<OperationPlan, GpfsError>;
  /**
   * The deleteGroup plan: the read round, then the deletion (shown for a linked group without group snapshots).
   *
   * @param group - The group.
   */
  deleteGroup(group: GroupRef): Result<OperationPlan, GpfsError>;
  /**
   * The createGroupSnapshot plan: the checks and listing, then the fileset snapshot and the clone states.
   *
   * @param snapshot - Group snapshot id and group.
   */
  createGroupSnapshot(snapshot: GroupSnapshotRef): Result<OperationPlan, GpfsError>;
  /**
   * The deleteGroupSnapshot plan: the read round.
   *
   * @param snapshot - Group snapshot id and group.
   */
  deleteGroupSnapshot(snapshot: GroupSnapshotRef): Result<OperationPlan, GpfsError>;
  /**
   * The createGroupFromSource plan: the checks and listing (and, from a live group, the temporary snapshot).
   *
   * @param group - The new group.
   * @param source - A group snapshot or a group.
   * @param options - New names for some volumes.
   */
  createGroupFromSource(group: GroupRef, source: GroupSource, options?: CreateGroupFromSourceOptions): Result<OperationPlan, GpfsError>;
  /**
   * The updateGroup plan: the checks and listing, then the copies (after the clone states were read).
   *
   * @param group - The group.
   * @param changes - `addVolumes` and `removeVolumes`.
   */
  updateGroup(group: GroupRef, changes: GroupChanges): Result<OperationPlan, GpfsError>;
  /**
   * The manageExisting plan: the read round, then the rename.
   *
   * @param existing - The file.
   * @param volume - The volume's name and optional group.
   */
  manageExisting(existing: { readonly path: string }, volume: VolumeRef): Result<OperationPlan, GpfsError>;
  /**
   * The manageExistingGetSize plan (one read round trip).
   *
   * @param existing - The file.
   */
  manageExistingGetSize(existing: { readonly path: string }): Result<OperationPlan, GpfsError>;
  /**
   * The unmanage plan (one round trip).
   *
   * @param volume - The volume.
   */
  unmanage(volume: VolumeRef): Result<OperationPlan, GpfsError>;
  /**
   * The revertToSnapshot plan: the new content, then the swap (sent with the clone-tree deletion of the old content).
   *
   * @param volume - The volume.
   * @param snapshot - The snapshot.
   */
  revertToSnapshot(volume: VolumeRef, snapshot: SnapshotRef): Result<OperationPlan, GpfsError>;
  /** The inventory plan: the read round, then `mmclone show` of every regular file listed. */
  inventory(): Result<OperationPlan, GpfsError>;
  /**
   * The collectGarbage plan: the inventory's two read rounds (with `apply`, each orphan's deletion follows).
   *
   * @param options - `apply`.
   */
  collectGarbage(options?: { readonly apply?: boolean }): Result<OperationPlan, GpfsError>;
}

/**
 * Makes the issue 8 dry runs of a driver.
 *
 * @param context - The driver context.
 * @returns The plan functions.
 * @example
 * ```ts
 * const plans = { ...corePlans, ...createExtensionPlans(context) };
 * ```
 */
export function createExtensionPlans(context: DriverContext): GpfsDriverExtensionPlans {
  const { options } = context;
  const base = options.mountPointBase;
  const device = (): string => context.facts.current()?.base.device ?? '<device>';
  // As the operations do: the storage pool of copies and new content (always assigned there).
  const poolOptions = (): Result<readonly string[], GpfsError> => volumeAttributes(undefined, options.storagePool).map((attributes) => attributes.mmchattrOptions);
  const inventoryPlan = (operation: string, apply: boolean): OperationPlan => ({
    operation,
    rounds: [
      { commands: inventoryReadSteps(base, device(), options.imagesDir) },
      {
        commands: [{ step: 'show-clones', argv: ['mmclone', 'show', '<file>...'], asRoot: true }],
        condition: `every regular file the listings found (several commands of one batch when the list is long)${apply ? '; then, per orphan, its deletion through the clone-tree executor (three round trips each)' : ''}`,
      },
    ],
  });
  return {
    createGroup: (group) => validateGroupId(group?.id).map((id) => planCreateGroup(base, device(), id)),
    deleteGroup: (group) =>
      validateGroupId(group?.id).map((id) => ({
        operation: 'deleteGroup',
        rounds: [
          { commands: deleteGroupReadCommands(base, device(), id) },
          {
            commands: deleteGroupCommands(base, device(), id, true, []),
            condition: 'when the fileset exists and is linked at the group directory (an mmdelsnapshot first for each of its group snapshots; no unlink when it is unlinked)',
          },
        ],
      })),
    createGroupSnapshot: (snapshot) =>
      groupSnapshotIds(snapshot).map(([snapshotId, groupId]) => {
        const groupPath = groupDirectory(base, groupId);
        return {
          operation: 'createGroupSnapshot',
          rounds: [
            { commands: createGroupSnapshotChecks(base, device(), groupPath, snapshotId) },
            {
              commands: [...takeGroupSnapshotSteps(device(), groupId, groupPath, snapshotId), { step: 'show-clones', argv: ['mmclone', 'show', '<volume>...'], asRoot: true }],
              condition: 'after the checks; mmclone show of each volume the listing found, in the frozen copy; a third round trip then makes the anchors and member snapshots',
            },
          ],
        };
      }),
    deleteGroupSnapshot: (snapshot) =>
      groupSnapshotIds(snapshot).map(([snapshotId, groupId]) => ({
        operation: 'deleteGroupSnapshot',
        rounds: [
          { commands: deleteGroupSnapshotReads(base, device(), groupDirectory(base, groupId), snapshotId) },
          {
            commands: [{ step: 'show-clones', argv: ['mmclone', 'show', '<file>...'], asRoot: true }],
            condition:
              'when the anchors exist: the clone states of the group and anchor files; a third round trip removes (or tombstones) the anchors and member snapshots and deletes the fileset snapshot',
          },
        ],
      })),
    createGroupFromSource: (group, source, groupOptions) => planGroupFromSource(base, device(), group, source, groupOptions),
    updateGroup: (group, changes) =>
      validateGroupId(group?.id).andThen((id) => {
        const groupPath = groupDirectory(base, id);
        return planMoves(base, groupPath, changes ?? {}).andThen((moves) =>
          poolOptions().map((pool): OperationPlan => ({
            operation: 'updateGroup',
            rounds: [
              { commands: updateGroupChecks(base, device(), groupPath) },
              ...(moves.length === 0
                ? []
                : [
                    {
                      commands: copyMoveSteps(moves, pool, '<tag>'),
                      condition:
                        'after a round trip of mmclone show over the listed files finds every move possible (no clone parent moves); then each old file is deleted through the clone-tree executor',
                    },
                  ]),
            ],
          })),
        );
      }),
    manageExisting: (existing, volume) =>
      allOk([validateExistingPath(base, existing?.path), validateName(volume?.name, 'volume'), volumeDirectory(base, volume?.groupId)] as const).map(([path, name, where]) => {
        const extra = where.groupId === null ? [] : [groupCheck(device(), where.directory)];
        return {
          operation: 'manageExisting',
          rounds: [
            { commands: manageExistingReadSteps(base, path, pathIn(where.directory, name), extra) },
            { commands: adoptSteps(path, pathIn(where.directory, name), null), condition: 'when the file is a regular file on GPFS, neither a clone parent nor hard-linked' },
          ],
        };
      }),
    manageExistingGetSize: (existing) => validateExistingPath(base, existing?.path).map((path) => ({ operation: 'manageExistingGetSize', rounds: [{ commands: existingFileSteps(base, path, []) }] })),
    unmanage: (volume) =>
      allOk([validateName(volume?.name, 'volume'), volumeDirectory(base, volume?.groupId)] as const).andThen(([name, where]) =>
        unmanagedPath(where.directory, name).map((released) => ({
          operation: 'unmanage',
          rounds: [{ commands: unmanageSteps(base, pathIn(where.directory, name), released) }],
        })),
      ),
    revertToSnapshot: (volume, snapshot) => planRevert(base, volume, snapshot, poolOptions),
    inventory: () => ok(inventoryPlan('inventory', false)),
    collectGarbage: (garbageOptions) => ok(inventoryPlan('collectGarbage', garbageOptions?.apply === true)),
  };
}

/**
 * The issue 8 dry runs of a driver whose options were invalid.
 *
 * @param error - The options error.
 * @returns Plan functions that fail.
 * @example
 * ```ts
 * const failed = failedExtensionPlans(invalidConfig(['mountPointBase: must be an absolute path']));
 * ```
 */
export function failedExtensionPlans(error: InvalidConfigError): GpfsDriverExtensionPlans {
  const fail = () => err(error);
  return {
    createGroup: fail,
    deleteGroup: fail,
    createGroupSnapshot: fail,
    deleteGroupSnapshot: fail,
    createGroupFromSource: fail,
    updateGroup: fail,
    manageExisting: fail,
    manageExistingGetSize: fail,
    unmanage: fail,
    revertToSnapshot: fail,
    inventory: fail,
    collectGarbage: fail,
  };
}

// --- Internal helpers ---

function groupSnapshotIds(snapshot: GroupSnapshotRef): Result<readonly [string, string], GpfsError> {
  return allOk([validateGroupSnapshotId(snapshot?.id), validateGroupId(snapshot?.groupId)] as const);
}

function planGroupFromSource(base: string, device: string, group: GroupRef, source: GroupSource, options?: CreateGroupFromSourceOptions): Result<OperationPlan, GpfsError> {
  const fromSnapshot = typeof source === 'object' && source !== null && 'groupId' in source;
  return allOk([
    validateGroupId(group?.id),
    fromSnapshot ? validateGroupId((source as { groupId: unknown }).groupId) : validateGroupId(source?.id),
    fromSnapshot ? validateGroupSnapshotId(source.id) : validateGroupId(source?.id),
    validateVolumeNames(options?.volumeNames),
  ] as const).map(([groupId, sourceGroupId, sourceId]): OperationPlan => {
    const copy: GroupCopyContext = { base, device, groupId, groupPath: groupDirectory(base, groupId), sourceGroupId, sourcePath: groupDirectory(base, sourceGroupId) };
    const copies = 'then one round trip makes the group (fileset, link) and copies every volume (cp, chmod, attributes, rename)';
    if (fromSnapshot) {
      return { operation: 'createGroupFromSource', rounds: [{ commands: fromSnapshotChecks(copy, sourceId) }, { commands: [], condition: `after the checks: ${copies}` }] };
    }
    return {
      operation: 'createGroupFromSource',
      rounds: [
        { commands: fromGroupChecks(copy) },
        {
          commands: [...temporarySnapshotSteps(copy, 'gpfs-volumes-copy-<tag>'), { step: 'show-clones', argv: ['mmclone', 'show', '<volume>...'], asRoot: true }],
          condition: `after the checks: a temporary fileset snapshot of the source group and the clone states of its volumes; ${copies}; a last round trip deletes the temporary snapshot`,
        },
      ],
    };
  });
}

function planRevert(base: string, volume: VolumeRef, snapshot: SnapshotRef, poolOptions: () => Result<readonly string[], GpfsError>): Result<OperationPlan, GpfsError> {
  return allOk([
    validateName(volume?.name, 'volume'),
    validateName(snapshot?.name, 'snapshot'),
    validateName(snapshot?.volumeName, 'volume'),
    volumeDirectory(base, volume?.groupId),
    volumeDirectory(base, snapshot?.groupId ?? volume?.groupId),
  ] as const).andThen(([volumeName, snapshotName, , where, snapshotWhere]) => {
    if (snapshotWhere.directory !== where.directory) {
      return err<OperationPlan, GpfsError>(invalidArgument('snapshot', "the snapshot must be in the volume's group (snapshots live beside their volume). Nothing was run."));
    }
    return poolOptions().map((pool): OperationPlan => {
      const paths = revertPaths(where.directory, volumeName, snapshotName, '<tag>');
      const swap: PlannedCommand[] = swapCommands(paths, null).map(({ step, command }) => ({ step, argv: command.argv, asRoot: command.asRoot === true }));
      return {
        operation: 'revertToSnapshot',
        rounds: [
          { commands: revertFirstRound(base, paths, pool) },
          {
            commands: swap,
            condition: `sent first in the clone-tree executor's round trip that deletes the old content (${paths.oldPath}); a truncate -s <bytes> ${paths.newPath} comes first when the volume is larger than the snapshot`,
          },
        ],
      };
    });
  });
}
