import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateName } from '../../src/driver/names.js';

describe('driver: names', () => {
  it.each(['volume-1', 'snapshot_2', 'a', 'A.b-c_d', '0abc', '_hidden', 'x'.repeat(255)])('accepts %j', (name) => {
    expect(validateName(name, 'volume')._unsafeUnwrap()).toBe(name);
  });

  it.each([
    ['empty', ''],
    ['dot', '.'],
    ['dot dot', '..'],
    ['traversal', '../x'],
    ['slash', 'a/b'],
    ['option', '-rf'],
    ['double dash', '--'],
    ['leading dot', '.hidden'],
    ['NUL', 'a\0b'],
    ['newline', 'a\nb'],
    ['space', 'a b'],
    ['glob', 'a*'],
    ['braces', '{a,b}'],
    ['hash', 'a#b'],
    ['dollar', '$(id)'],
    ['backtick', '`id`'],
    ['semicolon', 'a;b'],
    ['quote', "a'b"],
    ['unicode', 'völume'],
    ['too long', 'x'.repeat(256)],
    ['hidden parent suffix', 'volume-1.snap'],
    ['tombstone suffix', 'snapshot-1.ts'],
  ])('refuses %s', (_label, name) => {
    const result = validateName(name, 'snapshot');
    expect(result.isErr()).toBe(true);
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName', role: 'snapshot', name });
  });

  it('refuses non-strings without throwing', () => {
    for (const value of [undefined, null, 42, {}, ['a']]) {
      expect(validateName(value, 'volume')._unsafeUnwrapErr().kind).toBe('InvalidName');
    }
  });

  it('never accepts a name that could leave the directory or start an option', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (name) => {
        const result = validateName(name, 'volume');
        if (result.isOk()) {
          expect(name.includes('/')).toBe(false);
          expect(name.startsWith('-')).toBe(false);
          expect(name.startsWith('.')).toBe(false);
          expect(/[\s\0*?[\]{}$`'"\\;|&<>#~]/.test(name)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
