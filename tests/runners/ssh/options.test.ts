import { describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../../src/runners/types.js';
import type { SshRunnerOptions } from '../../../src/runners/ssh/options.js';
import { resolveOptions } from '../../../src/runners/ssh/resolve-options.js';
import { redact } from '../../../src/runners/ssh/util.js';

const base: SshRunnerOptions = { hosts: ['node1'], username: 'cinder', password: 'secret-password' };
const resolved = (options: Partial<SshRunnerOptions>) => {
  const result = resolveOptions({ ...base, ...options });
  if (!result.ok) throw new Error(result.message);
  return result.value;
};
const output = (argv: string[], exitCode: number, stdout = ''): CommandOutput => ({ argv, exitCode, signal: null, stdout, stderr: '', durationMs: 1 });
const ACTIVE = 'mmgetstate::HEADER:version:reserved:reserved:nodeName:nodeNumber:state:quorum:nodesUp:totalNodes:remarks:cnfsState:\nmmgetstate::0:1:::node1:1:active:1:1:1::(undefined):\n';

describe('runners: ssh options', () => {
  it('applies the documented defaults', () => {
    const options = resolved({ hosts: ['node1', { host: 'node2', port: 2222 }] });
    expect(options.hosts.map((host) => host.label)).toEqual(['node1:22', 'node2:2222']);
    expect(options).toMatchObject({ strictHostKeyChecking: true, keepaliveIntervalMs: 15_000, maxConcurrentCommands: 8, rootHelper: ['sudo', '-n', '--'], mmDirectory: '/usr/lpp/mmfs/bin' });
    expect(resolved({ username: 'root' }).rootHelper).toBeNull();
    expect(resolved({ port: 2200 }).hosts[0]?.port).toBe(2200);
  });

  it('probes GPFS only when there is a host to fail over to', () => {
    expect(resolved({}).probe).toBe(false);
    const probe = resolved({ hosts: ['a', 'b'], mountPoint: '/gpfs0' }).probe;
    if (probe === false) throw new Error('expected a probe');
    expect(probe.commands.map((command) => command.argv)).toEqual([
      ['mmgetstate', '-Y'],
      ['test', '-d', '/gpfs0'],
    ]);
    const healthy = probe.isHealthy!;
    expect(healthy([output(['mmgetstate', '-Y'], 0, ACTIVE), output(['test'], 0)])).toBe(true);
    expect(healthy([output(['mmgetstate', '-Y'], 0, ACTIVE.replace('active', 'arbitrating')), output(['test'], 0)])).toBe(false);
    expect(healthy([output(['mmgetstate', '-Y'], 0, ACTIVE), output(['test'], 1)])).toBe(false);
    expect(healthy([output(['mmgetstate', '-Y'], 1, ACTIVE), output(['test'], 0)])).toBe(false);
    expect(healthy([output(['mmgetstate', '-Y'], 0, 'mmgetstate::0:1:::node1:1:active:\n'), output(['test'], 0)])).toBe(false);
    expect(resolved({ hosts: ['a', 'b'], probe: false }).probe).toBe(false);
  });

  it('lists every problem, without quoting secrets', () => {
    const result = resolveOptions({ hosts: [{ host: '', port: 0 }], username: '', hostKeyFingerprints: ['abc'], maxConcurrentCommands: 0, password: 'secret-password' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const part of ['every host needs a non-empty name', 'port of', 'username is required', 'not an OpenSSH fingerprint', 'maxConcurrentCommands']) expect(result.message).toContain(part);
    expect(result.message).not.toContain('secret-password');
    expect(resolveOptions({ hosts: ['a'], username: 'u' })).toMatchObject({ ok: false, message: expect.stringContaining('give privateKey, agent or password') });
  });

  it('redacts the password, the passphrase and every line of the key from messages', () => {
    const privateKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACDwrVQi9qtGrwmXl4\n-----END OPENSSH PRIVATE KEY-----\n';
    const { secrets } = resolved({ privateKey, passphrase: 'pass phrase' });
    const message = redact(`bad key b3BlbnNzaC1rZXktdjEAAAAA near QyNTUxOQAAACDwrVQi9qtGrwmXl4, passphrase "pass phrase", password secret-password`, secrets);
    expect(message).toBe('bad key [redacted] near [redacted], passphrase "[redacted]", password [redacted]');
  });
});
