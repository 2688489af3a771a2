/**
 * Vitest global setup: bundles the `gpfs-sim` CLI once with esbuild into .tmp/, so that tests can run
 * it (and its shims) as real processes without `npm run build`. Tests read the path with
 * `inject('gpfsSimCli')`; when bundling fails the path is '' and `inject('gpfsSimCliError')` says why.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the bundled gpfs-sim CLI ('' when bundling failed). */
    gpfsSimCli: string;
    /** Why bundling failed ('' when it worked). */
    gpfsSimCliError: string;
  }
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Bundles the CLI and provides its path to the tests.
 *
 * @param project - The vitest project.
 */
export default async function setup(project: TestProject): Promise<void> {
  const outfile = join(root, '.tmp', 'gpfs-sim', 'gpfs-sim.mjs');
  try {
    mkdirSync(dirname(outfile), { recursive: true });
    const { build } = await import('esbuild');
    await build({
      entryPoints: [join(root, 'src', 'simulator', 'cli', 'gpfs-sim.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    project.provide('gpfsSimCli', outfile);
    project.provide('gpfsSimCliError', '');
  } catch (error) {
    project.provide('gpfsSimCli', '');
    project.provide('gpfsSimCliError', error instanceof Error ? error.message : String(error));
  }
}
