/**
 * The package as users get it (issue 9). The build goes to a temporary directory, never to dist/ (which
 * other test files may read while this one runs): tsup with this checkout's tsup.config.ts and `--out-dir`,
 * next to copies of package.json, README.md, LICENSE and CHANGELOG.md. `npm pack` makes the tarball;
 * `npm install --offline` puts it into a temporary project whose dependencies are `file:` links to this
 * checkout's node_modules (npm links those and installs nothing of theirs, so no registry is needed and
 * nothing under node_modules/ changes). Then plain Node, without tsx or vitest, imports it from ESM and
 * requires it from CommonJS, and the root entry must load neither zx, ssh2 nor node:child_process.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOLVE_LOG_HOOKS_SOURCE } from './resolve-log-hooks.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHIPPED_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'];
const FORBIDDEN_MODULE = /\/node_modules\/(?:zx|ssh2)\/|^node:child_process$|^child_process$/;

interface Manifest {
  readonly name: string;
  readonly main: string;
  readonly module: string;
  readonly types: string;
  readonly typesVersions: Record<string, Record<string, string[]>>;
  readonly exports: unknown;
  readonly bin: Record<string, string>;
  readonly dependencies: Record<string, string>;
}

/** What scenario.mjs / scenario.cjs print: the package used the way its README shows. */
interface ScenarioReport {
  readonly entryFile: string;
  readonly created: unknown;
  readonly snapshotted: unknown;
  readonly nodeStates: string[];
  readonly garbageIsParseError: boolean;
  readonly quoted: string;
  readonly localExitCode: number | null;
  readonly sshFactory: string;
}

/** What load-root.mjs / load-root.cjs print: the modules a fresh process loaded for one entry. */
interface LoadReport {
  readonly modules: string[];
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
let work = '';
let consumer = '';
let packedFiles: string[] = [];

describe('package: packed tarball', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'gpfs-volumes-pack-'));
    const packageDirectory = join(work, 'package');
    mkdirSync(packageDirectory);
    for (const file of SHIPPED_FILES) copyFileSync(join(root, file), join(packageDirectory, file));
    const tsupManifest = JSON.parse(readFileSync(join(root, 'node_modules/tsup/package.json'), 'utf8')) as { bin: Record<string, string> };
    const tsupCli = join(root, 'node_modules/tsup', tsupManifest.bin['tsup'] ?? '');
    execFileSync(process.execPath, [tsupCli, '--out-dir', join(packageDirectory, 'dist'), '--silent'], { cwd: root, env: npmFreeEnv(), stdio: 'pipe' });

    const packed = JSON.parse(npm(packageDirectory, ['pack', '--json', '--ignore-scripts', '--pack-destination', work])) as { filename: string; files: { path: string }[] }[];
    const tarball = join(work, packed[0]?.filename ?? '');
    packedFiles = (packed[0]?.files ?? []).map((file) => file.path).sort();

    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    const links = Object.fromEntries(Object.keys(manifest.dependencies).map((name) => [name, `file:${realpathSync(join(root, 'node_modules', name))}`]));
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '0.0.0', private: true, dependencies: links }, null, 2));
    npm(consumer, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball]);
    writeConsumerScripts(consumer);
  }, 600_000);

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('holds dist, README.md, LICENSE, CHANGELOG.md and package.json, and no sources or tests', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(SHIPPED_FILES));
    expect(packedFiles.filter((path) => !SHIPPED_FILES.includes(path) && !path.startsWith('dist/'))).toEqual([]);
    expect(packedFiles.filter((path) => /(?:^|\/)(?:src|tests?|examples|bench|fixtures)\/|\.test\.|\.test-d\.|(?<!\.d)\.c?ts$/.test(path))).toEqual([]);
    expect(packedFiles).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']));
  });

  it('ships every file package.json points at (main, module, types, typesVersions, exports, bin)', () => {
    const typesVersions = Object.values(manifest.typesVersions).flatMap((paths) => Object.values(paths).flat());
    const targets = [manifest.main, manifest.module, manifest.types, ...typesVersions, ...exportTargets(manifest.exports), ...Object.values(manifest.bin)].map((path) => path.replace(/^\.\//, ''));
    expect(targets.length).toBeGreaterThan(10);
    expect(targets.filter((path) => !packedFiles.includes(path))).toEqual([]);
    for (const bin of Object.values(manifest.bin)) {
      expect(readFileSync(join(consumer, 'node_modules', manifest.name, bin), 'utf8').startsWith('#!/usr/bin/env node\n'), bin).toBe(true);
    }
  });

  it.each(['scenario.mjs', 'scenario.cjs'])('works from %s: simulator, driver, parsers, runners', (script) => {
    const report = JSON.parse(node(consumer, [script])) as ScenarioReport;
    const format = script.endsWith('.mjs') ? /\/node_modules\/gpfs-volumes\/dist\/index\.js$/ : /\/node_modules\/gpfs-volumes\/dist\/index\.cjs$/;
    expect(report.entryFile).toMatch(format);
    expect(report).toMatchObject({
      created: { name: 'volume-1', path: '/gpfs0/volume-1', sizeGiB: 1 },
      snapshotted: { name: 'snap-1', volumeName: 'volume-1' },
      nodeStates: ['active'],
      garbageIsParseError: true,
      quoted: `'it'\\''s'`,
      localExitCode: 0,
      sshFactory: 'function',
    });
  });

  it.each(['load.mjs', 'load.cjs'])('loads neither zx, ssh2 nor node:child_process for the root entry (%s)', (script) => {
    const loaded = JSON.parse(node(consumer, [script, 'gpfs-volumes'])) as LoadReport;
    expect(loaded.modules.some((module) => /\/node_modules\/gpfs-volumes\/dist\/index\.c?js$/.test(module))).toBe(true);
    expect(loaded.modules.filter((module) => FORBIDDEN_MODULE.test(module))).toEqual([]);
  });

  it.each(['load.mjs', 'load.cjs'])('does see zx and child_process for gpfs-volumes/local (%s; the check can fail)', (script) => {
    const loaded = JSON.parse(node(consumer, [script, 'gpfs-volumes/local'])) as LoadReport;
    expect(loaded.modules.filter((module) => FORBIDDEN_MODULE.test(module))).toEqual(expect.arrayContaining([expect.stringMatching(/\/node_modules\/zx\//), expect.stringMatching(/child_process$/)]));
  });
});

// --- Internal helpers ---

/** The environment without npm's `npm_*` variables (under `npm test` they point npm at this checkout). */
function npmFreeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) || /^npm_config_cache$/i.test(key)) env[key] = value;
  return env;
}

function npm(cwd: string, args: readonly string[]): string {
  return execFileSync('npm', [...args, '--prefix', cwd], { cwd, env: npmFreeEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function node(cwd: string, args: readonly string[]): string {
  const stdout = execFileSync(process.execPath, args, { cwd, env: npmFreeEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return stdout.trim().split('\n').pop() ?? '';
}

/** Every string leaf of an `exports` map. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (typeof exports !== 'object' || exports === null) return [];
  return Object.values(exports).flatMap(exportTargets);
}

/** The consumer's programs: one scenario per module format, and one module-load probe per format. */
function writeConsumerScripts(directory: string): void {
  const scenario = (load: string, entryFile: string): string =>
    [
      load,
      'const sim = createGpfsSimulator();',
      "const driver = createGpfsDriver({ runner: sim, mountPointBase: '/gpfs0' });",
      "const created = await driver.createVolume({ name: 'volume-1', sizeGiB: 1 });",
      "const snapshotted = await driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' });",
      "const state = (await sim.run({ argv: ['mmgetstate', '-Y'], asRoot: true }))._unsafeUnwrap();",
      "const local = await createLocalRunner().run({ argv: ['true'] });",
      'console.log(JSON.stringify({',
      `  entryFile: ${entryFile},`,
      '  created: created._unsafeUnwrap(),',
      '  snapshotted: snapshotted._unsafeUnwrap(),',
      '  nodeStates: parseMmgetstate(state.stdout)._unsafeUnwrap().map((node) => node.state),',
      "  garbageIsParseError: parseMmgetstate('not mmgetstate output').isErr(),",
      '  quoted: quotePosix("it\'s"),',
      '  localExitCode: local._unsafeUnwrap().exitCode,',
      '  sshFactory: typeof createSshRunner,',
      '}));',
    ].join('\n');
  writeFileSync(
    join(directory, 'scenario.mjs'),
    scenario(
      [
        "import { createGpfsDriver, createGpfsSimulator, parseMmgetstate, quotePosix } from 'gpfs-volumes';",
        "import { createLocalRunner } from 'gpfs-volumes/local';",
        "import { createSshRunner } from 'gpfs-volumes/ssh';",
      ].join('\n'),
      "(await import('node:url')).fileURLToPath(import.meta.resolve('gpfs-volumes'))",
    ),
  );
  writeFileSync(
    join(directory, 'scenario.cjs'),
    [
      "const { createGpfsDriver, createGpfsSimulator, parseMmgetstate, quotePosix } = require('gpfs-volumes');",
      "const { createLocalRunner } = require('gpfs-volumes/local');",
      "const { createSshRunner } = require('gpfs-volumes/ssh');",
      '(async () => {',
      scenario('', "require.resolve('gpfs-volumes')"),
      '})().catch((error) => { console.error(error); process.exitCode = 1; });',
    ].join('\n'),
  );
  // ESM: a resolve hook (in its own thread) logs every URL the loader resolves; CJS: the require cache.
  // Built-in modules show in process.moduleLoadList (reliable here: plain node, no tsx).
  writeFileSync(join(directory, 'hooks.mjs'), RESOLVE_LOG_HOOKS_SOURCE);
  writeFileSync(
    join(directory, 'load.mjs'),
    [
      "import { readFileSync, writeFileSync } from 'node:fs';",
      "import { register } from 'node:module';",
      "import { fileURLToPath } from 'node:url';",
      'const logPath = fileURLToPath(new URL(`./resolved-${process.pid}.log`, import.meta.url));',
      "writeFileSync(logPath, '');",
      "register('./hooks.mjs', import.meta.url, { data: { logPath } });",
      'await import(process.argv[2]);',
      "const resolved = readFileSync(logPath, 'utf8').split('\\n').filter(Boolean).map((url) => (url.startsWith('file:') ? fileURLToPath(url) : url));",
      "const builtins = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => `node:${entry.slice(13)}`);",
      'console.log(JSON.stringify({ modules: [...resolved, ...builtins] }));',
    ].join('\n'),
  );
  writeFileSync(
    join(directory, 'load.cjs'),
    [
      'require(process.argv[2]);',
      "const builtins = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => `node:${entry.slice(13)}`);",
      'console.log(JSON.stringify({ modules: [...Object.keys(require.cache), ...builtins] }));',
    ].join('\n'),
  );
}
