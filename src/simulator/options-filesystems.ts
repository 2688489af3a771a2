/**
 * Resolving the `filesystems` option: devices, mount points, pools and filesets.
 *
 * @module
 */
import type { ResolvedFilesystem } from './options.js';
import { isPlainName, isRecord, isSize, normalizeAbsolute, pick, TIB } from './options-values.js';

/** Block sizes GPFS accepts. */
export const VALID_BLOCK_SIZES: readonly number[] = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384].map((k) => k * 1024);

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

/**
 * Resolves the `filesystems` option.
 *
 * @param value - The option value.
 * @param problems - Where problems are collected.
 * @returns File systems with defaults filled in.
 */
export function resolveFilesystems(value: unknown, problems: string[]): ResolvedFilesystem[] {
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
      formatVersion: pick(
        entry,
        'formatVersion',
        base.formatVersion,
        (v) => typeof v === 'string' && /^\d+\.\d\d \(\d+\.\d+\.\d+\.\d+\)$/.test(v),
        "a version such as '22.00 (5.0.4.0)'",
        problems,
        prefix,
      ),
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
    const name = pick<string>(record, 'name', '', isPlainName, 'a pool name', problems, where);
    if (name === '' || entries.some((pool) => pool.name === name)) {
      if (name !== '') problems.push(`${where}name '${name}' is used twice`);
      return;
    }
    entries.push({
      name,
      capacityBytes:
        record['capacityBytes'] === undefined
          ? undefined
          : pick(record, 'capacityBytes', undefined as number | undefined, (v) => isSize(v, 16 * 1024 ** 2, 1024 * TIB), 'an integer from 16 MiB to 1 PiB', problems, where),
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
    const name = pick<string>(record, 'name', '', (v) => typeof v === 'string' && FILESET_NAME.test(v) && v !== 'root' && v !== 'new', 'a valid fileset name (not root or new)', problems, where);
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
