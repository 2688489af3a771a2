/**
 * Vitest global setup: bundles the `gpfs-volumes` operator CLI once with esbuild into .tmp/, so that the
 * tests run the built CLI as a process without `npm run build` (which would race other suites reading
 * dist/). Tests read the path with `inject('gpfsVolumesCli')`; when bundling fails the path is '' and
 * `inject('gpfsVolumesCliError')` says why.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleCli, repositoryRoot } from '../bundle-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the bundled gpfs-volumes CLI ('' when bundling failed). */
    gpfsVolumesCli: string;
    /** Why bundling failed ('' when it worked). */
    gpfsVolumesCliError: string;
  }
}

/**
 * Bundles the CLI and provides its path to the tests.
 *
 * @param project - The vitest project.
 */
export default async function setup(project: TestProject): Promise<void> {
  // Two directories below the repository root, like dist/cli/, so that the CLI finds package.json.
  const outfile = join(repositoryRoot, '.tmp', 'gpfs-volumes', 'gpfs-volumes.mjs');
  try {
    await bundleCli('src/cli/gpfs-volumes.ts', outfile);
    project.provide('gpfsVolumesCli', outfile);
    project.provide('gpfsVolumesCliError', '');
  } catch (error) {
    project.provide('gpfsVolumesCli', '');
    project.provide('gpfsVolumesCliError', error instanceof Error ? error.message : String(error));
  }
}
