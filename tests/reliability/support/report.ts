/**
 * Sizes, seeds and reports shared by the reliability suites (issue 7).
 *
 * Every suite is one function `(options: SuiteOptions) => Promise<SuiteReport>`: the vitest file calls it
 * at the small size, `tests/reliability/run.ts` at the full size, so the same code runs at both. A
 * report counts the scenarios run and lists every violation found; {@link formatSuiteReport} prints it
 * as one quotable line and {@link formatSummaryTable} puts all of them in one table.
 */

/** How much a suite does: `small` for `npm test`, `full` for `npm run reliability`. */
export type ReliabilitySize = 'small' | 'full';

/** What every suite is given. */
export interface SuiteOptions {
  /** Small (a seeded sample) or full. */
  readonly size: ReliabilitySize;
  /** Seed of every random choice the suite makes (fast-check runs, samples, fuzz inputs). */
  readonly seed: number;
  /** Where progress lines go. @defaultValue nowhere */
  readonly log?: (line: string) => void;
}

/** One broken promise: which scenario, and what was wrong. */
export interface Violation {
  /** The scenario, precise enough to reproduce it (operation, command, fault kind, input...). */
  readonly scenario: string;
  /** What was lost, changed or wrong. */
  readonly detail: string;
}

/** What a suite did and found. */
export interface SuiteReport {
  /** Short suite name, e.g. `fault-matrix`. */
  readonly suite: string;
  /** The size it ran at. */
  readonly size: ReliabilitySize;
  /** Its seed. */
  readonly seed: number;
  /** Scenarios run (each one checked in full). */
  readonly scenarios: number;
  /** Violations found (empty when every promise held). */
  readonly violations: readonly Violation[];
  /** Further figures, in print order: `[label, value]`. */
  readonly figures: readonly (readonly [string, string | number])[];
  /** Extra lines worth printing under the summary (per-operation tables, skipped parts and why). */
  readonly details: readonly string[];
}

/** Environment variable choosing the size (`small` or `full`). */
export const SIZE_VARIABLE = 'GPFS_VOLUMES_RELIABILITY_SIZE';
/** Environment variable choosing the seed (an integer). */
export const SEED_VARIABLE = 'GPFS_VOLUMES_RELIABILITY_SEED';
/** The seed used when none is given, so that runs repeat. */
export const DEFAULT_SEED = 20_240_607;

/**
 * Reads the size and seed from the environment.
 *
 * @param defaultSize - Size when {@link SIZE_VARIABLE} is unset (`small` in vitest, `full` in run.ts).
 * @returns Options for a suite.
 */
export function suiteOptionsFromEnvironment(defaultSize: ReliabilitySize): SuiteOptions {
  const sizeText = process.env[SIZE_VARIABLE];
  const size: ReliabilitySize = sizeText === 'full' || sizeText === 'small' ? sizeText : defaultSize;
  const seedText = process.env[SEED_VARIABLE];
  const seed = seedText !== undefined && /^-?\d+$/.test(seedText) ? Number(seedText) : DEFAULT_SEED;
  return { size, seed };
}

/**
 * Collects violations and counts scenarios while a suite runs.
 *
 * @param suite - Suite name.
 * @param options - Size and seed.
 * @returns A mutable collector; `report()` freezes it.
 */
export function createCollector(suite: string, options: SuiteOptions) {
  const violations: Violation[] = [];
  const figures: (readonly [string, string | number])[] = [];
  const details: string[] = [];
  let scenarios = 0;
  return {
    /** Counts one scenario. */
    scenario(): void {
      scenarios += 1;
    },
    /** Records a violation. */
    violation(scenario: string, detail: string): void {
      violations.push({ scenario, detail });
      options.log?.(`  VIOLATION ${scenario}: ${detail}`);
    },
    /** Adds a figure to the summary line. */
    figure(label: string, value: string | number): void {
      figures.push([label, value]);
    },
    /** Adds a line printed under the summary. */
    detail(line: string): void {
      details.push(line);
    },
    /** Violations recorded so far. */
    get violationCount(): number {
      return violations.length;
    },
    /** The finished report. */
    report(): SuiteReport {
      return { suite, size: options.size, seed: options.seed, scenarios, violations: [...violations], figures: [...figures], details: [...details] };
    },
  };
}

/** The collector {@link createCollector} returns. */
export type Collector = ReturnType<typeof createCollector>;

/**
 * One quotable line per suite, then its violations and details.
 *
 * @param report - A suite's report.
 * @returns Text such as `[reliability] fault-matrix (full, seed 1): 1290 scenarios, 0 violations; operations 11, ...`.
 */
export function formatSuiteReport(report: SuiteReport): string {
  const figures = report.figures.map(([label, value]) => `${label} ${value}`).join(', ');
  const head = `[reliability] ${report.suite} (${report.size}, seed ${report.seed}): ${report.scenarios} scenarios, ${report.violations.length} violations${figures === '' ? '' : `; ${figures}`}`;
  const violations = report.violations.map((violation) => `  violation: ${violation.scenario}: ${violation.detail}`);
  return [head, ...violations, ...report.details.map((line) => `  ${line}`)].join('\n');
}

/**
 * The summary table of several suites.
 *
 * @param reports - Reports in run order.
 * @returns A fixed-width table: suite, size, scenarios, violations, key figures.
 */
export function formatSummaryTable(reports: readonly SuiteReport[]): string {
  const rows = reports.map((report) => [
    report.suite,
    report.size,
    String(report.scenarios),
    String(report.violations.length),
    report.figures
      .slice(0, 4)
      .map(([label, value]) => `${label} ${value}`)
      .join(', '),
  ]);
  const header = ['suite', 'size', 'scenarios', 'violations', 'figures'];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === 2 || column === 3 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-|-');
  const total = reports.reduce((sum, report) => sum + report.scenarios, 0);
  const violations = reports.reduce((sum, report) => sum + report.violations.length, 0);
  return [line(header), rule, ...rows.map(line), rule, line(['total', '', String(total), String(violations), ''])].join('\n');
}

/**
 * A small seeded pseudo-random generator (mulberry32), for samples that must repeat.
 *
 * @param seed - Any integer.
 * @returns A function giving floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Picks up to `count` items, in their original order, with a seeded generator.
 *
 * @param items - Candidates.
 * @param count - How many to keep.
 * @param random - A generator from {@link seededRandom}.
 * @returns The sample.
 */
export function sample<T>(items: readonly T[], count: number, random: () => number): T[] {
  if (count >= items.length) return [...items];
  const indices = items.map((_, index) => index);
  for (let index = indices.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [indices[index], indices[other]] = [indices[other] as number, indices[index] as number];
  }
  return indices
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((index) => items[index] as T);
}
