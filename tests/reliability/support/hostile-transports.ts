/**
 * The transports of the hostile-input suite: the local runner with the process-level simulator's shims
 * first on PATH, and the SSH runner to a loopback sshd whose sessions have them first on PATH.
 */
import { createLocalRunner } from '../../../src/runners/local/index.js';
import { createSshRunner } from '../../../src/runners/ssh/index.js';
import type { CommandRunner } from '../../../src/runners/types.js';
import { removeSshdDirectory, sshdSupport, startLoopbackSshd } from '../../e2e/ssh/sshd.js';
import type { ProcessSimulator } from './process-sim.js';
import type { Collector } from './report.js';

/** A way to reach the simulated cluster. */
export interface Transport {
  /** `local` or `ssh`. */
  readonly name: string;
  /** The runner the driver gets. */
  readonly runner: CommandRunner;
  /** Releases the runner (and stops sshd). */
  dispose(): Promise<void>;
}

/**
 * The local runner, with the shims first on PATH and as the mm* directory, working in the scratch directory.
 *
 * @param psim - The process-level simulator.
 * @returns The transport.
 */
export async function localTransport(psim: ProcessSimulator): Promise<Transport> {
  const runner = createLocalRunner({ env: { PATH: `${psim.binDirectory}:${process.env['PATH'] ?? ''}` }, mmDirectory: psim.binDirectory, cwd: psim.workDirectory });
  return { name: 'local', runner, dispose: () => runner.dispose() };
}

/**
 * The SSH runner to a fresh loopback sshd; `null` (with a detail, or a violation under
 * GPFS_VOLUMES_REQUIRE_SSHD=1) when sshd is not installed.
 *
 * @param psim - The process-level simulator.
 * @param collector - Where a missing sshd is recorded.
 * @returns The transport, or `null`.
 */
export async function sshTransport(psim: ProcessSimulator, collector: Collector): Promise<Transport | null> {
  const support = sshdSupport();
  if (!support.available) {
    if (support.required) collector.violation('ssh transport', support.reason);
    else collector.detail(`ssh transport skipped: ${support.reason}`);
    return null;
  }
  const sshd = await startLoopbackSshd({ environment: { PATH: `${psim.binDirectory}:/usr/bin:/bin` } });
  const runner = createSshRunner({ hosts: [sshd.host], port: sshd.port, username: sshd.username, privateKey: sshd.clientPrivateKey, hostKeyFingerprints: [sshd.hostKeyFingerprint] });
  return {
    name: 'ssh',
    runner,
    dispose: async () => {
      await runner.dispose();
      await sshd.stop();
      removeSshdDirectory(sshd);
    },
  };
}
