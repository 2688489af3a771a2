/**
 * Suite 4 (issue 7) at the small size: a few thousand fuzzed inputs per parser. `npm run reliability`
 * runs 100,000 per parser.
 */
import { describe, expect, it } from 'vitest';
import { runParserFuzz } from './parser-fuzz.js';
import { formatSuiteReport, suiteOptionsFromEnvironment } from './support/report.js';

describe('reliability: parsers under fuzz', () => {
  it('never throws, and every error is a ParseError pointing at a line of the input', async () => {
    const report = await runParserFuzz(suiteOptionsFromEnvironment('small'));
    console.log(formatSuiteReport(report));
    expect(report.scenarios).toBeGreaterThan(20 * 2_000);
    expect(report.violations).toEqual([]);
  }, 120_000);
});
