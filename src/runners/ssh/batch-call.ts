/**
 * `runBatch` over SSH: several commands as one remote script on one channel (one round trip),
 * each command's exit status, stdout and stderr told apart by separators carrying a random token.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { RunnerError } from '../../errors.js';
import type { BatchCommand, BatchOptions, BatchOutput, CommandOutput } from '../types.js';
import { createBatchStdoutReader, splitBatchStderr, type BatchEvent } from './batch-frames.js';
import type { Cancellation } from './cancellation.js';
import type { ServingHost } from './host-pool.js';
import type { SshCommandTrace } from './options.js';
import type { ResolvedOptions } from './resolve-options.js';
import { runRemoteCall } from './remote-call.js';
import { BATCH_COMMAND_LINE, batchScript, newToken } from './remote-script.js';
import { cancelledError } from './util.js';

/**
 * Runs a batch on one host.
 *
 * @param host - The serving host.
 * @param commands - The batch (at least one command).
 * @param options - `stopOnFailure`; the signal and overall limit are already in `cancellation`.
 * @param cancellation - The call's cancellation.
 * @param settings - Resolved options.
 * @param purpose - `'batch'` or `'probe'` (for traces).
 * @returns The outputs, an error, or `{ retry }` when the batch never started and the connection is gone.
 * @internal
 */
export async function runBatchOn(
  host: ServingHost,
  commands: readonly BatchCommand[],
  options: Pick<BatchOptions, 'stopOnFailure'>,
  cancellation: Cancellation,
  settings: ResolvedOptions,
  purpose: SshCommandTrace['purpose'],
): Promise<{ retry: string } | { result: Result<BatchOutput, RunnerError> }> {
  const token = newToken();
  const reader = createBatchStdoutReader(token);
  const frames: BatchEvent[] = [];
  const finishedAt: number[] = [];
  const startedAt = performance.now();
  const address = host.slot.address;
  const base = { runner: 'ssh', argv: [...(commands[0]?.argv ?? [])] };
  cancellation.setTimeLimit('command', commands[0]?.timeoutMs, 0);

  const outcome = await runRemoteCall(
    host,
    {
      purpose,
      argvs: commands.map((command) => command.argv),
      commandLine: BATCH_COMMAND_LINE,
      token,
      stdin: batchScript(commands, token, options.stopOnFailure === true, settings),
      onStdout: (chunk) => {
        for (const frame of reader.push(chunk)) {
          frames.push(frame);
          if (frame.type !== 'exit') continue;
          finishedAt[frame.index] = performance.now();
          cancellation.setTimeLimit('command', commands[frame.index + 1]?.timeoutMs, frame.index + 1);
        }
      },
      asRoot: commands.some((command) => command.asRoot === true),
      exitCodes: () => frames.flatMap((frame) => (frame.type === 'exit' ? [frame.signalName ? null : frame.status] : [])),
    },
    cancellation,
    settings,
  );
  cancellation.setTimeLimit('command', undefined);

  switch (outcome.type) {
    case 'cancelled-in-queue':
    case 'cancelled': {
      const reason = cancellation.reason();
      const index = reason?.commandIndex;
      const argv = index !== undefined ? (commands[index]?.argv ?? base.argv) : base.argv;
      const started = outcome.type === 'cancelled' && outcome.started;
      const killed = outcome.type === 'cancelled' && outcome.killConfirmed;
      return { result: err(cancelledError(reason, argv, started, killed) ?? { ...base, kind: 'Aborted', message: 'cancelled' }) };
    }
    case 'lost':
      return { result: err({ ...base, kind: 'ConnectionLost', host: address.host, message: `${outcome.message} (${frames.length} of ${commands.length} command(s) reported)` }) };
    case 'not-started':
      if (host.connection.isAlive()) return { result: err({ ...base, kind: 'ConnectionFailed', host: address.host, message: `${address.label} refused to start the batch: ${outcome.message}` }) };
      return { retry: `${address.label}: ${outcome.message}` };
    case 'exited':
      break;
  }

  const spawn = frames.find((frame) => frame.type === 'spawn');
  if (spawn) {
    const argv = [...(commands[spawn.index]?.argv ?? [])];
    return { result: err({ runner: 'ssh', argv, kind: 'SpawnFailed', code: spawn.code, message: `${argv[0] ?? ''}: ${spawn.code === 'ENOENT' ? 'no such program' : 'not an executable file'} on ${address.label}` }) };
  }
  if (!frames.some((frame) => frame.type === 'end')) {
    const stderr = outcome.stderr.toString('utf8').trim().slice(0, 500);
    return {
      result: err({ ...base, kind: 'ConnectionLost', host: address.host, message: `the batch script on ${address.label} ended (exit ${outcome.exitCode ?? outcome.signal}) after reporting ${frames.length} of ${commands.length} command(s); the outcome of the rest is unknown${stderr ? `: ${stderr}` : ''}` }),
    };
  }
  const stderrByIndex = splitBatchStderr(outcome.stderr, token);
  const outputs: CommandOutput[] = [];
  for (const frame of frames) {
    if (frame.type !== 'exit') continue;
    const previous = frame.index === 0 ? startedAt : (finishedAt[frame.index - 1] ?? startedAt);
    outputs.push({
      argv: [...(commands[frame.index]?.argv ?? [])],
      exitCode: frame.signalName ? null : frame.status,
      signal: frame.signalName,
      stdout: frame.stdout.toString('utf8'),
      stderr: (stderrByIndex.get(frame.index) ?? Buffer.alloc(0)).toString('utf8'),
      durationMs: (finishedAt[frame.index] ?? performance.now()) - previous,
    });
  }
  return { result: ok({ outputs, stoppedEarly: outputs.length < commands.length }) };
}
