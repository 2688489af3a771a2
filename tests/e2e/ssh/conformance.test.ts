/**
 * The runner conformance suite, over SSH against a real OpenSSH sshd on loopback (issue 6), in both
 * modes: reused shells (the default) and a session per command (`reuseShells: false`).
 */
import { createSshRunner } from '../../../src/runners/ssh/index.js';
import { describeRunnerConformance } from '../../runners/conformance.js';
import { describeWithSshd, removeSshdDirectory, startLoopbackSshd, type LoopbackSshd } from './sshd.js';

for (const reuseShells of [true, false]) {
  describeWithSshd(`ssh runner against a loopback sshd (reuseShells: ${reuseShells})`, () => {
    let sshd: LoopbackSshd | undefined;
    describeRunnerConformance({
      name: reuseShells ? 'ssh' : 'ssh, a session per command',
      create: async () => {
        sshd = await startLoopbackSshd();
        return createSshRunner({
          hosts: [sshd.host],
          port: sshd.port,
          username: sshd.username,
          privateKey: sshd.clientPrivateKey,
          hostKeyFingerprints: [sshd.hostKeyFingerprint],
          reuseShells,
        });
      },
      dispose: async (runner) => {
        await runner.dispose?.();
        if (sshd) {
          await sshd.stop();
          removeSshdDirectory(sshd);
        }
      },
      capabilities: { realProcesses: true, abortWhileRunning: true, signals: true, largeOutputBytes: 50 * 1024 * 1024 },
    });
  });
}
