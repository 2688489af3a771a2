/**
 * Bundles one of the package's executables (src/cli/gpfs-volumes.ts, src/simulator/cli/gpfs-sim.ts) with
 * esbuild into a single ESM file, dependencies left external, so that tests run it as a real process
 * without `npm run build` (which would race other suites reading dist/).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles `entry` into `outfile`.
 *
 * @param entry - The executable's source, relative to the repository root.
 * @param outfile - The bundle's absolute path (its directory is created).
 * @returns Resolves once the bundle is written; rejects with esbuild's error.
 */
export async function bundleCli(entry: string, outfile: string): Promise<void> {
  mkdirSync(dirname(outfile), { recursive: true });
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(repositoryRoot, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
}
