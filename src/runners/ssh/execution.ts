/**
 * One remote execution on an open connection: stdin streamed with back-pressure, stdout delivered
 * chunk by chunk (the consumer can hold the stream), stderr collected, exit status or signal read,
 * and cancellation (timeout, abort) that kills the remote process group over a second channel.
 *
 * @module
 */
import type { ClientChannel } from 'ssh2';
import type { ByteSource } from '../types.js';
import type { ExitStatus, SshConnection } from './connection.js';
import { abortableDelay, drainedOrClosed, byteChunks, messageOf } from './util.js';

/** What to run and where its output goes. @internal */
export interface ExecutionSpec {
  readonly connection: SshConnection;
  readonly commandLine: string;
  /** Token of the `<token> pid <pid>` header the remote script writes first on stderr. */
  readonly token: string;
  readonly stdin: ByteSource | undefined;
  /** Receives stdout chunks in order; the stream is held until the returned promise settles. */
  readonly onStdout: (chunk: Buffer) => void | Promise<void>;
  /** Kills the remote process group `pid`; resolves `true` when the kill command ran and succeeded. */
  readonly kill: (pid: number) => Promise<boolean>;
}

/** How an execution ended. @internal */
export type ExecutionOutcome =
  | { readonly type: 'exited'; readonly exitCode: number | null; readonly signal: string | null; readonly stderr: Buffer; readonly spawnFailure: string | null; readonly retries: number }
  | { readonly type: 'not-started'; readonly message: string; readonly retries: number }
  | { readonly type: 'lost'; readonly message: string; readonly retries: number }
  | { readonly type: 'cancelled'; readonly reason: 'timeout' | 'aborted'; readonly message: string; readonly started: boolean; readonly killConfirmed: boolean; readonly retries: number };

/** A running execution. @internal */
export interface Execution {
  readonly outcome: Promise<ExecutionOutcome>;
  /** Stops it: a started command's process group is killed, then the outcome is `cancelled`. Idempotent. */
  cancel(reason: 'timeout' | 'aborted', message: string): void;
}

/** How long a kill waits for the `<token> pid <pid>` header of a command that has just started. */
const PID_WAIT_MS = 5_000;

/** How long to wait for the channel to close after a kill before closing it ourselves. */
const CLOSE_AFTER_KILL_MS = 5_000;

/**
 * Starts an execution.
 *
 * @param spec - Command line, streams and kill function.
 * @returns The execution; its outcome never rejects.
 * @internal
 */
export function startExecution(spec: ExecutionSpec): Execution {
  const openController = new AbortController();
  let cancelled: { reason: 'timeout' | 'aborted'; message: string } | undefined;
  let onCancel: (() => void) | undefined;

  const outcome = (async (): Promise<ExecutionOutcome> => {
    const opened = await spec.connection.openExec(spec.commandLine, openController.signal);
    if (!opened.ok) {
      if (opened.started === 'unknown') return { type: 'lost', message: `the connection to ${spec.connection.address.label} dropped while the command was being started`, retries: opened.retries };
      if (cancelled) return { type: 'cancelled', ...cancelled, started: false, killConfirmed: true, retries: opened.retries };
      return { type: 'not-started', message: opened.message, retries: opened.retries };
    }
    return followChannel(
      opened.channel,
      opened.exitStatus,
      spec,
      opened.retries,
      () => cancelled,
      (handler) => (onCancel = handler),
    );
  })();

  return {
    outcome,
    cancel(reason, message) {
      if (cancelled) return;
      cancelled = { reason, message };
      openController.abort();
      onCancel?.();
    },
  };
}

// --- Internal helpers ---

function followChannel(
  channel: ClientChannel,
  exitStatus: () => ExitStatus | undefined,
  spec: ExecutionSpec,
  retries: number,
  getCancelled: () => { reason: 'timeout' | 'aborted'; message: string } | undefined,
  setOnCancel: (handler: () => void) => void,
): Promise<ExecutionOutcome> {
  return new Promise((resolve) => {
    let closed = false;
    let stdoutFailure: string | undefined;
    let stdoutChain: Promise<void> = Promise.resolve();
    let killFlow: Promise<boolean> | undefined;
    const stderr = createStderrReader(spec.token);
    const closeWaiters: (() => void)[] = [];
    let internalCancel: { reason: 'aborted'; message: string } | undefined;
    const cancelState = (): { reason: 'timeout' | 'aborted'; message: string } | undefined => getCancelled() ?? internalCancel;

    const startKill = (): void => {
      killFlow ??= (async () => {
        const waitLimit = new AbortController();
        const pid = await Promise.race([stderr.pid, abortableDelay(PID_WAIT_MS, waitLimit.signal).then(() => null)]);
        waitLimit.abort();
        if (pid === null && !closed) {
          // No pid header (a login shell that runs nothing of ours?): ask sshd to signal the session instead.
          try {
            channel.signal('KILL');
          } catch {
            // The channel is already closing.
          }
        }
        const confirmed = pid !== null && !closed ? await spec.kill(pid) : closed;
        if (!closed) {
          const fallback = setTimeout(() => channel.close(), CLOSE_AFTER_KILL_MS);
          await new Promise<void>((done) => closeWaiters.push(done));
          clearTimeout(fallback);
        }
        return confirmed;
      })();
    };
    setOnCancel(startKill);
    const failInternally = (message: string): void => {
      internalCancel ??= { reason: 'aborted', message };
      startKill();
    };

    channel.on('data', (chunk: Buffer) => {
      if (stdoutFailure !== undefined) return;
      channel.pause();
      stdoutChain = stdoutChain
        .then(() => spec.onStdout(chunk))
        .then(
          () => void channel.resume(),
          (cause: unknown) => {
            stdoutFailure = messageOf(cause);
            channel.resume();
            failInternally(`the stdout sink failed: ${stdoutFailure}`);
          },
        );
    });
    channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    channel.on('error', () => undefined);
    channel.stderr.on('error', () => undefined);
    channel.on('close', () => {
      closed = true;
      stderr.finish();
      for (const waiter of closeWaiters.splice(0)) waiter();
      void finalize();
    });

    const finalize = async (): Promise<void> => {
      await stdoutChain;
      const killConfirmed = killFlow ? await killFlow : false;
      const cancel = cancelState();
      if (cancel) return resolve({ type: 'cancelled', ...cancel, started: true, killConfirmed, retries });
      const exit = exitStatus();
      if (exit === undefined) {
        return resolve({ type: 'lost', message: `the connection to ${spec.connection.address.label} closed before the command reported how it ended; its outcome is unknown`, retries });
      }
      const stderrBytes = stderr.bytes();
      const spawnFailure = exit.exitCode === 126 || exit.exitCode === 127 ? readSpawnFailure(stderrBytes, spec.token) : null;
      resolve({ type: 'exited', ...exit, stderr: stderrBytes, spawnFailure, retries });
    };

    if (getCancelled()) startKill();
    feedStdin(channel, spec.stdin, () => closed || cancelState() !== undefined).catch((cause: unknown) => failInternally(`the stdin source failed: ${messageOf(cause)}`));
  });
}

async function feedStdin(channel: ClientChannel, source: ByteSource | undefined, stopped: () => boolean): Promise<void> {
  if (source !== undefined) {
    for await (const chunk of byteChunks(source)) {
      if (stopped()) return;
      if (!channel.write(chunk)) await drainedOrClosed(channel);
    }
  }
  if (!stopped()) channel.end();
}

/** Strips the `<token> pid <pid>` header (and any login-shell noise before it) from stderr. */
function createStderrReader(token: string): { push(chunk: Buffer): void; finish(): void; bytes(): Buffer; readonly pid: Promise<number | null> } {
  const marker = Buffer.from(`${token} pid `, 'latin1');
  let head: Buffer | null = Buffer.alloc(0);
  const parts: Buffer[] = [];
  let settlePid: (pid: number | null) => void = () => undefined;
  const pid = new Promise<number | null>((resolve) => (settlePid = resolve));
  return {
    pid,
    push(chunk) {
      if (head === null) return void parts.push(chunk);
      head = Buffer.concat([head, chunk]);
      const start = head.indexOf(marker);
      const end = start < 0 ? -1 : head.indexOf(0x0a, start);
      if (end >= 0) {
        const value = Number(head.subarray(start + marker.length, end).toString('latin1'));
        parts.push(head.subarray(end + 1));
        head = null;
        settlePid(Number.isInteger(value) && value > 1 ? value : null);
      } else if (head.length > 65_536) {
        parts.push(head);
        head = null;
        settlePid(null);
      }
    },
    finish() {
      if (head !== null) parts.push(head);
      head = null;
      settlePid(null);
    },
    bytes: () => Buffer.concat(parts),
  };
}

function readSpawnFailure(stderr: Buffer, token: string): string | null {
  const match = new RegExp(`^${token} spawn (E[A-Z]+)\\n`).exec(stderr.subarray(0, 200).toString('latin1'));
  return match?.[1] ?? null;
}
