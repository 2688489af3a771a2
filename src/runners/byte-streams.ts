/**
 * Byte plumbing shared by the in-memory runners: reading a {@link ByteSource} whole and feeding a
 * {@link ByteSink} chunk by chunk with back-pressure. Internal: not exported from the package.
 *
 * @module
 */
import type { ByteSink, ByteSource } from './types.js';

/** Size of the chunks handed to a sink by the in-memory runners, in bytes. */
export const SINK_CHUNK_BYTES = 64 * 1024;

/**
 * Reads a byte source to the end.
 *
 * @param source - A string (encoded as UTF-8), a byte array or an async iterable of byte chunks.
 * @returns All its bytes in one array.
 */
export async function collectBytes(source: ByteSource): Promise<Uint8Array> {
  if (typeof source === 'string') return new TextEncoder().encode(source);
  if (source instanceof Uint8Array) return source;
  const chunks: Uint8Array[] = [];
  let totalBytes = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    chunks.push(bytes);
    totalBytes += bytes.byteLength;
  }
  return concatBytes(chunks, totalBytes);
}

/**
 * Hands `bytes` to `sink` in chunks of at most {@link SINK_CHUNK_BYTES}, waiting for each call
 * before making the next.
 *
 * @param bytes - The data to deliver.
 * @param sink - Receives the chunks in order.
 */
export async function deliverToSink(bytes: Uint8Array, sink: ByteSink): Promise<void> {
  for (let offset = 0; offset < bytes.byteLength; offset += SINK_CHUNK_BYTES) {
    await sink(bytes.subarray(offset, Math.min(offset + SINK_CHUNK_BYTES, bytes.byteLength)));
  }
}

/**
 * Decodes UTF-8 bytes (malformed sequences become U+FFFD).
 *
 * @param bytes - Encoded text.
 * @returns The text.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Copies a message out of anything thrown, without keeping the thrown value.
 *
 * @param cause - Whatever was thrown or rejected.
 * @returns Its message, or its string form.
 */
export function messageOf(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return typeof cause === 'string' ? cause : String(cause);
}

// --- Internal helpers ---

function concatBytes(chunks: readonly Uint8Array[], totalBytes: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const joined = new Uint8Array(totalBytes);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
