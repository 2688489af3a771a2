/**
 * Issue 9 part 5: the `--ssh` target. The bundled CLI connects to a real OpenSSH sshd on loopback whose
 * sessions find the gpfs-sim shims first on their PATH, so every command crosses SSH and runs as a real
 * process against the simulated cluster. Trust comes from a pinned fingerprint or a known_hosts file;
 * the password option does not exist (secrets come from the environment only).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/cli/doctor-report.js';
import { describeWithSshd, removeSshdDirectory, startLoopbackSshd, type LoopbackSshd } from '../e2e/ssh/sshd.js';
import { BASE, bundledClis, errorLine, parseJson, runNode } from './support.js';

describeWithSshd('cli: --ssh against a loopback sshd and the gpfs-sim shims', () => {
  let work = '';
  let state = '';
  let sshd: LoopbackSshd | undefined;

  const sshArgs = (): string[] => ['--ssh', `${sshd!.username}@${sshd!.host}:${sshd!.port}`, '--identity', sshd!.clientKeyPath, '--host-key-fingerprint', sshd!.hostKeyFingerprint, '--base', BASE];

  beforeAll(async () => {
    const { gpfsSim } = bundledClis();
    work = mkdtempSync(join(tmpdir(), 'gv-cli-ssh-'));
    state = join(work, 'state');
    const bin = join(work, 'bin');
    expect(runNode(gpfsSim, ['init', '--state', state]).status).toBe(0);
    expect(runNode(gpfsSim, ['exec', '--state', state, '--as-root', '--', 'mkdir', '-p', BASE]).status).toBe(0);
    expect(runNode(gpfsSim, ['shims', '--state', state, '--out', bin, '--as-root']).status).toBe(0);
    sshd = await startLoopbackSshd({ environment: { PATH: `${bin}:/usr/bin:/bin` } });
  });

  afterAll(async () => {
    if (sshd) {
      await sshd.stop();
      removeSshdDirectory(sshd);
    }
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('runs doctor and create over SSH; the volume is in the simulated cluster', { timeout: 120_000 }, () => {
    const { gpfsVolumes, gpfsSim } = bundledClis();
    const doctor = runNode(gpfsVolumes, ['doctor', ...sshArgs(), '--json']);
    expect(doctor.status, doctor.stdout + doctor.stderr).toBe(0);
    const report = parseJson<DoctorReport>(doctor);
    expect(report.target).toBe(`ssh ${sshd!.username}@127.0.0.1:${sshd!.port}`);
    expect(report.checks.every((check) => check.status === 'ok')).toBe(true);

    const created = runNode(gpfsVolumes, ['create', 'volume-1', '--size', '1', '--quiet', ...sshArgs()]);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toBe(`created volume volume-1 (1 GiB) at ${BASE}/volume-1\n`);
    const inspected = runNode(gpfsSim, ['inspect', '--state', state, '--under', `${BASE}/volume-1`]);
    expect(JSON.parse(inspected.stdout)).toEqual([expect.objectContaining({ path: `${BASE}/volume-1`, sizeBytes: 2 ** 30, mode: 0o660 })]);
  });

  it('trusts a known_hosts file, and refuses a host key it does not know', { timeout: 120_000 }, () => {
    const { gpfsVolumes } = bundledClis();
    const knownHosts = join(work, 'known_hosts');
    writeFileSync(knownHosts, `${sshd!.knownHostsLine}\n`);
    const target = ['--ssh', `${sshd!.username}@${sshd!.host}`, '--port', String(sshd!.port), '--identity', sshd!.clientKeyPath, '--base', BASE];
    const trusted = runNode(gpfsVolumes, ['ls', ...target, '--known-hosts', knownHosts, '--json']);
    expect(trusted.status, trusted.stderr).toBe(0);
    expect(parseJson<{ files: { name: string }[] }>(trusted).files.map((file) => file.name)).toEqual(['volume-1']);

    const empty = join(work, 'empty_known_hosts');
    writeFileSync(empty, '');
    const refused = runNode(gpfsVolumes, ['ls', ...target, '--known-hosts', empty]);
    expect(refused.status).toBe(1);
    expect(errorLine(refused)).toMatch(/HostKeyRejected/);
  });

  it('has no password option: the password comes from GPFS_VOLUMES_SSH_PASSWORD only', () => {
    const { gpfsVolumes } = bundledClis();
    const ran = runNode(gpfsVolumes, ['ls', ...sshArgs(), '--password', 'secret']);
    expect(ran.status).toBe(2);
    expect(errorLine(ran)).toBe("error: unknown option '--password'");
  });
});
