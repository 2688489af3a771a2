/**
 * `npm run reliability`: every reliability suite of issue 7 at the full size (it takes minutes), each
 * printing its figures as it finishes, then one summary table. Exits 1 when any suite found a violation.
 *
 * ```text
 * npm run reliability                                   # all suites, full size
 * npm run reliability -- fault-matrix parser-fuzz       # some suites
 * GPFS_VOLUMES_RELIABILITY_SIZE=small npm run reliability
 * GPFS_VOLUMES_RELIABILITY_SEED=42 npm run reliability
 * ```
 */
import { runBounds } from './bounds.js';
import { runConcurrencyModel } from './concurrency-model.js';
import { runFaultMatrix } from './fault-matrix.js';
import { runHostileInput } from './hostile-input.js';
import { runParserFuzz } from './parser-fuzz.js';
import { formatSuiteReport, formatSummaryTable, suiteOptionsFromEnvironment, type SuiteOptions, type SuiteReport } from './support/report.js';
import { runUnmounted } from './unmounted.js';

/** The suites, in run order. */
const SUITES: readonly (readonly [string, (options: SuiteOptions) => Promise<SuiteReport>])[] = [
  ['fault-matrix', runFaultMatrix],
  ['concurrency-model', runConcurrencyModel],
  ['hostile-input', runHostileInput],
  ['parser-fuzz', runParserFuzz],
  ['unmounted', runUnmounted],
  ['bounds', runBounds],
];

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SUITES.some(([suite]) => suite === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.map(([suite]) => suite).join(', ')}\n`);
    return 2;
  }
  const options = { ...suiteOptionsFromEnvironment('full'), log: (line: string) => process.stderr.write(`${line}\n`) };
  process.stdout.write(`gpfs-volumes reliability suites (issue 7), size ${options.size}, seed ${options.seed}\n\n`);
  const reports: SuiteReport[] = [];
  for (const [name, run] of SUITES) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const started = performance.now();
    const report = await run(options);
    reports.push(report);
    process.stdout.write(`${formatSuiteReport(report)}\n  (${((performance.now() - started) / 1000).toFixed(0)} s)\n\n`);
  }
  process.stdout.write(`${formatSummaryTable(reports)}\n`);
  return reports.some((report) => report.violations.length > 0) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`reliability run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
