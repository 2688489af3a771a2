/**
 * Failover between two real sshd instances (issue 6). Upstream picks a node once at start-up
 * (cinder E.7); here the first host where GPFS is active serves, and the next one takes over when it
 * stops answering. A fake `mmgetstate` in the mm* directory reports the state written for the port
 * the session came in on.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSshRunner, type SshRunner, type SshRunnerOptions } from '../../../src/runners/ssh/index.js';
import { describeWithSshd, removeSshdDirectory, startLoopbackSshd, type LoopbackSshd } from './sshd.js';

describeWithSshd('ssh runner: failover between two sshd instances', () => {
  let first: LoopbackSshd;
  let second: LoopbackSshd;
  let root: string;
  let mmDirectory: string;

  beforeAll(async () => {
    first = await startLoopbackSshd();
    second = await startLoopbackSshd({ clientKeyFrom: first });
    root = join(first.directory, 'gpfs');
    mmDirectory = join(root, 'bin');
    mkdirSync(mmDirectory, { recursive: true });
    const fake = join(mmDirectory, 'mmgetstate');
    writeFileSync(
      fake,
      [
        '#!/bin/sh',
        'port=${SSH_CONNECTION##* }',
        `state=$(cat '${root}/state-'"$port" 2>/dev/null || echo active)`,
        'echo "mmgetstate::HEADER:version:reserved:reserved:nodeName:nodeNumber:state:quorum:nodesUp:totalNodes:remarks:cnfsState:"',
        'echo "mmgetstate::0:1:::node-$port:1:$state:1:2:2::(undefined):"',
        '',
      ].join('\n'),
    );
    chmodSync(fake, 0o755);
  });
  afterAll(async () => {
    for (const sshd of [first, second]) {
      await sshd.stop();
      removeSshdDirectory(sshd);
    }
  });

  const options = (extra: Partial<SshRunnerOptions> = {}): SshRunnerOptions => ({
    hosts: [
      { host: first.host, port: first.port },
      { host: second.host, port: second.port },
    ],
    username: first.username,
    privateKey: first.clientPrivateKey,
    hostKeyFingerprints: [first.hostKeyFingerprint, second.hostKeyFingerprint],
    mmDirectory,
    mountPoint: root,
    ...extra,
  });
  const setState = (sshd: LoopbackSshd, state: string): void => writeFileSync(join(root, `state-${sshd.port}`), state);
  const servingPort = async (runner: SshRunner): Promise<number> => Number((await runner.run({ argv: ['sh', '-c', 'printf %s "${SSH_CONNECTION##* }"'] }))._unsafeUnwrap().stdout);

  it('skips a host where GPFS is not active', async () => {
    setState(first, 'down');
    const runner = createSshRunner(options());
    expect(await servingPort(runner)).toBe(second.port);
    await runner.dispose();
    rmSync(join(root, `state-${first.port}`));
  });

  it('refuses to serve when no host passes the probe, naming every host', async () => {
    const runner = createSshRunner(options({ mountPoint: join(root, 'not-mounted') }));
    const error = (await runner.run({ argv: ['true'] }))._unsafeUnwrapErr();
    expect(error.kind).toBe('ConnectionFailed');
    expect(error.message).toContain(`127.0.0.1:${first.port}`);
    expect(error.message).toContain(`127.0.0.1:${second.port}`);
    await runner.dispose();
  });

  it('fails over to the next host when the serving one stops, and back when that one stops', async () => {
    const runner = createSshRunner(options());
    expect(await servingPort(runner)).toBe(first.port);
    await first.stop();
    expect(await servingPort(runner)).toBe(second.port);
    await first.start();
    expect(await servingPort(runner)).toBe(second.port);
    await second.stop();
    expect(await servingPort(runner)).toBe(first.port);
    await second.start();
    await runner.dispose();
  });

  it('does not retry a command whose host died while it ran; the next command goes to the other host', async () => {
    const runner = createSshRunner(options());
    const counter = join(root, 'started-count');
    const marker = join(root, 'in-flight');
    const argv = ['sh', '-c', `echo started >> '${counter}'; touch '${marker}'; sleep 30`];
    expect(await servingPort(runner)).toBe(first.port);
    const pending = runner.run({ argv });
    for (let attempt = 0; attempt < 500; attempt += 1) {
      try {
        readFileSync(marker);
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    await first.stop();
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ kind: 'ConnectionLost', argv });
    expect(readFileSync(counter, 'utf8')).toBe('started\n');
    expect(await servingPort(runner)).toBe(second.port);
    await first.start();
    await runner.dispose();
  });

  it('fails over past a host whose key is not trusted', async () => {
    const runner = createSshRunner(options({ hostKeyFingerprints: [second.hostKeyFingerprint] }));
    expect(await servingPort(runner)).toBe(second.port);
    await runner.dispose();
  });
});
