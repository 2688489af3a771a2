/**
 * The reused shells of one connection, and the SSH sessions they hold. Every call runs inside the
 * host's queue slot (at most `maxConcurrentCommands` at once), and every session the runner opens for
 * a call (a shell, busy or idle, or an exec channel) counts against one session limit: a call that
 * needs a shell takes an idle one or starts one, and a call that needs an exec channel first retires
 * an idle shell when the limit would be passed. So shells plus exec channels never exceed
 * `maxConcurrentCommands` (kills and the login-shell probe use the margin below sshd's MaxSessions,
 * as before). When `maxConcurrentCommands` is set above what the server allows, refused shells teach
 * the pool the real limit (it keeps one session below it, for kills): calls then wait for a shell
 * instead of opening more.
 *
 * @module
 */
import type { SshConnection } from './connection.js';
import { startPooledShell, type PooledShell, type StartOutcome } from './pooled-shell.js';
import type { ScriptSettings } from './remote-script.js';

/** Outcome of taking a shell: the shell, or why none could be had (nothing ran). @internal */
export type AcquireOutcome = { readonly shell: PooledShell } | { readonly shell?: undefined; readonly failed: StartOutcome & { ok: false } };

/** Told about every shell start, with its duration in milliseconds (for traces). @internal */
export type StartObserver = (started: StartOutcome, durationMs: number) => void;

/** The shells of one connection. @internal */
export interface ShellPool {
  /** Whether calls should try a shell: `reuseShells` is on and no server has failed to start here. */
  enabled(): boolean;
  /** Takes an idle shell, or starts one, or waits for one. Call inside the host's queue slot. */
  acquire(signal: AbortSignal, onStart: StartObserver): Promise<AcquireOutcome>;
  /** Gives a shell back after a request: kept when still usable, else closed. */
  release(shell: PooledShell): void;
  /** Makes room for one exec channel (retiring an idle shell if needed). Call the result when the channel is done. */
  reserveExecSession(signal: AbortSignal): Promise<() => void>;
  /** Ends every shell; later acquisitions start none. */
  close(): void;
}

/** Refused sessions retried before a pool that already holds shells waits for one of them instead. */
const RETRIES_WHEN_SHELLS_EXIST = 2;

/** Refused sessions retried when the pool holds nothing (as for an exec channel). */
const RETRIES_WHEN_EMPTY = 10;

/**
 * Creates the pool of one connection.
 *
 * @param connection - The connection the shells run on.
 * @param settings - `reuseShells`, `maxConcurrentCommands`, root helper and mm* directory.
 * @returns The pool.
 * @internal
 */
export function createShellPool(connection: SshConnection, settings: ScriptSettings & { readonly reuseShells: boolean; readonly maxConcurrentCommands: number }): ShellPool {
  const idle: PooledShell[] = [];
  const open = new Set<PooledShell>();
  const waiters = new Set<() => void>();
  let starting = 0;
  let execSessions = 0;
  let learnedLimit = Number.POSITIVE_INFINITY;
  let unavailable = !settings.reuseShells;
  let closed = false;

  const sessions = (): number => open.size + starting + execSessions;
  const limit = (): number => Math.min(settings.maxConcurrentCommands, learnedLimit);
  const changed = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  /** Resolves on the next release, discard or exec release; `false` when `signal` aborts first. */
  const nextChange = (signal: AbortSignal): Promise<boolean> =>
    new Promise((resolve) => {
      const done = (value: boolean): void => {
        waiters.delete(onChange);
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onChange = (): void => done(true);
      const onAbort = (): void => done(false);
      if (signal.aborted) return resolve(false);
      waiters.add(onChange);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  const discard = (shell: PooledShell): void => {
    const wasOpen = open.delete(shell);
    const at = idle.indexOf(shell);
    if (at >= 0) idle.splice(at, 1);
    shell.close();
    if (wasOpen) changed();
  };
  const cancelledStart = (message: string): AcquireOutcome => ({ failed: { ok: false, reason: 'cancelled', message, commandLine: '', retries: 0 } });

  const start = async (signal: AbortSignal, onStart: StartObserver): Promise<StartOutcome> => {
    const others = open.size + starting;
    const startedAt = performance.now();
    starting += 1;
    // The shell closes itself out of the pool whenever its channel closes (set once it is known).
    const known: { shell?: PooledShell } = {};
    try {
      return await startPooledShell(connection, settings, signal, others > 0 ? RETRIES_WHEN_SHELLS_EXIST : RETRIES_WHEN_EMPTY, () => {
        if (known.shell) discard(known.shell);
      }).then((started) => {
        if (started.ok) known.shell = started.shell;
        onStart(started, performance.now() - startedAt);
        return started;
      });
    } finally {
      starting -= 1;
    }
  };

  return {
    enabled: () => !unavailable && !closed,
    async acquire(signal, onStart) {
      for (;;) {
        if (closed) return cancelledStart('the runner was disposed');
        for (let shell = idle.pop(); shell !== undefined; shell = idle.pop()) {
          if (shell.isUsable()) return { shell };
          discard(shell);
        }
        if (sessions() >= limit() && open.size + starting > 0) {
          if (!(await nextChange(signal))) return cancelledStart('cancelled while waiting for a reused shell');
          continue;
        }
        const started = await start(signal, onStart);
        if (!started.ok) {
          if (started.reason === 'unavailable') unavailable = true;
          // Refused while holding other sessions: that is the server's limit. Keep one session below it
          // (for the kills of timed-out commands) and wait for a shell instead.
          if (started.reason === 'refused' && open.size + starting > 0) {
            learnedLimit = Math.min(learnedLimit, Math.max(1, sessions() - 1));
            continue;
          }
          return { failed: started };
        }
        if (closed || !started.shell.isUsable()) {
          started.shell.close();
          const message = closed ? 'the runner was disposed' : 'the reused shell closed as soon as it started';
          return { failed: { ok: false, reason: closed ? 'cancelled' : 'not-started', message, commandLine: started.commandLine, retries: started.retries } };
        }
        open.add(started.shell);
        return { shell: started.shell };
      }
    },
    release(shell) {
      if (!closed && open.has(shell) && shell.isUsable() && sessions() <= limit()) {
        idle.push(shell);
        changed();
      } else discard(shell);
    },
    async reserveExecSession(signal) {
      execSessions += 1;
      while (sessions() > limit()) {
        const oldest = idle.shift();
        if (oldest) discard(oldest);
        else if (!(await nextChange(signal))) break;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        execSessions -= 1;
        changed();
      };
    },
    close() {
      closed = true;
      for (const shell of [...open]) discard(shell);
      changed();
    },
  };
}
