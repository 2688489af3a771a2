/**
 * The SSH runner, subpath `gpfs-volumes/ssh`: runs commands on IBM Storage Scale nodes over SSH.
 *
 * Only this entry loads `ssh2` (an optional peer dependency, imported on first use). Install it next
 * to this package: `npm install ssh2`.
 *
 * @example
 * ```ts
 * import { createSshRunner } from 'gpfs-volumes/ssh';
 * const runner = createSshRunner({ hosts: ['gpfs-node1'], username: 'root', privateKey, hostKeyFingerprints: ['SHA256:...'] });
 * ```
 *
 * @module
 */
export { createSshRunner } from './runner.js';
export type { SshHost, SshHealthProbe, SshCommandTrace, SshRunnerOptions, SshRunner } from './options.js';
export { fingerprintHostKey, parseKnownHosts, knownHostMatches, type KnownHostEntry } from './host-keys.js';
