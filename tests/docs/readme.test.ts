/**
 * The README's ```ts samples type check against the sources (the same rules as the guides' samples:
 * tests/docs/samples.ts), so that the first code a user reads is code that compiles.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSamples, root, typecheck } from './samples.js';

describe('docs: README', () => {
  it('has ts samples that type check against the sources', () => {
    const samples = readSamples(join(root, 'README.md'));
    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(typecheck(samples)).toEqual([]);
  }, 120_000);
});
