/**
 * Reading the framed standard output of a batch script (see `batchScript`), incrementally, as it
 * arrives. Bodies are length-prefixed, so nothing a command prints can be mistaken for a frame.
 *
 * @module
 */

/** One parsed frame. @internal */
export type BatchFrame =
  | {
      readonly type: 'exit';
      readonly index: number;
      readonly status: number;
      readonly signalName: string | null;
      readonly stdout: Buffer;
      readonly stderr: Buffer;
    }
  | { readonly type: 'spawn'; readonly index: number; readonly code: string }
  | { readonly type: 'end' };

/** Incremental reader of batch frames. @internal */
export interface BatchFrameReader {
  /** Feeds a chunk of standard output; returns the frames it completed, in order. */
  push(chunk: Buffer): BatchFrame[];
}

/**
 * Creates a reader for the frames marked with `token`.
 *
 * @param token - The batch's random token.
 * @returns A reader; bytes outside frames (login-shell noise) are skipped.
 * @internal
 */
export function createBatchFrameReader(token: string): BatchFrameReader {
  const marker = Buffer.from(`\n${token} `, 'latin1');
  let pending: Buffer = Buffer.alloc(0);
  let body: { header: { index: number; status: number; signalName: string | null; stdoutBytes: number }; parts: Buffer[]; remaining: number; total: number } | null = null;

  function takeBody(chunk: Buffer, frames: BatchFrame[]): Buffer {
    if (body === null) return chunk;
    const used = Math.min(body.remaining, chunk.length);
    body.parts.push(chunk.subarray(0, used));
    body.remaining -= used;
    if (body.remaining === 0) {
      const bytes = Buffer.concat(body.parts, body.total);
      const { index, status, signalName, stdoutBytes } = body.header;
      frames.push({ type: 'exit', index, status, signalName, stdout: bytes.subarray(0, stdoutBytes), stderr: bytes.subarray(stdoutBytes) });
      body = null;
    }
    return chunk.subarray(used);
  }

  return {
    push(chunk) {
      const frames: BatchFrame[] = [];
      let rest = takeBody(chunk, frames);
      while (rest.length > 0 || (body === null && pending.length > 0)) {
        if (body !== null) {
          rest = takeBody(rest, frames);
          continue;
        }
        pending = pending.length === 0 ? rest : Buffer.concat([pending, rest]);
        const start = pending.indexOf(marker);
        if (start < 0) {
          pending = pending.subarray(Math.max(0, pending.length - marker.length + 1));
          break;
        }
        const lineEnd = pending.indexOf(0x0a, start + marker.length);
        if (lineEnd < 0) {
          pending = pending.subarray(start);
          break;
        }
        const fields = pending.subarray(start + marker.length, lineEnd).toString('latin1').trim().split(/\s+/);
        rest = pending.subarray(lineEnd + 1);
        pending = Buffer.alloc(0);
        const frame = readHeader(fields);
        if (frame === null) continue;
        if (frame.type !== 'body') {
          frames.push(frame);
          continue;
        }
        const total = frame.stdoutBytes + frame.stderrBytes;
        body = { header: frame, parts: [], remaining: total, total };
        if (total === 0) takeBody(Buffer.alloc(0), frames);
      }
      return frames;
    },
  };
}

// --- Internal helpers ---

type Header =
  | { type: 'body'; index: number; status: number; signalName: string | null; stdoutBytes: number; stderrBytes: number }
  | Extract<BatchFrame, { type: 'spawn' | 'end' }>;

function readHeader(fields: readonly string[]): Header | null {
  const [first, kind, ...rest] = fields;
  if (first === 'end') return { type: 'end' };
  const index = Number(first);
  if (!Number.isInteger(index) || index < 0) return null;
  if (kind === 'spawn') return { type: 'spawn', index, code: rest[0] ?? 'ENOENT' };
  if (kind !== 'exit' || rest.length !== 4) return null;
  const [statusText = '', signalText = '-', stdoutText = '', stderrText = ''] = rest;
  const status = Number(statusText);
  const stdoutBytes = Number(stdoutText);
  const stderrBytes = Number(stderrText);
  if (![status, stdoutBytes, stderrBytes].every((value) => Number.isInteger(value) && value >= 0)) return null;
  const signalName = signalText === '-' ? null : signalText.startsWith('SIG') ? signalText : `SIG${signalText}`;
  return { type: 'body', index, status, signalName, stdoutBytes, stderrBytes };
}
