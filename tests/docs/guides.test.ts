/**
 * The guides (docs/guides/*.md, typedoc project documents) stay true to the library: every ```ts
 * sample type checks against the sources, the samples run (and print what the guide shows), vitest
 * samples pass as tests, every `driver.<method>` the prose names exists, and the migration guide maps
 * every `gpfs_*` option and driver method of upstream Cinder to options and methods that exist.
 * Sample rules: tests/docs/samples.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createGpfsDriver, createGpfsSimulator } from '../../src/index.js';
import { readSamples, root, typecheck, writeRunnable } from './samples.js';

const guidesDirectory = join(root, 'docs/guides');
const guideFiles = readdirSync(guidesDirectory)
  .filter((file) => file.endsWith('.md'))
  .sort();
const guideText = (file: string): string => readFileSync(join(guidesDirectory, file), 'utf8');
const samples = guideFiles.flatMap((file) => readSamples(join(guidesDirectory, file)));
mkdirSync(join(root, '.tmp'), { recursive: true });
const runDirectory = mkdtempSync(join(root, '.tmp', 'docs-samples-'));
afterAll(() => rmSync(runDirectory, { recursive: true, force: true }));

/** Every option upstream registers for the GPFS drivers (cinder-gpfs-driver.md B.1, B.2; the seed has the first six). */
const UPSTREAM_OPTIONS = [
  'gpfs_mount_point_base',
  'gpfs_images_dir',
  'gpfs_images_share_mode',
  'gpfs_max_clone_depth',
  'gpfs_sparse_volumes',
  'gpfs_storage_pool',
  'gpfs_hosts',
  'gpfs_user_login',
  'gpfs_user_password',
  'gpfs_private_key',
  'gpfs_ssh_port',
  'gpfs_hosts_key_file',
  'gpfs_strict_host_key_policy',
];

/** Every public method of the seed's and upstream's GPFSDriver, and the Cinder driver API methods they lack. */
const UPSTREAM_METHODS = [
  'do_setup',
  'check_for_setup_error',
  'create_volume',
  'delete_volume',
  'create_snapshot',
  'delete_snapshot',
  'create_volume_from_snapshot',
  'create_cloned_volume',
  'extend_volume',
  'local_path',
  'ensure_export',
  'create_export',
  'remove_export',
  'initialize_connection',
  'terminate_connection',
  'get_volume_stats',
  'clone_image',
  'copy_image_to_volume',
  'copy_volume_to_image',
  'backup_volume',
  'restore_backup',
  'migrate_volume',
  'retype',
  'create_consistencygroup',
  'delete_consistencygroup',
  'update_consistencygroup',
  'create_cgsnapshot',
  'delete_cgsnapshot',
  'create_consistencygroup_from_src',
  'create_group',
  'delete_group',
  'update_group',
  'create_group_snapshot',
  'delete_group_snapshot',
  'create_group_from_src',
  'manage_existing',
  'manage_existing_get_size',
  'unmanage',
  'revert_to_snapshot',
  'get_driver_options',
];

describe('docs: guides', () => {
  it('are the project documents of typedoc.json, in reading order', () => {
    const config = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as { projectDocuments?: string[] };
    const listed = config.projectDocuments ?? [];
    expect([...listed].sort()).toEqual(guideFiles.map((file) => `docs/guides/${file}`));
    expect(listed[0]).toBe('docs/guides/getting-started.md');
  });

  it('have code samples, most of which run', () => {
    expect(samples.length).toBeGreaterThanOrEqual(guideFiles.length);
    expect(samples.filter((sample) => sample.mode !== 'typecheck').length).toBeGreaterThan(samples.length / 2);
  });

  it('type check against the sources, and name only driver, runner and NFS options that exist', () => {
    const names = migrationOptionNames();
    expect(names.length).toBeGreaterThan(10);
    const optionCheck = [
      "import type { GpfsDriverOptions, NfsOptions } from 'gpfs-volumes';",
      "import type { SshRunnerOptions } from 'gpfs-volumes/ssh';",
      "import type { LocalRunnerOptions } from 'gpfs-volumes/local';",
      'type Known = keyof GpfsDriverOptions | keyof SshRunnerOptions | keyof NfsOptions | keyof LocalRunnerOptions;',
      `export const named: Known[] = ${JSON.stringify(names)};`,
    ].join('\n');
    expect(typecheck(samples, { 'migration-option-names.ts': optionCheck })).toEqual([]);
  }, 120_000);

  it('name only driver methods and dry runs that exist', () => {
    const driver = createGpfsDriver({ runner: createGpfsSimulator(), mountPointBase: '/gpfs0/volumes' }) as unknown as Record<string, unknown>;
    const plan = driver['plan'] as Record<string, unknown>;
    const named = guideFiles.flatMap((file) => [...guideText(file).matchAll(/\bdriver\.(plan\.)?([A-Za-z]+)/g)].map((match) => ({ file, plan: match[1] !== undefined, name: match[2] ?? '' })));
    expect(named.length).toBeGreaterThan(20);
    const missing = named.filter(({ plan: isPlan, name }) => (isPlan ? typeof plan[name] !== 'function' : !(name in driver)));
    expect(missing).toEqual([]);
  });

  it('map every gpfs_* option and every driver method of upstream Cinder', () => {
    const guide = guideText('migrating-from-cinder.md');
    const mapped = new Set([...guide.matchAll(/^\| `([a-z_]+)`/gm)].map((match) => match[1]));
    expect(UPSTREAM_OPTIONS.filter((option) => !mapped.has(option))).toEqual([]);
    expect(UPSTREAM_METHODS.filter((method) => !mapped.has(method))).toEqual([]);
  });

  for (const sample of samples.filter((candidate) => candidate.mode === 'run')) {
    const title = `${sample.guide} sample at line ${sample.line} runs${sample.expectedOutput === null ? '' : ' and prints what the guide shows'}`;
    it(
      title,
      async () => {
        const printed: string[] = [];
        const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
          printed.push(format(...args));
        });
        try {
          await import(pathToFileURL(writeRunnable(sample, runDirectory)).href);
        } finally {
          log.mockRestore();
        }
        if (sample.expectedOutput !== null) expect(trimLines(printed.join('\n'))).toBe(trimLines(sample.expectedOutput));
      },
      60_000,
    );
  }

  for (const sample of samples.filter((candidate) => candidate.mode === 'test')) {
    describe(`${sample.guide} sample at line ${sample.line}`, async () => {
      await import(pathToFileURL(writeRunnable(sample, runDirectory)).href);
    });
  }
});

// --- Internal helpers ---

function trimLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** Option names in the second column of the migration guide's "Options" table (backticked identifiers). */
function migrationOptionNames(): string[] {
  const section = /\n## Options\n([\s\S]*?)\n## /.exec(guideText('migrating-from-cinder.md'))?.[1] ?? '';
  const rows = section.split('\n').filter((line) => /^\| `[a-z_]+` \|/.test(line));
  const names = rows.flatMap((line) => [...(line.split('|')[2] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''));
  return [...new Set(names)];
}
