/**
 * Loading the optional peer dependency `ssh2` on first use, so that a missing package is a typed
 * error rather than a crash at import time.
 *
 * @module
 */
import type { Client } from 'ssh2';

/** The part of the ssh2 module the runner uses. @internal */
export interface Ssh2Module {
  readonly Client: new () => Client;
}

let loading: Promise<{ ok: true; module: Ssh2Module } | { ok: false; message: string }> | undefined;

/**
 * Imports `ssh2` once (later calls share the first attempt).
 *
 * @returns The module, or a message telling how to install it.
 * @internal
 */
export function loadSsh2(): Promise<{ ok: true; module: Ssh2Module } | { ok: false; message: string }> {
  loading ??= importSsh2();
  return loading;
}

// --- Internal helpers ---

async function importSsh2(): Promise<{ ok: true; module: Ssh2Module } | { ok: false; message: string }> {
  try {
    const imported = (await import('ssh2')) as unknown as { Client?: Ssh2Module['Client']; default?: { Client?: Ssh2Module['Client'] } };
    const ClientClass = imported.Client ?? imported.default?.Client;
    if (typeof ClientClass !== 'function') return { ok: false, message: 'the installed ssh2 package has no Client class; install ssh2 ^1.17.0' };
    return { ok: true, module: { Client: ClientClass } };
  } catch (cause) {
    loading = undefined;
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, message: `the SSH runner needs the optional peer dependency ssh2 (npm install ssh2): ${reason}` };
  }
}
