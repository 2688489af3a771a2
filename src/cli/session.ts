/**
 * Running one command: open the target, make a driver over it with the shared options, run the
 * command's handler, print its report or error, and give the exit code.
 *
 * @module
 */
import type { Command } from 'commander';
import { err, ok, type Result } from 'neverthrow';
import { createGpfsDriver, type GpfsDriver } from '../driver/driver.js';
import type { GpfsError } from '../driver/errors.js';
import type { GpfsDriverOptions } from '../driver/options.js';
import type { CommonOptions } from './common-options.js';
import { printError, printReport, type CliStreams, type CommandReport, type ReportableError } from './output.js';
import { chooseProgressMode, createProgress, type Progress } from './progress.js';
import { withTarget, type TargetHost } from './target.js';

/**
 * What a command's handler works with.
 *
 * @example
 * ```ts
 * const handler: ActionHandler = ({ driver }) => driver.inventory().map((inventory) => ({ json: inventory, human: '' }));
 * ```
 */
export interface ActionSession {
  /** A driver over the target (its `configError` is set when the shared options are invalid). */
  readonly driver: GpfsDriver;
  /** The shared options. */
  readonly options: CommonOptions;
  /** Progress display (mode `'none'` unless the command shows progress). */
  readonly progress: Progress;
}

/**
 * A command's work: a report, or an error to print.
 *
 * @example
 * ```ts
 * const handler: ActionHandler = ({ driver }) => driver.setup().map((facts) => ({ json: facts, human: `${facts.clusterId}\n` }));
 * ```
 */
export type ActionHandler = (session: ActionSession) => PromiseLike<Result<CommandReport, GpfsError>> | PromiseLike<Result<CommandReport, ReportableError>>;

/**
 * Runs a subcommand's handler against the target: what each subcommand's action calls.
 *
 * @example
 * ```ts
 * program.command('ls').action((_options, command: Command) => run(command, { showsProgress: false }, handler));
 * ```
 */
export type RunCommand = (command: Command, spec: ActionSpec, handler: ActionHandler) => Promise<void>;

/**
 * How a command runs.
 *
 * @example
 * ```ts
 * const spec: ActionSpec = { showsProgress: true, driverOptions: { sparseVolumes: false } };
 * ```
 */
export interface ActionSpec {
  /** Show per-command progress on stderr (mutating commands). */
  readonly showsProgress: boolean;
  /** Driver options the command sets itself (e.g. `sparseVolumes: false` for `create --preallocate`). */
  readonly driverOptions?: Pick<GpfsDriverOptions, 'sparseVolumes'>;
}

/**
 * The process around the CLI: streams, environment, terminal.
 *
 * @example
 * ```ts
 * const cliProcess: CliProcess = { streams: { stdout: process.stdout, stderr: process.stderr }, host: { environment: process.env, homeDirectory: homedir() }, stderrIsTerminal: process.stderr.isTTY };
 * ```
 */
export interface CliProcess {
  /** Where to print. */
  readonly streams: CliStreams;
  /** Environment and home directory. */
  readonly host: TargetHost;
  /** Whether stderr is a terminal (progress bars). */
  readonly stderrIsTerminal: boolean;
}

/**
 * Runs a command's handler against its target and prints the outcome.
 *
 * @param options - The shared options.
 * @param spec - How the command runs.
 * @param handler - The command's work.
 * @param cliProcess - Streams, environment, terminal.
 * @returns The exit code.
 */
export async function runAction(options: CommonOptions, spec: ActionSpec, handler: ActionHandler, cliProcess: CliProcess): Promise<number> {
  const mode = spec.showsProgress ? chooseProgressMode({ json: options.json, quiet: options.quiet, stderrIsTerminal: cliProcess.stderrIsTerminal }) : 'none';
  const progress = createProgress(mode, cliProcess.streams.stderr);
  let outcome: Result<Result<CommandReport, ReportableError> | Result<CommandReport, GpfsError>, ReportableError>;
  try {
    outcome = await withTarget(options.target, cliProcess.host, async (runner) => {
      const driver = createGpfsDriver({
        runner: progress.observe(runner),
        mountPointBase: options.mountPointBase,
        ...(options.imagesDir === undefined ? {} : { imagesDir: options.imagesDir }),
        ...(options.storagePool === undefined ? {} : { storagePool: options.storagePool }),
        ...(options.maxCloneDepth === undefined ? {} : { maxCloneDepth: options.maxCloneDepth }),
        ...spec.driverOptions,
        onCommand: (event) => progress.onCommand(event),
      });
      return handler({ driver, options, progress });
    });
  } finally {
    progress.stop();
  }
  const result: Result<CommandReport, ReportableError> = outcome.andThen((inner): Result<CommandReport, ReportableError> => (inner.isOk() ? ok(inner.value) : err(inner.error)));
  return result.isOk() ? printReport(result.value, options.json, cliProcess.streams) : printError(result.error, options.json, cliProcess.streams);
}
