/**
 * `run` over SSH on one host: on a reused shell when enabled and the command's streams allow it
 * (stdin absent, a string or bytes; no stdout sink), else on an exec channel of its own, where sshd
 * reports the exit status or signal.
 *
 * @module
 */
import { err, ok } from 'neverthrow';
import type { RunnerError } from '../../errors.js';
import type { ByteSource, Command, CommandOutput } from '../types.js';
import { runRequestOn, type CallResult } from './batch-call.js';
import type { Cancellation } from './cancellation.js';
import type { ServingHost } from './host-pool.js';
import type { ResolvedOptions } from './resolve-options.js';
import { runRemoteCall, type RemoteCallOutcome } from './remote-call.js';
import { MAX_REMOTE_COMMAND_BYTES, newToken, singleCommandLine } from './remote-script.js';
import { cancelledError } from './util.js';

/**
 * Runs one command on one host.
 *
 * @param host - The serving host.
 * @param command - The command (argv already checked).
 * @param cancellation - The call's cancellation (its overall limit already set).
 * @param settings - Resolved options.
 * @returns The output, an error, or `{ retry }` when it never started and the connection is gone.
 * @internal
 */
export async function runSingleOn(host: ServingHost, command: Command, cancellation: Cancellation, settings: ResolvedOptions): Promise<CallResult<CommandOutput>> {
  const argv = [...command.argv];
  const stdin = command.stdoutSink ? null : bytesOf(command.stdin);
  if (stdin !== null && host.shells.enabled()) {
    const pooled = await runRequestOn(host, [{ argv, ...(command.asRoot !== undefined ? { asRoot: command.asRoot } : {}) }], { stopOnFailure: false }, cancellation, settings, 'command', stdin);
    if (!('unavailable' in pooled)) {
      if ('retry' in pooled) return pooled;
      return {
        result: pooled.result.andThen((batch) => {
          const output = batch.outputs[0];
          if (output) return ok(output);
          return err<CommandOutput, RunnerError>({ kind: 'ConnectionLost', runner: 'ssh', argv, host: host.slot.address.host, message: 'the reused shell reported no outcome for the command' });
        }),
      };
    }
  }
  return runExecSingleOn(host, command, cancellation, settings);
}

// --- Internal helpers ---

/** The stdin bytes a reused shell can take (`undefined`: none), or `null` for a stream. */
function bytesOf(source: ByteSource | undefined): Buffer | undefined | null {
  if (source === undefined) return undefined;
  if (typeof source === 'string') return source === '' ? undefined : Buffer.from(source, 'utf8');
  if (source instanceof Uint8Array) return source.byteLength === 0 ? undefined : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  return null;
}

async function runExecSingleOn(host: ServingHost, command: Command, cancellation: Cancellation, settings: ResolvedOptions): Promise<CallResult<CommandOutput>> {
  const argv = [...command.argv];
  const token = newToken();
  const commandLine = singleCommandLine(command, token, settings, host.connection.posixLoginShell);
  if (Buffer.byteLength(commandLine) > MAX_REMOTE_COMMAND_BYTES) {
    return { result: err({ kind: 'SpawnFailed', runner: 'ssh', argv, code: 'E2BIG', message: `the command line is longer than ${MAX_REMOTE_COMMAND_BYTES} bytes; split it or use runBatch` }) };
  }
  const stdoutParts: Buffer[] = [];
  const sink = command.stdoutSink;
  let exitCode: number | null = null;
  const startedAt = performance.now();
  const outcome = await runRemoteCall(
    host,
    {
      purpose: 'command',
      argvs: [argv],
      commandLine,
      token,
      stdin: command.stdin,
      onStdout: sink ? (chunk) => sink(chunk) : (chunk) => void stdoutParts.push(chunk),
      asRoot: command.asRoot === true,
      exitCodes: () => [exitCode],
    },
    cancellation,
    settings,
  );
  if (outcome.type === 'exited') exitCode = outcome.exitCode;
  return interpretSingle(outcome, argv, host, cancellation, () => ({
    argv,
    exitCode,
    signal: outcome.type === 'exited' ? outcome.signal : null,
    stdout: sink ? '' : Buffer.concat(stdoutParts).toString('utf8'),
    stderr: outcome.type === 'exited' ? outcome.stderr.toString('utf8') : '',
    durationMs: performance.now() - startedAt,
  }));
}

function interpretSingle(outcome: RemoteCallOutcome, argv: readonly string[], host: ServingHost, cancellation: Cancellation, output: () => CommandOutput): CallResult<CommandOutput> {
  const base = { runner: 'ssh', argv: [...argv] };
  const address = host.slot.address;
  switch (outcome.type) {
    case 'exited':
      if (outcome.spawnFailure)
        return {
          result: err({
            ...base,
            kind: 'SpawnFailed',
            code: outcome.spawnFailure,
            message: `${argv[0] ?? ''}: ${outcome.spawnFailure === 'ENOENT' ? 'no such program' : 'not an executable file'} on ${address.label}`,
          }),
        };
      return { result: ok(output()) };
    case 'cancelled-in-queue':
      return { result: err(cancelledError(cancellation.reason(), argv, false) ?? { ...base, kind: 'Aborted', message: 'cancelled' }) };
    case 'cancelled':
      return { result: err(cancelledError(cancellation.reason(), argv, outcome.started, outcome.killConfirmed) ?? { ...base, kind: 'Aborted', message: outcome.message }) };
    case 'lost':
      return { result: err({ ...base, kind: 'ConnectionLost', host: address.host, message: outcome.message }) };
    case 'not-started':
      if (host.connection.isAlive()) return { result: err({ ...base, kind: 'ConnectionFailed', host: address.host, message: `${address.label} refused to start the command: ${outcome.message}` }) };
      return { retry: `${address.label}: ${outcome.message}` };
  }
}
