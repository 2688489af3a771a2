/**
 * Argv elements that break naive shell quoting: each must reach the program verbatim.
 */

/**
 * The hostile arguments, each with a label for test titles.
 *
 * @returns `[label, value]` pairs.
 */
export function hostileArguments(): [label: string, value: string][] {
  return [
    ['spaces', 'a b  c '],
    ['a single quote', "it's"],
    ['single quotes around words', "'quoted' 'twice'"],
    ['double quotes', '"double" "quotes"'],
    ['a backslash before a quote', "back\\'slash\\"],
    ['command substitution', '$(echo injected)'],
    ['backticks', '`echo injected`'],
    ['a variable', '$HOME ${PATH} $1 $@ $$'],
    ['a semicolon', 'a; echo injected'],
    ['a pipe', 'a | cat'],
    ['and-and', 'a && echo injected'],
    ['a newline', 'line one\nline two\n'],
    ['a carriage return', 'a\rb'],
    ['tabs', '\tindented\t'],
    ['a star glob', '*'],
    ['a question-mark glob', '?'],
    ['a bracket glob', '[a]'],
    ['braces', '{a,b}'],
    ['a hash', '# not a comment'],
    ['a tilde', '~'],
    ['a tilde path', '~/file'],
    ['a leading dash', '-n'],
    ['a double dash', '--'],
    ['an option-looking word', '--help'],
    ['an empty string', ''],
    ['a lone dollar', '$'],
    ['a redirection', '> /dev/null 2>&1'],
    ['ANSI-C quoting', "$'\\x41'"],
    ['an exclamation mark', '!!'],
    ['a percent sign', '%s %d 100%'],
    ['control characters', '\u0001\u001b[31m\u007f'],
    ['non-ASCII text', 'Grüße, Ελληνικά, 日本語'],
    ['emoji', '🙂 👩‍👩‍👧 🏳️‍🌈'],
  ];
}

/**
 * Arguments that would create `<directory>/CANARY` if any layer handed them to a shell unquoted.
 *
 * @param directory - Where the canary would appear.
 * @returns The injection attempts.
 */
export function canaryInjections(directory: string): string[] {
  const canary = `${directory}/CANARY`;
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `; touch ${canary}`,
    `| touch ${canary}`,
    `&& touch ${canary}`,
    `\ntouch ${canary}\n`,
    `' ; touch ${canary} ; '`,
    `" ; touch ${canary} ; "`,
    `'"$(touch ${canary})"'`,
    `$(touch ${canary}`,
  ];
}
