/**
 * Suite 4, parsers under fuzz (issue 7): every `parse*` export of the parsers barrel gets random and
 * mutated inputs seeded from the captured fixtures (tests/fixtures/<command>/). None may throw, and
 * every error must be a `ParseError` whose 1-based `line` lies within the input.
 *
 * 100,000 inputs per parser at the full size; a few thousand in `npm test`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as parsers from '../../src/parsers/index.js';
import { createCollector, seededRandom, type SuiteOptions, type SuiteReport } from './support/report.js';

/** Inputs per parser at each size. */
export const FUZZ_INPUTS = { small: 2_000, full: 100_000 } as const;

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Which fixture directories seed which parser (a parser not listed is seeded from every fixture). */
const SEEDS: Readonly<Record<string, readonly string[]>> = {
  parseMachineReadable: [
    'mmlsfs',
    'mmlsfileset',
    'mmgetstate',
    'mmlsconfig',
    'mmlssnapshot',
    'mmdf',
    'mmrepquota',
    'mmlscluster',
    'mmlsmount',
    'mmhealth',
    'mmlsdisk',
    'mmaudit',
    'mmcesstate',
    'mmlsqos',
    'mmlsmgr',
    'mmcesnfslsexport',
  ],
  parseMmgetstate: ['mmgetstate'],
  parseMmlsconfig: ['mmlsconfig'],
  parseMmlsfs: ['mmlsfs'],
  parseMmlsattr: ['mmlsattr'],
  parseMmlsattrReplication: ['mmlsattr'],
  parseMmcloneShow: ['mmclone'],
  parseMmlspool: ['mmlspool'],
  parseDf: ['df'],
  parseQemuImgInfo: ['qemu-img'],
  parseMmlsfileset: ['mmlsfileset'],
  parseMmlssnapshot: ['mmlssnapshot'],
  parseMmdf: ['mmdf'],
  parseMmrepquota: ['mmrepquota'],
  parseMmlscluster: ['mmlscluster'],
  parseMmlsmount: ['mmlsmount'],
  parseMmhealth: ['mmhealth'],
  parseMmlsdisk: ['mmlsdisk'],
  parseNulSeparated: ['find'],
  parseFileListing: ['find'],
  parseStatFilesystemIds: ['stat'],
  parseStatFilesystemCapacity: ['stat'],
};

/** Seeds for parsers of single values rather than command output. */
const LITERAL_SEEDS: Readonly<Record<string, readonly string[]>> = {
  parseFilesystemFormatVersion: ['22.00 (5.0.4.0)', '16.06', '13.23 (3.5.0.7)', '35.00 (5.2.3.0)', '11.05 (3.3.0.2)'],
};

type Parser = (text: string) => unknown;

/**
 * Runs the fuzz suite.
 *
 * @param options - Size and seed.
 * @returns The report: scenarios = inputs parsed; one violation per parser and kind of problem (with how
 *   many inputs showed it and the shortest of them).
 */
export async function runParserFuzz(options: SuiteOptions): Promise<SuiteReport> {
  const collector = createCollector('parser-fuzz', options);
  const inputsPerParser = FUZZ_INPUTS[options.size];
  const allFixtures = readFixtures(readdirSync(FIXTURES));
  const entries = Object.entries(parsers as Record<string, unknown>).filter((entry): entry is [string, Parser] => entry[0].startsWith('parse') && typeof entry[1] === 'function');
  let errorsSeen = 0;
  let failingInputs = 0;
  for (const [index, [name, parse]] of entries.entries()) {
    const seeds = LITERAL_SEEDS[name] ?? (SEEDS[name] ? readFixtures(SEEDS[name]) : allFixtures);
    const random = seededRandom(options.seed + index * 7919);
    const problems = new Map<string, { count: number; example: string }>();
    let errors = 0;
    for (let run = 0; run < inputsPerParser; run++) {
      collector.scenario();
      const input = makeInput(random, seeds, allFixtures);
      const problem = check(parse, input);
      if (problem === 'error') errors += 1;
      else if (problem !== null) {
        const seen = problems.get(problem);
        if (seen === undefined) problems.set(problem, { count: 1, example: input });
        else {
          seen.count += 1;
          if (input.length < seen.example.length) seen.example = input;
        }
      }
      if (run % 512 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    errorsSeen += errors;
    failingInputs += [...problems.values()].reduce((sum, problem) => sum + problem.count, 0);
    for (const [problem, { count, example }] of problems) {
      collector.violation(`${name}, ${count} of ${inputsPerParser} inputs`, `${problem}; shortest input ${JSON.stringify(example.slice(0, 300))}`);
    }
    collector.detail(`${name.padEnd(30)} ${String(seeds.length).padStart(3)} seeds, ${inputsPerParser} inputs, ${errors} errors (all pointing at a line), ${problems.size} problems`);
    options.log?.(`parser-fuzz: ${name} done`);
  }
  collector.figure('parsers', entries.length);
  collector.figure('inputs per parser', inputsPerParser);
  collector.figure('errors checked', errorsSeen);
  collector.figure('inputs showing a problem', failingInputs);
  return collector.report();
}

// --- Internal helpers ---

function readFixtures(directories: readonly string[]): string[] {
  const texts: string[] = [];
  for (const directory of directories) {
    for (const file of readdirSync(join(FIXTURES, directory))) {
      if (file.endsWith('.txt')) texts.push(readFileSync(join(FIXTURES, directory, file), 'latin1'));
    }
  }
  return texts;
}

/** `null` for a success, `'error'` for a well-formed error, else what is wrong. */
function check(parse: Parser, input: string): string | null {
  let result: unknown;
  try {
    result = parse(input);
  } catch (error) {
    return `throws ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  const outcome = result as { isOk?: () => boolean; error?: unknown };
  if (typeof outcome?.isOk !== 'function') return 'returns something other than a Result';
  if (outcome.isOk()) return null;
  const error = outcome.error as { kind?: unknown; line?: unknown; message?: unknown };
  if (error?.kind !== 'ParseError') return `returns an error of kind ${JSON.stringify(error?.kind)}`;
  if (typeof error.message !== 'string' || error.message === '') return 'returns an error without a message';
  if (error.line === undefined)
    return `returns an error without a line, e.g. "${error.message
      .replace(/'[^']*'(, '[^']*')*/g, "'…'")
      .replace(/\bmm\w+(:\w+)?/g, '<command>')
      .replace(/columns?\b/, 'column(s)')}"`;
  const lines = (input.match(/\r\n|\n|\r/g)?.length ?? 0) + 1;
  if (typeof error.line !== 'number' || !Number.isInteger(error.line) || error.line < 1 || error.line > lines) {
    return `returns an error at line ${JSON.stringify(error.line)} outside the input's ${lines} lines`;
  }
  return 'error';
}

const ALPHABET = [
  '',
  ':',
  '::',
  '%',
  '%3A',
  '%2F',
  '%ZZ',
  '%',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '  ',
  '\t',
  '\0',
  '-',
  '/',
  'HEADER',
  'yes',
  'no',
  '0',
  '1',
  '-1',
  '4194304',
  '99999999999999999999999',
  'NaN',
  '1e309',
  '{',
  '}',
  '"',
  "'",
  '[',
  ']',
  ',',
  'é',
  '\ud800',
  '\uFEFF',
  '\u202e',
  'x'.repeat(300),
];

/** One input: a fresh random string, a mutated seed, or a seed of another parser. */
function makeInput(random: () => number, seeds: readonly string[], allFixtures: readonly string[]): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const roll = random();
  if (roll < 0.1 || seeds.length === 0) return Array.from({ length: 1 + Math.floor(random() * 40) }, () => pick(ALPHABET)).join('');
  if (roll < 0.15) return pick(allFixtures);
  let text = pick(seeds);
  const mutations = 1 + Math.floor(random() * 6);
  for (let count = 0; count < mutations; count++) text = mutate(text, random, pick, allFixtures);
  return text;
}

function mutate(text: string, random: () => number, pick: <T>(items: readonly T[]) => T, allFixtures: readonly string[]): string {
  const at = Math.floor(random() * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(random() * lines.length);
  switch (Math.floor(random() * 11)) {
    case 0:
      return text.slice(0, at) + pick(ALPHABET) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20));
    case 2:
      return text.slice(0, at);
    case 3:
      lines.splice(line, 0, lines[line] ?? '');
      return lines.join('\n');
    case 4:
      lines.splice(line, 1);
      return lines.join('\n');
    case 5: {
      const other = Math.floor(random() * lines.length);
      [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
      return lines.join('\n');
    }
    case 6: {
      const fields = (lines[line] ?? '').split(':');
      fields[Math.floor(random() * fields.length)] = pick(ALPHABET);
      lines[line] = fields.join(':');
      return lines.join('\n');
    }
    case 7: {
      const donor = pick(allFixtures).split('\n');
      lines.splice(line, 0, donor[Math.floor(random() * donor.length)] ?? '');
      return lines.join('\n');
    }
    case 8:
      return text.replace(/\n/g, '\r\n');
    case 9: {
      const words = (lines[line] ?? '').split(' ');
      words[Math.floor(random() * words.length)] = pick(ALPHABET);
      lines[line] = words.join(' ');
      return lines.join('\n');
    }
    default:
      return text.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x3000)) + text.slice(at + 1);
  }
}
