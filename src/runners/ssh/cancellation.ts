/**
 * One call's cancellation: the caller's AbortSignal, its time limit and the runner's disposal,
 * folded into one internal signal with the reason that fired first.
 *
 * @module
 */
import { onAnyAbort } from './util.js';

/** Why a call was cancelled. @internal */
export interface CancelReason {
  readonly kind: 'Timeout' | 'Aborted';
  readonly message: string;
  /** For `'Timeout'`: the limit that was exceeded, in milliseconds. */
  readonly timeoutMs?: number;
  /** For `'Timeout'` inside a batch: index of the command that exceeded its own limit. */
  readonly commandIndex?: number;
}

/** A call's cancellation state. @internal */
export interface Cancellation {
  /** Aborts when the call must stop. */
  readonly signal: AbortSignal;
  /** The first reason, once cancelled. */
  reason(): CancelReason | undefined;
  /** Cancels now (first reason wins). */
  cancel(reason: CancelReason): void;
  /** Calls `listener` on cancellation (at once if already cancelled). Returns an unsubscribe function. */
  onCancel(listener: (reason: CancelReason) => void): () => void;
  /**
   * Starts (or restarts) one of two independent time limits: `'call'` for the whole call, `'command'`
   * for the command now running in a batch. `undefined` clears it.
   */
  setTimeLimit(which: 'call' | 'command', timeoutMs: number | undefined, commandIndex?: number): void;
  /** Clears every timer and listener. */
  release(): void;
}

/**
 * Creates the cancellation of one call.
 *
 * @param callerSignal - The caller's AbortSignal, if any.
 * @param disposeSignal - Aborts when the runner is disposed.
 * @returns The cancellation; call `release()` when the call ends.
 * @internal
 */
export function createCancellation(callerSignal: AbortSignal | undefined, disposeSignal: AbortSignal): Cancellation {
  const controller = new AbortController();
  let first: CancelReason | undefined;
  const timers = new Map<'call' | 'command', ReturnType<typeof setTimeout>>();
  const clearTimers = (): void => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };
  const listeners = new Set<(reason: CancelReason) => void>();
  const cancel = (reason: CancelReason): void => {
    if (first) return;
    first = reason;
    clearTimers();
    controller.abort();
    for (const listener of [...listeners]) listener(reason);
    listeners.clear();
  };
  const stopWatching = onAnyAbort([callerSignal, disposeSignal], () => cancel({ kind: 'Aborted', message: disposeSignal.aborted ? 'the runner was disposed' : 'the caller aborted the command' }));
  return {
    signal: controller.signal,
    reason: () => first,
    cancel,
    onCancel(listener) {
      if (first) {
        listener(first);
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setTimeLimit(which, timeoutMs, commandIndex) {
      const previous = timers.get(which);
      if (previous) clearTimeout(previous);
      timers.delete(which);
      if (timeoutMs === undefined || first) return;
      const timer = setTimeout(
        () => cancel({ kind: 'Timeout', message: `timed out after ${timeoutMs} ms`, timeoutMs, ...(commandIndex !== undefined ? { commandIndex } : {}) }),
        Math.max(0, timeoutMs),
      );
      timers.set(which, timer);
    },
    release() {
      clearTimers();
      stopWatching();
      listeners.clear();
    },
  };
}
