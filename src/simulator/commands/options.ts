/**
 * Coreutils-style command lines: one option table per command, parsed the way getopt_long does, with
 * GNU's usage errors (`<cmd>: invalid option -- 'x'`, `Try '<cmd> --help' for more information.`, exit 1).
 *
 * Short options cluster (`-rf`); one that takes a value takes the rest of its token or the next
 * argument (`-m755`, `-m 755`). Options and operands mix freely, `--` ends the options and `-` is an
 * operand. Long options are matched whole (no abbreviations).
 *
 * @module
 */
import { failure, quote, tryHelp, type CommandResult } from './context.js';

/**
 * The options of one command: each key with its spellings, written as in a synopsis.
 *
 * - `-x`: a short flag. `-x VALUE`: a short option with a value (`-xVALUE` or `-x VALUE`).
 * - `--name`: a long flag, matched whole (so `--interactive=never` is a flag spelling too).
 * - `--name=VALUE`: a long option whose value follows `=`; a bare `--name` is not recognised.
 * - `--name VALUE`: a long option whose value follows `=` or is the next argument.
 *
 * A value placeholder is an upper-case word. Keys the command does not act on are accepted and ignored.
 */
export type OptionSpellings<Key extends string> = Readonly<Record<Key, readonly string[]>>;

/** A compiled option table (build it once per command with {@link optionTable}). */
export interface OptionTable<Key extends string> {
  /** Command name used in error messages. */
  readonly command: string;
  readonly short: ReadonlyMap<string, { readonly key: Key; readonly takesValue: boolean }>;
  /** Long names (without `--`) that are flags. */
  readonly longFlags: ReadonlyMap<string, Key>;
  /** Long names (without `--`) that take a value; `separate` when it may be the next argument. */
  readonly longValues: ReadonlyMap<string, { readonly key: Key; readonly separate: boolean }>;
  /** A short-option token with an unknown letter is an operand (chmod's `-w` modes), not an error. */
  readonly unknownShortIsOperand: boolean;
}

/** One option as given: its key, and its value (`undefined` for flags). */
export interface ParsedOption<Key extends string> {
  readonly key: Key;
  readonly value: string | undefined;
}

/** A parsed command line, or the usage error to return. */
export type ParsedCommandLine<Key extends string> =
  { readonly ok: true; readonly options: readonly ParsedOption<Key>[]; readonly operands: readonly string[] } | { readonly ok: false; readonly failure: CommandResult };

/**
 * Compiles a command's option table.
 *
 * @param command - Command name (for error messages).
 * @param spellings - Each key with its spellings (see {@link OptionSpellings}).
 * @param settings - `unknownShortIsOperand`: treat a short-option token with an unknown letter as an operand.
 * @returns The table for {@link parseCommandLine}.
 * @example
 * ```ts
 * const MKDIR_OPTIONS = optionTable('mkdir', { parents: ['-p', '--parents'], mode: ['-m MODE', '--mode=MODE'] });
 * ```
 */
export function optionTable<Key extends string>(command: string, spellings: OptionSpellings<Key>, settings: { readonly unknownShortIsOperand?: boolean } = {}): OptionTable<Key> {
  const short = new Map<string, { key: Key; takesValue: boolean }>();
  const longFlags = new Map<string, Key>();
  const longValues = new Map<string, { key: Key; separate: boolean }>();
  for (const key of Object.keys(spellings) as Key[]) {
    for (const spelling of spellings[key]) {
      const valued = /^(-[^-]|--[^\s=]+)([ =])[A-Z][A-Z_]*$/.exec(spelling);
      const name = valued?.[1] ?? spelling;
      if (!name.startsWith('--')) short.set(name.slice(1), { key, takesValue: valued !== null });
      else if (valued === null) longFlags.set(name.slice(2), key);
      else longValues.set(name.slice(2), { key, separate: valued[2] === ' ' });
    }
  }
  return { command, short, longFlags, longValues, unknownShortIsOperand: settings.unknownShortIsOperand ?? false };
}

/**
 * Splits a command's arguments into options and operands.
 *
 * @param args - Arguments (argv without argv[0]).
 * @param table - The command's table.
 * @param check - Checks each option's value as it is read, so that a bad value is reported before a
 *   later bad option (as GNU tools do); returns the failure to print, or `null`.
 * @returns Options in the order given and operands, or the usage error.
 */
export function parseCommandLine<Key extends string>(args: readonly string[], table: OptionTable<Key>, check?: (option: ParsedOption<Key>) => CommandResult | null): ParsedCommandLine<Key> {
  const options: ParsedOption<Key>[] = [];
  const operands: string[] = [];
  const add = (option: ParsedOption<Key>): CommandResult | null => {
    options.push(option);
    return check === undefined ? null : check(option);
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    let problem: CommandResult | null = null;
    if (arg === '--') {
      operands.push(...args.slice(index + 1));
      break;
    } else if (arg.startsWith('--')) {
      const body = arg.slice(2);
      const flag = table.longFlags.get(body);
      const separate = table.longValues.get(body);
      const equals = body.indexOf('=');
      const attached = equals > 0 ? table.longValues.get(body.slice(0, equals)) : undefined;
      if (flag !== undefined) problem = add({ key: flag, value: undefined });
      else if (separate?.separate === true) {
        const value = args[++index];
        problem = value === undefined ? usageError(table.command, `option '${arg}' requires an argument`) : add({ key: separate.key, value });
      } else if (attached !== undefined) problem = add({ key: attached.key, value: body.slice(equals + 1) });
      else problem = usageError(table.command, `unrecognized option '${arg}'`);
    } else if (arg.length > 1 && arg.startsWith('-')) {
      if (table.unknownShortIsOperand && [...arg.slice(1)].some((letter) => !table.short.has(letter))) operands.push(arg);
      else {
        const cluster = shortCluster(args, index, table, add);
        index = cluster.index;
        problem = cluster.problem;
      }
    } else operands.push(arg);
    if (problem !== null) return { ok: false, failure: problem };
  }
  return { ok: true, options, operands };
}

/**
 * Tells whether any of some options was given.
 *
 * @param parsed - A parsed command line.
 * @param keys - Option keys.
 * @returns `true` when one of them was given.
 */
export function hasOption<Key extends string>(parsed: { readonly options: readonly ParsedOption<Key>[] }, ...keys: Key[]): boolean {
  return parsed.options.some((option) => keys.includes(option.key));
}

/**
 * The value of the last occurrence of an option (later ones override earlier ones).
 *
 * @param parsed - A parsed command line.
 * @param key - Option key.
 * @returns Its value, or `null` when it was not given.
 */
export function optionValue<Key extends string>(parsed: { readonly options: readonly ParsedOption<Key>[] }, key: Key): string | null {
  for (let index = parsed.options.length - 1; index >= 0; index--) {
    const option = parsed.options[index] as ParsedOption<Key>;
    if (option.key === key) return option.value ?? null;
  }
  return null;
}

/**
 * A coreutils usage error: `<command>: <message>`, then the `Try '<command> --help'` line; exit 1.
 *
 * @param command - Command name.
 * @param message - What is wrong.
 * @returns The failure.
 */
export function usageError(command: string, message: string): CommandResult {
  return failure(`${command}: ${message}\n${tryHelp(command)}`);
}

/**
 * GNU's complaint when a command has too few operands: `missing operand` with none, then
 * `missing <noun> after '<last operand>'` (`mv: missing destination file operand after 'a'`).
 *
 * @param command - Command name.
 * @param operands - The operands given.
 * @param nouns - What is missing when there are 0, 1, ... operands (`['file operand', 'destination file operand']`);
 *   its length is the number of operands the command needs.
 * @returns The usage error, or `null` when there are enough operands.
 */
export function missingOperand(command: string, operands: readonly string[], nouns: readonly string[]): CommandResult | null {
  const noun = nouns[operands.length];
  if (noun === undefined) return null;
  const last = operands[operands.length - 1];
  return usageError(command, last === undefined ? `missing ${noun}` : `missing ${noun} after ${quote(last)}`);
}

// --- Internal helpers ---

/** Reads one short-option token (`-rf`, `-m755`); returns the index of the last argument it used. */
function shortCluster<Key extends string>(
  args: readonly string[],
  start: number,
  table: OptionTable<Key>,
  add: (option: ParsedOption<Key>) => CommandResult | null,
): { index: number; problem: CommandResult | null } {
  const arg = args[start] as string;
  let index = start;
  for (let position = 1; position < arg.length;) {
    const letter = String.fromCodePoint(arg.codePointAt(position) as number);
    position += letter.length;
    const spec = table.short.get(letter);
    if (spec === undefined) return { index, problem: usageError(table.command, `invalid option -- '${letter}'`) };
    if (!spec.takesValue) {
      const problem = add({ key: spec.key, value: undefined });
      if (problem !== null) return { index, problem };
      continue;
    }
    const value = position < arg.length ? arg.slice(position) : args[++index];
    if (value === undefined) return { index, problem: usageError(table.command, `option requires an argument -- '${letter}'`) };
    return { index, problem: add({ key: spec.key, value }) };
  }
  return { index, problem: null };
}
