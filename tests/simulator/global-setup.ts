/**
 * Vitest global setup: bundles the `gpfs-sim` CLI once with esbuild into .tmp/, so that tests can run
 * it (and its shims) as real processes without `npm run build`. Tests read the path with
 * `inject('gpfsSimCli')`; when bundling fails the path is '' and `inject('gpfsSimCliError')` says why.
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleCli, repositoryRoot } from '../bundle-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the bundled gpfs-sim CLI ('' when bundling failed). */
    gpfsSimCli: string;
    /** Why bundling failed ('' when it worked). */
    gpfsSimCliError: string;
  }
}

/**
 * Bundles the CLI and provides its path to the tests.
 *
 * @param project - The vitest project.
 */
export default async function setup(project: TestProject): Promise<void> {
  const outfile = join(repositoryRoot, '.tmp', 'gpfs-sim', 'gpfs-sim.mjs');
  try {
    await bundleCli('src/simulator/cli/gpfs-sim.ts', outfile);
    project.provide('gpfsSimCli', outfile);
    project.provide('gpfsSimCliError', '');
  } catch (error) {
    project.provide('gpfsSimCli', '');
    project.provide('gpfsSimCliError', error instanceof Error ? error.message : String(error));
  }
}
