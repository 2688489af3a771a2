/**
 * How a mock runner turns a script's reply into a command outcome: reading stdin, calling reply
 * functions under the command's timeout and signal, and feeding a stdout sink. Internal.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { RunnerError } from '../errors.js';
import { collectBytes, decodeUtf8, deliverToSink, messageOf } from './byte-streams.js';
import { completeOutput, type MockOutput, type MockReply, type MockRunnerError } from './mock-script.js';
import type { Command, CommandOutput } from './types.js';

/** The parts of a reply context known before the reply runs. */
export type ReplyContextBase = { stdinText: string | undefined; stdinBytes: Uint8Array | undefined; callIndex: number };

/**
 * Reads a command's stdin to the end.
 *
 * @param command - The command.
 * @returns Its stdin as text (when given as a string) and as bytes, or why the source failed.
 */
export async function readStdin(command: Command): Promise<Result<Omit<ReplyContextBase, 'callIndex'>, string>> {
  if (command.stdin === undefined) return ok({ stdinText: undefined, stdinBytes: undefined });
  try {
    const stdinBytes = await collectBytes(command.stdin);
    return ok({ stdinText: typeof command.stdin === 'string' ? command.stdin : undefined, stdinBytes });
  } catch (cause) {
    return err(`stdin source failed: ${messageOf(cause)}`);
  }
}

/**
 * Produces a reply's value: calls a reply function, racing an async one against the command's
 * timeout and signal.
 *
 * @param reply - The script's reply.
 * @param command - The command.
 * @param base - Stdin and call index for the reply context.
 * @param name - Runner name for errors.
 * @returns The output or scripted error, or the runner error that ended the wait.
 */
export async function evaluateReply(reply: MockReply, command: Command, base: ReplyContextBase, name: string): Promise<Result<MockOutput | MockRunnerError, RunnerError>> {
  if (typeof reply !== 'function') return ok(reply);
  const controller = new AbortController();
  let pending: MockOutput | MockRunnerError | Promise<MockOutput | MockRunnerError>;
  try {
    pending = reply(command, { ...base, signal: controller.signal });
  } catch (cause) {
    return err(replyFailedError(name, command.argv, `reply function threw: ${messageOf(cause)}`));
  }
  if (!(pending instanceof Promise)) return ok(pending);
  return _raceReply(pending, command, controller, name);
}

/**
 * Completes a command with a scripted output: stdout decoded, or handed to the command's sink.
 *
 * @param output - The scripted output.
 * @param command - The command.
 * @param name - Runner name for errors.
 * @returns The command output, or `Aborted` when the sink failed.
 */
export async function finishOutput(output: MockOutput, command: Command, name: string): Promise<Result<CommandOutput, RunnerError>> {
  const stdout = output.stdout ?? '';
  if (!command.stdoutSink) return ok(completeOutput(output, command.argv, typeof stdout === 'string' ? stdout : decodeUtf8(stdout)));
  try {
    await deliverToSink(typeof stdout === 'string' ? new TextEncoder().encode(stdout) : stdout, command.stdoutSink);
  } catch (cause) {
    return err(abortedError(name, command.argv, `stdout sink failed: ${messageOf(cause)}`));
  }
  return ok(completeOutput(output, command.argv, ''));
}

/**
 * Builds an `Aborted` error.
 *
 * @param runner - Runner name.
 * @param argv - The command.
 * @param message - Why.
 * @returns The error.
 */
export function abortedError(runner: string, argv: readonly string[], message: string): RunnerError {
  return { kind: 'Aborted', runner, argv, message };
}

/**
 * Builds the error for a reply that could not be produced (a throwing matcher or reply function).
 *
 * @param runner - Runner name.
 * @param argv - The command.
 * @param message - What failed.
 * @returns A `SpawnFailed` error: the command could not be run.
 */
export function replyFailedError(runner: string, argv: readonly string[], message: string): RunnerError {
  return { kind: 'SpawnFailed', runner, argv, message };
}

// --- Internal helpers ---

function _raceReply(pending: Promise<MockOutput | MockRunnerError>, command: Command, controller: AbortController, name: string): Promise<Result<MockOutput | MockRunnerError, RunnerError>> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (result: Result<MockOutput | MockRunnerError, RunnerError>): void => {
      clearTimeout(timer);
      command.signal?.removeEventListener('abort', onAbort);
      if (result.isErr()) controller.abort();
      resolve(result);
    };
    const onAbort = (): void => settle(err(abortedError(name, command.argv, 'aborted while running')));
    if (command.signal?.aborted) return onAbort();
    const timeoutMs = command.timeoutMs;
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => settle(err({ kind: 'Timeout', runner: name, argv: command.argv, timeoutMs, message: `timed out after ${timeoutMs} ms` })), timeoutMs);
    }
    command.signal?.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => settle(ok(value)),
      (cause: unknown) => settle(err(replyFailedError(name, command.argv, `reply function rejected: ${messageOf(cause)}`))),
    );
  });
}
