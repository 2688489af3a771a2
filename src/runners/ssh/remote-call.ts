/**
 * Running one remote execution on a serving host: queueing behind the host's concurrency limit,
 * wiring cancellation to the remote kill, bounding the kill, and tracing.
 *
 * @module
 */
import type { ByteSource } from '../types.js';
import type { Cancellation } from './cancellation.js';
import { startExecution, type ExecutionOutcome } from './execution.js';
import type { ServingHost } from './host-pool.js';
import type { SshCommandTrace } from './options.js';
import type { ResolvedOptions } from './resolve-options.js';
import { killCommandLine, newToken } from './remote-script.js';
import { abortableDelay } from './util.js';

/** One remote call. @internal */
export interface RemoteCall {
  readonly purpose: SshCommandTrace['purpose'];
  readonly argvs: readonly (readonly string[])[];
  readonly commandLine: string;
  readonly token: string;
  readonly stdin: ByteSource | undefined;
  readonly onStdout: (chunk: Buffer) => void | Promise<void>;
  /** Whether anything in it runs through the root helper (the kill then uses it too). */
  readonly asRoot: boolean;
  /** Exit codes for the trace, read after the call. */
  readonly exitCodes: () => readonly (number | null)[];
}

/** Outcome of a call, or `'cancelled-in-queue'` when it was cancelled before it left the queue. @internal */
export type RemoteCallOutcome = ExecutionOutcome | { readonly type: 'cancelled-in-queue' };

/** How long the kill of a cancelled command may take. */
const KILL_LIMIT_MS = 10_000;

/**
 * Runs a call on `host`, waiting for a free slot in its queue.
 *
 * @param host - Serving host and connection.
 * @param call - What to run.
 * @param cancellation - The call's cancellation (timeout, abort, dispose).
 * @param options - Resolved options (root helper, trace hook).
 * @returns How it ended; never rejects.
 * @internal
 */
export async function runRemoteCall(host: ServingHost, call: RemoteCall, cancellation: Cancellation, options: ResolvedOptions): Promise<RemoteCallOutcome> {
  const startedAt = performance.now();
  let started = false;
  const queued = host.slot.limit(async (): Promise<RemoteCallOutcome> => {
    if (cancellation.reason()) return { type: 'cancelled-in-queue' };
    started = true;
    const execution = startExecution({
      connection: host.connection,
      commandLine: call.commandLine,
      token: call.token,
      stdin: call.stdin,
      onStdout: call.onStdout,
      kill: (pid) => killRemote(host, pid, call.token, call.asRoot, options),
    });
    const stopListening = cancellation.onCancel((reason) => execution.cancel(reason.kind === 'Timeout' ? 'timeout' : 'aborted', reason.message));
    const outcome = await execution.outcome;
    stopListening();
    return outcome;
  });
  // Leave the queue at once when cancelled there; the queued function then returns without running.
  const leftQueue = new Promise<RemoteCallOutcome>((resolve) => {
    const stop = cancellation.onCancel(() => {
      if (!started) resolve({ type: 'cancelled-in-queue' });
    });
    void queued.finally(stop);
  });
  const outcome = await Promise.race([queued, leftQueue]);
  trace(options, host, call, outcome, performance.now() - startedAt);
  return outcome;
}

// --- Internal helpers ---

async function killRemote(host: ServingHost, pid: number, token: string, asRoot: boolean, options: ResolvedOptions): Promise<boolean> {
  const startedAt = performance.now();
  const commandLine = killCommandLine(pid, asRoot, options);
  const execution = startExecution({ connection: host.connection, commandLine, token: newToken(), stdin: undefined, onStdout: () => undefined, kill: () => Promise.resolve(false) });
  const limit = new AbortController();
  void abortableDelay(KILL_LIMIT_MS, limit.signal).then((expired) => expired && execution.cancel('timeout', `the kill took longer than ${KILL_LIMIT_MS} ms`));
  const outcome = await execution.outcome;
  limit.abort();
  const call: RemoteCall = { purpose: 'kill', argvs: [['kill', '-KILL', `-${pid}`]], commandLine, token, stdin: undefined, onStdout: () => undefined, asRoot, exitCodes: () => (outcome.type === 'exited' ? [outcome.exitCode] : []) };
  trace(options, host, call, outcome, performance.now() - startedAt);
  return outcome.type === 'exited' && outcome.exitCode === 0;
}

function trace(options: ResolvedOptions, host: ServingHost, call: RemoteCall, outcome: RemoteCallOutcome, durationMs: number): void {
  if (!options.onCommand) return;
  const error =
    outcome.type === 'exited'
      ? outcome.spawnFailure
        ? { kind: 'SpawnFailed', message: outcome.spawnFailure }
        : undefined
      : outcome.type === 'cancelled-in-queue'
        ? { kind: 'Aborted', message: 'cancelled before it started' }
        : outcome.type === 'cancelled'
          ? { kind: outcome.reason === 'timeout' ? 'Timeout' : 'Aborted', message: outcome.message }
          : { kind: outcome.type === 'lost' ? 'ConnectionLost' : 'ConnectionFailed', message: outcome.message };
  const record: SshCommandTrace = {
    purpose: call.purpose,
    host: host.slot.address.label,
    argvs: call.argvs,
    remoteCommand: call.commandLine,
    exitCodes: call.exitCodes(),
    channelOpenRetries: 'retries' in outcome ? outcome.retries : 0,
    durationMs,
    ...(error ? { error } : {}),
  };
  try {
    options.onCommand(record);
  } catch {
    // A failing trace hook must not change the outcome.
  }
}
