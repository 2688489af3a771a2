/**
 * Suite 3 (issue 7) at the small size: upstream's gap values (`*`, `{a,b}`, `#`, command substitution)
 * and a seeded sample of the attack corpus, in every slot, over the local runner and over SSH (skipped
 * with a message when sshd is missing, unless GPFS_VOLUMES_REQUIRE_SSHD=1). `npm run reliability` runs
 * the whole corpus.
 */
import { describe, expect, it } from 'vitest';
import { runHostileInput } from './hostile-input.js';
import { formatSuiteReport, suiteOptionsFromEnvironment } from './support/report.js';

describe('reliability: hostile input', () => {
  it('refuses every hostile value before running anything, or passes it verbatim as one argument, and no shell ever interprets one', async () => {
    const report = await runHostileInput(suiteOptionsFromEnvironment('small'));
    console.log(formatSuiteReport(report));
    expect(report.scenarios).toBeGreaterThan(500);
    expect(report.violations).toEqual([]);
  }, 180_000);
});
