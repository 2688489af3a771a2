/**
 * Pure builders of the planned commands the operations share. Every argv is an array: no command is
 * ever joined into a shell string here.
 *
 * @module
 */
import { temporaryPath } from '../group-names.js';
import type { PlannedCommand } from './types.js';

/**
 * One GiB in bytes.
 *
 * @example
 * ```ts
 * Math.ceil(info.virtualSizeBytes / GIB_BYTES); // size in GiB, rounded up
 * ```
 */
export const GIB_BYTES = 1024 ** 3;

/**
 * `test -e <path>` that must fail: the create would otherwise overwrite `path`.
 *
 * @param step - Step name.
 * @param role - What would be overwritten.
 * @param path - The path.
 * @returns The check.
 * @example
 * ```ts
 * checkAbsent('check-volume-absent', 'volume', '/gpfs0/v1').argv; // ['test', '!', '-e', '/gpfs0/v1']
 * ```
 */
export function checkAbsent(step: string, role: 'volume' | 'snapshot' | 'clone parent', path: string): PlannedCommand {
  return { step, argv: ['test', '!', '-e', path], asRoot: true, check: { kind: 'absent', role, path } };
}

/**
 * `test -f <path>`: the volume or snapshot the operation needs exists as a regular file.
 *
 * @param step - Step name.
 * @param role - What is needed.
 * @param path - The path.
 * @returns The check.
 * @example
 * ```ts
 * checkPresent('check-source', 'volume', '/gpfs0/v1').argv; // ['test', '-f', '/gpfs0/v1']
 * ```
 */
export function checkPresent(step: string, role: 'volume' | 'snapshot', path: string): PlannedCommand {
  return { step, argv: ['test', '-f', path], asRoot: true, check: { kind: 'present', role, path } };
}

/**
 * `mmclone show <path>...`, read to learn clone depths.
 *
 * @param paths - Files to show.
 * @returns The command (step `read-clone-depth`).
 * @example
 * ```ts
 * readCloneDepth(['/gpfs0/v1']).argv; // ['mmclone', 'show', '/gpfs0/v1']
 * ```
 */
export function readCloneDepth(paths: readonly string[]): PlannedCommand {
  return { step: 'read-clone-depth', argv: ['mmclone', 'show', ...paths], asRoot: true };
}

/**
 * `qemu-img resize -f raw <path> <N>G`: the format is pinned to raw so that qemu-img never probes
 * tenant-written data (a guest's qcow2 header inside a raw volume).
 *
 * @param path - The volume file.
 * @param sizeGiB - The new size.
 * @returns The command (step `resize`).
 * @example
 * ```ts
 * resizeRaw('/gpfs0/v1', 20).argv; // ['qemu-img', 'resize', '-f', 'raw', '/gpfs0/v1', '20G']
 * ```
 */
export function resizeRaw(path: string, sizeGiB: number): PlannedCommand {
  return { step: 'resize', argv: ['qemu-img', 'resize', '-f', 'raw', path, `${sizeGiB}G`], asRoot: true };
}

/**
 * `qemu-img info -f raw --output=json <path>`: the virtual size, with the format pinned to raw.
 *
 * @param path - The volume file.
 * @returns The command (step `read-size`).
 * @example
 * ```ts
 * readRawSize('/gpfs0/v1').argv; // ['qemu-img', 'info', '-f', 'raw', '--output=json', '/gpfs0/v1']
 * ```
 */
export function readRawSize(path: string): PlannedCommand {
  return { step: 'read-size', argv: ['qemu-img', 'info', '-f', 'raw', '--output=json', path], asRoot: true };
}

/**
 * `chmod <mode> <path>`.
 *
 * @param path - The file.
 * @param mode - Octal mode: `'660'` for volumes, `'640'` for snapshots.
 * @returns The command (step `set-permissions`).
 * @example
 * ```ts
 * setMode('/gpfs0/v1', '660').argv; // ['chmod', '660', '/gpfs0/v1']
 * ```
 */
export function setMode(path: string, mode: '660' | '640'): PlannedCommand {
  return { step: 'set-permissions', argv: ['chmod', mode, path], asRoot: true };
}

/**
 * `mmchattr <options> <path>`, or nothing when there is nothing to change.
 *
 * `-P <pool>` is left out when the file system's only data pool is `<pool>` (as setup found it): every
 * block of every file is in that pool already, so the assignment cannot change anything, and it costs
 * an mm* command. With other pools (or before setup ran: `dataPools` unknown) it is always sent.
 *
 * @param path - The file.
 * @param options - Validated `mmchattr` options.
 * @param dataPools - The file system's data pools from the cached facts, or `null` when unknown.
 * @returns Zero or one command (step `set-attributes`).
 * @example
 * ```ts
 * setAttributes('/gpfs0/v1', ['-P', 'system']).map((command) => command.argv); // [['mmchattr', '-P', 'system', '/gpfs0/v1']]
 * setAttributes('/gpfs0/v1', ['-P', 'system'], ['system']); // []
 * ```
 */
export function setAttributes(path: string, options: readonly string[], dataPools: readonly string[] | null = null): PlannedCommand[] {
  const needed = withoutNoopPool(options, dataPools);
  return needed.length === 0 ? [] : [{ step: 'set-attributes', argv: ['mmchattr', ...needed, path], asRoot: true }];
}

/**
 * `mmchattr` options without a `-P <pool>` that cannot change anything: `dataPools` (the file system's
 * data pools) is exactly `[pool]`.
 *
 * @param options - Validated `mmchattr` options.
 * @param dataPools - The data pools, or `null` when unknown (the options are returned as they are).
 * @returns The options still needed.
 * @example
 * ```ts
 * withoutNoopPool(['-P', 'system', '-r', '2', '-m', '2'], ['system']); // ['-r', '2', '-m', '2']
 * withoutNoopPool(['-P', 'system'], ['system', 'data']); // ['-P', 'system']
 * ```
 */
export function withoutNoopPool(options: readonly string[], dataPools: readonly string[] | null): readonly string[] {
  const index = options.indexOf('-P');
  const pool = index === -1 ? undefined : options[index + 1];
  if (pool === undefined || dataPools === null || dataPools.length !== 1 || dataPools[0] !== pool) return options;
  return [...options.slice(0, index), ...options.slice(index + 2)];
}

/**
 * `mmclone redirect <path>`: splits a clone from its immediate parent, shortening its chain by one.
 *
 * @param path - The clone.
 * @returns The command (step `redirect`).
 * @example
 * ```ts
 * redirect('/gpfs0/v1').argv; // ['mmclone', 'redirect', '/gpfs0/v1']
 * ```
 */
export function redirect(path: string): PlannedCommand {
  return { step: 'redirect', argv: ['mmclone', 'redirect', path], asRoot: true };
}

/**
 * Where a create builds a volume before publishing it: `<directory>/.tmp.create.<tag>`, beside the
 * volume (same fileset, so that `ln` can publish it). A volume is visible under its name only once it is
 * complete: content, mode, attributes, size (and depth) are all made on the work file.
 *
 * @param path - The volume's final path.
 * @param tag - The execution's unique tag (`<tag>` in dry runs).
 * @returns The work file's path.
 * @example
 * ```ts
 * buildPath('/gpfs0/volumes/v1', 'k3x1'); // '/gpfs0/volumes/.tmp.create.k3x1'
 * ```
 */
export function buildPath(path: string, tag: string): string {
  return temporaryPath(path.slice(0, path.lastIndexOf('/')) || '/', 'create', tag);
}

/**
 * The last steps of a create: publish the finished work file under the volume's name with
 * `ln -T -- <work> <path>` (which never replaces an existing file: a name taken meanwhile is
 * `AlreadyExists`), then drop the work name. Nothing after the publish can fail the create: a work name
 * left by a failed `rm` is only a second name of the volume, which garbage collection removes.
 *
 * @param work - The work file.
 * @param path - The volume's final path.
 * @returns Steps `publish` and `drop-work-name` (send with {@link PUBLISH_TOLERATED}).
 * @example
 * ```ts
 * publishCommands('/gpfs0/volumes/.tmp.create.k3x1', '/gpfs0/volumes/v1').map((c) => c.argv.join(' '));
 * // ['ln -T -- /gpfs0/volumes/.tmp.create.k3x1 /gpfs0/volumes/v1', 'rm -f -- /gpfs0/volumes/.tmp.create.k3x1']
 * ```
 */
export function publishCommands(work: string, path: string): PlannedCommand[] {
  return [
    { step: 'publish', argv: ['ln', '-T', '--', work, path], asRoot: true, claims: { role: 'volume', path } },
    { step: 'drop-work-name', argv: ['rm', '-f', '--', work], asRoot: true },
  ];
}

/**
 * Steps of {@link publishCommands} whose failure does not fail the create (the volume is published).
 *
 * @example
 * ```ts
 * execution.round(commands, PUBLISH_TOLERATED);
 * ```
 */
export const PUBLISH_TOLERATED: readonly string[] = ['drop-work-name'];
