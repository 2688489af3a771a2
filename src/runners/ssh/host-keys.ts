/**
 * Host key trust: OpenSSH fingerprints and known_hosts files (plain, `[host]:port`, hashed `|1|`,
 * wildcards, negation, `@revoked`).
 *
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * One usable line of an OpenSSH known_hosts file.
 *
 * @example
 * ```ts
 * const entry: KnownHostEntry = { marker: null, hostPatterns: '[10.0.0.5]:2222', keyType: 'ssh-ed25519', keyBase64: 'AAAAC3Nz...', line: 4 };
 * ```
 */
export interface KnownHostEntry {
  /** `'revoked'` for `@revoked` lines, `'cert-authority'` for `@cert-authority` lines (not used for trust here), else `null`. */
  readonly marker: 'revoked' | 'cert-authority' | null;
  /** The host field as written: comma-separated patterns, or one hashed `|1|salt|hash` name. */
  readonly hostPatterns: string;
  /** Key type, such as `ssh-ed25519`. */
  readonly keyType: string;
  /** The public key blob, base64. */
  readonly keyBase64: string;
  /** 1-based line number in the file. */
  readonly line: number;
}

/**
 * Computes the fingerprint OpenSSH prints for a host key (`ssh-keygen -l`, `SHA256:` + unpadded base64).
 *
 * @param keyBlob - The public key in SSH wire format (what `hostVerifier` receives, or a known_hosts key decoded from base64).
 * @returns For example `SHA256:1QGRXM5UW6R75b49PbE8676eJPMGPGZf5nvrssythzo`.
 * @example
 * ```ts
 * fingerprintHostKey(Buffer.from(knownHostsKeyBase64, 'base64')); // 'SHA256:...'
 * ```
 */
export function fingerprintHostKey(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Reads the text of an OpenSSH known_hosts file. Comments, blank lines and malformed lines are skipped.
 *
 * @param text - File contents.
 * @returns Its entries in file order.
 * @example
 * ```ts
 * parseKnownHosts('[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA...\n'); // [{ hostPatterns: '[127.0.0.1]:2222', ... }]
 * ```
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const fields = rawLine.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0].startsWith('@')) {
      const name = fields.shift();
      if (name === '@revoked') marker = 'revoked';
      else if (name === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hostPatterns, keyType, keyBase64] = fields;
    if (!hostPatterns || !keyType || !keyBase64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64)) return;
    entries.push({ marker, hostPatterns, keyType, keyBase64, line: index + 1 });
  });
  return entries;
}

/**
 * Tells whether a known_hosts entry names a host, the way OpenSSH looks it up: `host` on port 22,
 * `[host]:port` on any other port; hashed names compared by HMAC-SHA1; `*` and `?` wildcards; a
 * matching `!pattern` excludes the host.
 *
 * @param entry - A known_hosts entry.
 * @param host - Host name or address as used to connect.
 * @param port - SSH port.
 * @returns `true` when the entry applies.
 * @example
 * ```ts
 * knownHostMatches(entry, '127.0.0.1', 2222);
 * ```
 */
export function knownHostMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
  if (entry.hostPatterns.startsWith('|1|')) return hashedNameMatches(entry.hostPatterns, name);
  let matched = false;
  for (const pattern of entry.hostPatterns.toLowerCase().split(',')) {
    const negated = pattern.startsWith('!');
    if (!wildcardMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** What {@link checkHostKey} decided. @internal */
export interface HostKeyVerdict {
  readonly accepted: boolean;
  /** Fingerprint of the presented key. */
  readonly fingerprint: string;
  /** Why it was refused (for people), when it was. */
  readonly reason: string;
}

/** Trust material for one connection. @internal */
export interface HostKeyTrust {
  readonly host: string;
  readonly port: number;
  readonly fingerprints: readonly string[];
  readonly knownHosts: readonly KnownHostEntry[];
  /** Why the known_hosts file could not be read, if it could not. */
  readonly knownHostsProblem: string | undefined;
  readonly strict: boolean;
}

/**
 * Decides whether to trust the key a host presented.
 *
 * @param keyBlob - The presented public key, SSH wire format.
 * @param trust - Pinned fingerprints and known_hosts entries.
 * @returns Accepted or not, with the fingerprint and a reason.
 * @internal
 */
export function checkHostKey(keyBlob: Uint8Array, trust: HostKeyTrust): HostKeyVerdict {
  const fingerprint = fingerprintHostKey(keyBlob);
  const keyBase64 = Buffer.from(keyBlob).toString('base64');
  const md5 = createHash('md5')
    .update(keyBlob)
    .digest('hex')
    .replace(/(..)(?=.)/g, '$1:');
  const refuse = (reason: string): HostKeyVerdict => ({ accepted: false, fingerprint, reason });

  if (trust.knownHosts.some((entry) => entry.marker === 'revoked' && sameKey(entry.keyBase64, keyBase64))) {
    return refuse(`host key ${fingerprint} is marked @revoked in the known_hosts file`);
  }
  const pinned = trust.fingerprints.some((wanted) => {
    if (/^md5:/i.test(wanted)) return wanted.slice(4).toLowerCase() === md5;
    return wanted.replace(/=+$/, '') === fingerprint;
  });
  if (pinned) return { accepted: true, fingerprint, reason: '' };
  const forHost = trust.knownHosts.filter((entry) => entry.marker === null && knownHostMatches(entry, trust.host, trust.port));
  if (forHost.some((entry) => sameKey(entry.keyBase64, keyBase64))) return { accepted: true, fingerprint, reason: '' };

  const problem = trust.knownHostsProblem ? ` (${trust.knownHostsProblem})` : '';
  if (forHost.length > 0 || trust.fingerprints.length > 0) {
    return refuse(`host key ${fingerprint} does not match the trusted key(s) for ${trust.host}:${trust.port}; it may have changed, or someone may be intercepting the connection${problem}`);
  }
  if (!trust.strict) return { accepted: true, fingerprint, reason: '' };
  return refuse(`host key ${fingerprint} of ${trust.host}:${trust.port} is unknown: add it to hostKeyFingerprints or the known_hosts file${problem}`);
}

// --- Internal helpers ---

function sameKey(a: string, b: string): boolean {
  return a.replace(/=+$/, '') === b.replace(/=+$/, '');
}

function hashedNameMatches(hashedName: string, name: string): boolean {
  const [, , saltBase64, hashBase64] = hashedName.split('|');
  if (!saltBase64 || !hashBase64) return false;
  const expected = Buffer.from(hashBase64, 'base64');
  const actual = createHmac('sha1', Buffer.from(saltBase64, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function wildcardMatches(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === name;
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`).test(name);
}
