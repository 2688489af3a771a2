/**
 * NFS mode, like upstream's GPFSNFSDriver: GPFS commands run through the runner against GPFS-side paths
 * (`mountPointBase` and everything under it), while consumers use the volumes through an NFS mount of an
 * export of that directory. Only `localPath` and `initializeConnection` speak of consumer-side paths.
 *
 * Upstream mixes the two (cinder-gpfs-driver.md E.8 items 18 to 20): `local_path` picks a share by
 * placement and runs `du` on every call, the copy branch of image cloning copies to the GPFS path
 * locally, retype runs `mmchattr` over SSH on the NFS path, and setup never initialises the NFS side.
 * Here the mapping is one pure function, `consumerPath`, fixed by validated options: no share discovery,
 * no command, no local file system access; every command keeps GPFS-side paths.
 *
 * @module
 */
import * as v from 'valibot';
import { err, ok, type Result } from 'neverthrow';
import { invalidConfig, type InvalidConfigError } from './errors.js';

/**
 * The `nfs` option of the driver.
 *
 * @example
 * ```ts
 * const nfs: NfsOptions = { server: 'ces.example.com', exportPath: '/gpfs0', consumerMountPoint: '/mnt/gpfs0' };
 * // mountPointBase '/gpfs0/volumes' -> volume v1 is '/mnt/gpfs0/volumes/v1' for consumers
 * ```
 */
export interface NfsOptions {
  /** Absolute path where consumers mount the export. */
  readonly consumerMountPoint: string;
  /** The exported GPFS-side directory: `mountPointBase` or one of its ancestors. @defaultValue mountPointBase */
  readonly exportPath?: string;
  /** The NFS server as consumers reach it (host name or IP address), used in connection info. */
  readonly server?: string;
}

/**
 * Validated NFS options.
 *
 * @example
 * ```ts
 * const resolved: ResolvedNfsOptions = { consumerMountPoint: '/mnt/gpfs0', exportPath: '/gpfs0', server: 'ces.example.com' };
 * ```
 */
export interface ResolvedNfsOptions {
  /** Normalised consumer mount point. */
  readonly consumerMountPoint: string;
  /** Normalised exported GPFS directory. */
  readonly exportPath: string;
  /** The server, or `null`. */
  readonly server: string | null;
}

/**
 * What `initializeConnection` returns in NFS mode (upstream's `driver_volume_type: 'nfs'`).
 *
 * @example
 * ```ts
 * const info: NfsConnectionInfo = {
 *   driverVolumeType: 'nfs',
 *   data: { name: 'v1', devicePath: '/mnt/gpfs0/volumes/v1', export: 'ces.example.com:/gpfs0', mountPoint: '/mnt/gpfs0', gpfsPath: '/gpfs0/volumes/v1' },
 * };
 * ```
 */
export interface NfsConnectionInfo {
  /** Always `'nfs'`. */
  readonly driverVolumeType: 'nfs';
  /** Connection data. */
  readonly data: {
    /** The volume's name. */
    readonly name: string;
    /** The volume file as consumers see it (under their mount of the export). */
    readonly devicePath: string;
    /** The export to mount: `<server>:<exportPath>`, or just `exportPath` when no server is configured. */
    readonly export: string;
    /** Where consumers mount the export. */
    readonly mountPoint: string;
    /** The volume file on GPFS (for administrators; consumers use `devicePath`). */
    readonly gpfsPath: string;
  };
}

/**
 * Validates the `nfs` option against `mountPointBase`.
 *
 * @param value - The option as given (`undefined` when NFS mode is off).
 * @param mountPointBase - The validated, normalised base.
 * @returns `null` when not in NFS mode, the resolved options, or `InvalidConfig` listing every problem.
 * @example
 * ```ts
 * resolveNfsOptions({ consumerMountPoint: '/mnt/v' }, '/gpfs0/volumes'); // Ok({ consumerMountPoint: '/mnt/v', exportPath: '/gpfs0/volumes', server: null })
 * resolveNfsOptions({ consumerMountPoint: '/mnt/v', exportPath: '/gpfs1' }, '/gpfs0/volumes'); // Err: the export must contain mountPointBase
 * ```
 */
export function resolveNfsOptions(value: unknown, mountPointBase: string): Result<ResolvedNfsOptions | null, InvalidConfigError> {
  if (value === undefined) return ok(null);
  const parsed = v.safeParse(NfsSchema, value);
  if (!parsed.success) return err(invalidConfig(parsed.issues.map((issue) => `nfs.${v.getDotPath(issue) ?? ''}: ${issue.message}`.replace('nfs.: ', 'nfs: '))));
  const exportPath = parsed.output.exportPath ?? mountPointBase;
  if (exportPath !== mountPointBase && !mountPointBase.startsWith(`${exportPath}/`)) {
    return err(invalidConfig([`nfs.exportPath: must be mountPointBase (${mountPointBase}) or a directory above it, so the volumes are inside the export (got ${exportPath})`]));
  }
  return ok({ consumerMountPoint: parsed.output.consumerMountPoint, exportPath, server: parsed.output.server ?? null });
}

/**
 * The consumer-side path of a GPFS-side path under the export.
 *
 * @param nfs - Resolved NFS options.
 * @param gpfsPath - A path under `exportPath`.
 * @returns The same file under `consumerMountPoint`.
 * @example
 * ```ts
 * consumerPath({ consumerMountPoint: '/mnt/gpfs0', exportPath: '/gpfs0', server: null }, '/gpfs0/volumes/v1'); // '/mnt/gpfs0/volumes/v1'
 * ```
 */
export function consumerPath(nfs: ResolvedNfsOptions, gpfsPath: string): string {
  const relative = gpfsPath === nfs.exportPath ? '' : gpfsPath.slice(nfs.exportPath.length);
  return nfs.consumerMountPoint === '/' ? relative || '/' : `${nfs.consumerMountPoint}${relative}`;
}

/**
 * The NFS connection info of a volume.
 *
 * @param nfs - Resolved NFS options.
 * @param name - The volume's name.
 * @param gpfsPath - Its GPFS-side file.
 * @returns The connection info.
 * @example
 * ```ts
 * nfsConnectionInfo(nfs, 'v1', '/gpfs0/volumes/v1').data.devicePath; // '/mnt/gpfs0/volumes/v1'
 * ```
 */
export function nfsConnectionInfo(nfs: ResolvedNfsOptions, name: string, gpfsPath: string): NfsConnectionInfo {
  return {
    driverVolumeType: 'nfs',
    data: {
      name,
      devicePath: consumerPath(nfs, gpfsPath),
      export: nfs.server === null ? nfs.exportPath : `${nfs.server}:${nfs.exportPath}`,
      mountPoint: nfs.consumerMountPoint,
      gpfsPath,
    },
  };
}

// --- Internal helpers ---

const AbsoluteDirectory = v.pipe(
  v.string('must be a string'),
  v.check((path) => !/[\u0000-\u001f\u007f]/.test(path), 'must not contain control characters'),
  v.check((path) => path.startsWith('/'), 'must be an absolute path'),
  v.transform((path) => (path.length > 1 ? path.replace(/\/+$/, '') : path)),
  v.check(
    (path) =>
      path === '/' ||
      path
        .split('/')
        .slice(1)
        .every((part) => part !== '' && part !== '.' && part !== '..'),
    "must be normalised: no '//', '.' or '..' components",
  ),
);

const NfsSchema = v.strictObject(
  {
    consumerMountPoint: AbsoluteDirectory,
    exportPath: v.optional(
      v.pipe(
        AbsoluteDirectory,
        v.check((path) => path !== '/', 'must not be the root directory'),
      ),
    ),
    server: v.optional(v.pipe(v.string('must be a string'), v.regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]+\])$/, 'must be a host name or an IP address'))),
  },
  'nfs must be an object { consumerMountPoint, exportPath?, server? } with no other keys',
);
