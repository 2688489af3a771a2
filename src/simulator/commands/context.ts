/**
 * What a simulated command receives and returns, and small helpers shared by the commands.
 *
 * @module
 */
import type { ByteSink, ByteSource } from '../../runners/types.js';
import type { LatencyModel } from '../options-types.js';
import type { Identity } from '../model/namespace.js';
import type { World } from '../model/types.js';

/** Everything a command handler may use. */
export interface CommandContext {
  readonly world: World;
  /** The argv as given. */
  readonly argv: readonly string[];
  /** Command name (argv[0] without its directory). */
  readonly name: string;
  /** Arguments (argv without argv[0]). */
  readonly args: readonly string[];
  readonly identity: Identity;
  readonly cwd: string;
  readonly stdin: ByteSource | undefined;
  readonly stdoutSink: ByteSink | undefined;
  /** Virtual time the command may take before it times out. */
  readonly budgetMs: number;
  readonly signal: AbortSignal | undefined;
  readonly latency: LatencyModel;
  /** Runs another command in the same context (for `env` and `sudo`). */
  readonly dispatch: (argv: readonly string[], identity: Identity) => CommandResult | Promise<CommandResult>;
}

/** How a command ended. */
export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Virtual time spent beyond the command's base cost (data movement, sleep). */
  readonly extraCostMs?: number;
  /** The command ran out of its time budget; its effects so far are kept. */
  readonly timedOut?: boolean;
}

/** A command implementation. */
export type CommandHandler = (context: CommandContext) => CommandResult | Promise<CommandResult>;

/** How a command is registered. */
export interface CommandSpec {
  readonly handler: CommandHandler;
  /** `mm` commands take the GPFS base cost and need the daemon unless `needsDaemon` is false. */
  readonly family: 'mm' | 'system';
  /** Runs only as root: without `asRoot` it fails like a mode-0700 program. */
  readonly rootOnly?: boolean;
  /** Needs the local GPFS daemon to be active. @defaultValue true for `mm` commands */
  readonly needsDaemon?: boolean;
}

/** Command name to implementation. */
export type CommandTable = Readonly<Record<string, CommandSpec>>;

/**
 * A successful result.
 *
 * @param stdout - Standard output.
 * @param stderr - Standard error.
 * @returns Exit code 0.
 */
export function success(stdout = '', stderr = ''): CommandResult {
  return { exitCode: 0, stdout, stderr };
}

/**
 * A failed result.
 *
 * @param stderr - Standard error (a newline is added when missing).
 * @param exitCode - Exit code. @defaultValue 1
 * @param stdout - Standard output printed before failing.
 * @returns The result.
 */
export function failure(stderr: string, exitCode = 1, stdout = ''): CommandResult {
  return { exitCode, stdout, stderr: stderr === '' || stderr.endsWith('\n') ? stderr : `${stderr}\n` };
}

/**
 * Quotes a file name the way coreutils does in diagnostics (`'name'`, with `'\''` for quotes and
 * `$'\n'` for control characters).
 *
 * @param name - File name.
 * @returns The quoted name.
 */
export function quote(name: string): string {
  if (!/['\x00-\x1f\x7f]/.test(name)) return `'${name}'`;
  let result = "'";
  for (const character of name) {
    const code = character.charCodeAt(0);
    if (character === "'") result += "'\\''";
    else if (code < 0x20 || code === 0x7f) {
      const escapes: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r' };
      const escaped = escapes[code] ?? code.toString(8).padStart(3, '0');
      result += `'$'\\${escaped}''`;
    } else result += character;
  }
  return `${result}'`.replace(/^''(?=\$)/, '').replace(/(?<=')''$/, '');
}

/**
 * The `Try 'cmd --help' for more information.` line coreutils prints after a usage error.
 *
 * @param command - Command name.
 * @returns The line, with a newline.
 */
export function tryHelp(command: string): string {
  return `Try '${command} --help' for more information.\n`;
}

/**
 * Splits combined short options (`-rf` into `-r -f`) until `--` or the first operand, as getopt does
 * for options without arguments.
 *
 * @param args - Command arguments.
 * @param withValue - Short options that take a value (the rest of the token, or the next argument).
 * @returns Options in order (value options as `[flag, value]`), operands, and the first unknown-shaped problem.
 */
export function parseShortOptions(args: readonly string[], withValue = '', longOptions: readonly string[] = []): { options: [string, string | undefined][]; operands: string[]; error: string | null } {
  const options: [string, string | undefined][] = [];
  const operands: string[] = [];
  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      index++;
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const [name, value] = splitLong(arg);
      if (!longOptions.includes(name)) return { options, operands, error: `unrecognized option '${arg}'` };
      options.push([name, value]);
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    for (let position = 1; position < arg.length; position++) {
      const flag = arg[position] as string;
      if (withValue.includes(flag)) {
        const rest = arg.slice(position + 1);
        if (rest !== '') options.push([`-${flag}`, rest]);
        else {
          const next = args[index + 1];
          if (next === undefined) return { options, operands, error: `option requires an argument -- '${flag}'` };
          options.push([`-${flag}`, next]);
          index++;
        }
        break;
      }
      options.push([`-${flag}`, undefined]);
    }
  }
  for (; index < args.length; index++) operands.push(args[index] as string);
  return { options, operands, error: null };
}

// --- Internal helpers ---

function splitLong(arg: string): [string, string | undefined] {
  const equals = arg.indexOf('=');
  return equals < 0 ? [arg, undefined] : [arg.slice(0, equals), arg.slice(equals + 1)];
}

/**
 * Virtual time to move bytes to or from a file system.
 *
 * @param context - Command context (for the latency model).
 * @param bytes - Bytes moved.
 * @param kind - Which throughput applies.
 * @returns Milliseconds.
 */
export function transferCostMs(context: CommandContext, bytes: number, kind: 'gpfs' | 'local'): number {
  const rate = kind === 'gpfs' ? context.latency.gpfsBytesPerSecond : context.latency.localBytesPerSecond;
  return (bytes / rate) * 1000;
}
