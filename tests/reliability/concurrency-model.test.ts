/**
 * Suite 2 (issue 7) at the small size: a few seeded model-based runs per configuration.
 * `npm run reliability` runs 300 per configuration.
 */
import { describe, expect, it } from 'vitest';
import { runConcurrencyModel } from './concurrency-model.js';
import { formatSuiteReport, suiteOptionsFromEnvironment } from './support/report.js';

describe('reliability: model-based concurrency', () => {
  it('keeps every step of concurrent operations from several drivers linearizable, with contents and clone parents intact', async () => {
    const report = await runConcurrencyModel(suiteOptionsFromEnvironment('small'));
    console.log(formatSuiteReport(report));
    expect(report.scenarios).toBeGreaterThan(20);
    expect(report.violations).toEqual([]);
  }, 120_000);
});
