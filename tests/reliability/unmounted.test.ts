/**
 * Suite 5 (issue 7) at the small size: a seeded sample of the mutating operations against an
 * unmounted file system and an inactive daemon. `npm run reliability` runs every mutating operation.
 */
import { describe, expect, it } from 'vitest';
import { runUnmounted } from './unmounted.js';
import { formatSuiteReport, suiteOptionsFromEnvironment } from './support/report.js';

describe('reliability: unmounted or inactive GPFS', () => {
  it('refuses every mutating operation with NotMounted or GpfsNotActive and writes nothing under the mount point', async () => {
    const report = await runUnmounted(suiteOptionsFromEnvironment('small'));
    console.log(formatSuiteReport(report));
    expect(report.scenarios).toBeGreaterThanOrEqual(5 * 4 * 2);
    expect(report.violations).toEqual([]);
  }, 120_000);
});
