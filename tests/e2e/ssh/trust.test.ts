/**
 * Host key trust, client authentication and secrets over SSH, against a real OpenSSH sshd (issue 6).
 * Upstream trusts on first use for every real command whatever its option says (cinder E.8 #12);
 * here an unknown or changed key refuses the connection and nothing runs.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatError } from '../../../src/errors.js';
import { createSshRunner, fingerprintHostKey, type SshCommandTrace, type SshRunnerOptions } from '../../../src/runners/ssh/index.js';
import { describeWithSshd, removeSshdDirectory, startLoopbackSshd, type LoopbackSshd } from './sshd.js';

describeWithSshd('ssh runner: host keys, authentication and secrets', () => {
  let sshd: LoopbackSshd;
  let otherHostFingerprint: string;
  let otherHostPublicKey: string;

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    const otherKey = join(sshd.directory, 'other_host_ed25519');
    execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    otherHostPublicKey = readFileSync(`${otherKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    otherHostFingerprint = fingerprintHostKey(Buffer.from(otherHostPublicKey.split(' ')[1]!, 'base64'));
  });
  afterAll(async () => {
    await sshd.stop();
    removeSshdDirectory(sshd);
  });

  const base = (): SshRunnerOptions => ({ hosts: [sshd.host], port: sshd.port, username: sshd.username, privateKey: sshd.clientPrivateKey });
  const canaryPath = (name: string): string => join(sshd.directory, `canary-${name}`);

  /** Runs `touch <canary>` through a fresh runner and returns the result; the runner is disposed. */
  const touchCanary = async (options: SshRunnerOptions, name: string) => {
    const runner = createSshRunner(options);
    const result = await runner.run({ argv: ['touch', canaryPath(name)] });
    await runner.dispose();
    return result;
  };

  describe('host keys', () => {
    it('computes the same fingerprint as ssh-keygen -l', () => {
      expect(fingerprintHostKey(Buffer.from(sshd.hostPublicKey.split(' ')[1]!, 'base64'))).toBe(sshd.hostKeyFingerprint);
    });

    it('runs commands on a host whose key matches a pinned fingerprint', async () => {
      const result = await touchCanary({ ...base(), hostKeyFingerprints: [otherHostFingerprint, sshd.hostKeyFingerprint] }, 'pinned');
      expect(result._unsafeUnwrap().exitCode).toBe(0);
      expect(existsSync(canaryPath('pinned'))).toBe(true);
    });

    it('refuses a host whose key differs from the pinned one, and runs nothing', async () => {
      const error = (await touchCanary({ ...base(), hostKeyFingerprints: [otherHostFingerprint] }, 'mismatch'))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'HostKeyRejected', host: '127.0.0.1', fingerprint: sshd.hostKeyFingerprint, argv: ['touch', canaryPath('mismatch')] });
      expect(error.message).toContain('does not match');
      expect(existsSync(canaryPath('mismatch'))).toBe(false);
    });

    it('refuses an unknown host by default when no trust is configured', async () => {
      const error = (await touchCanary(base(), 'unknown'))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'HostKeyRejected', fingerprint: sshd.hostKeyFingerprint });
      expect(error.message).toContain('unknown');
      expect(existsSync(canaryPath('unknown'))).toBe(false);
    });

    it('accepts a new host with strictHostKeyChecking false, but still refuses a changed key', async () => {
      expect((await touchCanary({ ...base(), strictHostKeyChecking: false }, 'accept-new'))._unsafeUnwrap().exitCode).toBe(0);
      const knownHosts = join(sshd.directory, 'known_hosts_changed');
      writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${otherHostPublicKey}\n`);
      const error = (await touchCanary({ ...base(), strictHostKeyChecking: false, knownHostsFile: knownHosts }, 'changed'))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'HostKeyRejected', fingerprint: sshd.hostKeyFingerprint });
      expect(existsSync(canaryPath('changed'))).toBe(false);
    });

    it('trusts a plain [host]:port known_hosts entry and refuses one written for another port', async () => {
      const matching = join(sshd.directory, 'known_hosts_plain');
      writeFileSync(matching, `# comment\n\nother.example.com ${otherHostPublicKey}\n${sshd.knownHostsLine} comment\n`);
      expect((await touchCanary({ ...base(), knownHostsFile: matching }, 'plain'))._unsafeUnwrap().exitCode).toBe(0);
      const otherPort = join(sshd.directory, 'known_hosts_other_port');
      writeFileSync(otherPort, `[127.0.0.1]:${sshd.port + 1} ${sshd.hostPublicKey}\n127.0.0.1 ${sshd.hostPublicKey}\n`);
      expect((await touchCanary({ ...base(), knownHostsFile: otherPort }, 'other-port'))._unsafeUnwrapErr().kind).toBe('HostKeyRejected');
      expect(existsSync(canaryPath('other-port'))).toBe(false);
    });

    it('trusts a hashed known_hosts entry written by ssh-keygen -H', async () => {
      const hashed = join(sshd.directory, 'known_hosts_hashed');
      writeFileSync(hashed, `${sshd.knownHostsLine}\n`);
      execFileSync('/usr/bin/ssh-keygen', ['-H', '-f', hashed], { stdio: 'ignore' });
      expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/);
      expect((await touchCanary({ ...base(), knownHostsFile: hashed }, 'hashed'))._unsafeUnwrap().exitCode).toBe(0);
    });

    it('refuses a key marked @revoked even when it is also listed as trusted', async () => {
      const revoked = join(sshd.directory, 'known_hosts_revoked');
      writeFileSync(revoked, `${sshd.knownHostsLine}\n@revoked * ${sshd.hostPublicKey}\n`);
      const error = (await touchCanary({ ...base(), knownHostsFile: revoked, hostKeyFingerprints: [sshd.hostKeyFingerprint] }, 'revoked'))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'HostKeyRejected' });
      expect(error.message).toContain('@revoked');
    });

    it('refuses the host when the known_hosts file cannot be read, and says why', async () => {
      const error = (await touchCanary({ ...base(), knownHostsFile: join(sshd.directory, 'missing') }, 'missing-file'))._unsafeUnwrapErr();
      expect(error.kind).toBe('HostKeyRejected');
      expect(error.message).toContain('could not read known_hosts file');
    });
  });

  describe('client authentication', () => {
    it('reports a client key the server does not accept as AuthenticationFailed, and runs nothing', async () => {
      const strangerKey = join(sshd.directory, 'stranger_ed25519');
      execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', strangerKey]);
      const options = { ...base(), privateKey: readFileSync(strangerKey, 'utf8'), hostKeyFingerprints: [sshd.hostKeyFingerprint] };
      const error = (await touchCanary(options, 'wrong-key'))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'AuthenticationFailed', host: '127.0.0.1', username: sshd.username });
      expect(existsSync(canaryPath('wrong-key'))).toBe(false);
    });

    it('logs in with a passphrase-protected key', async () => {
      const encryptedKey = join(sshd.directory, 'encrypted_ed25519');
      execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse battery', '-f', encryptedKey]);
      appendFileSync(join(sshd.directory, 'authorized_keys'), readFileSync(`${encryptedKey}.pub`));
      const options = { ...base(), privateKey: readFileSync(encryptedKey, 'utf8'), passphrase: 'correct horse battery', hostKeyFingerprints: [sshd.hostKeyFingerprint] };
      expect((await touchCanary(options, 'passphrase'))._unsafeUnwrap().exitCode).toBe(0);
    });
  });

  describe('secrets', () => {
    const password = 'Pa55-w0rd-that-must-never-leak';
    const passphrase = 'passphrase-that-must-never-leak';

    /** Every place a secret could surface: the error, its rendering and every trace. */
    const leaks = async (options: SshRunnerOptions, secrets: readonly string[]): Promise<{ kind: string; leaked: string[] }> => {
      const traces: SshCommandTrace[] = [];
      const runner = createSshRunner({ ...options, onCommand: (trace) => traces.push(trace) });
      const result = await runner.run({ argv: ['true'] });
      const batch = await runner.runBatch([{ argv: ['true'] }]);
      await runner.dispose();
      const surfaces = [JSON.stringify(result.isErr() ? result.error : result.value), JSON.stringify(batch.isErr() ? batch.error : batch.value), JSON.stringify(traces)];
      if (result.isErr()) surfaces.push(formatError(result.error));
      return { kind: result.isErr() ? result.error.kind : 'ok', leaked: secrets.filter((secret) => surfaces.some((surface) => surface.includes(secret))) };
    };

    it('never shows a refused password', async () => {
      const { privateKey: _unused, ...withoutKey } = base();
      expect(await leaks({ ...withoutKey, password, hostKeyFingerprints: [sshd.hostKeyFingerprint] }, [password])).toEqual({ kind: 'AuthenticationFailed', leaked: [] });
    });

    it('never shows a wrong passphrase or the key it failed to open', async () => {
      const encryptedKey = join(sshd.directory, 'secret_ed25519');
      execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', encryptedKey]);
      const keyText = readFileSync(encryptedKey, 'utf8');
      const keyLines = keyText.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'));
      const result = await leaks({ ...base(), privateKey: keyText, passphrase: 'wrong-passphrase-never-leak', hostKeyFingerprints: [sshd.hostKeyFingerprint] }, [
        'wrong-passphrase-never-leak',
        ...keyLines,
      ]);
      expect(result).toEqual({ kind: 'AuthenticationFailed', leaked: [] });
    });

    it('never shows unusable key material', async () => {
      const garbage = '-----BEGIN OPENSSH PRIVATE KEY-----\nNOT-A-KEY-but-secret-material-1234567890\n-----END OPENSSH PRIVATE KEY-----\n';
      const result = await leaks({ ...base(), privateKey: garbage, hostKeyFingerprints: [sshd.hostKeyFingerprint] }, ['NOT-A-KEY-but-secret-material-1234567890']);
      expect(result).toEqual({ kind: 'AuthenticationFailed', leaked: [] });
    });

    it('keeps the working key and password out of traces and outputs of commands that ran', async () => {
      const keyLines = sshd.clientPrivateKey.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'));
      const result = await leaks({ ...base(), password, passphrase, hostKeyFingerprints: [sshd.hostKeyFingerprint] }, [password, passphrase, ...keyLines]);
      expect(result).toEqual({ kind: 'ok', leaked: [] });
    });
  });

  describe('options', () => {
    it('reports unusable options on the first run, without throwing and without secrets', async () => {
      const runner = createSshRunner({ hosts: [], username: '', password: 'option-secret-never-leak', hostKeyFingerprints: ['MD5-ish'] });
      const error = (await runner.run({ argv: ['true'] }))._unsafeUnwrapErr();
      expect(error.kind).toBe('ConnectionFailed');
      expect(error.message).toContain('hosts must list at least one host');
      expect(error.message).toContain('username is required');
      expect(error.message).toContain('is not an OpenSSH fingerprint');
      expect(JSON.stringify(error)).not.toContain('option-secret-never-leak');
      await runner.dispose();
    });
  });
});
