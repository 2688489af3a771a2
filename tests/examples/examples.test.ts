/**
 * Issue 9: every example in examples/ runs in CI, each as a process of its own (`node --import tsx`,
 * as a user would run it), and must exit 0 and print what it is about. examples/testing.test.ts is a
 * vitest file and runs with the suite itself (vitest.config.ts includes examples/**\/*.test.ts).
 * examples/ssh.ts runs against a real OpenSSH sshd on loopback whose sessions find the process-level
 * simulator's shims first on their PATH (as tests/e2e/ssh does); it is skipped with a message when
 * sshd is missing, unless GPFS_VOLUMES_REQUIRE_SSHD=1 (CI), which makes that a failure.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeWithSshd, removeSshdDirectory, startLoopbackSshd, type LoopbackSshd } from '../e2e/ssh/sshd.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLE_TIMEOUT_MS = 120_000;

interface ExampleRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node --import tsx examples/<file>` from the repository root (where tsconfig.json maps 'gpfs-volumes' to src/). */
function runExample(file: string, env: NodeJS.ProcessEnv = process.env): Promise<ExampleRun> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', join('examples', file)], { cwd: ROOT, env, timeout: EXAMPLE_TIMEOUT_MS, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ exitCode, stdout, stderr });
    });
  });
}

/** What each example must print: evidence that it did its job, not only that it ran. */
const EXPECTED_OUTPUT: Readonly<Record<string, readonly (string | RegExp)[]>> = {
  'quickstart.ts': [
    /## setup {2}\([1-3] round trips?\)/,
    /=> cluster 13882361916354541312, device gpfs0/,
    'delete volume-4 again (idempotent)',
    'already gone: Ok',
    /InvalidName: .*Nothing was run/,
    /clone tree at the end:\n {4}\(empty\)/,
  ],
  'controller.ts': [
    /reject {4}create-volume {4}.*InvalidName/,
    /reobserve create-snapshot .*ConnectionLost/,
    /pass \d+: cannot read the inventory \(backoff\): .*NotMounted/,
    /ok {8}extend-volume {4}data-1: 5 GiB -> 10 GiB/,
    /ok {8}delete-volume {4}removed stale, stale-snap\.ts/,
    /converged after \d+ passes; rejected declarations: volume \.\.\/escape \(InvalidName\)/,
    'idempotence: 0 change(s), state unchanged',
    'files now: data-1, data-2, golden, golden-v1, vm-1, vm-2',
  ],
  'parsers.ts': [
    'format 22.0 = level 2200 (release 5.0.4.0)',
    /scratch +id 2 +Unlinked .*"to be deleted: ask first"/,
    '/gpfs0/vols/vm 1.img       clone of inode 148488, depth 1',
    'pool nvme, fileset cinder-vols, data replicas 1/3',
    'line 3: nsd2 served by node2.example.com,node1.example.com',
    /ParseError: line 3: mmlsfileset column 'rootInode'.*\n(.*\n)? {2}> {3}3 \| mmlsfileset::0:1:::gpfs0:cinder-vols:1:Linked/,
    /ParseError: line 5: .*Parent column.*\n(.*\n)? {2}> {3}5 \| {3}mayb/,
    /ParseError: line 3: cannot read the value of 'data replication'/,
    'root Linked at /gpfs0',
  ],
  'consistency-groups.ts': [
    /createGroupSnapshot gs1 \(\d round trips?\): fileset snapshot/,
    /snapshot "db-data: written just before the group snapshot"/,
    'deleteGroup g1 (1 round trip): already gone (idempotent)',
  ],
  'images-and-backup.ts': ['clone of a raw image', 'convert of a qcow2 image', 'not cloneable (ImageNotFound)', '(identical)'],
  'inventory.ts': [/\d+ volumes, \d+ snapshots, 1 tombstones/, 'golden-v1.ts  [tombstone]', '```mermaid', 'flowchart TD'],
  'manage-existing.ts': ['manageExisting /etc/passwd: refused', 'is now volume volume-legacy', 'the name is free again'],
  'nfs-mode.ts': ['"driverVolumeType":"nfs"', 'commands run for localPath and initializeConnection: 0', 'an export that does not contain the volumes is refused'],
  'revert-to-snapshot.ts': [/before: vm-disk "broken by the upgrade/, /after: {2}vm-disk "good state/],
  'collect-garbage.ts': ['collectGarbage({ apply: false }): 2 orphan(s)', 'removed: /gpfs0/volumes/crashed-clone.snap', 'files now: /gpfs0/volumes/live-volume'],
};

describe('examples: every example runs as a process and does its job', () => {
  it('has an expectation for every example script (ssh.ts is checked against sshd below)', () => {
    const scripts = readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'ssh.ts');
    expect(scripts.sort()).toEqual(Object.keys(EXPECTED_OUTPUT).sort());
  });

  it.concurrent.each(Object.entries(EXPECTED_OUTPUT))('%s exits 0 and prints what it did', { timeout: EXAMPLE_TIMEOUT_MS + 10_000 }, async (file, expected) => {
    const run = await runExample(file);
    expect(run.stderr).toBe('');
    expect(run.exitCode, run.stdout).toBe(0);
    for (const pattern of expected) {
      if (typeof pattern === 'string') expect(run.stdout).toContain(pattern);
      else expect(run.stdout).toMatch(pattern);
    }
  });

  it('ssh.ts names every missing variable and exits 2 without connecting', { timeout: EXAMPLE_TIMEOUT_MS }, async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GPFS_SSH_') && name !== 'GPFS_VOLUMES_BASE'));
    const run = await runExample('ssh.ts', env);
    expect(run.exitCode).toBe(2);
    for (const name of ['GPFS_SSH_HOST', 'GPFS_SSH_USER', 'GPFS_SSH_KEY', 'GPFS_SSH_KNOWN_HOSTS', 'GPFS_VOLUMES_BASE']) expect(run.stderr).toContain(name);
    expect(run.stdout).toBe('');
  });
});

describeWithSshd('examples: ssh.ts against a loopback sshd serving the gpfs-sim process simulator', () => {
  const BASE = '/gpfs0/volumes';
  let work = '';
  let state = '';
  let sshd: LoopbackSshd | undefined;
  const gpfsSim = (...args: string[]) => spawnSync(process.execPath, [inject('gpfsSimCli'), ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    expect(inject('gpfsSimCliError'), 'bundling the gpfs-sim CLI failed').toBe('');
    work = mkdtempSync(join(tmpdir(), 'gv-example-ssh-'));
    state = join(work, 'state');
    const bin = join(work, 'bin');
    expect(gpfsSim('init', '--state', state).status).toBe(0);
    expect(gpfsSim('shims', '--state', state, '--out', bin, '--as-root').status).toBe(0);
    expect(gpfsSim('exec', '--state', state, '--as-root', '--', 'mkdir', '-p', BASE).status).toBe(0);
    sshd = await startLoopbackSshd({ environment: { PATH: `${bin}:/usr/bin:/bin` } });
    writeFileSync(join(work, 'known_hosts'), `${sshd.knownHostsLine}\n`);
  });

  afterAll(async () => {
    if (sshd) {
      await sshd.stop();
      removeSshdDirectory(sshd);
    }
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('sets up, creates, snapshots, clones and deletes over SSH, and leaves nothing behind', { timeout: EXAMPLE_TIMEOUT_MS + 10_000 }, async () => {
    const run = await runExample('ssh.ts', {
      ...process.env,
      GPFS_SSH_HOST: sshd!.host,
      GPFS_SSH_PORT: String(sshd!.port),
      GPFS_SSH_USER: sshd!.username,
      GPFS_SSH_KEY: sshd!.clientKeyPath,
      GPFS_SSH_KNOWN_HOSTS: join(work, 'known_hosts'),
      GPFS_VOLUMES_BASE: BASE,
    });

    expect(run.stderr).toBe('');
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^ok {4}setup: cluster 13882361916354541312, device gpfs0 .*fileset root, pool system$/m);
    expect(run.stdout).toMatch(/^ok {4}create example-\w+-volume: \/gpfs0\/volumes\/example-\w+-volume, 1 GiB$/m);
    expect(run.stdout).toMatch(/^ok {4}snapshot example-\w+-snap: \/gpfs0\/volumes\/example-\w+-snap$/m);
    expect(run.stdout).toMatch(/^ok {4}clone example-\w+-clone from the snapshot: .*, 2 GiB$/m);
    expect(run.stdout).toMatch(/^ok {4}delete example-\w+-snap: tombstoned$/m);
    expect(run.stdout).toContain('done: everything the example made is gone');
    // The commands really reached the simulated cluster through sshd, and the example cleaned up after itself.
    const log = gpfsSim('log', '--state', state);
    expect(log.stdout).toMatch(/mmclone snap \/gpfs0\/volumes\/example-\w+-volume/);
    const inspect = gpfsSim('inspect', '--state', state, '--under', BASE);
    expect(inspect.status, inspect.stderr).toBe(0);
    expect((JSON.parse(inspect.stdout) as { path: string; type: string }[]).filter((file) => file.type === 'file')).toEqual([]);
  });

  it('refuses a host key that the known_hosts file does not hold, and says so', { timeout: EXAMPLE_TIMEOUT_MS }, async () => {
    const otherKnownHosts = join(work, 'other_known_hosts');
    writeFileSync(otherKnownHosts, `${sshd!.knownHostsLine.split(' ')[0]} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHn0wyk7o5sVZJ2D0JJzkVdS0nyw4qA1XqgBOy3RTmYF\n`);
    const run = await runExample('ssh.ts', {
      ...process.env,
      GPFS_SSH_HOST: sshd!.host,
      GPFS_SSH_PORT: String(sshd!.port),
      GPFS_SSH_USER: sshd!.username,
      GPFS_SSH_KEY: sshd!.clientKeyPath,
      GPFS_SSH_KNOWN_HOSTS: otherKnownHosts,
      GPFS_VOLUMES_BASE: BASE,
    });

    expect(run.exitCode, `stderr: ${run.stderr}`).toBe(1);
    expect(run.stdout, `stderr: ${run.stderr}`).toMatch(/^FAIL {2}setup: .*HostKeyRejected/m);
    expect(run.stdout).toContain('failed (see above)');
  });
});
