/**
 * The hosts of a runner: one lazily opened, shared connection per host, a per-host concurrency
 * limit, and failover. The serving host is the first (in the given order, starting after the one
 * that failed) that accepts a connection and passes the health probe; it keeps serving until it
 * stops answering.
 *
 * @module
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { RunnerError } from '../../errors.js';
import { connectHost, type SshConnection } from './connection.js';
import type { Ssh2Module } from './load-ssh2.js';
import type { HostAddress, ResolvedOptions } from './resolve-options.js';
import { createShellPool, type ShellPool } from './shell-pool.js';

/** One host with its connection and queue. @internal */
export interface HostSlot {
  readonly address: HostAddress;
  /** Queue of commands on this host (at most `maxConcurrentCommands` at once). */
  readonly limit: LimitFunction;
}

/** A host ready to serve, with its live connection and that connection's reused shells. @internal */
export interface ServingHost {
  readonly slot: HostSlot;
  readonly connection: SshConnection;
  readonly shells: ShellPool;
}

/** Decides whether a freshly connected host may serve: `undefined` when healthy, else why not. @internal */
export type HealthCheck = (host: ServingHost) => Promise<string | undefined>;

/** The pool. @internal */
export interface HostPool {
  /** The serving host, connecting, probing and failing over as needed. */
  acquire(): Promise<{ ok: true; host: ServingHost } | { ok: false; error: RunnerError }>;
  /** Closes every connection; later acquisitions fail. */
  close(): Promise<void>;
}

/**
 * Creates the pool.
 *
 * @param ssh2 - The loaded ssh2 module.
 * @param options - Resolved options.
 * @param healthCheck - Probe run on each new connection before it serves.
 * @returns The pool.
 * @internal
 */
export function createHostPool(ssh2: Ssh2Module, options: ResolvedOptions, healthCheck: HealthCheck): HostPool {
  const slots = options.hosts.map((address) => ({ address, limit: pLimit(options.maxConcurrentCommands) }));
  const connections = new Map<HostSlot, { connection: SshConnection; shells: ShellPool }>();
  let serving: ServingHost | undefined;
  let selecting: Promise<{ ok: true; host: ServingHost } | { ok: false; error: RunnerError }> | undefined;
  let closed = false;

  const closedError = (): RunnerError => ({ kind: 'Aborted', runner: 'ssh', argv: [], message: 'the runner was disposed' });

  /** Connects one host and runs the probe; the connection is kept only when the host passes. */
  const tryHost = async (slot: HostSlot): Promise<{ ok: true; host: ServingHost } | { ok: false; error: RunnerError }> => {
    const connected = await connectHost(ssh2, slot.address, options);
    if (!connected.ok) return connected;
    if (closed) {
      await connected.connection.close();
      return { ok: false, error: closedError() };
    }
    const host = { slot, connection: connected.connection, shells: createShellPool(connected.connection, options) };
    connections.set(slot, host);
    const problem = await healthCheck(host);
    if (problem === undefined) return { ok: true, host };
    connections.delete(slot);
    host.shells.close();
    await connected.connection.close();
    return { ok: false, error: { kind: 'ConnectionFailed', runner: 'ssh', argv: [], host: slot.address.host, message: `${slot.address.label} failed the health probe: ${problem}` } };
  };

  const select = async (): Promise<{ ok: true; host: ServingHost } | { ok: false; error: RunnerError }> => {
    const failedIndex = serving ? slots.indexOf(serving.slot) : -1;
    // Reconnect to the serving host first; on failure continue with the hosts after it.
    const order = slots.map((_, offset) => slots[(Math.max(failedIndex, 0) + offset) % slots.length] as HostSlot);
    serving = undefined;
    const errors: RunnerError[] = [];
    for (const slot of order) {
      if (closed) return { ok: false, error: closedError() };
      const attempt = await tryHost(slot);
      if (attempt.ok) {
        serving = attempt.host;
        return attempt;
      }
      errors.push(attempt.error);
    }
    return { ok: false, error: combineErrors(errors, options) };
  };

  return {
    acquire() {
      if (closed) return Promise.resolve({ ok: false, error: closedError() });
      if (serving?.connection.isAlive()) return Promise.resolve({ ok: true, host: serving });
      selecting ??= select().finally(() => (selecting = undefined));
      return selecting;
    },
    async close() {
      closed = true;
      await selecting?.catch(() => undefined);
      const open = [...connections.values()];
      connections.clear();
      serving = undefined;
      for (const host of open) host.shells.close();
      await Promise.all(open.map((host) => host.connection.close()));
    },
  };
}

// --- Internal helpers ---

/** With one host, its error; with several, a trust problem first (it needs a person), else one ConnectionFailed naming every host. */
function combineErrors(errors: readonly RunnerError[], options: ResolvedOptions): RunnerError {
  if (errors.length === 1 && errors[0]) return errors[0];
  const trust = errors.find((error) => error.kind === 'HostKeyRejected') ?? errors.find((error) => error.kind === 'AuthenticationFailed');
  const summary = errors.map((error) => error.message).join('; ');
  if (trust) return { ...trust, message: `no host can serve: ${summary}` };
  return { kind: 'ConnectionFailed', runner: 'ssh', argv: [], host: options.hosts.map((address) => address.label).join(','), message: `no host can serve: ${summary}` };
}
