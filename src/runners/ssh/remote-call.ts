/**
 * Running one remote call on a serving host: queueing behind the host's concurrency limit, on an
 * exec channel of its own or on a reused shell; wiring cancellation to the remote kill, bounding the
 * kill, and tracing.
 *
 * @module
 */
import { joinPosix } from '../quote.js';
import type { ByteSource } from '../types.js';
import type { BatchEvent } from './batch-frames.js';
import type { Cancellation } from './cancellation.js';
import { startExecution, type ExecutionOutcome } from './execution.js';
import type { ServingHost } from './host-pool.js';
import type { SshCommandTrace } from './options.js';
import type { RequestOutcome, StartOutcome } from './pooled-shell.js';
import type { ResolvedOptions } from './resolve-options.js';
import { killCommandLine, newToken, type KillTargets } from './remote-script.js';
import type { ShellRequest } from './shell-server.js';
import { abortableDelay } from './util.js';

/** One remote call on an exec channel. @internal */
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

/** One remote call on a reused shell. @internal */
export interface PooledCall {
  readonly purpose: SshCommandTrace['purpose'];
  readonly argvs: readonly (readonly string[])[];
  readonly request: ShellRequest;
  readonly onEvent: (event: BatchEvent) => void;
  readonly asRoot: boolean;
  readonly exitCodes: () => readonly (number | null)[];
}

/** Outcome of a call, or `'cancelled-in-queue'` when it was cancelled before it left the queue. @internal */
export type RemoteCallOutcome = ExecutionOutcome | { readonly type: 'cancelled-in-queue' };

/**
 * Outcome of a pooled call. `not-started` and `unavailable` ran nothing (`unavailable`: the remote
 * cannot run the command server; use an exec channel).
 * @internal
 */
export type PooledCallOutcome =
  RequestOutcome | { readonly type: 'cancelled-in-queue' } | { readonly type: 'not-started'; readonly message: string } | { readonly type: 'unavailable'; readonly message: string };

/** Shells a request is offered to when each ends before taking it. */
const MAX_SHELL_ATTEMPTS = 3;

/** How long the kill of a cancelled command may take. */
const KILL_LIMIT_MS = 10_000;

/**
 * Runs a call on its own exec channel on `host`, waiting for a free slot in its queue.
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
  const outcome = await inQueue<RemoteCallOutcome>(host, cancellation, async () => {
    const releaseSession = await host.shells.reserveExecSession(cancellation.signal);
    const execution = startExecution({
      connection: host.connection,
      commandLine: call.commandLine,
      token: call.token,
      stdin: call.stdin,
      onStdout: call.onStdout,
      kill: (pid) => killRemote(host, { group: pid }, call.asRoot, options),
    });
    const stopListening = cancellation.onCancel((reason) => execution.cancel(reason.kind === 'Timeout' ? 'timeout' : 'aborted', reason.message));
    const result = await execution.outcome;
    stopListening();
    releaseSession();
    return result;
  });
  emitTrace(options, host, { purpose: call.purpose, argvs: call.argvs, remoteCommand: call.commandLine, exitCodes: call.exitCodes(), transport: 'exec' }, outcome, performance.now() - startedAt);
  return outcome;
}

/**
 * Runs a call on a reused shell of `host` (an idle one, or a new one), waiting for a free slot in
 * its queue. A shell whose request was cancelled, or that broke, is never used again.
 *
 * @param host - Serving host, connection and shells.
 * @param call - What to run.
 * @param cancellation - The call's cancellation.
 * @param options - Resolved options.
 * @returns How it ended; never rejects.
 * @internal
 */
export async function runPooledCall(host: ServingHost, call: PooledCall, cancellation: Cancellation, options: ResolvedOptions): Promise<PooledCallOutcome> {
  const startedAt = performance.now();
  let retries = 0;
  const onStart = (started: StartOutcome, durationMs: number): void => {
    retries += started.retries;
    const error = started.ok ? undefined : { kind: started.reason === 'cancelled' ? 'Aborted' : 'ConnectionFailed', message: started.message };
    const record = { purpose: 'shell' as const, argvs: [], remoteCommand: started.commandLine, exitCodes: [], transport: 'exec' as const, channelOpenRetries: started.retries };
    emitTrace(options, host, { ...record, ...(error ? { error } : {}) }, undefined, durationMs);
  };
  const outcome = await inQueue<PooledCallOutcome>(host, cancellation, async () => {
    let result: PooledCallOutcome = { type: 'not-started', message: 'no reused shell took the request' };
    // A shell that ended before it took the request ran nothing of it: another one may take it.
    for (let attempt = 0; attempt < MAX_SHELL_ATTEMPTS && result.type === 'not-started'; attempt += 1) {
      const acquired = await host.shells.acquire(cancellation.signal, onStart);
      if (!acquired.shell) {
        if (cancellation.reason()) return { type: 'cancelled-in-queue' };
        return { type: acquired.failed.reason === 'unavailable' ? 'unavailable' : 'not-started', message: acquired.failed.message };
      }
      const shell = acquired.shell;
      const running = shell.run(call.request, { onEvent: call.onEvent, kill: (targets) => killRemote(host, targets, call.asRoot, options) });
      const stopListening = cancellation.onCancel((reason) => running.cancel(reason.kind === 'Timeout' ? 'timeout' : 'aborted', reason.message));
      result = await running.outcome;
      stopListening();
      host.shells.release(shell);
    }
    return result;
  });
  if (outcome.type !== 'unavailable') {
    const remoteCommand = call.request.commands.map((command) => `${command.asRoot === true ? '[asRoot] ' : ''}${joinPosix(command.argv)}`).join('\n');
    const record = { purpose: call.purpose, argvs: call.argvs, remoteCommand, exitCodes: call.exitCodes(), transport: 'shell' as const, channelOpenRetries: retries };
    emitTrace(options, host, record, outcome, performance.now() - startedAt);
  }
  return outcome;
}

// --- Internal helpers ---

/** Runs `work` in the host's queue; leaves the queue at once when cancelled there (`work` then never runs). */
async function inQueue<T>(host: ServingHost, cancellation: Cancellation, work: () => Promise<T>): Promise<T | { readonly type: 'cancelled-in-queue' }> {
  let started = false;
  const queued = host.slot.limit(async (): Promise<T | { readonly type: 'cancelled-in-queue' }> => {
    if (cancellation.reason()) return { type: 'cancelled-in-queue' };
    started = true;
    return work();
  });
  const leftQueue = new Promise<{ readonly type: 'cancelled-in-queue' }>((resolve) => {
    const stop = cancellation.onCancel(() => {
      if (!started) resolve({ type: 'cancelled-in-queue' });
    });
    void queued.finally(stop);
  });
  return Promise.race([queued, leftQueue]);
}

async function killRemote(host: ServingHost, targets: KillTargets, asRoot: boolean, options: ResolvedOptions): Promise<boolean> {
  const startedAt = performance.now();
  const commandLine = killCommandLine(targets, asRoot, options);
  const execution = startExecution({ connection: host.connection, commandLine, token: newToken(), stdin: undefined, onStdout: () => undefined, kill: () => Promise.resolve(false) });
  const limit = new AbortController();
  void abortableDelay(KILL_LIMIT_MS, limit.signal).then((expired) => expired && execution.cancel('timeout', `the kill took longer than ${KILL_LIMIT_MS} ms`));
  const outcome = await execution.outcome;
  limit.abort();
  const argv = ['kill', '-KILL', ...(targets.group !== undefined ? [`-${targets.group}`] : []), ...(targets.server !== undefined ? [String(targets.server)] : [])];
  const exitCodes = outcome.type === 'exited' ? [outcome.exitCode] : [];
  emitTrace(options, host, { purpose: 'kill', argvs: [argv], remoteCommand: commandLine, exitCodes, transport: 'exec' }, outcome, performance.now() - startedAt);
  return outcome.type === 'exited' && outcome.exitCode === 0;
}

type TraceRecord = Omit<SshCommandTrace, 'host' | 'durationMs' | 'channelOpenRetries'> & { readonly channelOpenRetries?: number };

function emitTrace(options: ResolvedOptions, host: ServingHost, record: TraceRecord, outcome: RemoteCallOutcome | PooledCallOutcome | undefined, durationMs: number): void {
  if (!options.onCommand) return;
  const error = record.error ?? (outcome ? errorOf(outcome) : undefined);
  const channelOpenRetries = record.channelOpenRetries ?? (outcome && 'retries' in outcome ? outcome.retries : 0);
  try {
    options.onCommand({ ...record, host: host.slot.address.label, channelOpenRetries, durationMs, ...(error ? { error } : {}) });
  } catch {
    // A failing trace hook must not change the outcome.
  }
}

function errorOf(outcome: RemoteCallOutcome | PooledCallOutcome): { kind: string; message: string } | undefined {
  switch (outcome.type) {
    case 'exited':
      return 'spawnFailure' in outcome && outcome.spawnFailure ? { kind: 'SpawnFailed', message: outcome.spawnFailure } : undefined;
    case 'cancelled-in-queue':
      return { kind: 'Aborted', message: 'cancelled before it started' };
    case 'cancelled':
      return { kind: outcome.reason === 'timeout' ? 'Timeout' : 'Aborted', message: outcome.message };
    case 'lost':
      return { kind: 'ConnectionLost', message: outcome.message };
    case 'not-started':
    case 'unavailable':
      return { kind: 'ConnectionFailed', message: outcome.message };
  }
}
