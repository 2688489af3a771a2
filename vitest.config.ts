import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The package's own names resolve to its sources (as tsconfig.json `paths` does for tsc and tsx), so that
// examples/ import 'gpfs-volumes' like user code does, without a build.
const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^gpfs-volumes$/, replacement: source('./src/index.ts') },
      { find: /^gpfs-volumes\/local$/, replacement: source('./src/runners/local/index.ts') },
      { find: /^gpfs-volumes\/ssh$/, replacement: source('./src/runners/ssh/index.ts') },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['tests/simulator/global-setup.ts', 'tests/cli/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: {
      enabled: true,
      include: ['tests/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html'],
    },
  },
});
