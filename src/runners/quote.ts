/**
 * Quoting argv for a POSIX shell, and showing commands to people.
 *
 * @module
 */

/**
 * Quotes one argument for any POSIX shell (sh, dash, bash, zsh) with single quotes.
 *
 * Plain words made only of `[A-Za-z0-9_@%+=:,./-]` are returned as they are; everything else is
 * wrapped in single quotes, each embedded `'` written as `'\''`. Unlike bash's `$'...'` form this
 * works in dash, the `/bin/sh` of Debian. A NUL byte cannot be passed through any shell; callers
 * must reject it before quoting (this function drops nothing and adds nothing).
 *
 * @param arg - One argv element.
 * @returns The quoted word.
 * @example
 * ```ts
 * quotePosix("it's $HOME"); // "'it'\\''s $HOME'"
 * quotePosix('/gpfs0/volume-1'); // '/gpfs0/volume-1'
 * ```
 */
export function quotePosix(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * Joins an argv array into one POSIX shell command line, quoting each element with {@link quotePosix}.
 *
 * @param argv - Program and arguments.
 * @returns A command line that a POSIX shell splits back into exactly `argv`.
 * @example
 * ```ts
 * joinPosix(['rm', '-f', '/gpfs0/a b']); // "rm -f '/gpfs0/a b'"
 * ```
 */
export function joinPosix(argv: readonly string[]): string {
  return argv.map(quotePosix).join(' ');
}

/**
 * Renders an argv array for logs and error messages: shell-quoted, with control characters escaped
 * so that a newline or escape sequence in an argument cannot forge log lines.
 *
 * @param argv - Program and arguments.
 * @returns One printable line.
 * @example
 * ```ts
 * formatCommand(['touch', 'a\nb']); // "touch 'a\\nb'"
 * ```
 */
export function formatCommand(argv: readonly string[]): string {
  return joinPosix(argv).replace(/[\u0000-\u001f\u007f]/g, (character) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[character] ?? `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
