/**
 * Standard input and output for commands that move data (cat, dd): input is read chunk by chunk from
 * any byte source, output goes to the caller's sink chunk by chunk (with back-pressure) or is collected.
 *
 * @module
 */
import type { ByteSink, ByteSource } from '../../runners/types.js';

/** Largest chunk handed to a sink or read at once. */
export const CHUNK_BYTES = 64 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Iterates a byte source in chunks of at most {@link CHUNK_BYTES}, without reading ahead.
 *
 * @param source - String, bytes or async iterable of bytes (absent: nothing).
 * @returns Chunks in order.
 */
export async function* readChunks(source: ByteSource | undefined): AsyncGenerator<Uint8Array> {
  if (source === undefined) return;
  if (typeof source === 'string' || source instanceof Uint8Array) {
    const bytes = typeof source === 'string' ? encoder.encode(source) : source;
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) yield bytes.subarray(offset, offset + CHUNK_BYTES);
    return;
  }
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk instanceof Uint8Array ? chunk : new Uint8Array(0);
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) yield bytes.subarray(offset, offset + CHUNK_BYTES);
  }
}

/** Collects standard output, or forwards it to a sink. */
export class Stdout {
  private readonly chunks: Uint8Array[] = [];
  /** Bytes written so far. */
  bytes = 0;

  constructor(private readonly sink: ByteSink | undefined) {}

  /**
   * Writes bytes. They are copied unless `immutable` says nobody will ever change them (the shared
   * zero buffer), so a sink may keep what it receives.
   *
   * @param bytes - Output bytes.
   * @param immutable - The bytes never change (no copy needed).
   */
  async write(bytes: Uint8Array, immutable = false): Promise<void> {
    if (bytes.length === 0) return;
    this.bytes += bytes.length;
    if (this.sink === undefined) {
      this.chunks.push(immutable ? bytes : bytes.slice());
      return;
    }
    for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
      const end = Math.min(bytes.length, offset + CHUNK_BYTES);
      const pending = this.sink(immutable ? bytes.subarray(offset, end) : bytes.slice(offset, end));
      if (pending !== undefined) await pending;
    }
  }

  /**
   * The collected output as text (`''` when it went to a sink).
   *
   * @returns UTF-8 decoded output.
   */
  text(): string {
    if (this.chunks.length === 0) return '';
    if (this.chunks.length === 1) return decoder.decode(this.chunks[0]);
    const all = new Uint8Array(this.bytes);
    let offset = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    return decoder.decode(all);
  }
}

/** A buffer of zeros that is never written to, shared by every reader of holes. */
export const ZERO_CHUNK: Uint8Array = new Uint8Array(CHUNK_BYTES);

/**
 * Deterministic pseudo-random bytes (xorshift32), standing in for /dev/urandom.
 *
 * @param length - Number of bytes.
 * @param seed - Running state, updated in place.
 * @returns Bytes.
 */
export function pseudoRandomBytes(length: number, seed: { value: number }): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed.value || 0x9e3779b9;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  seed.value = state;
  return bytes;
}
