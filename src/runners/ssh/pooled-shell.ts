/**
 * One reused shell: a command server (see shell-server.ts) on its own SSH session that runs one
 * request at a time. Starting it, routing its output to the request in progress, and cancelling a
 * request: the running command's process group and the server are killed over another channel, and
 * the shell is never used again.
 *
 * @module
 */
import type { ClientChannel } from 'ssh2';
import { createBatchStdoutReader, createRequestStderrReader, type BatchEvent } from './batch-frames.js';
import type { ExitStatus, SshConnection } from './connection.js';
import { newToken, type KillTargets, type ScriptSettings } from './remote-script.js';
import { encodeShellRequest, readReadyLine, shellServerCommandLine, type ShellRequest } from './shell-server.js';
import { abortableDelay, drainedOrClosed } from './util.js';

/** A started shell. @internal */
export interface PooledShell {
  /** Pid of the server process. */
  readonly pid: number;
  /** Open, idle, never cancelled and not broken: it may take a request. */
  isUsable(): boolean;
  /** Sends a request; the shell is busy until the outcome settles. */
  run(request: ShellRequest, spec: RequestSpec): RunningRequest;
  /** Ends the server (end of file on its stdin). Returns at once. */
  close(): void;
}

/** Where a request's events go, and how to kill. @internal */
export interface RequestSpec {
  /** Receives the request's stdout events in order (`pid`, `exit`, `spawn`, `end`). */
  readonly onEvent: (event: BatchEvent) => void;
  /** Kills over another channel; resolves `true` when the kill command ran. */
  readonly kill: (targets: KillTargets) => Promise<boolean>;
}

/** A request in progress. @internal */
export interface RunningRequest {
  readonly outcome: Promise<RequestOutcome>;
  /** Kills the running command and the server; the outcome is then `cancelled`. Idempotent. */
  cancel(reason: 'timeout' | 'aborted', message: string): void;
}

/**
 * How a request ended. `not-started`: the server ended, and reported its exit over a live connection,
 * before it started the request: nothing of it ran, so it may be sent to another shell.
 * @internal
 */
export type RequestOutcome =
  | { readonly type: 'exited'; readonly stderr: Buffer }
  | { readonly type: 'not-started'; readonly message: string }
  | { readonly type: 'lost'; readonly message: string }
  | { readonly type: 'cancelled'; readonly reason: 'timeout' | 'aborted'; readonly message: string; readonly killConfirmed: boolean };

/**
 * Result of starting a shell; on failure nothing of the caller's ran. `refused`: the server refused
 * the session (MaxSessions); `unavailable`: the command server cannot run there (no perl).
 * @internal
 */
export type StartOutcome =
  | { readonly ok: true; readonly shell: PooledShell; readonly commandLine: string; readonly retries: number }
  | { readonly ok: false; readonly reason: 'not-started' | 'refused' | 'unavailable' | 'cancelled'; readonly message: string; readonly commandLine: string; readonly retries: number };

/** The server's exit code when a request header, command line or trailer does not match (see shell-server.ts). */
const SERVER_DESYNC_EXIT = 3;

/** How long a new shell may take to report that it is ready. */
const START_LIMIT_MS = 30_000;

/** How long to wait for the channel to close after a kill before closing it ourselves. */
const CLOSE_AFTER_KILL_MS = 5_000;

/**
 * Opens a session and starts the server in it.
 *
 * @param connection - The live connection.
 * @param settings - Root helper and mm* directory.
 * @param signal - Abandons the start (the channel is closed; nothing ran).
 * @param maxRetries - How often to retry a session the server refuses.
 * @param onClosed - Called once when the shell's channel closes, whenever that is.
 * @returns The shell, or why there is none.
 * @internal
 */
export async function startPooledShell(connection: SshConnection, settings: ScriptSettings, signal: AbortSignal, maxRetries: number, onClosed: () => void): Promise<StartOutcome> {
  const readyToken = newToken();
  const commandLine = shellServerCommandLine(readyToken, settings, connection.posixLoginShell);
  const opened = await connection.openExec(commandLine, signal, maxRetries);
  if (!opened.ok) {
    // Even 'unknown' is safe to retry: a server runs nothing before it reads a request.
    const reason = signal.aborted ? 'cancelled' : /Channel open failure/i.test(opened.message) && connection.isAlive() ? 'refused' : 'not-started';
    return { ok: false, reason, message: opened.message, commandLine, retries: opened.retries };
  }
  const channel = opened.channel;
  const state = { closed: false, broken: false, busy: false };
  let route: Route | undefined;
  let startup: Buffer | null = Buffer.alloc(0);
  const stderrHead: Buffer[] = [];
  let onReady: (pid: number | undefined) => void = () => undefined;
  const ready = new Promise<number | undefined>((resolve) => (onReady = resolve));

  channel.on('data', (chunk: Buffer) => {
    if (startup === null) return route?.stdout(chunk);
    startup = Buffer.concat([startup, chunk]).subarray(-65_536);
    const pid = readReadyLine(startup, readyToken);
    if (pid !== undefined) {
      startup = null;
      onReady(pid);
    }
  });
  channel.stderr.on('data', (chunk: Buffer) => (startup !== null ? void stderrHead.push(chunk) : route?.stderr(chunk)));
  channel.on('error', () => undefined);
  channel.stderr.on('error', () => undefined);
  channel.on('close', () => {
    state.closed = true;
    onReady(undefined);
    route?.closed();
    onClosed();
  });

  const limit = new AbortController();
  const stopWaiting = (): void => limit.abort();
  signal.addEventListener('abort', stopWaiting, { once: true });
  void abortableDelay(START_LIMIT_MS, limit.signal).then((expired) => expired && onReady(undefined));
  const pid = await Promise.race([ready, new Promise<undefined>((resolve) => limit.signal.addEventListener('abort', () => resolve(undefined), { once: true }))]);
  limit.abort();
  signal.removeEventListener('abort', stopWaiting);
  if (pid === undefined) {
    const exit = opened.exitStatus();
    if (!state.closed) channel.close();
    if (signal.aborted) return { ok: false, reason: 'cancelled', message: 'cancelled while a reused shell was starting', commandLine, retries: opened.retries };
    if (!connection.isAlive()) return { ok: false, reason: 'not-started', message: 'the connection closed while a reused shell was starting', commandLine, retries: opened.retries };
    const said = Buffer.concat(stderrHead).toString('utf8').trim().slice(0, 300);
    const how = exit ? `it exited (${exit.exitCode ?? exit.signal})` : `it did not report ready within ${START_LIMIT_MS} ms`;
    return {
      ok: false,
      reason: 'unavailable',
      message: `the command server could not start (${how}; it needs perl on the remote PATH)${said ? `: ${said}` : ''}`,
      commandLine,
      retries: opened.retries,
    };
  }

  const shell: PooledShell = {
    pid,
    isUsable: () => !state.closed && !state.broken && !state.busy && connection.isAlive(),
    run(request, spec) {
      state.busy = true;
      const running = runRequest({ channel, connection, serverPid: pid, exitStatus: opened.exitStatus, state }, request, spec, (handlers) => (route = handlers));
      void running.outcome.then((outcome) => {
        route = undefined;
        state.busy = false;
        if (outcome.type !== 'exited') state.broken = true;
      });
      return running;
    },
    close() {
      state.broken = true;
      if (!state.closed) channel.end();
    },
  };
  return { ok: true, shell, commandLine, retries: opened.retries };
}

// --- Internal helpers ---

interface ShellState {
  closed: boolean;
  broken: boolean;
  busy: boolean;
}

type Route = { stdout(chunk: Buffer): void; stderr(chunk: Buffer): void; closed(): void };

/** A started shell's channel and state, as a request sees them. */
interface ShellHandle {
  readonly channel: ClientChannel;
  readonly connection: SshConnection;
  readonly serverPid: number;
  readonly exitStatus: () => ExitStatus | undefined;
  readonly state: ShellState;
}

function runRequest(shell: ShellHandle, request: ShellRequest, spec: RequestSpec, setRoute: (route: Route) => void): RunningRequest {
  const { channel, connection, serverPid, state } = shell;
  const reader = createBatchStdoutReader(request.token);
  const stderrReader = createRequestStderrReader(request.token);
  let stdoutEnded = false;
  let stderrEnded = false;
  let runningGroup: number | undefined;
  let cancelled: { reason: 'timeout' | 'aborted'; message: string } | undefined;
  let settled = false;
  let settle: (outcome: RequestOutcome) => void = () => undefined;
  const outcome = new Promise<RequestOutcome>((resolve) => (settle = resolve));
  const finish = (result: RequestOutcome): void => {
    if (settled) return;
    settled = true;
    settle(result);
  };
  const closeWaiters: (() => void)[] = [];

  const check = (): void => {
    if (cancelled) return;
    if (stdoutEnded && stderrEnded) return finish({ type: 'exited', stderr: stderrReader.bytes() });
    if (!state.closed) return;
    // Exit 3 is the server refusing a request it cannot read (its input was tampered with), which it does
    // before it writes the request's start line. Over a live connection the channel closes only after all of
    // its output arrived: no start line then means that nothing of this request ran.
    if (shell.exitStatus()?.exitCode === SERVER_DESYNC_EXIT && !reader.started() && connection.isAlive()) {
      return finish({ type: 'not-started', message: `the reused shell on ${connection.address.label} found its input out of step and ended before it took the request` });
    }
    const why = connection.isAlive() ? `the reused shell on ${connection.address.label} ended` : `the connection to ${connection.address.label} dropped`;
    finish({ type: 'lost', message: `${why} before the command reported how it ended; its outcome is unknown` });
  };
  setRoute({
    stdout(chunk) {
      for (const event of reader.push(chunk)) {
        if (event.type === 'pid') {
          runningGroup = event.pid;
          // A command that started as the kill went out: kill it too.
          if (cancelled) void spec.kill({ group: event.pid });
        } else if (event.type === 'end') stdoutEnded = true;
        else runningGroup = undefined;
        if (!cancelled) spec.onEvent(event);
      }
      check();
    },
    stderr(chunk) {
      if (stderrReader.push(chunk)) stderrEnded = true;
      check();
    },
    closed() {
      for (const waiter of closeWaiters.splice(0)) waiter();
      check();
    },
  });
  void writeRequest(channel, request, () => state.closed || cancelled !== undefined);
  check();

  return {
    outcome,
    cancel(reason, message) {
      if (cancelled || settled) return;
      cancelled = { reason, message };
      state.broken = true;
      void (async () => {
        // The server (stopped first, so that nothing later in the request starts) and the groups of the
        // commands it started; a pid line that arrives afterwards is killed too.
        const killConfirmed = await spec.kill({ ...(runningGroup !== undefined ? { group: runningGroup } : {}), server: serverPid });
        if (!state.closed) {
          const fallback = setTimeout(() => channel.close(), CLOSE_AFTER_KILL_MS);
          await new Promise<void>((done) => closeWaiters.push(done));
          clearTimeout(fallback);
        }
        finish({ type: 'cancelled', reason, message, killConfirmed });
      })();
    },
  };
}

async function writeRequest(channel: ClientChannel, request: ShellRequest, stopped: () => boolean): Promise<void> {
  const { head, stdin } = encodeShellRequest(request);
  for (const part of [head, stdin]) {
    for (let offset = 0; offset < part.length; offset += 1 << 20) {
      if (stopped()) return;
      try {
        if (!channel.write(part.subarray(offset, offset + (1 << 20)))) await drainedOrClosed(channel);
      } catch {
        return;
      }
    }
  }
}
