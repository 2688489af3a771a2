/**
 * What commands print: text for people on stdout, or exactly one JSON document on stdout with `--json`
 * (the result, or `{ "error": { ... } }`); errors for people are one line on stderr.
 *
 * @module
 */
import { formatError } from '../errors.js';

/** Exit code of a failed command. */
export const FAILURE_EXIT = 1;
/** Exit code of a usage error (bad option, missing argument, missing target). */
export const USAGE_EXIT = 2;

/**
 * Any error a command can report: the driver's, the simulator store's or the CLI's own.
 *
 * @example
 * ```ts
 * const error: ReportableError = { kind: 'InvalidTarget', message: 'cannot read the SSH key ~/.ssh/id_ed25519' };
 * ```
 */
export interface ReportableError {
  /** What kind of error it is. */
  readonly kind: string;
  /** What is wrong, for people. */
  readonly message: string;
}

/**
 * A command's result in both forms.
 *
 * @example
 * ```ts
 * const report: CommandReport = { json: { name: 'v1', sizeGiB: 1 }, human: 'created volume v1 (1 GiB)\n' };
 * ```
 */
export interface CommandReport {
  /** What `--json` prints. */
  readonly json: unknown;
  /** What people see (ends with a newline, or is empty). */
  readonly human: string;
  /** Exit code. @defaultValue 0 */
  readonly exitCode?: number;
}

/**
 * The streams the CLI writes to.
 *
 * @example
 * ```ts
 * const streams: CliStreams = { stdout: process.stdout, stderr: process.stderr };
 * ```
 */
export interface CliStreams {
  /** Results. */
  readonly stdout: NodeJS.WritableStream;
  /** Errors and progress. */
  readonly stderr: NodeJS.WriteStream | NodeJS.WritableStream;
}

/**
 * Prints a result.
 *
 * @param report - The result.
 * @param json - `--json`.
 * @param streams - Where to print.
 * @returns The exit code.
 */
export function printReport(report: CommandReport, json: boolean, streams: CliStreams): number {
  streams.stdout.write(json ? jsonDocument(report.json) : report.human);
  return report.exitCode ?? 0;
}

/**
 * Prints an error: `{ "error": ... }` on stdout with `--json`, else one line on stderr.
 *
 * @param error - The error.
 * @param json - `--json`.
 * @param streams - Where to print.
 * @param exitCode - Exit code to return. @defaultValue {@link FAILURE_EXIT}
 * @returns The exit code.
 */
export function printError(error: ReportableError, json: boolean, streams: CliStreams, exitCode = FAILURE_EXIT): number {
  if (json) streams.stdout.write(jsonDocument({ error }));
  else streams.stderr.write(`${oneLine(formatError(error))}\n`);
  return exitCode;
}

/**
 * Makes text safe for one terminal line: line breaks become spaces, other control characters `?`.
 *
 * @param text - Any text.
 * @returns The text on one line.
 */
export function oneLine(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '?')
    .trim();
}

// --- Internal helpers ---

function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
