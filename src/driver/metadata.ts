/**
 * Volume metadata the driver acts on (the seed's keys), validated before any value reaches a command.
 *
 * `data_pool_name`, `replicas`, `dio`, `write_affinity_depth`, `block_group_factor` and
 * `write_affinity_failure_group` become `mmchattr` options; `fstype` and `fslabel` choose `mkfs` or
 * `mkswap`. Other keys are the caller's own and are ignored. Every value is checked against what the
 * tool accepts, so no value can become an extra option or an extra file argument (upstream passes
 * them unchecked to a root shell in its SSH modes: cinder-gpfs-driver.md E.8 item 13).
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { InvalidMetadataError } from './errors.js';
import { NAME_PATTERN } from './names.js';

/**
 * Volume metadata: string keys and values (unknown keys are ignored).
 *
 * @example
 * ```ts
 * const metadata: VolumeMetadata = { replicas: '2', fstype: 'xfs', owner: 'team-a' };
 * ```
 */
export type VolumeMetadata = Readonly<Record<string, string>>;

/**
 * File system types `fstype` may name, with the longest label each accepts.
 *
 * @example
 * ```ts
 * FILESYSTEM_LABEL_LIMITS['vfat']; // 11
 * ```
 */
export const FILESYSTEM_LABEL_LIMITS: Readonly<Record<string, number>> = {
  ext2: 16,
  ext3: 16,
  ext4: 16,
  xfs: 12,
  btrfs: 255,
  vfat: 11,
  msdos: 11,
  swap: 16,
};

/**
 * What the metadata asks the driver to do, checked and ready for argv.
 *
 * @example
 * ```ts
 * const attributes: VolumeAttributes = { mmchattrOptions: ['-P', 'system'], fstype: 'ext4', fslabel: null };
 * ```
 */
export interface VolumeAttributes {
  /** `mmchattr` options (without the file), in a fixed order; empty when there is nothing to set. */
  readonly mmchattrOptions: readonly string[];
  /** The file system to make, or `null`. */
  readonly fstype: string | null;
  /** Its label, or `null`. */
  readonly fslabel: string | null;
}

/**
 * Validates metadata and turns it into `mmchattr` options and a file system request.
 *
 * The pool is `data_pool_name` when given, else `defaultPool` (the seed's precedence).
 *
 * @param metadata - Volume metadata (may be undefined).
 * @param defaultPool - The driver's `storagePool`, or `null` to set no pool unless asked.
 * @returns The attributes, or the first invalid value as `InvalidMetadata`.
 * @example
 * ```ts
 * volumeAttributes({ replicas: '2', dio: 'yes' }, 'system');
 * // Ok({ mmchattrOptions: ['-P', 'system', '-r', '2', '-m', '2', '-D', 'yes'], fstype: null, fslabel: null })
 * ```
 */
export function volumeAttributes(metadata: VolumeMetadata | undefined, defaultPool: string | null): Result<VolumeAttributes, InvalidMetadataError> {
  const values = metadata ?? {};
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    return err({ kind: 'InvalidMetadata', key: '', value: String(values), message: 'metadata must be an object of string values' });
  }
  const options: string[] = [];
  for (const rule of RULES) {
    if (!Object.hasOwn(values, rule.key)) continue;
    const value = values[rule.key];
    if (typeof value !== 'string' || !rule.test(value)) {
      return err(invalidMetadata(rule.key, value, rule.allowed));
    }
    options.push(...rule.options(value));
  }
  const pool = Object.hasOwn(values, 'data_pool_name') ? [] : defaultPool === null ? [] : ['-P', defaultPool];
  const fstype = Object.hasOwn(values, 'fstype') ? values['fstype'] : undefined;
  const fslabel = Object.hasOwn(values, 'fslabel') ? values['fslabel'] : undefined;
  if (fstype !== undefined && (typeof fstype !== 'string' || !Object.hasOwn(FILESYSTEM_LABEL_LIMITS, fstype))) {
    return err(invalidMetadata('fstype', fstype, `one of ${Object.keys(FILESYSTEM_LABEL_LIMITS).join(', ')}`));
  }
  if (fslabel !== undefined) {
    const limit = fstype === undefined ? 16 : (FILESYSTEM_LABEL_LIMITS[fstype] ?? 16);
    if (typeof fslabel !== 'string' || !new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,${limit - 1}}$`).test(fslabel)) {
      return err(invalidMetadata('fslabel', fslabel, `1 to ${limit} characters from A-Z a-z 0-9 _ . -, not starting with . or -`));
    }
    if (fstype === undefined) {
      return err(invalidMetadata('fslabel', fslabel, 'a label only together with fstype'));
    }
  }
  return ok({ mmchattrOptions: [...pool, ...options], fstype: fstype ?? null, fslabel: fslabel ?? null });
}

/**
 * The argv that makes a file system on a volume file, with the seed's flag rules: `mkswap` for swap,
 * else `mkfs -t <type>`; `-F` for ext3 and ext4 (they refuse a regular file without it); the label
 * with `-n` for msdos and vfat, `-L` otherwise.
 *
 * @param fstype - A validated file system type.
 * @param fslabel - A validated label, or `null`.
 * @param path - The volume file.
 * @returns The argv.
 * @example
 * ```ts
 * mkfsArgv('ext4', 'data', '/gpfs0/v1'); // ['mkfs', '-t', 'ext4', '-F', '-L', 'data', '/gpfs0/v1']
 * mkfsArgv('swap', null, '/gpfs0/v1');   // ['mkswap', '/gpfs0/v1']
 * ```
 */
export function mkfsArgv(fstype: string, fslabel: string | null, path: string): string[] {
  const argv = fstype === 'swap' ? ['mkswap'] : ['mkfs', '-t', fstype];
  if (fstype === 'ext3' || fstype === 'ext4') argv.push('-F');
  if (fslabel !== null) argv.push(fstype === 'msdos' || fstype === 'vfat' ? '-n' : '-L', fslabel);
  argv.push(path);
  return argv;
}

// --- Internal helpers ---

interface Rule {
  readonly key: string;
  readonly allowed: string;
  readonly test: (value: string) => boolean;
  readonly options: (value: string) => string[];
}

const RULES: readonly Rule[] = [
  {
    key: 'data_pool_name',
    allowed: 'a storage pool name (A-Z a-z 0-9 _ . -, not starting with . or -)',
    test: (value) => NAME_PATTERN.test(value),
    options: (value) => ['-P', value],
  },
  {
    key: 'replicas',
    allowed: '1, 2 or 3',
    test: (value) => /^[123]$/.test(value),
    options: (value) => ['-r', value, '-m', value],
  },
  { key: 'dio', allowed: "'yes' or 'no'", test: (value) => value === 'yes' || value === 'no', options: (value) => ['-D', value] },
  {
    key: 'write_affinity_depth',
    allowed: '0, 1 or 2',
    test: (value) => /^[012]$/.test(value),
    options: (value) => ['--write-affinity-depth', value],
  },
  {
    key: 'block_group_factor',
    allowed: 'a whole number from 1 to 1024',
    test: (value) => /^[1-9]\d{0,3}$/.test(value) && Number(value) <= 1024,
    options: (value) => ['--block-group-factor', value],
  },
  {
    key: 'write_affinity_failure_group',
    allowed: "up to three failure groups separated by ';', each up to three numbers separated by ',' (e.g. '1,0,1;2,0,1')",
    test: (value) => /^\d{1,9}(,\d{1,9}){0,2}(;\d{1,9}(,\d{1,9}){0,2}){0,2}$/.test(value),
    options: (value) => ['--write-affinity-failure-group', value],
  },
];

function invalidMetadata(key: string, value: unknown, allowed: string): InvalidMetadataError {
  const text = typeof value === 'string' ? value : String(value);
  return {
    kind: 'InvalidMetadata',
    key,
    value: text,
    message: `metadata ${key} must be ${allowed} (got ${JSON.stringify(text)}). Nothing was run.`,
  };
}
