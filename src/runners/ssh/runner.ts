/**
 * `createSshRunner`: the SSH {@link CommandRunner}.
 *
 * @module
 */
import { setMaxListeners } from 'node:events';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { RunnerError } from '../../errors.js';
import type { BatchCommand, BatchOptions, BatchOutput, Command, CommandOutput } from '../types.js';
import { runBatchOn } from './batch-call.js';
import { createCancellation, type Cancellation } from './cancellation.js';
import { createHostPool, type HostPool, type ServingHost } from './host-pool.js';
import { loadSsh2 } from './load-ssh2.js';
import type { SshRunner, SshRunnerOptions } from './options.js';
import { resolveOptions, type ResolvedOptions } from './resolve-options.js';
import { runSingleOn } from './single-call.js';
import { cancelledError, invalidArgv, messageOf } from './util.js';

const RUNNER_NAME = 'ssh';

/**
 * Creates a runner that runs commands on GPFS nodes over SSH (ssh2, loaded on first use).
 *
 * One connection per host is opened on first use and shared by concurrent commands (at most
 * `maxConcurrentCommands` at once, the rest queued). Host keys are checked strictly. The first host
 * that connects and passes the health probe serves; when it stops answering, the next one does.
 * A command whose connection drops while it runs fails with `'ConnectionLost'` and is not retried;
 * a command that never started is retried on a new connection or the next host. Timeouts and aborts
 * kill the remote process group (over a second channel, through the root helper when needed);
 * `timeoutMs` counts from the call, queueing and connecting included. Nothing throws: problems with
 * the options, a missing ssh2 package or an unreachable host come back as `Err` from `run`.
 *
 * By default (`reuseShells`) commands do not pay for a new SSH session each: a few long-lived remote
 * command shells per connection take `run` and `runBatch` calls one at a time, each command in a fresh
 * process with exact exit codes and signals; a shell that timed out or was aborted is killed and
 * replaced. Streamed stdin and stdout sinks, and remotes without `perl`, use an SSH
 * session per command. `runBatch` always costs one round trip. Without reused shells it is one
 * script on one channel, where a POSIX shell reports a command killed by signal N as status 128+N;
 * the batch then reports such a status as that signal (`exitCode: null`), so a program that itself
 * exits with 129 to 192 shows as killed there (`run` reports exactly what sshd says).
 *
 * @param options - Hosts, credentials, host key trust and limits.
 * @returns The runner; call `dispose()` when done.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { createSshRunner } from 'gpfs-volumes/ssh';
 *
 * const runner = createSshRunner({
 *   hosts: ['gpfs-node1', 'gpfs-node2'],
 *   username: 'cinder',
 *   privateKey: readFileSync('/etc/cinder/ssh/id_ed25519', 'utf8'),
 *   hostKeyFingerprints: ['SHA256:1QGRXM5UW6R75b49PbE8676eJPMGPGZf5nvrssythzo'],
 *   mountPoint: '/gpfs0',
 * });
 * const state = await runner.run({ argv: ['mmgetstate', '-Y'], asRoot: true, timeoutMs: 30_000 });
 * state.match((output) => console.log(output.exitCode, output.stdout), (error) => console.error(error.kind, error.message));
 * await runner.dispose();
 * ```
 */
export function createSshRunner(options: SshRunnerOptions): SshRunner {
  const resolved = resolveOptions(options);
  const disposeController = new AbortController();
  // Every call in flight listens to it; there may be many.
  setMaxListeners(0, disposeController.signal);
  const inFlight = new Set<Promise<unknown>>();
  let pool: Promise<{ ok: true; pool: HostPool } | { ok: false; message: string }> | undefined;

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  };

  const getPool = (settings: ResolvedOptions): NonNullable<typeof pool> => {
    pool ??= loadSsh2().then((loaded) => {
      if (!loaded.ok) {
        pool = undefined;
        return loaded;
      }
      return { ok: true as const, pool: createHostPool(loaded.module, settings, (host) => probeHost(host, settings)) };
    });
    return pool;
  };

  const probeHost = async (host: ServingHost, settings: ResolvedOptions): Promise<string | undefined> => {
    if (settings.probe === false) return undefined;
    const cancellation = createCancellation(undefined, disposeController.signal);
    cancellation.setTimeLimit('call', 120_000);
    try {
      const result = await runBatchOn(host, settings.probe.commands, { stopOnFailure: false }, cancellation, settings, 'probe');
      if ('retry' in result) return 'the connection dropped during the probe';
      if (result.result.isErr()) return `${result.result.error.kind}: ${result.result.error.message}`;
      const outputs = result.result.value.outputs;
      const healthy = settings.probe.isHealthy ? settings.probe.isHealthy(outputs) : outputs.every((output) => output.exitCode === 0);
      return healthy ? undefined : `probe commands did not pass (${outputs.map((output) => `${output.argv.join(' ')}: exit ${output.exitCode ?? output.signal}`).join(', ')})`;
    } catch (cause) {
      return `the probe failed: ${messageOf(cause)}`;
    } finally {
      cancellation.release();
    }
  };

  /** Runs `attempt` on the serving host; retries on another connection or host while nothing has started. */
  const onServingHost = async <T>(
    argv: readonly string[],
    cancellation: Cancellation,
    attempt: (host: ServingHost, settings: ResolvedOptions) => Promise<{ retry: string } | { result: Result<T, RunnerError> }>,
  ): Promise<Result<T, RunnerError>> => {
    if (!resolved.ok) return err({ kind: 'ConnectionFailed', runner: RUNNER_NAME, argv, host: '', message: resolved.message });
    const settings = resolved.value;
    let lastProblem = '';
    for (let round = 0; round <= settings.hosts.length; round += 1) {
      const cancelled = cancelledError(cancellation.reason(), argv, false);
      if (cancelled) return err(cancelled);
      const loaded = await getPool(settings);
      if (!loaded.ok) return err({ kind: 'ConnectionFailed', runner: RUNNER_NAME, argv, host: settings.hosts[0]?.host ?? '', message: loaded.message });
      const acquired = await raceCancellation(loaded.pool.acquire(), cancellation);
      if (acquired === 'cancelled') return err(cancelledError(cancellation.reason(), argv, false) ?? { kind: 'Aborted', runner: RUNNER_NAME, argv, message: 'cancelled' });
      if (!acquired.ok) return err({ ...acquired.error, argv });
      const outcome = await attempt(acquired.host, settings);
      if ('result' in outcome) return outcome.result;
      lastProblem = outcome.retry;
    }
    return err({ kind: 'ConnectionFailed', runner: RUNNER_NAME, argv, host: settings.hosts.map((address) => address.label).join(','), message: `the command could not be started: ${lastProblem}` });
  };

  const runOne = async (command: Command): Promise<Result<CommandOutput, RunnerError>> => {
    const argv = [...command.argv];
    const problem = invalidArgv(argv);
    if (problem) return err({ kind: 'SpawnFailed', runner: RUNNER_NAME, argv, message: problem });
    const cancellation = createCancellation(command.signal, disposeController.signal);
    cancellation.setTimeLimit('call', command.timeoutMs);
    try {
      return await onServingHost(argv, cancellation, (host, settings) => runSingleOn(host, command, cancellation, settings));
    } finally {
      cancellation.release();
    }
  };

  const runMany = async (commands: readonly BatchCommand[], batchOptions: BatchOptions): Promise<Result<BatchOutput, RunnerError>> => {
    for (const command of commands) {
      const problem = invalidArgv(command.argv);
      if (problem) return err({ kind: 'SpawnFailed', runner: RUNNER_NAME, argv: [...command.argv], message: problem });
    }
    if (commands.length === 0) return ok({ outputs: [], stoppedEarly: false });
    const cancellation = createCancellation(batchOptions.signal, disposeController.signal);
    cancellation.setTimeLimit('call', batchOptions.timeoutMs);
    try {
      return await onServingHost([...(commands[0]?.argv ?? [])], cancellation, (host, settings) => runBatchOn(host, commands, batchOptions, cancellation, settings, 'batch'));
    } finally {
      cancellation.release();
    }
  };

  const guarded = <T>(argv: readonly string[], work: () => Promise<Result<T, RunnerError>>): ResultAsync<T, RunnerError> => {
    if (disposeController.signal.aborted) return new ResultAsync(Promise.resolve(err({ kind: 'Aborted', runner: RUNNER_NAME, argv: [...argv], message: 'the runner was disposed' })));
    const safe = work().catch((cause: unknown) =>
      err<T, RunnerError>({ kind: 'ConnectionLost', runner: RUNNER_NAME, argv: [...argv], host: '', message: `internal error; the outcome is unknown: ${messageOf(cause)}` }),
    );
    return new ResultAsync(track(safe));
  };

  let disposing: Promise<void> | undefined;
  return {
    name: RUNNER_NAME,
    run: (command) => guarded(command.argv, () => runOne(command)),
    runBatch: (commands, batchOptions = {}) => guarded(commands[0]?.argv ?? [], () => runMany(commands, batchOptions)),
    dispose() {
      disposing ??= (async () => {
        disposeController.abort();
        await Promise.allSettled([...inFlight]);
        const loaded = await pool;
        if (loaded?.ok) await loaded.pool.close();
      })();
      return disposing;
    },
  };
}

// --- Internal helpers ---

function raceCancellation<T>(work: Promise<T>, cancellation: Cancellation): Promise<T | 'cancelled'> {
  return new Promise((resolve) => {
    const stop = cancellation.onCancel(() => resolve('cancelled'));
    void work.then((value) => {
      stop();
      resolve(value);
    });
  });
}
