/**
 * Code samples of the guides (docs/guides/*.md): extraction, type checking against the sources, and
 * files to run them from.
 *
 * Rules for guide authors (what tests/docs/guides.test.ts enforces):
 * - Every ```ts block is a complete module (its own imports), importing the library as users do:
 *   `gpfs-volumes`, `gpfs-volumes/local`, `gpfs-volumes/ssh`. Every block is type checked.
 * - A block runs, as a module, unless the line before its fence is `<!-- sample: typecheck-only -->`
 *   (samples that need a real cluster or SSH host). A block that imports `vitest` is a test file: its
 *   tests run as tests of the guide.
 * - A ```text block that follows a running block with nothing but blank lines between is its expected
 *   output: what the block prints with console.log, exactly (trailing spaces aside).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What the package's import paths resolve to in this repository (as package.json `exports` does after a build). */
export const entryPoints: Readonly<Record<string, string>> = {
  'gpfs-volumes': join(root, 'src/index.ts'),
  'gpfs-volumes/local': join(root, 'src/runners/local/index.ts'),
  'gpfs-volumes/ssh': join(root, 'src/runners/ssh/index.ts'),
};

/** One ```ts block of a guide. */
export interface Sample {
  /** The guide's file name, e.g. `getting-started.md`. */
  readonly guide: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The code. */
  readonly code: string;
  /** `run`: run as a module; `test`: a vitest file; `typecheck`: type checked only. */
  readonly mode: 'run' | 'test' | 'typecheck';
  /** The expected console output, for a running block followed by a ```text block. */
  readonly expectedOutput: string | null;
  /** A file-system-safe identifier, e.g. `getting-started-L42`. */
  readonly id: string;
}

/** A fenced block of a Markdown file. */
interface Fence {
  readonly language: string;
  readonly line: number;
  readonly endLine: number;
  readonly code: string;
  readonly marker: string | null;
}

/**
 * Reads the ```ts samples of a guide.
 *
 * @param path - Absolute path of the guide.
 * @returns Its samples, in order.
 */
export function readSamples(path: string): Sample[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const fences = readFences(lines);
  const guide = relative(join(root, 'docs/guides'), path);
  const samples: Sample[] = [];
  fences.forEach((fence, index) => {
    if (fence.language !== 'ts' && fence.language !== 'typescript') return;
    const mode = fence.marker === 'typecheck-only' ? 'typecheck' : /from 'vitest'/.test(fence.code) ? 'test' : 'run';
    const next = fences[index + 1];
    const adjacent = next !== undefined && next.language === 'text' && lines.slice(fence.endLine, next.line - 1).every((line) => line.trim() === '');
    samples.push({
      guide,
      line: fence.line,
      code: fence.code,
      mode,
      expectedOutput: mode === 'run' && adjacent ? next.code : null,
      id: `${guide.replace(/\.md$/, '')}-L${fence.line}`,
    });
  });
  return samples;
}

/**
 * Type checks samples against the sources with the project's compiler options, each as a module of its
 * own at a virtual path beside the guides.
 *
 * @param samples - The samples.
 * @param extraFiles - More virtual modules to check (name relative to docs/guides, and code).
 * @returns One line per diagnostic in a sample or extra file (`file:line:column message`); none when all is well.
 */
export function typecheck(samples: readonly Sample[], extraFiles: Readonly<Record<string, string>> = {}): string[] {
  const virtual = new Map<string, string>();
  for (const sample of samples) virtual.set(join(root, 'docs/guides', `${sample.id}.ts`), sample.code);
  for (const [name, code] of Object.entries(extraFiles)) virtual.set(join(root, 'docs/guides', name), code);
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const code = virtual.get(file);
    return code === undefined ? getSourceFile.call(host, file, language, ...rest) : ts.createSourceFile(file, code, language, true);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const messages: string[] = [];
  for (const file of virtual.keys()) {
    const source = program.getSourceFile(file);
    if (source === undefined) {
      messages.push(`${file}: not compiled`);
      continue;
    }
    for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const position = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      messages.push(`${relative(root, file)}:${position.line + 1}:${position.character + 1} ${text}`);
    }
  }
  return messages;
}

/**
 * Writes a sample to a module file that imports the sources instead of the package (there is no
 * build in tests), for `import()`.
 *
 * @param sample - The sample.
 * @param directory - Where to write it.
 * @returns The file's absolute path.
 */
export function writeRunnable(sample: Sample, directory: string): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${sample.id}.ts`);
  const code = sample.code.replace(/(from\s+|import\s*\(\s*)'(gpfs-volumes(?:\/local|\/ssh)?)'/g, (whole, prefix: string, specifier: string) => {
    const target = entryPoints[specifier];
    return target === undefined ? whole : `${prefix}'${target}'`;
  });
  writeFileSync(file, code);
  return file;
}

// --- Internal helpers ---

function readFences(lines: readonly string[]): Fence[] {
  const fences: Fence[] = [];
  let open: { language: string; line: number; marker: string | null; body: string[] } | null = null;
  for (const [index, text] of lines.entries()) {
    const fence = /^```(\S*)\s*$/.exec(text);
    if (open === null) {
      if (fence === null) continue;
      const previous = lines[index - 1]?.trim() ?? '';
      const marker = /^<!-- sample: ([a-z-]+) -->$/.exec(previous)?.[1] ?? null;
      open = { language: fence[1] ?? '', line: index + 1, marker, body: [] };
    } else if (fence !== null && fence[1] === '') {
      fences.push({ language: open.language, line: open.line, endLine: index + 1, code: `${open.body.join('\n')}\n`, marker: open.marker });
      open = null;
    } else {
      open.body.push(text);
    }
  }
  if (open !== null) throw new Error(`unclosed code fence at line ${open.line}`);
  return fences;
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  if (config.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  const paths = Object.fromEntries(Object.entries(entryPoints).map(([specifier, file]) => [specifier, [file]]));
  return { ...parsed.options, noEmit: true, paths };
}
