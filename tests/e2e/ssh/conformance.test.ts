/**
 * The runner conformance suite, over SSH against a real OpenSSH sshd on loopback (issue 6).
 */
import { createSshRunner } from '../../../src/runners/ssh/index.js';
import { describeRunnerConformance } from '../../runners/conformance.js';
import { describeWithSshd, removeSshdDirectory, startLoopbackSshd, type LoopbackSshd } from './sshd.js';

describeWithSshd('ssh runner against a loopback sshd', () => {
  let sshd: LoopbackSshd | undefined;
  describeRunnerConformance({
    name: 'ssh',
    create: async () => {
      sshd = await startLoopbackSshd();
      return createSshRunner({
        hosts: [sshd.host],
        port: sshd.port,
        username: sshd.username,
        privateKey: sshd.clientPrivateKey,
        hostKeyFingerprints: [sshd.hostKeyFingerprint],
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
