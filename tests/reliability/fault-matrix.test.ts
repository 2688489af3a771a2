/**
 * Suite 1 (issue 7) at the small size: a seeded sample of the fault matrix. `npm run reliability`
 * runs every cell.
 */
import { describe, expect, it } from 'vitest';
import { runFaultMatrix } from './fault-matrix.js';
import { formatSuiteReport, suiteOptionsFromEnvironment } from './support/report.js';

describe('reliability: fault matrix', () => {
  it('loses nothing, returns typed errors and converges whichever command fails, and how', async () => {
    const report = await runFaultMatrix(suiteOptionsFromEnvironment('small'));
    console.log(formatSuiteReport(report));
    expect(report.scenarios).toBeGreaterThan(40);
    expect(report.violations).toEqual([]);
  }, 120_000);
});
