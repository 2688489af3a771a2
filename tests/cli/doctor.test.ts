/**
 * Issue 9 part 5: `gpfs-volumes doctor` reports the setup checks one by one and exits non-zero on a
 * problem; the problems are made with `gpfs-sim control` (unmount, node state).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/cli/doctor-report.js';
import { BASE, createSimState, parseJson, type SimState } from './support.js';

describe('cli: doctor', () => {
  let sim: SimState;

  beforeEach(() => {
    sim = createSimState('gv-cli-doctor-');
  });

  afterEach(() => sim?.remove());

  it('passes every check on a healthy cluster, with what it found', () => {
    const ran = sim.cli('doctor');
    expect(ran.status, ran.stderr).toBe(0);
    const lines = ran.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`target: gpfs-sim state ${sim.state}`);
    expect(lines.slice(1, -1).every((line) => line.startsWith('  [ok]'))).toBe(true);
    expect(ran.stdout).toMatch(/GPFS daemon active\s+node1 is active/);
    expect(ran.stdout).toMatch(new RegExp(`volumes directory on a mounted GPFS\\s+${BASE}: gpfs0 mounted at /gpfs0, fileset root`));
    expect(ran.stdout).toMatch(/file system format level \(>= 1200\)\s+gpfs0 at 22\.00 \(5\.0\.4\.0\) \(level 2200\)/);
    expect(lines.at(-1)).toBe('all checks passed');

    const report = parseJson<DoctorReport>(sim.cli('doctor', '--json'));
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => [check.id, check.status])).toEqual([
      ['configuration', 'ok'],
      ['target', 'ok'],
      ['gpfs-state', 'ok'],
      ['cluster', 'ok'],
      ['base-directory', 'ok'],
      ['format-level', 'ok'],
      ['storage-pool', 'ok'],
      ['encryption', 'ok'],
    ]);
    expect(report.facts).toMatchObject({ clusterId: '13882361916354541312', base: { path: BASE, device: 'gpfs0' } });
  });

  it('reports an unmounted file system as a problem of the volumes directory and exits 1', () => {
    expect(sim.sim('control', '--state', sim.state, 'unmount', 'gpfs0').status).toBe(0);
    const ran = sim.cli('doctor');
    expect(ran.status).toBe(1);
    expect(ran.stdout).toMatch(/\[PROBLEM\] volumes directory on a mounted GPFS\s+\[gpfs\] .*NotMounted: \/gpfs0\/volumes is not on a mounted GPFS file system/);
    expect(ran.stdout).toMatch(/\[ok\]\s+GPFS daemon active/);
    expect(ran.stdout).toMatch(/\[skipped\] storage pool exists\s+not checked \(an earlier check failed\)/);
    expect(ran.stdout.trimEnd().split('\n').at(-1)).toBe('1 problem found');

    const json = sim.cli('doctor', '--json');
    expect(json.status).toBe(1);
    const report = parseJson<DoctorReport>(json);
    expect(report.ok).toBe(false);
    expect(report.error).toMatchObject({ kind: 'NotMounted', path: BASE });
    expect(report.checks.find((check) => check.id === 'base-directory')?.status).toBe('problem');
  });

  it('reports a stopped GPFS daemon as the first problem', () => {
    expect(sim.sim('control', '--state', sim.state, 'node-state', 'node1', 'down').status).toBe(0);
    const report = parseJson<DoctorReport>(sim.cli('doctor', '--json'));
    expect(report.checks.filter((check) => check.status === 'problem').map((check) => check.id)).toEqual(['gpfs-state']);
    expect(report.error).toMatchObject({ kind: 'GpfsNotActive', state: 'down' });
  });

  it('reports a storage pool that does not exist, and invalid options without running anything', () => {
    const pool = sim.cli('doctor', '--storage-pool', 'fast');
    expect(pool.status).toBe(1);
    expect(pool.stdout).toMatch(/\[PROBLEM\] storage pool exists\s+.*InvalidStoragePool: storage pool 'fast' does not exist/);

    const before = sim.sim('log', '--state', sim.state).stdout;
    const relative = parseJson<DoctorReport>(sim.cliWithout({}, 'doctor', '--max-clone-depth', '2', '--json', '--base', 'relative/dir'));
    expect(relative.checks[0]).toMatchObject({ id: 'configuration', status: 'problem', detail: 'mountPointBase: must be an absolute path' });
    expect(relative.checks.slice(1).every((check) => check.status === 'not-checked')).toBe(true);
    expect(sim.sim('log', '--state', sim.state).stdout).toBe(before);
  });
});
