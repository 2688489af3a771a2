/**
 * Vitest global setup: bundles the `gpfs-volumes` operator CLI once with esbuild into .tmp/, so that the
 * tests run the built CLI as a process without `npm run build` (which would race other suites reading
 * dist/). Tests read the path with `inject('gpfsVolumesCli')`; when bundling fails the path is '' and
 * `inject('gpfsVolumesCliError')` says why.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the bundled gpfs-volumes CLI ('' when bundling failed). */
    gpfsVolumesCli: string;
    /** Why bundling failed ('' when it worked). */
    gpfsVolumesCliError: string;
  }
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Bundles the CLI and provides its path to the tests.
 *
 * @param project - The vitest project.
 */
export default async function setup(project: TestProject): Promise<void> {
  // Two directories below the repository root, like dist/cli/, so that the CLI finds package.json.
  const outfile = join(root, '.tmp', 'gpfs-volumes', 'gpfs-volumes.mjs');
  try {
    mkdirSync(dirname(outfile), { recursive: true });
    const { build } = await import('esbuild');
    await build({
      entryPoints: [join(root, 'src', 'cli', 'gpfs-volumes.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    project.provide('gpfsVolumesCli', outfile);
    project.provide('gpfsVolumesCliError', '');
  } catch (error) {
    project.provide('gpfsVolumesCli', '');
    project.provide('gpfsVolumesCliError', error instanceof Error ? error.message : String(error));
  }
}
