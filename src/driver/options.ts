/**
 * The driver's options: their types, defaults and validation (valibot).
 *
 * Options are validated once, when the driver is created. `createGpfsDriver` never throws: with
 * invalid options it returns a driver whose every method returns `Err` of kind `'InvalidConfig'`
 * (and whose `configError` holds that error); `createGpfsDriverResult` returns the error directly.
 *
 * @module
 */
import * as v from 'valibot';
import { err, ok, type Result } from 'neverthrow';
import type { CommandRunner } from '../runners/types.js';
import { invalidConfig, type InvalidConfigError } from './errors.js';
import { NAME_PATTERN } from './names.js';
import type { NfsOptions } from './nfs.js';

/**
 * How image files in `imagesDir` are turned into volumes.
 *
 * @example
 * ```ts
 * const mode: ImagesShareMode = 'copy_on_write';
 * ```
 */
export type ImagesShareMode = 'copy' | 'copy_on_write';

/**
 * Where the driver reports what it does. Every method is optional; pass `console` to log everything.
 *
 * @example
 * ```ts
 * const logger: DriverLogger = { warn: (message) => console.warn(message) };
 * ```
 */
export interface DriverLogger {
  /** Each command and its exit code. */
  debug?(message: string, details?: Record<string, unknown>): void;
  /** Operations that completed. */
  info?(message: string, details?: Record<string, unknown>): void;
  /** Things that worked but left something to look at (a kept clone parent, a failed cleanup). */
  warn?(message: string, details?: Record<string, unknown>): void;
  /** Operations that failed. */
  error?(message: string, details?: Record<string, unknown>): void;
}

/**
 * One command the driver ran, reported to `onCommand` after it ended.
 *
 * @example
 * ```ts
 * const event: CommandEvent = { operation: 'createVolume', step: 'create-sparse-file', argv: ['truncate', '-s', '10G', '/gpfs0/v1'], asRoot: true, exitCode: 0, signal: null, stderr: '', durationMs: 3, roundTrip: 1 };
 * ```
 */
export interface CommandEvent {
  /** The driver operation, e.g. `'createVolume'`. */
  readonly operation: string;
  /** The step within it, e.g. `'create-sparse-file'` (`'clone-tree'` for the deletion executor's commands). */
  readonly step: string;
  /** The argv that ran. */
  readonly argv: readonly string[];
  /** Whether it ran through the root helper. */
  readonly asRoot: boolean;
  /** Its exit code (`null` when killed by a signal). */
  readonly exitCode: number | null;
  /** The signal that ended it, or `null`. */
  readonly signal: string | null;
  /** Its standard error. */
  readonly stderr: string;
  /** How long it took (virtual milliseconds on the simulator). */
  readonly durationMs: number;
  /** Which round trip of the operation it belonged to, from 1. */
  readonly roundTrip: number;
}

/**
 * Options of {@link createGpfsDriver}: the seed's `gpfs_*` options in camelCase, plus a runner,
 * a logger and a tracing hook.
 *
 * @example
 * ```ts
 * const options: GpfsDriverOptions = { runner: createGpfsSimulator(), mountPointBase: '/gpfs0/volumes', maxCloneDepth: 4 };
 * ```
 */
export interface GpfsDriverOptions {
  /** Runs every command: local, SSH, mock or simulator. */
  readonly runner: CommandRunner;
  /** Absolute GPFS directory where volume and snapshot files live (`gpfs_mount_point_base`). */
  readonly mountPointBase: string;
  /** Absolute GPFS directory of the image repository (`gpfs_images_dir`). Leave unset when images are not on GPFS. */
  readonly imagesDir?: string;
  /** How images become volumes (`gpfs_images_share_mode`); needs `imagesDir`. */
  readonly imagesShareMode?: ImagesShareMode;
  /** Longest clone chain before `mmclone redirect` shortens it; 0 means unlimited (`gpfs_max_clone_depth`). @defaultValue 0 */
  readonly maxCloneDepth?: number;
  /** Create volumes as sparse files; `false` zero-fills them (`gpfs_sparse_volumes`). @defaultValue true */
  readonly sparseVolumes?: boolean;
  /** Storage pool new volumes are assigned to (`gpfs_storage_pool`). @defaultValue 'system' */
  readonly storagePool?: string;
  /** Name reported in volume stats (`volume_backend_name`). @defaultValue 'GPFS' */
  readonly backendName?: string;
  /**
   * Absolute GPFS directories `migrateVolume` (and `retype`) may move volumes to: the `mountPointBase` of
   * other backends of this cluster. A destination not listed is reported as not migrated (the caller
   * falls back to a generic migration). Deleting a volume also lists these directories for its clone
   * parents, so parents a migration left behind stay collectable: list each backend's directory in the
   * others' option. @defaultValue [] (no driver-side migration)
   */
  readonly migrationDirectories?: readonly string[];
  /** Where to log. @defaultValue no logging */
  readonly logger?: DriverLogger;
  /** Called after every command the driver runs (tracing, demos, audits). Exceptions it throws are ignored. */
  readonly onCommand?: (event: CommandEvent) => void;
  /**
   * NFS mode (upstream's GPFSNFSDriver): commands still run on GPFS-side paths; `localPath` and
   * `initializeConnection` give consumer-side paths under `consumerMountPoint`. Validated by `resolveNfsOptions`.
   */
  readonly nfs?: NfsOptions;
}

/**
 * Options after validation, with defaults filled in.
 *
 * @example
 * ```ts
 * const resolved: ResolvedOptions = resolveOptions({ runner, mountPointBase: '/gpfs0' })._unsafeUnwrap();
 * resolved.storagePool; // 'system'
 * ```
 */
export interface ResolvedOptions {
  /** See {@link GpfsDriverOptions.runner}. */
  readonly runner: CommandRunner;
  /** Normalised: absolute, no trailing slash. */
  readonly mountPointBase: string;
  /** Normalised, or `null`. */
  readonly imagesDir: string | null;
  /** The share mode, or `null`. */
  readonly imagesShareMode: ImagesShareMode | null;
  /** 0 = unlimited. */
  readonly maxCloneDepth: number;
  /** See {@link GpfsDriverOptions.sparseVolumes}. */
  readonly sparseVolumes: boolean;
  /** See {@link GpfsDriverOptions.storagePool}. */
  readonly storagePool: string;
  /** See {@link GpfsDriverOptions.backendName}. */
  readonly backendName: string;
  /** Normalised, without `mountPointBase` and duplicates. */
  readonly migrationDirectories: readonly string[];
  /** See {@link GpfsDriverOptions.logger}. */
  readonly logger: DriverLogger;
  /** See {@link GpfsDriverOptions.onCommand}. */
  readonly onCommand: ((event: CommandEvent) => void) | null;
}

/**
 * Validates driver options and fills in defaults.
 *
 * @param options - What the caller passed (any value).
 * @returns The resolved options, or `InvalidConfig` listing every problem.
 * @example
 * ```ts
 * const resolved = resolveOptions({ runner, mountPointBase: '/gpfs0/volumes/' });
 * // Ok({ mountPointBase: '/gpfs0/volumes', maxCloneDepth: 0, sparseVolumes: true, storagePool: 'system', ... })
 * ```
 */
export function resolveOptions(options: unknown): Result<ResolvedOptions, InvalidConfigError> {
  const parsed = v.safeParse(OptionsSchema, options);
  if (!parsed.success) {
    return err(invalidConfig(parsed.issues.map((issue) => `${v.getDotPath(issue) ?? 'options'}: ${issue.message}`)));
  }
  const output = parsed.output;
  const issues: string[] = [];
  if (output.imagesShareMode !== undefined && output.imagesDir === undefined) {
    issues.push(`imagesDir: required when imagesShareMode is '${output.imagesShareMode}'`);
  }
  if (output.imagesDir !== undefined && output.imagesDir === output.mountPointBase) {
    issues.push('imagesDir: must differ from mountPointBase');
  }
  if (issues.length > 0) return err(invalidConfig(issues));
  return ok({
    runner: output.runner,
    mountPointBase: output.mountPointBase,
    imagesDir: output.imagesDir ?? null,
    imagesShareMode: output.imagesShareMode ?? null,
    maxCloneDepth: output.maxCloneDepth,
    sparseVolumes: output.sparseVolumes,
    storagePool: output.storagePool,
    backendName: output.backendName,
    migrationDirectories: [...new Set(output.migrationDirectories)].filter((directory) => directory !== output.mountPointBase),
    logger: output.logger ?? {},
    onCommand: output.onCommand ?? null,
  });
}

// --- Internal helpers ---

const isFunction = (value: unknown): boolean => typeof value === 'function';

const DirectorySchema = v.pipe(
  v.string('must be a string'),
  v.check((path) => !/[\u0000-\u001f\u007f]/.test(path), 'must not contain control characters (NUL, newline, ...)'),
  v.check((path) => path.startsWith('/'), 'must be an absolute path'),
  v.transform((path) => (path.length > 1 ? path.replace(/\/+$/, '') : path)),
  v.check((path) => path !== '' && path !== '/', 'must not be the root directory'),
  v.check(
    (path) =>
      path
        .split('/')
        .slice(1)
        .every((part) => part !== '' && part !== '.' && part !== '..'),
    "must be normalised: no '//', '.' or '..' components",
  ),
);

const OptionsSchema = v.object(
  {
    runner: v.custom<CommandRunner>((value) => typeof value === 'object' && value !== null && isFunction((value as { run?: unknown }).run), 'must be a CommandRunner (an object with a run method)'),
    mountPointBase: DirectorySchema,
    imagesDir: v.optional(DirectorySchema),
    imagesShareMode: v.optional(v.picklist(['copy', 'copy_on_write'], "must be 'copy' or 'copy_on_write'")),
    maxCloneDepth: v.optional(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(0, 'must be 0 (unlimited) or more')), 0),
    sparseVolumes: v.optional(v.boolean('must be true or false'), true),
    storagePool: v.optional(v.pipe(v.string('must be a string'), v.regex(NAME_PATTERN, 'must be a storage pool name (A-Z a-z 0-9 _ . -)')), 'system'),
    backendName: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.minLength(1, 'must not be empty'),
        v.check((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must not contain control characters'),
      ),
      'GPFS',
    ),
    migrationDirectories: v.optional(v.array(DirectorySchema, 'must be an array of absolute directories'), []),
    logger: v.optional(
      v.custom<DriverLogger>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          ['debug', 'info', 'warn', 'error'].every((level) => {
            const method = (value as Record<string, unknown>)[level];
            return method === undefined || isFunction(method);
          }),
        'must be an object whose debug, info, warn and error members, where present, are functions',
      ),
    ),
    onCommand: v.optional(v.custom<(event: CommandEvent) => void>(isFunction, 'must be a function')),
  },
  'options must be an object',
);
