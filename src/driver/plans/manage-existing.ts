/**
 * Plans of manageExisting, manageExistingGetSize and unmanage (the first two are not in upstream).
 *
 * manageExistingGetSize, one round trip: mount check, then `find <path> -maxdepth 0 -printf` (type and
 * size without following a symbolic link), `mmlsattr <path>` (the file itself is on GPFS) and
 * `mmclone show <path>` (a clone parent is read-only: a snapshot, never a volume).
 *
 * manageExisting, two round trips: the same reads plus "the volume name is free"; then the rename into
 * the naming scheme (`mv -T`, undone if a later step fails), mode 660, and a listing that proves the file
 * arrived. Only a regular file under `mountPointBase` (a group directory included) is accepted; never a
 * path in a `.snapshots` directory, never a name reserved for the driver's clone parents.
 *
 * unmanage, one round trip: the volume is renamed to `.unmanaged-<name>` in its own directory: out of the
 * naming scheme (the name is free again, inventory lists it as unmanaged) but untouched, and in the same
 * directory, so its clone relations stay visible to the clone-tree executor.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { CommandOutput } from '../../runners/types.js';
import { invalidArgument, notFound, type GpfsError, type InvalidArgumentError } from '../errors.js';
import { parseFileListing, parseMmcloneShow } from '../../parsers/index.js';
import { RESERVED_SUFFIXES } from '../names.js';
import { listStep } from '../scan.js';
import type { StepCommand } from '../undoable.js';
import { GIB_BYTES } from './commands.js';
import { mountedStep } from './groups.js';

/**
 * What was found at a path offered for adoption.
 *
 * @example
 * ```ts
 * const found: ExistingFile = { path: '/gpfs0/volumes/import/disk.img', inode: 4107, sizeBytes: 1610612736, sizeGiB: 2 };
 * ```
 */
export interface ExistingFile {
  /** The path. */
  readonly path: string;
  /** Its inode. */
  readonly inode: number;
  /** Its size in bytes. */
  readonly sizeBytes: number;
  /** Its size in GiB, rounded up (at least 1). */
  readonly sizeGiB: number;
  /** Its permission bits before adoption (put back if the adoption is undone). */
  readonly mode: number;
}

/**
 * Checks a path offered for adoption: absolute, normalised, under `base`, not in a snapshot directory,
 * not named like the driver's clone parents, no control characters.
 *
 * @param base - `mountPointBase`.
 * @param path - The candidate (any value).
 * @returns The path, or `InvalidArgument` (nothing runs).
 * @example
 * ```ts
 * validateExistingPath('/gpfs0/volumes', '/gpfs0/volumes/import/disk.img'); // Ok
 * validateExistingPath('/gpfs0/volumes', '/etc/passwd');                    // Err(InvalidArgument)
 * ```
 */
export function validateExistingPath(base: string, path: unknown): Result<string, InvalidArgumentError> {
  const reject = (why: string) => err(invalidArgument('path', `path ${JSON.stringify(path)} ${why}. Nothing was run.`));
  if (typeof path !== 'string') return reject('must be a string');
  if (/[\u0000-\u001f\u007f]/.test(path)) return reject('must not contain control characters');
  if (!path.startsWith(`${base}/`)) return reject(`must be under mountPointBase (${base})`);
  const parts = path.slice(base.length + 1).split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return reject("must be normalised: no '//', '.' or '..' components, no trailing '/'");
  if (parts.includes('.snapshots')) return reject('is in a read-only GPFS snapshot directory');
  const name = parts[parts.length - 1] ?? '';
  const suffix = RESERVED_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix !== undefined) return reject(`ends in '${suffix}', which marks the driver's own clone parents`);
  return ok(path);
}

/**
 * The read round: mount check, the file's listing, `mmlsattr`, `mmclone show`, and optionally more steps
 * (the group check, "the volume name is free").
 *
 * @param base - `mountPointBase`.
 * @param path - The validated path.
 * @param extra - Further checks to send in the same round trip.
 * @returns The steps (read with {@link readExistingFile}; run without stopping).
 * @example
 * ```ts
 * existingFileSteps('/gpfs0/volumes', '/gpfs0/volumes/import/disk.img').map((c) => c.step);
 * // ['check-mounted', 'stat-file', 'check-gpfs', 'show-clone']
 * ```
 */
export function existingFileSteps(base: string, path: string, extra: readonly StepCommand[] = []): StepCommand[] {
  return [
    mountedStep(base),
    listStep([path], { maxDepth: 0 }, 'stat-file'),
    { step: 'check-gpfs', argv: ['mmlsattr', path], asRoot: true },
    { step: 'show-clone', argv: ['mmclone', 'show', path], asRoot: true },
    ...extra,
  ];
}

/**
 * Reads the read round (after its mount check passed): the file must exist, be a regular file (not a
 * link), be on GPFS and not be a clone parent.
 *
 * @param path - The path.
 * @param output - Output by step.
 * @returns The file, or the first problem found.
 * @example
 * ```ts
 * readExistingFile(path, (step) => round.output(step)).map((file) => file.sizeGiB);
 * ```
 */
export function readExistingFile(path: string, output: (step: string) => CommandOutput | undefined): Result<ExistingFile, GpfsError> {
  const entry = parseFileListing(output('stat-file')?.stdout ?? '').map((entries) => entries.find((candidate) => candidate.path === path));
  if (entry.isErr()) return err(entry.error);
  if (entry.value === undefined) return err({ ...notFound('volume', path), message: `${path} does not exist (nothing was changed)` });
  const type = entry.value.type;
  if (type !== 'f') {
    const what = type === 'l' ? 'a symbolic link' : type === 'd' ? 'a directory' : 'a special file';
    return err(invalidArgument('path', `${path} is not a regular file (it is ${what}). Nothing was changed.`));
  }
  const gpfs = output('check-gpfs');
  if (gpfs?.exitCode !== 0) {
    const why = (gpfs?.stderr ?? '').trim().split('\n')[0] ?? '';
    return err(invalidArgument('path', `${path} is not a file on a mounted GPFS file system (mmlsattr failed${why === '' ? '' : `: ${why}`}). Nothing was changed.`));
  }
  const rows = parseMmcloneShow(output('show-clone')?.stdout ?? '');
  if (rows.isOk() && rows.value.some((row) => row.isParent)) {
    return err({ kind: 'InUse', path, message: `${path} is a clone parent (a snapshot or another file's parent): read-only, it cannot be a volume. Nothing was changed.` });
  }
  const sizeBytes = entry.value.sizeBytes;
  return ok({ path, inode: entry.value.inode, sizeBytes, sizeGiB: Math.max(1, Math.ceil(sizeBytes / GIB_BYTES)), mode: entry.value.mode & 0o7777 });
}

/**
 * The read round of manageExisting: the checks of {@link existingFileSteps}, and a listing of the
 * destination (when the file is gone, it tells a retry where an earlier adoption may have put it).
 *
 * @param base - `mountPointBase`.
 * @param path - The file to adopt.
 * @param destination - The volume's path.
 * @param extra - Further checks (the group's).
 * @returns The steps.
 * @example
 * ```ts
 * manageExistingReadSteps('/gpfs0/volumes', '/gpfs0/volumes/import/disk.img', '/gpfs0/volumes/v9', []).at(-1)?.step; // 'stat-destination'
 * ```
 */
export function manageExistingReadSteps(base: string, path: string, destination: string, extra: readonly StepCommand[]): StepCommand[] {
  return existingFileSteps(base, path, [...extra, listStep([destination], { maxDepth: 0 }, 'stat-destination')]);
}

/**
 * The change round of manageExisting: mode 660 first, then the rename into the naming scheme (the
 * last change: a rename interrupted after it took effect leaves the file exactly as a clean adoption
 * does), and a listing that shows the file arrived. A name already taken is never overwritten.
 *
 * @param path - The adopted file.
 * @param destination - The volume's path.
 * @param originalMode - The file's permission bits before adoption (put back by the undo); `null` in a dry run, shown as `<original mode>`.
 * @returns The steps (each change is undone if a later step fails).
 * @example
 * ```ts
 * adoptSteps('/gpfs0/volumes/import/disk.img', '/gpfs0/volumes/volume-9', 0o644).map((c) => c.step);
 * // ['check-volume-absent', 'set-permissions', 'rename', 'verify']
 * ```
 */
export function adoptSteps(path: string, destination: string, originalMode: number | null): StepCommand[] {
  const renaming = path !== destination;
  const mode = originalMode === null ? '<original mode>' : originalMode.toString(8);
  const permissions: StepCommand = {
    step: 'set-permissions',
    argv: ['chmod', '660', path],
    asRoot: true,
    // Putting back the mode read in round 1 is right whether or not the chmod ran (and fails harmlessly
    // once the rename moved the file away), so it runs after a runner error too; the rename's undo never does.
    undo: [{ step: 'undo', argv: ['chmod', mode, path], asRoot: true, target: `${path} (mode ${mode} again)`, exclusive: true }],
  };
  if (!renaming) return [permissions, listStep([destination], { maxDepth: 0 }, 'verify')];
  return [
    { step: 'check-volume-absent', argv: ['test', '!', '-e', destination], asRoot: true, expect: { kind: 'absent', role: 'volume', path: destination } },
    permissions,
    {
      step: 'rename',
      argv: ['mv', '-T', '--', path, destination],
      asRoot: true,
      undo: [{ step: 'undo', argv: ['mv', '-T', '--', destination, path], asRoot: true, target: `${destination} (renamed back to ${path})` }],
    },
    listStep([destination], { maxDepth: 0 }, 'verify'),
  ];
}

/**
 * The round of unmanage: the volume must exist, its new name must be free, then the rename.
 *
 * @param base - `mountPointBase`.
 * @param path - The volume's file.
 * @param unmanaged - Where it goes (`.unmanaged-<name>` beside it).
 * @returns The steps.
 * @example
 * ```ts
 * unmanageSteps('/gpfs0/volumes', '/gpfs0/volumes/v1', '/gpfs0/volumes/.unmanaged-v1').map((c) => c.argv.join(' '));
 * // ['df -P -t gpfs /gpfs0/volumes', 'test -f /gpfs0/volumes/v1', 'test ! -e /gpfs0/volumes/.unmanaged-v1', 'mv -T -- /gpfs0/volumes/v1 /gpfs0/volumes/.unmanaged-v1']
 * ```
 */
export function unmanageSteps(base: string, path: string, unmanaged: string): StepCommand[] {
  return [
    mountedStep(base),
    { step: 'check-volume', argv: ['test', '-f', path], asRoot: true, expect: { kind: 'present', role: 'volume', path } },
    { step: 'check-unmanaged-absent', argv: ['test', '!', '-e', unmanaged], asRoot: true, expect: { kind: 'absent', role: 'volume', path: unmanaged } },
    { step: 'rename', argv: ['mv', '-T', '--', path, unmanaged], asRoot: true },
  ];
}
