/**
 * Progress on stderr. The driver reports each command after it ends (`onCommand`) and the CLI sees each
 * round trip start (it wraps the runner); inside one command there is no progress to report (a zero fill
 * or a copy is one `dd` or `mmclone` on the node), so the command view counts commands, never a
 * percentage. Byte counts are real only where the CLI itself moves the bytes (backup and restore).
 *
 * - `'bars'` (stderr is a terminal, no `--json`): cli-progress bars, redrawn in place.
 * - `'lines'` (stderr is not a terminal): one plain line per command, and per tenth of a transfer.
 * - `'none'` (`--json` or `--quiet`): nothing.
 *
 * @module
 */
import cliProgress from 'cli-progress';
import { formatBytes } from '../inventory/render.js';
import type { CommandEvent } from '../driver/options.js';
import type { BatchCommand, BatchOptions, Command, CommandRunner } from '../runners/types.js';
import { oneLine } from './output.js';

/** How progress is shown. */
export type ProgressMode = 'bars' | 'lines' | 'none';

/**
 * A transfer's progress.
 *
 * @example
 * ```ts
 * const transfer = progress.transfer('backup v1', 2 ** 30);
 * transfer.add(65536);
 * transfer.finish();
 * ```
 */
export interface TransferProgress {
  /**
   * Counts bytes moved.
   *
   * @param bytes - Bytes just moved.
   */
  add(bytes: number): void;
  /** Ends the transfer's display. */
  finish(): void;
}

/**
 * Where a command's progress goes.
 *
 * @example
 * ```ts
 * const progress = createProgress('lines', process.stderr);
 * const driver = createGpfsDriver({ runner: progress.observe(runner), mountPointBase, onCommand: progress.onCommand });
 * ```
 */
export interface Progress {
  /** The mode. */
  readonly mode: ProgressMode;
  /**
   * The driver's `onCommand` hook.
   *
   * @param event - A command that ended.
   */
  onCommand(event: CommandEvent): void;
  /**
   * Wraps a runner to see each round trip start.
   *
   * @param runner - The target's runner.
   * @returns A runner that reports each `run`/`runBatch` before it is sent.
   */
  observe(runner: CommandRunner): CommandRunner;
  /**
   * Starts a transfer display.
   *
   * @param label - What is moving, e.g. `backup v1`.
   * @param totalBytes - Its size, or `null` when unknown.
   * @returns The transfer's progress.
   */
  transfer(label: string, totalBytes: number | null): TransferProgress;
  /** Ends every display (leaves the last state of the bars on screen). */
  stop(): void;
}

/**
 * Picks the mode: bars only on a terminal and without `--json`.
 *
 * @param options - `json`, `quiet` and whether stderr is a terminal.
 * @returns The mode.
 */
export function chooseProgressMode(options: { readonly json: boolean; readonly quiet: boolean; readonly stderrIsTerminal: boolean }): ProgressMode {
  if (options.json || options.quiet) return 'none';
  return options.stderrIsTerminal ? 'bars' : 'lines';
}

/**
 * Makes the progress display.
 *
 * @param mode - How to show progress.
 * @param stream - Where (stderr).
 * @returns The display.
 */
export function createProgress(mode: ProgressMode, stream: NodeJS.WritableStream): Progress {
  if (mode === 'bars') return barsProgress(stream);
  if (mode === 'lines') return linesProgress(stream);
  const nothing: TransferProgress = { add: () => undefined, finish: () => undefined };
  return { mode, onCommand: () => undefined, observe: (runner) => runner, transfer: () => nothing, stop: () => undefined };
}

// --- Internal helpers ---

function linesProgress(stream: NodeJS.WritableStream): Progress {
  return {
    mode: 'lines',
    onCommand(event) {
      const outcome = event.exitCode === null ? `signal ${event.signal ?? '?'}` : `exit ${event.exitCode}`;
      stream.write(`${event.operation} round ${event.roundTrip}: ${event.step}: ${oneLine(displayArgv(event.argv))} (${outcome})\n`);
    },
    observe: (runner) => runner,
    transfer(label, totalBytes) {
      let bytes = 0;
      let reportedTenths = 0;
      return {
        add(count) {
          bytes += count;
          if (totalBytes === null || totalBytes <= 0) return;
          const tenths = Math.min(10, Math.floor((bytes * 10) / totalBytes));
          if (tenths > reportedTenths && tenths < 10) {
            reportedTenths = tenths;
            stream.write(`${label}: ${formatBytes(bytes)} of ${formatBytes(totalBytes)} (${tenths * 10}%)\n`);
          }
        },
        finish() {
          stream.write(`${label}: ${formatBytes(bytes)}${totalBytes === null ? '' : ` of ${formatBytes(totalBytes)}`} done\n`);
        },
      };
    },
    stop: () => undefined,
  };
}

function barsProgress(stream: NodeJS.WritableStream): Progress {
  const bars = new cliProgress.MultiBar({ stream, hideCursor: true, clearOnComplete: false, barsize: 24, autopadding: true }, cliProgress.Presets.shades_classic);
  let commands: cliProgress.SingleBar | undefined;
  let sent = 0;
  let rounds = 0;
  const roundStarted = (argvs: readonly (readonly string[])[]): void => {
    sent += argvs.length;
    rounds += 1;
    const first = argvs[0] ?? [];
    const activity = `running ${oneLine(displayArgv(first)).slice(0, 60)}${argvs.length > 1 ? ` (+${argvs.length - 1})` : ''}`;
    if (commands === undefined) {
      commands = bars.create(sent, 0, { operation: 'starting', round: rounds, activity }, { format: '{operation} [{bar}] {value}/{total} commands | round {round} | {activity}' });
    } else {
      commands.setTotal(sent);
      commands.update({ round: rounds, activity });
    }
  };
  return {
    mode: 'bars',
    onCommand(event) {
      commands?.increment(1, { operation: event.operation, activity: `${event.step} ${event.exitCode === null ? 'killed' : `exit ${event.exitCode}`}` });
    },
    observe(runner) {
      const observed: CommandRunner = {
        ...(runner.name === undefined ? {} : { name: runner.name }),
        run(command: Command) {
          roundStarted([command.argv]);
          return runner.run(command);
        },
      };
      if (runner.runBatch) {
        const runBatch = runner.runBatch.bind(runner);
        observed.runBatch = (batch: readonly BatchCommand[], options?: BatchOptions) => {
          roundStarted(batch.map((command) => command.argv));
          return runBatch(batch, options);
        };
      }
      if (runner.dispose) observed.dispose = runner.dispose.bind(runner);
      return observed;
    },
    transfer(label, totalBytes) {
      const total = totalBytes ?? 0;
      const bar = bars.create(
        total,
        0,
        { label, done: formatBytes(0), size: totalBytes === null ? 'unknown size' : formatBytes(total) },
        {
          format: totalBytes === null ? '{label} {done} of {size}' : '{label} [{bar}] {percentage}% | {done} of {size} | ETA {eta_formatted}',
        },
      );
      let bytes = 0;
      return {
        add(count) {
          bytes += count;
          bar.update(Math.min(bytes, total === 0 ? bytes : total), { done: formatBytes(bytes) });
        },
        finish() {
          bar.update(totalBytes === null ? bytes : total, { done: formatBytes(bytes) });
        },
      };
    },
    stop() {
      bars.stop();
    },
  };
}

function displayArgv(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
}
