/**
 * Runs one command against the model: name lookup, root and daemon checks, the handler, and its
 * virtual cost. Never throws: an unexpected exception becomes exit code 70 and is recorded.
 *
 * @module
 */
import type { ByteSink, ByteSource } from '../runners/types.js';
import type { CommandContext, CommandResult } from './commands/context.js';
import { COMMAND_DIRECTORIES, COMMANDS } from './commands/registry.js';
import { mmFailure } from './commands/mm-common.js';
import type { Identity } from './model/namespace.js';
import type { World } from './model/types.js';
import { localNode } from './model/world.js';
import type { LatencyModel } from './options-types.js';

/** Mutable simulator state shared by the runner, control and inspection APIs. */
export interface Engine {
  world: World;
  latency: LatencyModel;
  /** Working directory for relative paths. */
  cwd: string;
  /** Messages of unexpected exceptions (a simulator bug if any appear). */
  readonly internalErrors: string[];
}

/** Streams and limits of one command. */
export interface CommandIo {
  readonly stdin: ByteSource | undefined;
  readonly stdoutSink: ByteSink | undefined;
  readonly signal: AbortSignal | undefined;
  readonly budgetMs: number;
}

/** What {@link executeCommand} returns: the result and the base cost it started from. */
export interface Executed {
  readonly result: CommandResult;
  readonly baseCostMs: number;
}

const NOT_FOUND_EXIT = 127;

/**
 * The base cost of a command.
 *
 * @param latency - Latency model.
 * @param name - Command name.
 * @param family - `mm` or `system`.
 * @returns Milliseconds.
 */
export function baseCostMs(latency: LatencyModel, name: string, family: 'mm' | 'system'): number {
  return latency.commandMs[name] ?? (family === 'mm' ? latency.mmCommandMs : latency.systemCommandMs);
}

/**
 * Runs one command.
 *
 * @param engine - Simulator state.
 * @param argv - Validated argv (non-empty strings).
 * @param identity - Root or the login user.
 * @param io - Streams and time budget.
 * @returns The result (synchronously when the command does not stream).
 */
export function executeCommand(engine: Engine, argv: readonly string[], identity: Identity, io: CommandIo): Executed | Promise<Executed> {
  const argv0 = argv[0] as string;
  const slash = argv0.lastIndexOf('/');
  const name = slash >= 0 ? argv0.slice(slash + 1) : argv0;
  const spec = COMMANDS.get(name);
  if (spec === undefined || (slash >= 0 && !COMMAND_DIRECTORIES.has(argv0.slice(0, slash) || '/'))) {
    const message = slash >= 0 ? `${argv0}: No such file or directory` : `${argv0}: command not found`;
    return { result: { exitCode: NOT_FOUND_EXIT, stdout: '', stderr: `${message}\n` }, baseCostMs: engine.latency.systemCommandMs };
  }
  const base = baseCostMs(engine.latency, name, spec.family);
  if (spec.rootOnly === true && !identity.isRoot) return { result: { exitCode: 126, stdout: '', stderr: `${argv0}: Permission denied\n` }, baseCostMs: engine.latency.systemCommandMs };
  if (spec.family === 'mm' && spec.needsDaemon !== false) {
    const state = localNode(engine.world).state;
    if (state !== 'active') return { result: daemonFailure(name, state), baseCostMs: base };
  }
  const context: CommandContext = {
    world: engine.world,
    argv,
    name,
    args: argv.slice(1),
    identity,
    cwd: engine.cwd,
    stdin: io.stdin,
    stdoutSink: io.stdoutSink,
    budgetMs: io.budgetMs - base,
    signal: io.signal,
    latency: engine.latency,
    dispatch: (innerArgv, innerIdentity) => nested(engine, innerArgv, innerIdentity, { ...io, budgetMs: io.budgetMs - base }),
  };
  try {
    const result = spec.handler(context);
    if (result instanceof Promise)
      return result.then(
        (value) => ({ result: value, baseCostMs: base }),
        (error: unknown) => ({ result: internal(engine, argv, error), baseCostMs: base }),
      );
    return { result, baseCostMs: base };
  } catch (error) {
    return { result: internal(engine, argv, error), baseCostMs: base };
  }
}

// --- Internal helpers ---

function nested(engine: Engine, argv: readonly string[], identity: Identity, io: CommandIo): CommandResult | Promise<CommandResult> {
  if (argv.length === 0) return { exitCode: 0, stdout: '', stderr: '' };
  const executed = executeCommand(engine, argv, identity, io);
  const withCost = (value: Executed): CommandResult => ({ ...value.result, extraCostMs: (value.result.extraCostMs ?? 0) + value.baseCostMs });
  return executed instanceof Promise ? executed.then(withCost) : withCost(executed);
}

function daemonFailure(name: string, state: string): CommandResult {
  if (state === 'arbitrating') return mmFailure(name, [`${name}: 6027-725 The mmfsd daemon is not ready to handle commands yet. Waiting for quorum.`]);
  if (state === 'unresponsive') return mmFailure(name, [`${name}: 6027-665 Failed to connect to file system daemon: Connection timed out`]);
  return mmFailure(name, [`${name}: 6027-665 Failed to connect to file system daemon: Connection refused`]);
}

function internal(engine: Engine, argv: readonly string[], error: unknown): CommandResult {
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  engine.internalErrors.push(`${JSON.stringify(argv)}: ${message}`);
  return { exitCode: 70, stdout: '', stderr: `gpfs-sim: internal error: ${error instanceof Error ? error.message : String(error)}\n` };
}
