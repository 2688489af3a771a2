/**
 * Defaults and validation of {@link SimulatorOptions}.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { LatencyModel, SimulatorNodeState, SimulatorOptions } from './options-types.js';
import type { SimulatorError } from './simulator-error.js';
import { resolveFilesystems } from './options-filesystems.js';
import { isPlainName, isRecord, isSize, pick, TIB } from './options-values.js';

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

const NODE_STATES: readonly SimulatorNodeState[] = ['active', 'arbitrating', 'down', 'unknown', 'unresponsive'];
const TOP_LEVEL_KEYS = new Set(['clusterId', 'clusterName', 'nodes', 'minReleaseLevel', 'daemonReleaseLevel', 'filesystems', 'rootDisk', 'latency', 'cwd', 'startTimeMs', 'commandLogLimit']);
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
    const state = pick<SimulatorNodeState>(record, 'state', 'active', (v) => NODE_STATES.includes(v as SimulatorNodeState), NODE_STATES.join(', '), problems, `nodes[${index}].`);
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
  const commandMs = pick<Record<string, number>>(value, 'commandMs', {}, (v) => isRecord(v) && Object.values(v).every(number), 'an object of non-negative numbers', problems, 'latency.');
  return {
    roundTripMs: pick(value, 'roundTripMs', DEFAULT_LATENCY.roundTripMs, number, 'a non-negative number', problems, 'latency.'),
    mmCommandMs: pick(value, 'mmCommandMs', DEFAULT_LATENCY.mmCommandMs, number, 'a non-negative number', problems, 'latency.'),
    systemCommandMs: pick(value, 'systemCommandMs', DEFAULT_LATENCY.systemCommandMs, number, 'a non-negative number', problems, 'latency.'),
    commandMs: Object.freeze({ ...DEFAULT_LATENCY.commandMs, ...commandMs }),
    gpfsBytesPerSecond: pick(value, 'gpfsBytesPerSecond', DEFAULT_LATENCY.gpfsBytesPerSecond, positive, 'a positive number', problems, 'latency.'),
    localBytesPerSecond: pick(value, 'localBytesPerSecond', DEFAULT_LATENCY.localBytesPerSecond, positive, 'a positive number', problems, 'latency.'),
  };
}
