#!/usr/bin/env node
/**
 * `gpfs-sim`: the GPFS simulator as real processes. State lives in a directory between invocations;
 * shims named after every simulated command let an ordinary shell drive it.
 *
 * ```text
 * gpfs-sim init    --state DIR [--config FILE] [--force]
 * gpfs-sim shims   --state DIR --out BINDIR [--as-root] [--node PATH]
 * gpfs-sim exec    --state DIR [--as-root] [--cwd DIR] [--timeout-ms N] -- ARGV...
 * gpfs-sim control --state DIR mount DEVICE | unmount DEVICE | node-state NODE STATE | seed PATH [--content TEXT] [--size BYTES] [--image qcow2]
 * gpfs-sim fault   --state DIR add [--command NAME] [--argv-prefix WORDS] [--nth N] [--times N] [--timing before|after] (--exit-code N [--stderr TEXT] | --error KIND)
 * gpfs-sim fault   --state DIR clear
 * gpfs-sim inspect --state DIR [--files] [--under PATH]
 * gpfs-sim log     --state DIR
 * ```
 *
 * @module
 */
import { once } from 'node:events';
import { readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RUNNER_ERROR_KINDS, type RunnerError } from '../../errors.js';
import type { SimulatorNodeState, SimulatorOptions } from '../options-types.js';
import { ENGINE, PARTS, tryCreateGpfsSimulator, type InternalSimulator } from '../simulator.js';
import { writeShims } from './shims.js';
import { readState, withLock, writeState } from './state-store.js';

const USAGE = `usage:
  gpfs-sim init    --state DIR [--config FILE] [--force]
  gpfs-sim shims   --state DIR --out BINDIR [--as-root] [--node PATH]
  gpfs-sim exec    --state DIR [--as-root] [--cwd DIR] [--timeout-ms N] -- ARGV...
  gpfs-sim control --state DIR mount DEVICE | unmount DEVICE | node-state NODE STATE | seed PATH [--content TEXT] [--size BYTES] [--image qcow2]
  gpfs-sim fault   --state DIR add [--command NAME] [--argv-prefix WORDS] [--nth N] [--times N] [--timing before|after] (--exit-code N [--stderr TEXT] | --error KIND)
  gpfs-sim fault   --state DIR clear | list
  gpfs-sim inspect --state DIR [--files] [--under PATH]
  gpfs-sim log     --state DIR
`;

const OPTIONS = {
  state: { type: 'string' },
  config: { type: 'string' },
  force: { type: 'boolean' },
  out: { type: 'string' },
  'as-root': { type: 'boolean' },
  node: { type: 'string' },
  cwd: { type: 'string' },
  'timeout-ms': { type: 'string' },
  content: { type: 'string' },
  size: { type: 'string' },
  image: { type: 'string' },
  command: { type: 'string' },
  'argv-prefix': { type: 'string' },
  nth: { type: 'string' },
  times: { type: 'string' },
  timing: { type: 'string' },
  'exit-code': { type: 'string' },
  stderr: { type: 'string' },
  error: { type: 'string' },
  files: { type: 'boolean' },
  under: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Exit code for a usage error. */
const USAGE_EXIT = 2;

/**
 * Runs the CLI.
 *
 * @param argv - Arguments after the script name.
 * @returns The process exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [subcommand, ...rest] = positionals;
  if (values.help === true || subcommand === undefined || subcommand === 'help') {
    process.stdout.write(USAGE);
    return subcommand === undefined && values.help !== true ? USAGE_EXIT : 0;
  }
  if (values.state === undefined) return usage('--state DIR is required');
  const stateDirectory = resolve(values.state);
  switch (subcommand) {
    case 'init':
      return init(stateDirectory, values);
    case 'shims':
      return shims(stateDirectory, values);
    case 'exec':
      return execute(stateDirectory, values, rest);
    case 'control':
      return mutate(stateDirectory, (simulator) => control(simulator, rest, values));
    case 'fault':
      return mutate(stateDirectory, (simulator) => fault(simulator, rest, values));
    case 'inspect':
      return inspect(stateDirectory, values);
    case 'log':
      return inspectLog(stateDirectory);
    default:
      return usage(`unknown subcommand '${subcommand}'`);
  }
}

// --- Internal helpers ---

function usage(problem: string): number {
  process.stderr.write(`gpfs-sim: ${problem}\n${USAGE}`);
  return USAGE_EXIT;
}

function fail(message: string, code = 1): number {
  process.stderr.write(`gpfs-sim: ${message}\n`);
  return code;
}

function init(stateDirectory: string, values: Values): number {
  let options: SimulatorOptions = {};
  if (values.config !== undefined) {
    try {
      options = JSON.parse(readFileSync(values.config, 'utf8')) as SimulatorOptions;
    } catch (error) {
      return fail(`cannot read ${values.config}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const created = tryCreateGpfsSimulator(options);
  if (created.isErr()) return fail(created.error.message, USAGE_EXIT);
  const existing = readState(stateDirectory);
  if (existing.isOk() && values.force !== true) return fail(`${stateDirectory} already holds a simulator (use --force to replace it)`);
  writeState(stateDirectory, created.value as InternalSimulator, options);
  process.stdout.write(`gpfs-sim: initialised ${stateDirectory}\n`);
  return 0;
}

function shims(stateDirectory: string, values: Values): number {
  if (values.out === undefined) return usage('shims needs --out BINDIR');
  const cliPath = realpathSafe(process.argv[1] ?? selfPath());
  const names = writeShims(resolve(values.out), { nodePath: values.node ?? process.execPath, cliPath, stateDirectory, asRoot: values['as-root'] === true });
  process.stdout.write(`gpfs-sim: wrote ${names.length} shims to ${resolve(values.out)}\n`);
  return 0;
}

async function execute(stateDirectory: string, values: Values, argv: readonly string[]): Promise<number> {
  if (argv.length === 0) return usage('exec needs a command after --');
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']);
  if (timeoutMs !== undefined && !(timeoutMs >= 0)) return usage('--timeout-ms must be a non-negative number');
  let touchedStdin = false;
  const stdin: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => {
      touchedStdin = true;
      return (process.stdin as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    },
  };
  const sink = async (chunk: Uint8Array): Promise<void> => {
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  };
  const outcome = await withLock(stateDirectory, async () => {
    const loaded = readState(stateDirectory);
    if (loaded.isErr()) return fail(loaded.error.message);
    const { simulator, options } = loaded.value;
    if (values.cwd !== undefined) simulator[ENGINE].cwd = resolve(values.cwd);
    const result = await simulator.run({ argv, asRoot: values['as-root'] === true, stdin, stdoutSink: sink, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    writeState(stateDirectory, simulator, options);
    if (result.isErr()) return fail(`${result.error.kind}: ${result.error.message}`, exitCodeFor(result.error));
    process.stderr.write(result.value.stderr);
    return result.value.exitCode ?? 1;
  });
  if (touchedStdin) process.stdin.destroy();
  return outcome.isErr() ? fail(outcome.error.message) : outcome.value;
}

function exitCodeFor(error: RunnerError): number {
  if (error.kind === 'Timeout') return 124;
  if (error.kind === 'Aborted') return 130;
  return 255;
}

async function mutate(stateDirectory: string, change: (simulator: InternalSimulator) => number): Promise<number> {
  const outcome = await withLock(stateDirectory, () => Promise.resolve(changeState(stateDirectory, change)));
  return outcome.isErr() ? fail(outcome.error.message) : outcome.value;
}

function changeState(stateDirectory: string, change: (simulator: InternalSimulator) => number): number {
  const loaded = readState(stateDirectory);
  if (loaded.isErr()) return fail(loaded.error.message);
  const code = change(loaded.value.simulator);
  if (code === 0) writeState(stateDirectory, loaded.value.simulator, loaded.value.options);
  return code;
}

function control(simulator: InternalSimulator, args: readonly string[], values: Values): number {
  const [action, first, second] = args;
  const report = (result: { isErr(): boolean; error?: { message: string } }): number => (result.isErr() ? fail((result as { error: { message: string } }).error.message) : 0);
  switch (action) {
    case 'mount':
    case 'unmount':
      if (first === undefined) return usage(`control ${action} needs a device`);
      return report(action === 'mount' ? simulator.control.mount(first) : simulator.control.unmount(first));
    case 'node-state':
      if (first === undefined || second === undefined) return usage('control node-state needs NODE STATE');
      return report(simulator.control.setNodeState(first, second as SimulatorNodeState));
    case 'seed': {
      if (first === undefined) return usage('control seed needs a path');
      const size = values.size === undefined ? undefined : Number(values.size);
      const image = values.image === 'qcow2' ? 'qcow2' : 'raw';
      return report(
        simulator.control.seedFile({ path: first, ...(values.content === undefined ? {} : { content: values.content }), ...(size === undefined ? {} : { sizeBytes: size }), imageFormat: image }),
      );
    }
    default:
      return usage(`unknown control action '${action ?? ''}'`);
  }
}

function fault(simulator: InternalSimulator, args: readonly string[], values: Values): number {
  const [action] = args;
  if (action === 'clear') {
    simulator.faults.clear();
    return 0;
  }
  if (action === 'list') {
    process.stdout.write(`${JSON.stringify(simulator[PARTS].faults.exportPlain(), null, 2)}\n`);
    return 0;
  }
  if (action !== 'add') return usage(`unknown fault action '${action ?? ''}'`);
  const number = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : text === 'always' ? Number.POSITIVE_INFINITY : Number(text));
  const kind = values.error;
  if (kind !== undefined && !(RUNNER_ERROR_KINDS as readonly string[]).includes(kind)) return usage(`--error must be one of ${RUNNER_ERROR_KINDS.join(', ')}`);
  if (kind === undefined && values['exit-code'] === undefined) return usage('fault add needs --exit-code or --error');
  const match = {
    ...(values.command === undefined ? {} : { command: values.command }),
    ...(values['argv-prefix'] === undefined ? {} : { argvPrefix: values['argv-prefix'].split(' ').filter((word) => word !== '') }),
  };
  const timing = values.timing === 'after' ? 'after' : 'before';
  const outcome = kind !== undefined ? { error: kind as RunnerError['kind'] } : { exitCode: Number(values['exit-code']), stderr: values.stderr ?? '' };
  simulator.faults.inject({ match, nth: number(values.nth, 1), times: number(values.times, 1), timing, outcome });
  return 0;
}

function inspect(stateDirectory: string, values: Values): number {
  const loaded = readState(stateDirectory);
  if (loaded.isErr()) return fail(loaded.error.message);
  const { simulator } = loaded.value;
  const data =
    values.files === true || values.under !== undefined
      ? simulator.inspect.files({ digests: true, ...(values.under === undefined ? {} : { under: values.under }) })
      : simulator.inspect.snapshotState();
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  return 0;
}

function inspectLog(stateDirectory: string): number {
  const loaded = readState(stateDirectory);
  if (loaded.isErr()) return fail(loaded.error.message);
  process.stdout.write(loaded.value.simulator.log.text());
  return 0;
}

function selfPath(): string {
  try {
    return fileURLToPath(import.meta.url);
  } catch {
    return '';
  }
}

const invokedDirectly = process.argv[1] !== undefined && selfPath() !== '' && realpathSafe(process.argv[1]) === realpathSafe(selfPath());

function realpathSafe(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

if (invokedDirectly || process.env['GPFS_SIM_CLI'] === '1') {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`gpfs-sim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
