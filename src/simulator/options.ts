/**
 * Defaults and validation of {@link SimulatorOptions}.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { LatencyModel, SimulatorNodeState, SimulatorOptions } from './options-types.js';
import type { SimulatorError } from './simulator-error.js';

/** Defaults of the latency model. */
export const DEFAULT_LATENCY: LatencyModel = Object.freeze({
  roundTripMs: 5,
  mmCommandMs: 300,
  systemCommandMs: 2,
  commandMs: Object.freeze({
    mmgetstate: 300,
    mmlsconfig: 250,
    mmlsfs: 350,
    mmlsattr: 60,
    mmchattr: 150,
    mmlspool: 300,
    mmclone: 120,
    mmcrfileset: 1500,
    mmlinkfileset: 800,
    mmunlinkfileset: 800,
    mmdelfileset: 1500,
    mmlsfileset: 400,
    mmcrsnapshot: 2000,
    mmdelsnapshot: 2000,
    mmlssnapshot: 400,
    mmlsmount: 300,
    mmlscluster: 300,
  }),
  gpfsBytesPerSecond: 2 * 1024 ** 3,
  localBytesPerSecond: 500 * 1024 ** 2,
});

/** Options with every default filled in. */
export interface ResolvedOptions {
  readonly clusterId: string;
  readonly clusterName: string;
  readonly nodes: readonly { readonly name: string; readonly state: SimulatorNodeState; readonly quorum: boolean }[];
  readonly minReleaseLevel: string;
  readonly daemonReleaseLevel: number;
  readonly filesystems: readonly ResolvedFilesystem[];
  readonly rootDisk: { readonly device: string; readonly capacityBytes: number };
  readonly latency: LatencyModel;
  readonly cwd: string;
  readonly startTimeMs: number;
  readonly commandLogLimit: number;
}

/** A file system with every default filled in. */
export interface ResolvedFilesystem {
  readonly device: string;
  readonly mountPoint: string;
  readonly formatVersion: string;
  readonly blockSizeBytes: number;
  readonly capacityBytes: number;
  readonly pools: readonly { readonly name: string; readonly capacityBytes: number; readonly data: boolean; readonly metadata: boolean }[];
  readonly filesets: readonly {
    readonly name: string;
    readonly junctionPath: string;
    readonly independent: boolean;
    readonly linked: boolean;
    readonly comment: string;
  }[];
  readonly encryption: boolean;
  readonly mounted: boolean;
  readonly defaultDataReplicas: number;
  readonly maxDataReplicas: number;
  readonly defaultMetadataReplicas: number;
  readonly maxMetadataReplicas: number;
}

/** Block sizes GPFS accepts. */
export const VALID_BLOCK_SIZES: readonly number[] = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384].map((k) => k * 1024);

const NODE_STATES: readonly SimulatorNodeState[] = ['active', 'arbitrating', 'down', 'unknown', 'unresponsive'];
const TOP_LEVEL_KEYS = new Set([
  'clusterId',
  'clusterName',
  'nodes',
  'minReleaseLevel',
  'daemonReleaseLevel',
  'filesystems',
  'rootDisk',
  'latency',
  'cwd',
  'startTimeMs',
  'commandLogLimit',
]);
const FILESYSTEM_KEYS = new Set([
  'device',
  'mountPoint',
  'formatVersion',
  'blockSizeBytes',
  'capacityBytes',
  'pools',
  'filesets',
  'encryption',
  'mounted',
  'defaultDataReplicas',
  'maxDataReplicas',
  'defaultMetadataReplicas',
  'maxMetadataReplicas',
]);
const TIB = 1024 ** 4;

/**
 * Checks simulator options and fills in defaults. Invalid values are replaced by their defaults and
 * reported, so a caller may either refuse them or carry on.
 *
 * @param options - Anything (validated at run time, for JavaScript callers too).
 * @returns The resolved options and every problem found (empty when all is well).
 */
export function resolveSimulatorOptions(options: unknown): { resolved: ResolvedOptions; problems: string[] } {
  const problems: string[] = [];
  const input = isRecord(options) ? options : {};
  if (options !== undefined && !isRecord(options)) problems.push('options must be an object');
  for (const key of Object.keys(input)) if (!TOP_LEVEL_KEYS.has(key)) problems.push(`unknown option '${key}'`);
  const resolved: ResolvedOptions = {
    clusterId: pick(input, 'clusterId', '13882361916354541312', (v) => typeof v === 'string' && /^\d{1,20}$/.test(v), 'a string of 1 to 20 digits', problems),
    clusterName: pick(input, 'clusterName', 'gpfs-sim.example.com', isPlainName, 'a non-empty name without spaces or colons', problems),
    nodes: resolveNodes(input['nodes'], problems),
    minReleaseLevel: pick(input, 'minReleaseLevel', '5.0.4.0', (v) => typeof v === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(v), "a level such as '5.0.4.0'", problems),
    daemonReleaseLevel: pick(input, 'daemonReleaseLevel', 1504, (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a non-negative integer', problems),
    filesystems: resolveFilesystems(input['filesystems'], problems),
    rootDisk: resolveRootDisk(input['rootDisk'], problems),
    latency: resolveLatency(input['latency'], problems),
    cwd: pick(input, 'cwd', '/', (v) => typeof v === 'string' && v.startsWith('/') && !v.includes('\0'), 'an absolute path', problems),
    startTimeMs: pick(input, 'startTimeMs', Date.UTC(2024, 0, 15, 9, 30, 0), (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a non-negative integer', problems),
    commandLogLimit: pick(input, 'commandLogLimit', 100_000, (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a non-negative integer', problems),
  };
  return { resolved, problems };
}

/**
 * Validates simulator options without creating a simulator.
 *
 * @param options - Options to check.
 * @returns `Ok` when they are valid, or `Err` (`InvalidOptions`) listing every problem.
 * @example
 * ```ts
 * validateSimulatorOptions({ nodes: [] }); // Err({ reason: 'InvalidOptions', problems: ['nodes must be a non-empty array'] })
 * ```
 */
export function validateSimulatorOptions(options: SimulatorOptions | undefined): Result<void, SimulatorError> {
  const { problems } = resolveSimulatorOptions(options);
  if (problems.length === 0) return ok(undefined);
  return err({ kind: 'SimulatorError', reason: 'InvalidOptions', message: `invalid simulator options: ${problems.join('; ')}`, problems });
}

// --- Internal helpers ---

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainName(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/.test(value);
}

function pick<T>(
  record: Record<string, unknown>,
  key: string,
  fallback: T,
  valid: (value: unknown) => boolean,
  expected: string,
  problems: string[],
  prefix = '',
): T {
  const value = record[key];
  if (value === undefined) return fallback;
  if (valid(value)) return value as T;
  problems.push(`${prefix}${key} must be ${expected}`);
  return fallback;
}

function resolveNodes(value: unknown, problems: string[]): ResolvedOptions['nodes'] {
  const fallback = [{ name: 'node1', state: 'active' as const, quorum: true }];
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0) {
    problems.push('nodes must be a non-empty array');
    return fallback;
  }
  const names = new Set<string>();
  const nodes: { name: string; state: SimulatorNodeState; quorum: boolean }[] = [];
  value.forEach((node: unknown, index) => {
    const record = isRecord(node) ? node : {};
    if (!isRecord(node)) problems.push(`nodes[${index}] must be an object`);
    let name = pick(record, 'name', `node${index + 1}`, isPlainName, 'a host name', problems, `nodes[${index}].`);
    if (names.has(name)) {
      problems.push(`nodes[${index}].name '${name}' is used twice`);
      name = `${name}-${index + 1}`;
    }
    names.add(name);
    const state = pick(record, 'state', 'active' as SimulatorNodeState, (v) => NODE_STATES.includes(v as SimulatorNodeState), NODE_STATES.join(', '), problems, `nodes[${index}].`);
    const quorum = pick(record, 'quorum', index < 3, (v) => typeof v === 'boolean', 'a boolean', problems, `nodes[${index}].`);
    nodes.push({ name, state, quorum });
  });
  return nodes;
}

function resolveRootDisk(value: unknown, problems: string[]): ResolvedOptions['rootDisk'] {
  const record = isRecord(value) ? value : {};
  if (value !== undefined && !isRecord(value)) problems.push('rootDisk must be an object');
  return {
    device: pick(record, 'device', '/dev/vda1', (v) => typeof v === 'string' && /^\/dev\/[A-Za-z0-9_/-]+$/.test(v), "a device path such as '/dev/vda1'", problems, 'rootDisk.'),
    capacityBytes: pick(record, 'capacityBytes', 40 * 1024 ** 3, (v) => isSize(v, 1024 ** 3, 64 * TIB), 'an integer from 1 GiB to 64 TiB', problems, 'rootDisk.'),
  };
}

function resolveLatency(value: unknown, problems: string[]): LatencyModel {
  if (value === undefined) return DEFAULT_LATENCY;
  if (!isRecord(value)) {
    problems.push('latency must be an object');
    return DEFAULT_LATENCY;
  }
  const number = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  const positive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
  const commandMs = pick(value, 'commandMs', {} as Record<string, number>, (v) => isRecord(v) && Object.values(v).every(number), 'an object of non-negative numbers', problems, 'latency.');
  return {
    roundTripMs: pick(value, 'roundTripMs', DEFAULT_LATENCY.roundTripMs, number, 'a non-negative number', problems, 'latency.'),
    mmCommandMs: pick(value, 'mmCommandMs', DEFAULT_LATENCY.mmCommandMs, number, 'a non-negative number', problems, 'latency.'),
    systemCommandMs: pick(value, 'systemCommandMs', DEFAULT_LATENCY.systemCommandMs, number, 'a non-negative number', problems, 'latency.'),
    commandMs: Object.freeze({ ...DEFAULT_LATENCY.commandMs, ...commandMs }),
    gpfsBytesPerSecond: pick(value, 'gpfsBytesPerSecond', DEFAULT_LATENCY.gpfsBytesPerSecond, positive, 'a positive number', problems, 'latency.'),
    localBytesPerSecond: pick(value, 'localBytesPerSecond', DEFAULT_LATENCY.localBytesPerSecond, positive, 'a positive number', problems, 'latency.'),
  };
}

function isSize(value: unknown, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

function normalizeAbsolute(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function resolveFilesystems(value: unknown, problems: string[]): ResolvedFilesystem[] {
  if (value === undefined) return [defaultFilesystem('gpfs0', '/gpfs0')];
  if (!Array.isArray(value)) {
    problems.push('filesystems must be an array');
    return [defaultFilesystem('gpfs0', '/gpfs0')];
  }
  const devices = new Set<string>();
  const mountPoints: string[] = [];
  const result: ResolvedFilesystem[] = [];
  value.forEach((entry: unknown, index) => {
    const prefix = `filesystems[${index}].`;
    if (!isRecord(entry)) {
      problems.push(`filesystems[${index}] must be an object`);
      return;
    }
    for (const key of Object.keys(entry)) if (!FILESYSTEM_KEYS.has(key)) problems.push(`unknown option '${prefix}${key}'`);
    const rawDevice = typeof entry['device'] === 'string' ? entry['device'].replace(/^\/dev\//, '') : entry['device'];
    let device = `gpfs${index}`;
    if (typeof rawDevice === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/.test(rawDevice) && rawDevice !== 'all') device = rawDevice;
    else problems.push(`${prefix}device must be a device name such as 'gpfs0'`);
    if (devices.has(device)) problems.push(`${prefix}device '${device}' is used twice`);
    devices.add(device);
    let mountPoint = `/${device}`;
    const rawMount = entry['mountPoint'];
    if (typeof rawMount === 'string' && rawMount.startsWith('/') && !rawMount.includes('\0') && normalizeAbsolute(rawMount) !== '/') {
      mountPoint = normalizeAbsolute(rawMount);
      if (/^\/(dev|proc|sys)(\/|$)/.test(mountPoint)) problems.push(`${prefix}mountPoint must not be under /dev, /proc or /sys`);
    } else problems.push(`${prefix}mountPoint must be an absolute path other than '/'`);
    if (mountPoints.some((other) => other === mountPoint || other.startsWith(`${mountPoint}/`) || mountPoint.startsWith(`${other}/`))) {
      problems.push(`${prefix}mountPoint '${mountPoint}' overlaps another file system's mount point`);
    }
    mountPoints.push(mountPoint);
    const base = defaultFilesystem(device, mountPoint);
    const blockSizeBytes = pick(entry, 'blockSizeBytes', base.blockSizeBytes, (v) => VALID_BLOCK_SIZES.includes(v as number), 'one of 64 KiB, 128 KiB, ..., 16 MiB in bytes', problems, prefix);
    const capacityGiven = entry['capacityBytes'] !== undefined;
    const capacityBytes = pick(entry, 'capacityBytes', base.capacityBytes, (v) => isSize(v, 64 * 1024 ** 2, 1024 * TIB), 'an integer from 64 MiB to 1 PiB', problems, prefix);
    const maxDataReplicas = pick(entry, 'maxDataReplicas', 2, (v) => isSize(v, 1, 3), '1, 2 or 3', problems, prefix);
    const maxMetadataReplicas = pick(entry, 'maxMetadataReplicas', 2, (v) => isSize(v, 1, 3), '1, 2 or 3', problems, prefix);
    const pools = resolvePools(entry['pools'], capacityBytes, capacityGiven, prefix, problems);
    result.push({
      device,
      mountPoint,
      formatVersion: pick(entry, 'formatVersion', base.formatVersion, (v) => typeof v === 'string' && /^\d+\.\d\d \(\d+\.\d+\.\d+\.\d+\)$/.test(v), "a version such as '22.00 (5.0.4.0)'", problems, prefix),
      blockSizeBytes,
      capacityBytes: pools.reduce((sum, pool) => sum + pool.capacityBytes, 0),
      pools,
      filesets: resolveFilesets(entry['filesets'], mountPoint, prefix, problems),
      encryption: pick(entry, 'encryption', false, (v) => typeof v === 'boolean', 'a boolean', problems, prefix),
      mounted: pick(entry, 'mounted', true, (v) => typeof v === 'boolean', 'a boolean', problems, prefix),
      defaultDataReplicas: pick(entry, 'defaultDataReplicas', 1, (v) => isSize(v, 1, maxDataReplicas), `1 to ${maxDataReplicas}`, problems, prefix),
      maxDataReplicas,
      defaultMetadataReplicas: pick(entry, 'defaultMetadataReplicas', 1, (v) => isSize(v, 1, maxMetadataReplicas), `1 to ${maxMetadataReplicas}`, problems, prefix),
      maxMetadataReplicas,
    });
  });
  return result;
}

function defaultFilesystem(device: string, mountPoint: string): ResolvedFilesystem {
  const capacityBytes = 4 * TIB;
  return {
    device,
    mountPoint,
    formatVersion: '22.00 (5.0.4.0)',
    blockSizeBytes: 4 * 1024 * 1024,
    capacityBytes,
    pools: [{ name: 'system', capacityBytes, data: true, metadata: true }],
    filesets: [],
    encryption: false,
    mounted: true,
    defaultDataReplicas: 1,
    maxDataReplicas: 2,
    defaultMetadataReplicas: 1,
    maxMetadataReplicas: 2,
  };
}

function resolvePools(value: unknown, capacityBytes: number, capacityGiven: boolean, prefix: string, problems: string[]): ResolvedFilesystem['pools'] {
  const entries: { name: string; capacityBytes: number | undefined; data: boolean; metadata: boolean }[] = [];
  const list = value === undefined ? [] : Array.isArray(value) ? value : (problems.push(`${prefix}pools must be an array`), []);
  list.forEach((raw: unknown, index) => {
    const record = typeof raw === 'string' ? { name: raw } : isRecord(raw) ? raw : {};
    const where = `${prefix}pools[${index}].`;
    const name = pick(record, 'name', '', isPlainName, 'a pool name', problems, where);
    if (name === '' || entries.some((pool) => pool.name === name)) {
      if (name !== '') problems.push(`${where}name '${name}' is used twice`);
      return;
    }
    entries.push({
      name,
      capacityBytes: record['capacityBytes'] === undefined ? undefined : pick(record, 'capacityBytes', undefined as number | undefined, (v) => isSize(v, 16 * 1024 ** 2, 1024 * TIB), 'an integer from 16 MiB to 1 PiB', problems, where),
      data: pick(record, 'data', true, (v) => typeof v === 'boolean', 'a boolean', problems, where),
      metadata: pick(record, 'metadata', name === 'system', (v) => typeof v === 'boolean', 'a boolean', problems, where),
    });
  });
  if (!entries.some((pool) => pool.name === 'system')) entries.unshift({ name: 'system', capacityBytes: undefined, data: entries.length === 0, metadata: true });
  const fixed = entries.reduce((sum, pool) => sum + (pool.capacityBytes ?? 0), 0);
  const open = entries.filter((pool) => pool.capacityBytes === undefined);
  const remaining = Math.max(capacityBytes - fixed, open.length * 16 * 1024 ** 2);
  if (capacityGiven && fixed > capacityBytes) problems.push(`${prefix}pool capacities add up to more than capacityBytes`);
  const share = open.length === 0 ? 0 : Math.floor(remaining / open.length / 1024 ** 2) * 1024 ** 2;
  return entries.map((pool) => ({ name: pool.name, capacityBytes: pool.capacityBytes ?? Math.max(share, 16 * 1024 ** 2), data: pool.data, metadata: pool.metadata }));
}

const FILESET_NAME = /^(?!-)[^/?$&*()`#|[\]\\\s]{1,255}$/;

function resolveFilesets(value: unknown, mountPoint: string, prefix: string, problems: string[]): ResolvedFilesystem['filesets'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${prefix}filesets must be an array`);
    return [];
  }
  const result: { name: string; junctionPath: string; independent: boolean; linked: boolean; comment: string }[] = [];
  value.forEach((raw: unknown, index) => {
    const record = typeof raw === 'string' ? { name: raw } : isRecord(raw) ? raw : {};
    const where = `${prefix}filesets[${index}].`;
    const name = pick(record, 'name', '', (v) => typeof v === 'string' && FILESET_NAME.test(v) && v !== 'root' && v !== 'new', 'a valid fileset name (not root or new)', problems, where);
    if (name === '') return;
    if (result.some((fileset) => fileset.name === name)) {
      problems.push(`${where}name '${name}' is used twice`);
      return;
    }
    let junctionPath = `${mountPoint}/${name}`;
    const rawJunction = record['junctionPath'];
    if (rawJunction !== undefined) {
      const normalized = typeof rawJunction === 'string' && rawJunction.startsWith('/') ? normalizeAbsolute(rawJunction) : '';
      if (normalized.startsWith(`${mountPoint}/`) && !result.some((fileset) => fileset.junctionPath === normalized)) junctionPath = normalized;
      else problems.push(`${where}junctionPath must be an unused absolute path inside ${mountPoint}`);
    }
    result.push({
      name,
      junctionPath,
      independent: pick(record, 'independent', true, (v) => typeof v === 'boolean', 'a boolean', problems, where),
      linked: pick(record, 'linked', true, (v) => typeof v === 'boolean', 'a boolean', problems, where),
      comment: pick(record, 'comment', '', (v) => typeof v === 'string' && !/[\n:]/.test(v), 'a one-line string without colons', problems, where),
    });
  });
  return result;
}
