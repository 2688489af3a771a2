/**
 * Reading a batch's output back (see `batchScript`): standard output incrementally, as commands
 * finish, and standard error at the end. Separators carry the batch's random token, which no command
 * can know, so nothing a command prints is mistaken for one.
 *
 * @module
 */

/** One event read from a batch's standard output. @internal */
export type BatchEvent =
  | { readonly type: 'exit'; readonly index: number; readonly status: number; readonly signalName: string | null; readonly stdout: Buffer }
  | { readonly type: 'spawn'; readonly index: number; readonly code: string }
  /** Reused shells only: command `index` runs as process group `pid` (sent before it runs anything). */
  | { readonly type: 'pid'; readonly index: number; readonly pid: number }
  | { readonly type: 'end' };

/** Incremental reader of a batch's standard output. @internal */
export interface BatchStdoutReader {
  /** Feeds a chunk; returns the events it completed, in order. */
  push(chunk: Buffer): BatchEvent[];
  /** Whether the `<token> start` line has been read. */
  started(): boolean;
}

/**
 * Creates a reader for the standard output of the batch marked with `token`. Bytes before the
 * `<token> start` line (login-shell noise) are skipped.
 *
 * @param token - The batch's random token.
 * @returns The reader.
 * @internal
 */
export function createBatchStdoutReader(token: string): BatchStdoutReader {
  const start = Buffer.from(`${token} start\n`, 'latin1');
  const separator = Buffer.from(`\n${token} `, 'latin1');
  let started = false;
  let pending: Buffer = Buffer.alloc(0);
  let parts: Buffer[] = [];
  let nextIndex = 0;

  return {
    started: () => started,
    push(chunk) {
      const events: BatchEvent[] = [];
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          const at = pending.indexOf(start);
          if (at < 0) {
            pending = pending.subarray(Math.max(0, pending.length - start.length + 1));
            return events;
          }
          started = true;
          pending = pending.subarray(at + start.length);
        }
        const at = pending.indexOf(separator);
        if (at < 0) {
          // Keep only what could be the beginning of a separator; the rest is command output.
          const keep = Math.min(pending.length, separator.length - 1);
          if (pending.length > keep) parts.push(pending.subarray(0, pending.length - keep));
          pending = pending.subarray(pending.length - keep);
          return events;
        }
        const lineEnd = pending.indexOf(0x0a, at + separator.length);
        if (lineEnd < 0) {
          if (at > 0) parts.push(pending.subarray(0, at));
          pending = pending.subarray(at);
          return events;
        }
        if (at > 0) parts.push(pending.subarray(0, at));
        const event = readSeparator(pending.subarray(at + separator.length, lineEnd).toString('latin1'), parts);
        if (event === null || (event.type !== 'end' && event.index !== nextIndex)) {
          // Not a separator this batch wrote here: keep it as output.
          parts.push(pending.subarray(at, lineEnd + 1));
        } else if (event.type === 'pid') {
          // Output before it belongs to the command too (as it would without a pid line).
          events.push(event);
        } else {
          events.push(event);
          parts = [];
          if (event.type !== 'end') nextIndex += 1;
        }
        pending = pending.subarray(lineEnd + 1);
      }
    },
  };
}

/**
 * Splits a batch's standard error (pid header already removed) into each command's part.
 *
 * @param stderr - Everything the batch wrote on standard error.
 * @param token - The batch's random token.
 * @returns The stderr of each command, by index.
 * @internal
 */
export function splitBatchStderr(stderr: Buffer, token: string): Map<number, Buffer> {
  const separator = Buffer.from(`\n${token} `, 'latin1');
  const parts = new Map<number, Buffer>();
  let offset = 0;
  let searchFrom = 0;
  for (;;) {
    const at = stderr.indexOf(separator, searchFrom);
    if (at < 0) return parts;
    const lineEnd = stderr.indexOf(0x0a, at + separator.length);
    if (lineEnd < 0) return parts;
    searchFrom = lineEnd + 1;
    // Separators come in order; anything else is output.
    if (stderr.subarray(at + separator.length, lineEnd).toString('latin1') !== String(parts.size)) continue;
    parts.set(parts.size, stderr.subarray(offset, at));
    offset = lineEnd + 1;
  }
}

/** Incremental reader of a reused shell's standard error for one request. @internal */
export interface RequestStderrReader {
  /** Feeds a chunk; returns `true` once the request's end marker has been read. */
  push(chunk: Buffer): boolean;
  /** The request's standard error between its start and end markers (command separators included). */
  bytes(): Buffer;
}

/**
 * Creates a reader for one request's standard error on a reused shell: bytes before `<token> start\n`
 * (stray output of earlier commands' leftovers) are dropped, and the request ends at `\n<token> end\n`.
 *
 * @param token - The request's random token.
 * @returns The reader.
 * @internal
 */
export function createRequestStderrReader(token: string): RequestStderrReader {
  const start = Buffer.from(`${token} start\n`, 'latin1');
  const end = Buffer.from(`\n${token} end\n`, 'latin1');
  let started = false;
  let ended = false;
  let pending: Buffer = Buffer.alloc(0);
  const parts: Buffer[] = [];
  return {
    push(chunk) {
      if (ended) return true;
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (!started) {
        const at = pending.indexOf(start);
        if (at < 0) {
          pending = pending.subarray(Math.max(0, pending.length - start.length + 1));
          return false;
        }
        started = true;
        pending = pending.subarray(at + start.length);
      }
      const at = pending.indexOf(end);
      if (at >= 0) {
        parts.push(pending.subarray(0, at));
        pending = Buffer.alloc(0);
        ended = true;
        return true;
      }
      const keep = Math.min(pending.length, end.length - 1);
      if (pending.length > keep) parts.push(pending.subarray(0, pending.length - keep));
      pending = pending.subarray(pending.length - keep);
      return false;
    },
    bytes: () => Buffer.concat(parts),
  };
}

// --- Internal helpers ---

function readSeparator(line: string, stdoutParts: readonly Buffer[]): BatchEvent | null {
  const [first, kind, value, signalText] = line.trim().split(/\s+/);
  if (first === 'end') return { type: 'end' };
  const index = Number(first);
  if (!Number.isInteger(index) || index < 0) return null;
  if (kind === 'spawn') return { type: 'spawn', index, code: value ?? 'ENOENT' };
  if (kind === 'pid') {
    const pid = Number(value);
    return Number.isInteger(pid) && pid > 1 ? { type: 'pid', index, pid } : null;
  }
  const status = Number(value);
  if (kind !== 'exit' || !Number.isInteger(status) || status < 0) return null;
  const signalName = signalText === undefined || signalText === '-' ? null : signalText.startsWith('SIG') ? signalText : `SIG${signalText}`;
  return { type: 'exit', index, status, signalName, stdout: Buffer.concat(stdoutParts) };
}
