import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    local: 'src/runners/local/index.ts',
    ssh: 'src/runners/ssh/index.ts',
    'cli/gpfs-sim': 'src/simulator/cli/gpfs-sim.ts',
    'cli/gpfs-volumes': 'src/cli/gpfs-volumes.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  // p-limit and yocto-queue are ESM-only: bundle them so the CJS build loads on every Node 20.
  noExternal: ['p-limit', 'yocto-queue'],
});
