/**
 * The restoreBackup plan (the seed's restore_backup), streamed through the runner. The backup is written
 * into a new file beside the volume, which then replaces the volume in one rename, so a restore that
 * fails at any point leaves the volume as it was (content and size); one that is interrupted at the
 * rename leaves it either as it was or restored.
 *
 * 1. checks: mount, the volume is a regular file and not a symbolic link (nothing is written through a
 *    link out of the base), its clone state (a clone parent is read-only: refused), its size (raw), its
 *    owner and mode; then the work file `<base>/.tmp.restore.<tag>` with the volume's size (`truncate
 *    -r`, all holes), mode 600 while it fills, and `mmlsattr -L` of both files;
 * 2. `dd of=<work> bs=4M iflag=fullblock conv=notrunc,sparse status=none` with the caller's source on
 *    standard input, capped at the volume's size. The work file is new and not a clone, so its holes
 *    read as zeros: no old block survives under a hole of the backup (the leak upstream fixed for
 *    re-imaging in 1a8ea0eac), no zero is written, and the size never changes;
 * 3. the volume's owner, mode and GPFS attributes (storage pool, replication, direct I/O, write affinity;
 *    only those that differ) on the work file, then `mv -T <work> <volume>` (rename(2) replaces the
 *    volume in one step).
 *
 * The volume is a new file afterwards (another inode, not a clone: a disposable parent the old content
 * leaves without children is an orphan for collectGarbage), and the file system needs room for the
 * restored data while the old content still exists.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { MmlsattrRecord } from '../../parsers/mmlsattr.js';
import type { GpfsError } from '../errors.js';
import { temporaryPath } from '../group-names.js';
import { mountCheck } from '../mount-check.js';
import { pathIn, validateName } from '../names.js';
import type { ResolvedOptions } from '../options.js';
import type { VolumeRef } from '../types.js';
import { checkAbsent, checkPresent, readRawSize } from './commands.js';
import type { OperationPlan, PlannedCommand } from './types.js';

/**
 * A restoreBackup plan.
 *
 * @example
 * ```ts
 * const plan = planRestoreBackup(options, { name: 'v1' }, 'k3x1')._unsafeUnwrap();
 * plan.workPath; // '/gpfs0/volumes/.tmp.restore.k3x1'
 * ```
 */
export interface RestorePlan extends OperationPlan {
  /** The volume. */
  readonly path: string;
  /** The work file the backup is written into. */
  readonly workPath: string;
  /** The first round. */
  readonly first: readonly PlannedCommand[];
}

/**
 * Plans restoreBackup.
 *
 * @param options - Resolved driver options.
 * @param volume - The volume to overwrite.
 * @param tag - A unique tag for the work file (`<tag>` in dry runs).
 * @returns The plan, or `InvalidName` (nothing runs).
 * @example
 * ```ts
 * planRestoreBackup(options, { name: 'v1' }, 'k3x1')._unsafeUnwrap().rounds.length; // 3
 * ```
 */
export function planRestoreBackup(options: ResolvedOptions, volume: VolumeRef, tag = '<tag>'): Result<RestorePlan, GpfsError> {
  return validateName(volume.name, 'volume').map((name): RestorePlan => {
    const path = pathIn(options.mountPointBase, name);
    const workPath = temporaryPath(options.mountPointBase, 'restore', tag);
    const first: PlannedCommand[] = [
      mountCheck(options.mountPointBase),
      { step: 'volume-not-symlink', argv: ['test', '!', '-h', path], asRoot: true },
      checkPresent('check-volume', 'volume', path),
      { step: 'read-clone-state', argv: ['mmclone', 'show', path], asRoot: true },
      readRawSize(path),
      { step: 'read-owner-mode', argv: ['stat', '-c', '%u:%g:%a', path], asRoot: true },
      checkAbsent('check-work-absent', 'volume', workPath),
      { step: 'create-work', argv: ['truncate', '-r', path, workPath], asRoot: true, creates: [{ path: workPath, dispose: 'remove', exclusive: true }] },
      { step: 'protect-work', argv: ['chmod', '600', workPath], asRoot: true },
      { step: 'read-attributes', argv: ['mmlsattr', '-L', path, workPath], asRoot: true },
    ];
    return {
      operation: 'restoreBackup',
      path,
      workPath,
      first,
      rounds: [
        { commands: first },
        { commands: [restoreCommand(workPath)], condition: 'standard input streamed from the source, capped at the volume size' },
        {
          commands: publishCommands({ path, workPath, owner: '<owner>', mode: '<mode>', attributeOptions: ['<attributes that differ>'] }),
          condition: 'when the stream succeeded; chown and mmchattr only when the owner or attributes differ',
        },
      ],
    };
  });
}

/**
 * The `dd` that writes standard input into the work file, holes for zero blocks, keeping its size.
 *
 * @param workPath - The work file.
 * @returns The command (step `stream`).
 * @example
 * ```ts
 * restoreCommand('/gpfs0/.tmp.restore.k3x1').argv; // ['dd', 'of=/gpfs0/.tmp.restore.k3x1', 'bs=4M', 'iflag=fullblock', 'conv=notrunc,sparse', 'status=none']
 * ```
 */
export function restoreCommand(workPath: string): PlannedCommand {
  return { step: 'stream', argv: ['dd', `of=${workPath}`, 'bs=4M', 'iflag=fullblock', 'conv=notrunc,sparse', 'status=none'], asRoot: true };
}

/**
 * The last round: the volume's owner (when not root's), mode and differing GPFS attributes on the work
 * file, then the rename over the volume (send stopping at the first failure).
 *
 * @param publish - Paths, `<uid>:<gid>` and octal mode as `stat` printed them, and `mmchattr` options.
 * @returns The commands.
 * @example
 * ```ts
 * publishCommands({ path: '/gpfs0/v1', workPath: '/gpfs0/.tmp.restore.k3x1', owner: '0:0', mode: '660', attributeOptions: [] }).map((c) => c.step);
 * // ['set-mode', 'replace-volume']
 * ```
 */
export function publishCommands(publish: {
  readonly path: string;
  readonly workPath: string;
  readonly owner: string;
  readonly mode: string;
  readonly attributeOptions: readonly string[];
}): PlannedCommand[] {
  const { path, workPath, owner, mode, attributeOptions } = publish;
  return [
    ...(owner === '0:0' ? [] : [{ step: 'set-owner', argv: ['chown', owner, workPath], asRoot: true }]),
    { step: 'set-mode', argv: ['chmod', mode, workPath], asRoot: true },
    ...(attributeOptions.length === 0 ? [] : [{ step: 'set-attributes', argv: ['mmchattr', ...attributeOptions, workPath], asRoot: true }]),
    { step: 'replace-volume', argv: ['mv', '-T', '--', workPath, path], asRoot: true },
  ];
}

/**
 * The `mmchattr` options that give the work file the volume's GPFS attributes: storage pool, data and
 * metadata replication, direct I/O and the FPO write affinity settings, each only when it differs.
 *
 * @param volume - The volume's `mmlsattr -L` record.
 * @param work - The work file's.
 * @returns The options (empty when nothing differs).
 * @example
 * ```ts
 * attributeOptions(volumeRecord, workRecord); // ['-P', 'fast'] for a volume retyped to pool fast
 * ```
 */
export function attributeOptions(volume: MmlsattrRecord, work: MmlsattrRecord): string[] {
  const options: string[] = [];
  if (volume.storagePoolName !== work.storagePoolName) options.push('-P', volume.storagePoolName);
  if (volume.dataReplication.current !== work.dataReplication.current) options.push('-r', String(volume.dataReplication.current));
  if (volume.metadataReplication.current !== work.metadataReplication.current) options.push('-m', String(volume.metadataReplication.current));
  if (_directIo(volume) !== _directIo(work)) options.push('-D', _directIo(volume) ? 'yes' : 'no');
  for (const [label, option] of _FPO_OPTIONS) {
    const wanted = _other(volume, label);
    if (wanted !== null && wanted !== _other(work, label)) options.push(option, wanted);
  }
  return options;
}

// --- Internal helpers ---

/** `mmlsattr -L` labels of the FPO settings and the `mmchattr` option of each. */
const _FPO_OPTIONS: readonly (readonly [string, string])[] = [
  ['write affinity depth', '--write-affinity-depth'],
  ['block group factor', '--block-group-factor'],
  ['write affinity failure group(fg) map for copy', '--write-affinity-failure-group'],
];

function _directIo(record: MmlsattrRecord): boolean {
  return [...record.flags, ...record.miscAttributes].some((token) => token.toLowerCase() === 'directio');
}

function _other(record: MmlsattrRecord, label: string): string | null {
  const entry = Object.entries(record.other).find(([printed]) => printed.trim().toLowerCase().replace(/\s+/g, ' ') === label);
  const value = entry?.[1].trim() ?? '';
  return value === '' ? null : value;
}
