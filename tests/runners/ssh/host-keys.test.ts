import { describe, expect, it } from 'vitest';
import { checkHostKey, fingerprintHostKey, knownHostMatches, parseKnownHosts, type HostKeyTrust } from '../../../src/runners/ssh/host-keys.js';

// Captured with OpenSSH 9.2: ssh-keygen -t ed25519; ssh-keygen -l (-E md5); ssh-keygen -H on a two-line known_hosts
// (gpfs-node1.example.com, then [10.0.0.5]:2222).
const KEY_BASE64 = 'AAAAC3NzaC1lZDI1NTE5AAAAIPCtVCL2q0avCZeXgcf0LevHRIRQGN7jPrhZw6aXuit1';
const KEY = Buffer.from(KEY_BASE64, 'base64');
const SHA256 = 'SHA256:guwoCn73XjheHLEhg1bYSF5gm2jALW3MoEF2LD65sX0';
const MD5 = 'MD5:46:21:f2:0c:da:28:5a:a8:96:f8:6c:c3:5f:d5:57:41';
const HASHED = [
  `|1|vlja+EH9SoKfyifbFvaz1hf5awE=|J9d5oz4k5Sll49HYbYcK1j2FE6w= ssh-ed25519 ${KEY_BASE64}`,
  `|1|+eOzJp6yuqGOwf1acxv/WbzphVw=|IxDIHYVIZyW4duz979KUI/PsKjw= ssh-ed25519 ${KEY_BASE64}`,
].join('\n');
const OTHER_KEY_BASE64 = 'AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake';

const trust = (overrides: Partial<HostKeyTrust>): HostKeyTrust => ({
  host: 'gpfs-node1.example.com',
  port: 22,
  fingerprints: [],
  knownHosts: [],
  knownHostsProblem: undefined,
  strict: true,
  ...overrides,
});

describe('runners: ssh host keys', () => {
  it('computes the fingerprint ssh-keygen -l prints', () => {
    expect(fingerprintHostKey(KEY)).toBe(SHA256);
  });

  it('reads known_hosts lines, markers and line numbers, skipping comments and malformed lines', () => {
    const entries = parseKnownHosts(
      [
        `# comment`,
        '',
        `node1,10.0.0.1 ssh-ed25519 ${KEY_BASE64} root@node1`,
        `@revoked * ssh-ed25519 ${OTHER_KEY_BASE64}`,
        `@cert-authority *.example.com ssh-ed25519 ${KEY_BASE64}`,
        '@unknown x ssh-ed25519 AAAA',
        'only-two fields',
        `bad ssh-ed25519 not*base64`,
      ].join('\n'),
    );
    expect(entries).toEqual([
      { marker: null, hostPatterns: 'node1,10.0.0.1', keyType: 'ssh-ed25519', keyBase64: KEY_BASE64, line: 3 },
      { marker: 'revoked', hostPatterns: '*', keyType: 'ssh-ed25519', keyBase64: OTHER_KEY_BASE64, line: 4 },
      { marker: 'cert-authority', hostPatterns: '*.example.com', keyType: 'ssh-ed25519', keyBase64: KEY_BASE64, line: 5 },
    ]);
  });

  it('matches hashed entries written by ssh-keygen -H, for port 22 and for [host]:port', () => {
    const [plainPort, otherPort] = parseKnownHosts(HASHED);
    expect(knownHostMatches(plainPort!, 'gpfs-node1.example.com', 22)).toBe(true);
    expect(knownHostMatches(plainPort!, 'GPFS-NODE1.example.com', 22)).toBe(true);
    expect(knownHostMatches(plainPort!, 'gpfs-node1.example.com', 2222)).toBe(false);
    expect(knownHostMatches(plainPort!, 'gpfs-node2.example.com', 22)).toBe(false);
    expect(knownHostMatches(otherPort!, '10.0.0.5', 2222)).toBe(true);
    expect(knownHostMatches(otherPort!, '10.0.0.5', 22)).toBe(false);
  });

  it('matches patterns with ports, wildcards and negation like OpenSSH', () => {
    const [entry] = parseKnownHosts(`*.example.com,!bad.example.com,[10.0.0.?]:2222 ssh-ed25519 ${KEY_BASE64}`);
    expect(knownHostMatches(entry!, 'node1.example.com', 22)).toBe(true);
    expect(knownHostMatches(entry!, 'bad.example.com', 22)).toBe(false);
    expect(knownHostMatches(entry!, 'node1.example.org', 22)).toBe(false);
    expect(knownHostMatches(entry!, '10.0.0.7', 2222)).toBe(true);
    expect(knownHostMatches(entry!, '10.0.0.7', 22)).toBe(false);
    expect(knownHostMatches(entry!, '10.0.0.17', 2222)).toBe(false);
  });

  it('accepts a key pinned by SHA256 (with or without padding) or MD5 fingerprint', () => {
    expect(checkHostKey(KEY, trust({ fingerprints: [SHA256] })).accepted).toBe(true);
    expect(checkHostKey(KEY, trust({ fingerprints: [`${SHA256}=`] })).accepted).toBe(true);
    expect(checkHostKey(KEY, trust({ fingerprints: [MD5] })).accepted).toBe(true);
  });

  it('accepts a key listed for the host in known_hosts, including hashed entries', () => {
    expect(checkHostKey(KEY, trust({ knownHosts: parseKnownHosts(HASHED) })).accepted).toBe(true);
    expect(checkHostKey(KEY, trust({ host: '10.0.0.5', port: 2222, knownHosts: parseKnownHosts(HASHED) })).accepted).toBe(true);
  });

  it('refuses a changed key, whatever the strictness', () => {
    const knownHosts = parseKnownHosts(`gpfs-node1.example.com ssh-ed25519 ${OTHER_KEY_BASE64}`);
    for (const strict of [true, false]) {
      const verdict = checkHostKey(KEY, trust({ knownHosts, strict }));
      expect(verdict).toMatchObject({ accepted: false, fingerprint: SHA256 });
      expect(verdict.reason).toContain('does not match');
    }
  });

  it('refuses an unknown key when strict and accepts it otherwise', () => {
    expect(checkHostKey(KEY, trust({})).accepted).toBe(false);
    expect(checkHostKey(KEY, trust({ knownHosts: parseKnownHosts(`other-host ssh-ed25519 ${KEY_BASE64}`) })).accepted).toBe(false);
    expect(checkHostKey(KEY, trust({ strict: false })).accepted).toBe(true);
  });

  it('refuses a revoked key even when it is pinned, and names a known_hosts file it could not read', () => {
    const knownHosts = parseKnownHosts(`@revoked * ssh-ed25519 ${KEY_BASE64}`);
    expect(checkHostKey(KEY, trust({ knownHosts, fingerprints: [SHA256] }))).toMatchObject({ accepted: false });
    expect(checkHostKey(KEY, trust({ knownHostsProblem: 'could not read known_hosts file /x: ENOENT' })).reason).toContain('/x: ENOENT');
  });
});
