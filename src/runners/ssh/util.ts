/**
 * Small helpers of the SSH runner: secret redaction, abortable delays, byte sources.
 *
 * @module
 */
import type { ClientChannel } from 'ssh2';
import type { RunnerError } from '../../errors.js';
import type { ByteSource } from '../types.js';
import type { CancelReason } from './cancellation.js';

/**
 * Removes every secret from a message.
 *
 * @param message - Text that may quote a secret (for example a third-party error message).
 * @param secrets - Secret strings, longest first.
 * @returns The message with each secret replaced by `[redacted]`.
 * @internal
 */
export function redact(message: string, secrets: readonly string[]): string {
  let clean = message;
  for (const secret of secrets) if (secret !== '') clean = clean.split(secret).join('[redacted]');
  return clean;
}

/**
 * Copies a message out of anything thrown.
 *
 * @param cause - Whatever was thrown or rejected.
 * @returns Its message, or its string form.
 * @internal
 */
export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Waits `delayMs`, or less if `signal` aborts first. Leaves no timer or listener behind.
 *
 * @param delayMs - How long to wait.
 * @param signal - Ends the wait early.
 * @returns `true` when the full delay passed, `false` when aborted.
 * @internal
 */
export function abortableDelay(delayMs: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, delayMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Turns a {@link ByteSource} into byte chunks.
 *
 * @param source - String (UTF-8), bytes, or async iterable of chunks.
 * @returns The chunks, in order.
 * @internal
 */
export async function* byteChunks(source: ByteSource): AsyncGenerator<Buffer> {
  if (typeof source === 'string') {
    yield Buffer.from(source, 'utf8');
    return;
  }
  if (source instanceof Uint8Array) {
    yield Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    return;
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/**
 * Calls `listener` when any of the signals aborts. Returns a function that removes the listeners.
 *
 * @param signals - Signals to watch (undefined entries are ignored).
 * @param listener - Called at most once.
 * @returns Cleanup.
 * @internal
 */
export function onAnyAbort(signals: readonly (AbortSignal | undefined)[], listener: () => void): () => void {
  let called = false;
  const once = (): void => {
    if (called) return;
    called = true;
    cleanup();
    listener();
  };
  const watched = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  const cleanup = (): void => {
    for (const signal of watched) signal.removeEventListener('abort', once);
  };
  for (const signal of watched) {
    if (signal.aborted) {
      queueMicrotask(once);
      break;
    }
    signal.addEventListener('abort', once, { once: true });
  }
  return cleanup;
}

/**
 * Checks an argv before anything is sent.
 *
 * @param argv - Program and arguments.
 * @returns Why it cannot be run, or `undefined`.
 * @internal
 */
export function invalidArgv(argv: readonly unknown[]): string | undefined {
  if (!Array.isArray(argv) || argv.length === 0 || argv[0] === '') return 'argv must name a program';
  if (argv.some((arg) => typeof arg !== 'string')) return 'every argv element must be a string';
  if (argv.some((arg) => (arg as string).includes('\0'))) return 'an argument contains a NUL byte, which no program can receive';
  return undefined;
}

/**
 * The error for a cancelled call.
 *
 * @param reason - Why it was cancelled (`undefined`: it was not).
 * @param argv - The command concerned.
 * @param started - Whether the remote command had started.
 * @param killConfirmed - Whether the remote kill succeeded.
 * @returns A `'Timeout'` or `'Aborted'` error, or `undefined` when not cancelled.
 * @internal
 */
export function cancelledError(reason: CancelReason | undefined, argv: readonly string[], started: boolean, killConfirmed = false): RunnerError | undefined {
  if (!reason) return undefined;
  const state = !started ? 'before it started; nothing ran' : killConfirmed ? 'the remote process group was killed' : 'the remote process could not be confirmed killed';
  const base = { runner: 'ssh', argv: [...argv], message: `${reason.message} (${state})` };
  return reason.kind === 'Timeout' ? { ...base, kind: 'Timeout', timeoutMs: reason.timeoutMs ?? 0 } : { ...base, kind: 'Aborted' };
}

/**
 * Waits until a channel can take more data (`drain`) or is gone (`close`), whichever comes first.
 *
 * @param channel - An ssh2 channel whose last `write` returned `false`.
 * @returns Resolves on either event.
 * @example
 * ```ts
 * if (!channel.write(chunk)) await drainedOrClosed(channel);
 * ```
 */
export function drainedOrClosed(channel: ClientChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      channel.off('drain', done);
      channel.off('close', done);
      resolve();
    };
    channel.on('drain', done);
    channel.on('close', done);
  });
}
