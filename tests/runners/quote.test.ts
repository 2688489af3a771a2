import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCommand, joinPosix, quotePosix } from '../../src/index.js';

/** Shells to check the quoting against: each distinct one among these that this machine has. */
const shells = ((): string[] => {
  const byBinary = new Map<string, string>();
  for (const shell of ['dash', 'sh', 'bash']) {
    try {
      const binary = realpathSync(execFileSync('sh', ['-c', `command -v ${shell}`], { encoding: 'utf8' }).trim());
      if (!byBinary.has(binary)) byBinary.set(binary, shell);
    } catch {
      // Not installed here.
    }
  }
  return [...byBinary.values()];
})();

/** Runs `printf '%s\0' <quoted words>` in a shell and splits what it printed. */
function echoedByShell(shell: string, line: string): string[] {
  return execFileSync(shell, ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' })
    .split('\u0000')
    .slice(0, -1);
}

/** Strings without NUL (no shell can carry one), from all of Unicode. */
const argument = fc.string({ unit: 'binary', maxLength: 40 }).filter((value) => !value.includes('\u0000'));
/** Strings dense in the characters shells treat specially. */
const shellish = fc.string({ unit: fc.constantFrom(...[...`'"\\$\`!*?[]{}~#;&|<>() \t\n-=%@:,./aZ09é🙂`]), maxLength: 30 });

describe('runners: quotePosix', () => {
  it('finds a POSIX sh and bash to check against', () => {
    expect(shells).toContain('bash');
    expect(shells.length).toBeGreaterThanOrEqual(2);
  });

  it.each(shells)('quotes random strings so that %s reads each back as one word, verbatim', (shell) => {
    // Each run checks a whole array in one shell process: about a thousand strings per shell.
    fc.assert(
      fc.property(fc.array(fc.oneof(argument, shellish), { minLength: 1, maxLength: 20 }), (argv) => {
        expect(echoedByShell(shell, argv.map(quotePosix).join(' '))).toEqual(argv);
        expect(joinPosix(argv)).toBe(argv.map(quotePosix).join(' '));
      }),
      { numRuns: 100 },
    );
  });

  it('leaves plain words alone and quotes everything else', () => {
    expect(quotePosix('/gpfs0/volume-1')).toBe('/gpfs0/volume-1');
    expect(quotePosix('a=b,c:d@e%f+g')).toBe('a=b,c:d@e%f+g');
    expect(quotePosix('')).toBe("''");
    expect(quotePosix("it's")).toBe("'it'\\''s'");
    expect(quotePosix('~')).toBe("'~'");
  });
});

describe('runners: formatCommand', () => {
  it('never prints control characters, whatever the argv holds', () => {
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 5 }), (argv) => {
        expect(formatCommand(argv)).not.toMatch(/[\u0000-\u001f\u007f]/);
      }),
    );
  });
});
