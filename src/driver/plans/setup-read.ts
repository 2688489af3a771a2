/**
 * Reading the setup rounds' output into {@link ClusterFacts}, with the seed's checks in its order:
 * GPFS active, directories on a mounted GPFS, same file system and fileset for `copy_on_write`,
 * cluster level and format levels at least 1200 (integer arithmetic), the storage pool, and
 * encryption only where the cluster can report it.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import { parseDf } from '../../parsers/df.js';
import { parseMmlsattr } from '../../parsers/mmlsattr.js';
import { parseMmlsconfig } from '../../parsers/mmlsconfig.js';
import { parseFilesystemFormatVersion, parseMmlsfs } from '../../parsers/mmlsfs.js';
import { parseMmlspool } from '../../parsers/mmlspool.js';
import { parseStatFilesystemIds } from '../../parsers/stat.js';
import type { CommandOutput } from '../../runners/types.js';
import { invalidConfig, notMounted, type GpfsError } from '../errors.js';
import type { RoundOutputs } from '../executor.js';
import { CLONE_MIN_RELEASE_LEVEL, ENCRYPTION_MIN_RELEASE_LEVEL, type ClusterFacts, type DirectoryFacts } from '../facts.js';
import { inactiveState } from '../mount-check.js';
import type { ResolvedOptions } from '../options.js';
import type { SetupDevices } from './setup.js';
import { succeededOutput } from './outputs.js';

/**
 * What the first round established.
 *
 * @example
 * ```ts
 * const probe: SetupProbe = readSetupProbe(options, round)._unsafeUnwrap();
 * probe.baseDevice; // 'gpfs0'
 * ```
 */
export interface SetupProbe extends SetupDevices {
  /** Cluster id. */
  readonly clusterId: string;
  /** Cluster name, if reported. */
  readonly clusterName: string | null;
  /** Node name from mmgetstate. */
  readonly node: string | null;
  /** Daemon release level. */
  readonly clusterReleaseLevel: number;
  /** The base directory, without its format level yet. */
  readonly base: Omit<DirectoryFacts, 'formatLevel' | 'formatVersion'>;
  /** The images directory, without its format level yet. */
  readonly images: Omit<DirectoryFacts, 'formatLevel' | 'formatVersion'> | null;
  /** Capacity of the base's file system. */
  readonly capacity: ClusterFacts['capacity'];
  /** Same file system and fileset, for a configured images directory. */
  readonly imagesShare: ClusterFacts['imagesShare'];
}

/**
 * Reads the first setup round.
 *
 * @param options - Resolved driver options.
 * @param round - The round's outputs by step.
 * @returns What it established, or the first problem found.
 * @example
 * ```ts
 * readSetupProbe(options, round).map((probe) => probe.baseDevice);
 * ```
 */
export function readSetupProbe(options: ResolvedOptions, round: RoundOutputs): Result<SetupProbe, GpfsError> {
  const state = succeededOutput('setup', round, 'gpfs-state').andThen((output) => {
    const inactive = inactiveState(output.stdout);
    if (inactive !== null) {
      return err<string | null, GpfsError>({
        kind: 'GpfsNotActive',
        state: inactive.state,
        node: inactive.node,
        message: `GPFS is not active${inactive.node === null ? '' : ` on ${inactive.node}`} (state: ${inactive.state}); start it (mmstartup) or point the runner at an active node`,
      });
    }
    return ok(nodeName(output.stdout));
  });
  if (state.isErr()) return err(state.error);
  const clusterId = configValue(round, 'cluster-id', 'clusterId');
  if (clusterId.isErr()) return err(clusterId.error);
  const levelText = configValue(round, 'cluster-level', null);
  if (levelText.isErr()) return err(levelText.error);
  const level = /^\d+$/.test(levelText.value) ? Number(levelText.value) : Number.NaN;
  if (!Number.isSafeInteger(level)) {
    return err({ kind: 'ParseError', parser: 'minreleaseLeveldaemon', message: `expected an integer release level, got ${JSON.stringify(levelText.value)}` });
  }
  if (level < CLONE_MIN_RELEASE_LEVEL) {
    return err({
      kind: 'DownlevelCluster',
      level,
      requiredLevel: CLONE_MIN_RELEASE_LEVEL,
      message: `downlevel GPFS cluster: file clones need daemon level ${CLONE_MIN_RELEASE_LEVEL} or later, the cluster runs at ${level}; raise it with mmchconfig release=LATEST after upgrading every node`,
    });
  }
  const base = readDirectory(round, 'base', options.mountPointBase);
  if (base.isErr()) return err(base.error);
  let images: Omit<DirectoryFacts, 'formatLevel' | 'formatVersion'> | null = null;
  let imagesShare: ClusterFacts['imagesShare'] = null;
  if (options.imagesDir !== null) {
    const read = readDirectory(round, 'images', options.imagesDir);
    if (read.isErr()) return err(read.error);
    images = read.value.directory;
    const share = readShare(options, round, base.value.directory, images);
    if (share.isErr()) return err(share.error);
    imagesShare = share.value;
  }
  const clusterName = configValue(round, 'cluster-id', 'clusterName');
  return ok({
    clusterId: clusterId.value,
    clusterName: clusterName.isOk() ? clusterName.value : null,
    node: state.value,
    clusterReleaseLevel: level,
    base: base.value.directory,
    images,
    imagesShare,
    capacity: base.value.capacity,
    baseDevice: base.value.directory.device,
    imagesDevice: images?.device ?? null,
    queryEncryption: level >= ENCRYPTION_MIN_RELEASE_LEVEL,
  });
}

/**
 * Reads the second setup round and completes the facts.
 *
 * @param options - Resolved driver options.
 * @param probe - The first round's result.
 * @param round - The second round's outputs by step.
 * @returns The facts, or the first problem found.
 * @example
 * ```ts
 * readSetupFilesystems(options, probe, round).map((facts) => facts.base.formatLevel);
 * ```
 */
export function readSetupFilesystems(options: ResolvedOptions, probe: SetupProbe, round: RoundOutputs): Result<ClusterFacts, GpfsError> {
  const baseLevel = formatLevel(round, 'base-format-level', probe.baseDevice);
  if (baseLevel.isErr()) return err(baseLevel.error);
  let imagesLevel = baseLevel.value;
  if (probe.images !== null && probe.imagesDevice !== probe.baseDevice) {
    const read = formatLevel(round, 'images-format-level', probe.images.device);
    if (read.isErr()) return err(read.error);
    imagesLevel = read.value;
  }
  const poolOutput = succeededOutput('setup', round, 'storage-pool');
  if (poolOutput.isErr()) return err(poolOutput.error);
  const pools = parseMmlspool(poolOutput.value.stdout);
  if (pools.isErr()) return err(pools.error);
  const pool = pools.value.pools.find((candidate) => candidate.name === options.storagePool);
  if (pool === undefined) {
    return err({
      kind: 'InvalidStoragePool',
      pool: options.storagePool,
      device: probe.baseDevice,
      message: `storage pool '${options.storagePool}' does not exist in file system ${probe.baseDevice} (mmlspool lists ${pools.value.pools.map((candidate) => candidate.name).join(', ') || 'none'}); fix storagePool`,
    });
  }
  let encryption: boolean | null = null;
  if (probe.queryEncryption) {
    const records = succeededOutput('setup', round, 'base-format-level').andThen((output) => parseMmlsfs(output.stdout));
    if (records.isErr()) return err(records.error);
    const value = records.value.find((record) => record.fieldName === 'encryption')?.data;
    encryption = value === undefined ? null : value.trim().toLowerCase() === 'yes';
  }
  return ok({
    clusterId: probe.clusterId,
    clusterName: probe.clusterName,
    node: probe.node,
    gpfsState: 'active',
    clusterReleaseLevel: probe.clusterReleaseLevel,
    base: { ...probe.base, formatLevel: baseLevel.value.level, formatVersion: baseLevel.value.text },
    imagesDir: probe.images === null ? null : { ...probe.images, formatLevel: imagesLevel.level, formatVersion: imagesLevel.text },
    imagesShare: probe.imagesShare,
    storagePool: { name: pool.name, totalDataKB: pool.totalDataKB, freeDataKB: pool.freeDataKB },
    dataPools: pools.value.pools.filter((candidate) => candidate.data).map((candidate) => candidate.name),
    encryption,
    capacity: probe.capacity,
  });
}

// --- Internal helpers ---

function nodeName(stdout: string): string | null {
  const match = /^mmgetstate::0:[^:]*:[^:]*:[^:]*:([^:]*):/m.exec(stdout);
  return match?.[1] === undefined || match[1] === '' ? null : match[1];
}

/** The cluster-wide value of `parameter` (any row of the output when `null`: a one-attribute query). */
function configValue(round: RoundOutputs, step: string, parameter: string | null): Result<string, GpfsError> {
  return succeededOutput('setup', round, step).andThen((output) =>
    parseMmlsconfig(output.stdout).andThen((entries) => {
      const named = parameter === null ? entries : entries.filter((candidate) => candidate.configParameter.toLowerCase() === parameter.toLowerCase());
      const entry = named.find((candidate) => candidate.nodeList === '') ?? named[0];
      return entry === undefined || entry.value === ''
        ? err<string, GpfsError>({ kind: 'ParseError', parser: 'parseMmlsconfig', message: `${output.argv.join(' ')} printed no value${parameter === null ? '' : ` for ${parameter}`}` })
        : ok(entry.value);
    }),
  );
}

function readDirectory(
  round: RoundOutputs,
  prefix: 'base' | 'images',
  path: string,
): Result<{ directory: Omit<DirectoryFacts, 'formatLevel' | 'formatVersion'>; capacity: ClusterFacts['capacity'] }, GpfsError> {
  const attributes = round.output(`${prefix}-attributes`);
  const isDirectory = round.output(`${prefix}-is-directory`);
  if (attributes === undefined || attributes.exitCode !== 0) {
    const missing = isDirectory?.exitCode !== 0 ? ' (it does not exist here: is the file system mounted?)' : '';
    return err({ ...notMounted(path, attributes?.stderr ?? ''), message: `${notMounted(path, attributes?.stderr ?? '').message}${missing}` });
  }
  if (isDirectory?.exitCode !== 0) {
    return err(invalidConfig([`${prefix === 'base' ? 'mountPointBase' : 'imagesDir'}: ${path} is not a directory`]));
  }
  const fileset = parseMmlsattr(attributes.stdout).map((records) => records[0]?.filesetName ?? '');
  if (fileset.isErr()) return err(fileset.error);
  const df = succeededOutput('setup', round, `${prefix}-device`).andThen((output) => parseDf(output.stdout));
  if (df.isErr()) return err(df.error);
  const row = df.value[df.value.length - 1];
  if (row === undefined) return err({ kind: 'ParseError', parser: 'parseDf', message: `df printed no row for ${path}` });
  return ok({
    directory: { path, device: row.filesystem.replace(/^\/dev\//, ''), mountPoint: row.mountedOn, fileset: fileset.value },
    capacity: { totalBytes: row.totalBytes, availableBytes: row.availableBytes },
  });
}

function readShare(
  options: ResolvedOptions,
  round: RoundOutputs,
  base: Omit<DirectoryFacts, 'formatLevel' | 'formatVersion'>,
  images: Omit<DirectoryFacts, 'formatLevel' | 'formatVersion'>,
): Result<NonNullable<ClusterFacts['imagesShare']>, GpfsError> {
  let sameFilesystem = base.device === images.device;
  const sameFileset = sameFilesystem && base.fileset === images.fileset;
  if (options.imagesShareMode !== 'copy_on_write') return ok({ sameFilesystem, sameFileset });
  const ids = succeededOutput('setup', round, 'filesystem-ids').andThen((output: CommandOutput) => parseStatFilesystemIds(output.stdout));
  if (ids.isErr()) return err(ids.error);
  sameFilesystem = sameFilesystem && ids.value.length === 2 && ids.value[0] === ids.value[1];
  const where = `${options.mountPointBase} and ${images.path}`;
  if (!sameFilesystem) {
    return err(invalidConfig([`imagesShareMode: 'copy_on_write' needs ${where} on one file system (found ${base.device} and ${images.device}); use 'copy' or move imagesDir`]));
  }
  if (!sameFileset) {
    return err(invalidConfig([`imagesShareMode: 'copy_on_write' needs ${where} in one fileset (found '${base.fileset}' and '${images.fileset}'); use 'copy' or move imagesDir`]));
  }
  return ok({ sameFilesystem, sameFileset });
}

function formatLevel(round: RoundOutputs, step: string, device: string): Result<{ level: number; text: string }, GpfsError> {
  return succeededOutput('setup', round, step)
    .andThen((output) => parseMmlsfs(output.stdout))
    .andThen((records): Result<{ level: number; text: string }, GpfsError> => {
      const text = records.find((record) => record.fieldName === 'filesystemVersion')?.data;
      if (text === undefined) return err({ kind: 'ParseError', parser: 'parseMmlsfs', message: `mmlsfs ${device} -V printed no filesystemVersion row` });
      return parseFilesystemFormatVersion(text).andThen((version): Result<{ level: number; text: string }, GpfsError> =>
        version.level < CLONE_MIN_RELEASE_LEVEL
          ? err({
              kind: 'DownlevelFilesystem',
              device,
              level: version.level,
              requiredLevel: CLONE_MIN_RELEASE_LEVEL,
              message: `file system ${device} is at format level ${version.level} (${text}); file clones need ${CLONE_MIN_RELEASE_LEVEL} or later: upgrade it with mmchfs ${device} -V full`,
            })
          : ok({ level: version.level, text }),
      );
    });
}
