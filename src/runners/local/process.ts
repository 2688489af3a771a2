/**
 * One child process on zx: a POSIX shell that `exec`s the command, with stdin fed from a
 * {@link ByteSource}, stdout collected or streamed with back-pressure, and termination of the whole
 * process tree on timeout or abort. This file and its siblings are the only place that imports zx.
 *
 * @module
 */
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { $, kill as killTree, type Options as ZxOptions } from 'zx/core';
import { messageOf } from '../byte-streams.js';
import { quotePosix } from '../quote.js';
import type { ByteSink, ByteSource } from '../types.js';

/** Why the runner ended a process itself. */
export type Termination = { readonly kind: 'Timeout'; readonly timeoutMs: number; readonly argv?: readonly string[] } | { readonly kind: 'Aborted'; readonly message: string };

/** How a process ended. */
export type ProcessOutcome =
  | {
      readonly kind: 'exited';
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly stdout: Buffer;
      readonly stderr: Buffer;
      readonly durationMs: number;
    }
  | { readonly kind: 'spawnFailed'; readonly code: string | undefined; readonly message: string }
  | { readonly kind: 'terminated'; readonly termination: Termination; readonly durationMs: number };

/** What to start. */
export interface ProcessRequest {
  /** Words the shell `exec`s, each quoted with {@link quotePosix}; `argv[0]` must not start with `-`. */
  readonly argv: readonly string[];
  /** The POSIX shell zx runs the command line with. */
  readonly shell: string;
  /** Complete environment. */
  readonly env: NodeJS.ProcessEnv;
  /** Working directory; the runner's process directory when absent. */
  readonly cwd: string | undefined;
  /** Standard input; `/dev/null` when absent. */
  readonly stdin: ByteSource | undefined;
  /** Receives stdout chunks instead of collecting them; awaited before the next chunk is read. */
  readonly onStdout: ByteSink | undefined;
  /** Ends the process tree after this many milliseconds. */
  readonly timeoutMs: number | undefined;
  /** Ends the process tree when it fires. */
  readonly signal: AbortSignal | undefined;
  /** Time between SIGTERM and SIGKILL when the runner ends a process tree. */
  readonly killGraceMs: number;
}

/** A started process. */
export interface RunningProcess {
  /** Settles once the process has ended and its output is read; never rejects. */
  readonly done: Promise<ProcessOutcome>;
  /** Ends the whole process tree (SIGTERM, then SIGKILL after the grace period); the first reason wins. */
  terminate(termination: Termination): void;
}

/**
 * Starts a process through zx with `nothrow` and `quiet`.
 *
 * @param request - Command, environment, streams and limits.
 * @returns The running process.
 */
export function startProcess(request: ProcessRequest): RunningProcess {
  const startedAt = performance.now();
  const stdoutChunks: Buffer[] = [];
  const stderrChunks: Buffer[] = [];
  let stdout: Readable | null = null;
  let child: ChildProcess | undefined;
  let termination: Termination | undefined;
  let closed = false;
  let stdoutDone: Promise<void> = Promise.resolve();
  let sinkFailure: string | undefined;
  const input = _toInput(request.stdin);

  const terminate = (reason: Termination): void => {
    if (termination !== undefined || closed) return;
    termination = reason;
    const pid = child?.pid;
    if (pid === undefined) return;
    void _signalTree(pid, 'SIGTERM');
    const escalation = setTimeout(() => void (closed ? undefined : _signalTree(pid, 'SIGKILL')), request.killGraceMs);
    escalation.unref();
    // Output no longer matters, and a paused stdout or a descendant that escaped the process group
    // must not keep the command open.
    stdout?.destroy();
    child?.stderr?.destroy();
  };

  const attach = (spawned: ChildProcess): void => {
    child = spawned;
    spawned.stdin?.on('error', () => undefined); // EPIPE when the command exits without reading all its input
    spawned.stderr?.on('data', (chunk: Buffer) => stderrChunks.push(chunk));
    // The runner reads stdout itself: zx would keep every chunk, and the pipe it sets up resumes a
    // paused stream, which breaks back-pressure. zx gets an empty stream in its place; the child
    // still closes only once the real stdout has ended.
    stdout = spawned.stdout;
    const placeholder = new PassThrough();
    placeholder.end();
    Object.defineProperty(spawned, 'stdout', { value: placeholder, configurable: true });
    if (stdout === null) return;
    if (request.onStdout === undefined) stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));
    else {
      stdoutDone = _pump(stdout, request.onStdout, (message) => {
        sinkFailure = message;
        terminate({ kind: 'Aborted', message });
      });
    }
  };
  input.readable?.once('error', (cause: unknown) => terminate({ kind: 'Aborted', message: `stdin source failed: ${messageOf(cause)}` }));

  const options: Partial<ZxOptions> = {
    shell: request.shell,
    prefix: '',
    postfix: '',
    quote: quotePosix,
    nothrow: true,
    quiet: true,
    verbose: false,
    timeout: 0,
    preferLocal: false,
    detached: true,
    env: request.env,
    stdio: [request.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    store: _discardingStore(),
    spawn: ((file: string, args: readonly string[], spawnOptions: object) => {
      const spawned = spawnChild(file, args, spawnOptions);
      attach(spawned);
      return spawned;
    }) as unknown as ZxOptions['spawn'],
    ...(request.cwd !== undefined ? { cwd: request.cwd } : {}),
    ...(input.value !== undefined ? { input: input.value } : {}),
  };

  const onAbort = (): void => terminate({ kind: 'Aborted', message: 'aborted while running' });
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = request.timeoutMs === undefined ? undefined : setTimeout(() => terminate({ kind: 'Timeout', timeoutMs: request.timeoutMs as number }), request.timeoutMs);

  const done = (async (): Promise<ProcessOutcome> => {
    try {
      const output = await $(options)`exec ${request.argv}`;
      closed = true;
      await stdoutDone; // the sink may still be taking the last chunks
      const durationMs = performance.now() - startedAt;
      if (termination === undefined && sinkFailure !== undefined) termination = { kind: 'Aborted', message: sinkFailure };
      if (termination !== undefined) return { kind: 'terminated', termination, durationMs };
      const cause = output.cause;
      if (cause) return { kind: 'spawnFailed', code: 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined, message: cause.message };
      return {
        kind: 'exited',
        exitCode: output.exitCode,
        signal: output.signal,
        stdout: Buffer.concat(stdoutChunks),
        stderr: Buffer.concat(stderrChunks),
        durationMs,
      };
    } catch (cause) {
      return { kind: 'spawnFailed', code: undefined, message: messageOf(cause) };
    } finally {
      closed = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (input.owned) input.readable?.destroy();
    }
  })();
  return { done, terminate };
}

// --- Internal helpers ---

type Input = { value: string | Buffer | Readable | undefined; readable: Readable | undefined; owned: boolean };

function _toInput(stdin: ByteSource | undefined): Input {
  if (stdin === undefined) return { value: undefined, readable: undefined, owned: false };
  if (typeof stdin === 'string') return { value: stdin === '' ? Buffer.alloc(0) : stdin, readable: undefined, owned: false };
  if (stdin instanceof Uint8Array) return { value: Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength), readable: undefined, owned: false };
  if (stdin instanceof Readable) return { value: stdin, readable: stdin, owned: false };
  const readable = Readable.from(stdin, { objectMode: false });
  return { value: readable, readable, owned: true };
}

/** Feeds stdout to the sink, reading the next chunk only once the sink has taken the last one. */
async function _pump(stdout: Readable, sink: ByteSink, fail: (message: string) => void): Promise<void> {
  try {
    for await (const chunk of stdout as AsyncIterable<Buffer>) {
      try {
        await sink(chunk);
      } catch (cause) {
        fail(`stdout sink failed: ${messageOf(cause)}`);
        return;
      }
    }
  } catch {
    // stdout was destroyed because the command is being ended: the termination says why.
  }
}

async function _signalTree(pid: number, signal: NodeJS.Signals): Promise<void> {
  try {
    await killTree(pid, signal); // zx: every descendant found by `ps`, then the process group
  } catch {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** zx keeps every chunk it sees (and decodes chunk by chunk); the runner collects its own bytes instead. */
function _discardingStore(): NonNullable<ZxOptions['store']> {
  const discard = {
    length: 0,
    push: () => 0,
    join: () => '',
    reduce: <U>(_reducer: unknown, initial: U) => initial,
    *[Symbol.iterator](): Iterator<string | Buffer> {},
  };
  return { stdout: discard, stderr: discard, stdall: discard };
}
