/**
 * Suite 6 (issue 7) at the small size: fewer operations per runner (the simulator, the local runner and,
 * when sshd is installed, the SSH runner), each measured in a child process run with --expose-gc.
 * `npm run reliability` runs 10,000 on the simulator.
 */
import { describe, expect, it } from 'vitest';
import { runBounds } from './bounds.js';
import { formatSuiteReport, suiteOptionsFromEnvironment } from './support/report.js';

describe('reliability: bounds', () => {
  it('keeps the heap flat and leaks no handles, timers, listeners or SSH channels over many sequential operations', async () => {
    const report = await runBounds(suiteOptionsFromEnvironment('small'));
    console.log(formatSuiteReport(report));
    expect(report.scenarios).toBeGreaterThan(1_000);
    expect(report.violations).toEqual([]);
  }, 180_000);
});
