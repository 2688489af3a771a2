/**
 * The attack corpus of the hostile-input suite: names and metadata values meant to escape a directory,
 * pass as options, or be interpreted by a shell (upstream's `check_ssh_injection` lets `*`, `{a,b}` and
 * `#` through to a root shell: cinder-gpfs-driver.md E.8 item 13, G.16 item 8).
 *
 * Values that would run something touch a canary file: if the canary ever exists, a shell interpreted
 * one of them.
 */

/** One hostile value. */
export interface AttackValue {
  /** Short label for reports. */
  readonly label: string;
  /** The value. */
  readonly value: string;
}

/**
 * Builds the corpus.
 *
 * @param canary - Absolute path of the canary file the shell-injection values try to create.
 * @returns The values, in a fixed order.
 */
export function attackCorpus(canary: string): AttackValue[] {
  const values: [string, string][] = [
    // Path traversal and absolute paths.
    ['dot-dot', '..'],
    ['dot', '.'],
    ['empty', ''],
    ['traversal', '../../etc/passwd'],
    ['absolute', '/etc/passwd'],
    ['slash inside', 'volumes/../../x'],
    ['trailing slash', 'volume-1/'],
    // Option injection.
    ['-rf', '-rf'],
    ['--', '--'],
    ['-', '-'],
    ['--help', '--help'],
    ['-P option', '-P system'],
    ['--option=value', '--write-affinity-depth=2'],
    // Shell metacharacters that would run something.
    ['command substitution', `$(touch ${canary})`],
    ['backticks', `\`touch ${canary}\``],
    ['semicolon', `x; touch ${canary}`],
    ['pipe', `x | touch ${canary}`],
    ['and', `x && touch ${canary}`],
    ['or', `false || touch ${canary}`],
    ['redirection', `x > ${canary}`],
    ['quote break', `'; touch ${canary}; '`],
    ['double-quote break', `"; touch ${canary}; "`],
    ['newline', `x\ntouch ${canary}`],
    ['carriage return', `x\rtouch ${canary}`],
    ['variable', '$HOME'],
    ['IFS', 'a${IFS}b'],
    ['process substitution', `<(touch ${canary})`],
    // Globs, braces and comments (upstream's gap).
    ['star', '*'],
    ['question mark', '?'],
    ['bracket glob', '[a-z]*'],
    ['braces', '{a,b}'],
    ['brace injection', '{system,-i,yes,/gpfs0/volumes/volume-x}'],
    ['hash', '#'],
    ['comment', 'x #rest'],
    ['tilde', '~root'],
    ['history', '!!'],
    ['percent', '%s%n%x'],
    ['single quote', "a'b"],
    ['double quote', 'a"b'],
    ['space', 'a b'],
    ['tab', 'a\tb'],
    ['backslash', 'a\\b'],
    // NUL and control characters.
    ['NUL', 'a\0b'],
    ['trailing NUL', 'volume-1\0'],
    ['escape', 'a\u001b[31mb'],
    ['DEL', 'a\u007fb'],
    // Very long values.
    ['255 characters', 'a'.repeat(255)],
    ['256 characters', 'a'.repeat(256)],
    ['64 KiB', 'x'.repeat(64 * 1024)],
    ['1 MiB', 'y'.repeat(1024 * 1024)],
    // Odd Unicode.
    ['accent', 'volumé'],
    ['right-to-left override', 'a\u202eb'],
    ['zero-width space', 'a\u200bb'],
    ['byte order mark', '\ufeffvolume'],
    ['fullwidth slash', 'a\uff0fb'],
    ['one-dot leader', '\u2024\u2024'],
    ['lone surrogate', 'a\ud800b'],
    ['emoji', 'vol\u{1f4a5}'],
    ['fullwidth letters', '\uff56\uff4f\uff4c'],
    // Reserved suffixes and other edge names.
    ['.snap suffix', 'volume-1.snap'],
    ['.ts suffix', 'snapshot-1.ts'],
    ['bare .snap', '.snap'],
    ['hidden', '.hidden'],
    ['upper-case suffix', 'volume-1.SNAP'],
    ['double dot inside', 'a..b'],
    ['underscore', '_'],
  ];
  return values.map(([label, value]) => ({ label, value }));
}

/** Labels of the values that must always be in a sample: upstream's gap (E.8 item 13, G.16 item 8). */
export const ALWAYS_SAMPLED = ['star', 'braces', 'brace injection', 'hash', 'command substitution', 'upper-case suffix'] as const;
