/**
 * PLACEHOLDER for issue 6's "driver's whole lifecycle over SSH against the process-level simulator
 * (its shims first on the remote PATH)". The driver (src/driver/) is still being written; whoever
 * finishes it adds the lifecycle here, reusing the harness:
 *
 *   const sshd = await startLoopbackSshd({ environment: { PATH: `${simulatorShims}:/usr/bin:/bin` } });
 *   const runner = createSshRunner({ hosts: [sshd.host], port: sshd.port, username: sshd.username,
 *     privateKey: sshd.clientPrivateKey, hostKeyFingerprints: [sshd.hostKeyFingerprint] });
 *
 * mm* commands found on the remote PATH win over the runner's mmDirectory (appended last), so
 * simulator shims placed first on PATH serve every mm* command.
 */
import { expect, it } from 'vitest';
import { createSshRunner } from '../../../src/runners/ssh/index.js';
import { describeWithSshd, removeSshdDirectory, startLoopbackSshd } from './sshd.js';

describeWithSshd('ssh runner: driver lifecycle (waiting for the driver, issue 5)', () => {
  it('has a harness whose sessions see the PATH it is given (what the lifecycle test will rely on)', async () => {
    const sshd = await startLoopbackSshd({ environment: { PATH: '/opt/simulator-shims:/usr/bin:/bin' } });
    const runner = createSshRunner({ hosts: [sshd.host], port: sshd.port, username: sshd.username, privateKey: sshd.clientPrivateKey, hostKeyFingerprints: [sshd.hostKeyFingerprint] });
    const output = (await runner.run({ argv: ['sh', '-c', 'printf %s "$PATH"'] }))._unsafeUnwrap();
    expect(output.stdout).toBe('/opt/simulator-shims:/usr/bin:/bin:/usr/lpp/mmfs/bin');
    await runner.dispose();
    await sshd.stop();
    removeSshdDirectory(sshd);
  });
});
