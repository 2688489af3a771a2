/**
 * Guards around the caller's byte streams for backup and restore: they count bytes, never let a
 * throwing sink or source reach the runner (which would see an internal failure), stop the command
 * through an abort signal instead, and cap a restore at the volume's size. Nothing here buffers more
 * than the chunk in hand.
 *
 * @module
 */
import type { ByteSink, ByteSource } from '../runners/types.js';

/**
 * A sink wrapper that counts bytes and turns a failure of the caller's sink into an abort.
 *
 * @example
 * ```ts
 * const guarded = guardSink(sink, controller);
 * await runner.run({ argv: ['cat', path], stdoutSink: guarded.sink, signal: controller.signal });
 * if (guarded.failure() !== null) console.error(guarded.failure());
 * ```
 */
export interface GuardedSink {
  /** The sink to hand to the runner. */
  readonly sink: ByteSink;
  /** Bytes the caller's sink accepted. */
  bytes(): number;
  /** Largest chunk delivered, bytes. */
  largestChunkBytes(): number;
  /** The caller's sink's error message, or `null`. */
  failure(): string | null;
}

/**
 * Wraps the caller's sink.
 *
 * @param sink - The caller's sink (may return a promise for back-pressure, may throw).
 * @param controller - Aborted when the sink fails, to stop the command.
 * @returns The guarded sink.
 * @example
 * ```ts
 * const guarded = guardSink(async (chunk) => { await file.write(chunk); }, new AbortController());
 * ```
 */
export function guardSink(sink: ByteSink, controller: AbortController): GuardedSink {
  let bytes = 0;
  let largest = 0;
  let failure: string | null = null;
  return {
    async sink(chunk) {
      if (failure !== null) return;
      try {
        await sink(chunk);
        bytes += chunk.byteLength;
        largest = Math.max(largest, chunk.byteLength);
      } catch (cause) {
        failure = messageOf(cause);
        controller.abort();
      }
    },
    bytes: () => bytes,
    largestChunkBytes: () => largest,
    failure: () => failure,
  };
}

/**
 * A source wrapper that counts bytes, stops at a limit and turns a failure of the caller's source into
 * an abort.
 *
 * @example
 * ```ts
 * const limited = limitSource(source, 2 ** 30, controller);
 * await runner.run({ argv: ['dd', 'of=/gpfs0/v1'], stdin: limited.source, signal: controller.signal });
 * ```
 */
export interface LimitedSource {
  /** The source to hand to the runner. */
  readonly source: AsyncIterable<Uint8Array>;
  /** Bytes handed on. */
  bytes(): number;
  /** Whether the caller's source held more than the limit (the excess was not handed on). */
  overflowed(): boolean;
  /** The caller's source's error message, or `null`. */
  failure(): string | null;
}

/**
 * Wraps the caller's source.
 *
 * @param source - Bytes, text or an async iterable of chunks (a Node `Readable` works).
 * @param limitBytes - Most bytes to hand on.
 * @param controller - Aborted when the source fails, to stop the command.
 * @returns The limited source.
 * @example
 * ```ts
 * const limited = limitSource(createReadStream('/backups/v1.raw'), 10 * 2 ** 30, new AbortController());
 * ```
 */
export function limitSource(source: ByteSource, limitBytes: number, controller: AbortController): LimitedSource {
  let bytes = 0;
  let overflowed = false;
  let failure: string | null = null;
  async function* generate(): AsyncGenerator<Uint8Array> {
    try {
      for await (const raw of asIterable(source)) {
        const chunk = typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
        const room = limitBytes - bytes;
        if (chunk.byteLength > room) {
          overflowed = true;
          if (room > 0) {
            bytes += room;
            yield chunk.subarray(0, room);
          }
          return;
        }
        bytes += chunk.byteLength;
        if (chunk.byteLength > 0) yield chunk;
      }
    } catch (cause) {
      failure = messageOf(cause);
      controller.abort();
    }
  }
  return { source: generate(), bytes: () => bytes, overflowed: () => overflowed, failure: () => failure };
}

/**
 * An abort controller that also aborts when the caller's signal does.
 *
 * @param signal - The caller's signal, if any.
 * @returns A controller, and a function that detaches it from the caller's signal.
 * @example
 * ```ts
 * const { controller, release } = linkedController(options.signal);
 * try { ... } finally { release(); }
 * ```
 */
export function linkedController(signal: AbortSignal | undefined): { readonly controller: AbortController; readonly release: () => void } {
  const controller = new AbortController();
  if (signal === undefined) return { controller, release: () => undefined };
  if (signal.aborted) controller.abort();
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  return { controller, release: () => signal.removeEventListener('abort', onAbort) };
}

// --- Internal helpers ---

async function* asIterable(source: ByteSource): AsyncGenerator<Uint8Array | string> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    yield source;
    return;
  }
  yield* source;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
