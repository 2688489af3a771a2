/**
 * The root entry (src/index.ts) must never load zx, ssh2 or node:child_process: they belong to the
 * subpath entries `gpfs-volumes/local` and `gpfs-volumes/ssh`. Checked twice: statically, over the
 * import graph (dynamic imports included) read with the TypeScript compiler, and at run time, in a
 * child process that records every module URL the ESM loader resolves and every file `require` cached.
 * (`process.moduleLoadList` cannot tell: tsx itself loads child_process.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOLVE_LOG_HOOKS_SOURCE } from './resolve-log-hooks.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const rootEntry = join(root, 'src/index.ts');
const localEntry = join(root, 'src/runners/local/index.ts');
const forbiddenSpecifier = /^(?:zx|ssh2|(?:node:)?child_process)(?:\/|$)/;
const forbiddenUrl = /\/node_modules\/(?:zx|ssh2)\/|^node:child_process$/;

describe('package: root entry', () => {
  describe('static import graph', () => {
    it('reaches no zx, ssh2 or child_process import from src/index.ts', () => {
      const graph = importGraph(rootEntry);
      expect(graph.files.size).toBeGreaterThan(3);
      const offending = graph.bareImports.filter(({ specifier }) => forbiddenSpecifier.test(specifier));
      expect(offending).toEqual([]);
      const subpathFiles = [...graph.files].filter((file) => /\/src\/runners\/(?:local|ssh)\//.test(file));
      expect(subpathFiles).toEqual([]);
    });

    it('sees zx in the graph of the local entry (the check can fail)', () => {
      const graph = importGraph(localEntry);
      expect(graph.bareImports.some(({ specifier }) => forbiddenSpecifier.test(specifier))).toBe(true);
    });
  });

  describe('modules loaded at run time', () => {
    let workDirectory: string;
    beforeAll(() => {
      workDirectory = mkdtempSync(join(tmpdir(), 'root-entry-'));
      writeFileSync(join(workDirectory, 'hooks.mjs'), RESOLVE_LOG_HOOKS_SOURCE);
    });
    afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

    it('resolves no zx, ssh2 or node:child_process module', () => {
      const entry = loadInChild(workDirectory, pathToFileURL(rootEntry).href);
      expect(entry.urls.some((url) => url.endsWith('/src/index.ts'))).toBe(true);
      expect(entry.urls.filter((url) => forbiddenUrl.test(url))).toEqual([]);
      expect(entry.requiredPaths.filter((path) => forbiddenUrl.test(path))).toEqual([]);
    });

    it('does see zx and node:child_process when the local entry is loaded (the check can fail)', () => {
      const local = loadInChild(workDirectory, pathToFileURL(localEntry).href);
      expect(local.urls.filter((url) => forbiddenUrl.test(url))).toEqual(expect.arrayContaining(['node:child_process', expect.stringContaining('/node_modules/zx/')]));
    });
  });
});

// --- Internal helpers ---

interface ImportGraph {
  readonly files: Set<string>;
  readonly bareImports: { readonly from: string; readonly specifier: string }[];
}

/** Follows every static and dynamic import, export-from and require of the project's own files. */
function importGraph(entry: string): ImportGraph {
  const files = new Set<string>();
  const bareImports: { from: string; specifier: string }[] = [];
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (!specifier.startsWith('.')) {
        bareImports.push({ from: file, specifier });
        continue;
      }
      const target = resolveSource(dirname(file), specifier);
      if (target === undefined) throw new Error(`cannot resolve ${specifier} from ${file}`);
      pending.push(target);
    }
  }
  return { files, bareImports };
}

function resolveSource(directory: string, specifier: string): string | undefined {
  const base = resolve(directory, specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((candidate) => existsSync(candidate) && candidate.endsWith('.ts'));
}

interface LoadedModules {
  /** Every URL the ESM loader resolved (project files, packages, `node:` builtins). */
  readonly urls: string[];
  /** Every file in the CommonJS cache (packages loaded through `require`). */
  readonly requiredPaths: string[];
}

/** Imports `url` in a fresh `node --import tsx` and reports what the loaders saw. */
function loadInChild(workDirectory: string, url: string): LoadedModules {
  const logPath = join(workDirectory, `resolved-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(logPath, '');
  const program = [
    "import { register, createRequire } from 'node:module';",
    `register(${JSON.stringify(pathToFileURL(join(workDirectory, 'hooks.mjs')).href)}, { data: { logPath: ${JSON.stringify(logPath)} } });`,
    `await import(${JSON.stringify(url)});`,
    "const requiredPaths = Object.keys(createRequire(process.cwd() + '/').cache);",
    'console.log(JSON.stringify({ requiredPaths }));',
  ].join('\n');
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { cwd: root, encoding: 'utf8' });
  const reported = JSON.parse(stdout.trim().split('\n').pop() as string) as { requiredPaths: string[] };
  return { urls: readFileSync(logPath, 'utf8').split('\n').filter(Boolean), ...reported };
}
