import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseDf, parseMmcloneShow, parseMmgetstate, parseMmlsfs } from '../../src/index.js';

const cli = inject('gpfsSimCli');
const bundleError = inject('gpfsSimCliError');

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe('simulator: gpfs-sim executable and shims', () => {
  let workDirectory: string;
  let state: string;
  let rootBin: string;
  let userBin: string;

  const gpfsSim = (...args: string[]): Ran => {
    const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const shell = (script: string, bin = rootBin, input?: string | Buffer): Ran => {
    const result = spawnSync('sh', ['-c', script], { encoding: 'utf8', input, cwd: workDirectory, env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, LC_ALL: 'C' } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(() => {
    expect(bundleError, 'bundling the CLI failed').toBe('');
    workDirectory = mkdtempSync(join(tmpdir(), 'gpfs-sim-cli-'));
    state = join(workDirectory, 'state');
    rootBin = join(workDirectory, 'bin-root');
    userBin = join(workDirectory, 'bin-user');
    const config = join(workDirectory, 'cluster.json');
    writeFileSync(config, JSON.stringify({ clusterName: 'cli.example.org', nodes: [{ name: 'gpfs-node-1' }], filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', filesets: ['cinder'] }] }));
    expect(gpfsSim('init', '--state', state, '--config', config)).toMatchObject({ status: 0 });
    expect(gpfsSim('shims', '--state', state, '--out', rootBin, '--as-root').status).toBe(0);
    expect(gpfsSim('shims', '--state', state, '--out', userBin).status).toBe(0);
  });

  afterAll(() => {
    if (workDirectory !== undefined) rmSync(workDirectory, { recursive: true, force: true });
  });

  it('keeps cluster state between invocations of shims run from a real shell', () => {
    const result = shell('mmgetstate -Y && truncate -s 1G /gpfs0/cinder/volume-1 && mmclone snap /gpfs0/cinder/volume-1 /gpfs0/cinder/volume-1.snap && mmclone show /gpfs0/cinder/volume-1');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [getstate, show] = result.stdout.split(/(?=Parent {2}Depth)/);
    expect(parseMmgetstate(getstate ?? '')._unsafeUnwrap()[0]).toMatchObject({ nodeName: 'gpfs-node-1', state: 'active' });
    expect(parseMmcloneShow(show ?? '')._unsafeUnwrap()[0]).toMatchObject({ isParent: false, depth: 1, fileName: '/gpfs0/cinder/volume-1' });
    expect(shell('/bin/sh -c "mmlsfs gpfs0 -V -Y"').stdout).toContain('filesystemVersion:22.00 (5.0.4.0)');
  });

  it('passes exit codes and stderr through, and commands run relative to the shell directory', () => {
    shell('truncate -s 1M /gpfs0/parent && mmclone snap /gpfs0/parent && mmclone copy /gpfs0/parent /gpfs0/child');
    const refused = shell('rm -f /gpfs0/parent');
    expect(refused).toMatchObject({ status: 1, stdout: '', stderr: "rm: cannot remove '/gpfs0/parent': Read-only file system\n" });
    expect(shell('mmnosuch').status).toBe(127);
    const relative = shell('mkdir -p "$PWD" && truncate -s 5 relative-file && stat -c %n relative-file');
    expect(relative.stdout).toBe('relative-file\n');
    const inspected = JSON.parse(gpfsSim('inspect', '--state', state, '--under', workDirectory).stdout) as { path: string }[];
    expect(inspected.map((file) => file.path)).toContain(join(workDirectory, 'relative-file'));
  });

  it('streams binary stdin into dd and binary stdout out of cat unchanged', () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const input = join(workDirectory, 'input.bin');
    const output = join(workDirectory, 'output.bin');
    writeFileSync(input, data);
    expect(shell(`dd of=/gpfs0/blob bs=64k status=none < '${input}' && cat /gpfs0/blob > '${output}'`).status).toBe(0);
    expect(readFileSync(output).equals(data)).toBe(true);
    expect(shell('printf "hello" | dd of=/gpfs0/small status=none && cat /gpfs0/small').stdout).toBe('hello');
    expect(shell('rm /gpfs0/blob').status).toBe(0);
  });

  it('serialises concurrent invocations with the lock, losing no update', async () => {
    shell('mkdir -p /gpfs0/many');
    const runs = Array.from(
      { length: 8 },
      (_, index) =>
        new Promise<number | null>((resolvePromise) => {
          const child = spawn('sh', ['-c', `truncate -s ${index + 1} /gpfs0/many/file-${index}`], { env: { ...process.env, PATH: `${rootBin}:${process.env['PATH'] ?? ''}` }, stdio: 'ignore' });
          child.on('exit', (code) => resolvePromise(code));
        }),
    );
    expect(await Promise.all(runs)).toEqual(Array(8).fill(0));
    const listed = shell("find /gpfs0/many -type f -printf '%f %s\\n'").stdout.trim().split('\n').sort();
    expect(listed).toEqual(Array.from({ length: 8 }, (_, index) => `file-${index} ${index + 1}`).sort());
  });

  it('controls mounts and faults from the command line', () => {
    expect(gpfsSim('control', '--state', state, 'unmount', 'gpfs0').status).toBe(0);
    expect(parseDf(shell('df /gpfs0').stdout)._unsafeUnwrap()[0]?.filesystem).toBe('/dev/vda1');
    expect(gpfsSim('control', '--state', state, 'mount', 'gpfs0').status).toBe(0);
    expect(gpfsSim('fault', '--state', state, 'add', '--argv-prefix', 'mmclone copy', '--exit-code', '5', '--stderr', 'injected failure\n').status).toBe(0);
    shell('truncate -s 1M /gpfs0/base && mmclone snap /gpfs0/base');
    expect(shell('mmclone copy /gpfs0/base /gpfs0/base-clone')).toMatchObject({ status: 5, stderr: 'injected failure\n' });
    expect(shell('mmclone copy /gpfs0/base /gpfs0/base-clone').status).toBe(0);
    expect(gpfsSim('log', '--state', state).stdout).toContain('mmclone copy /gpfs0/base /gpfs0/base-clone  exit 5 (fault)');
  });

  it('runs shims as an ordinary user unless they were made with --as-root, with sudo as the way up', () => {
    expect(shell('mmlsfs gpfs0 -V -Y', userBin)).toMatchObject({ status: 126, stderr: 'mmlsfs: Permission denied\n' });
    const viaSudo = shell('sudo -n mmlsfs gpfs0 -V -Y', userBin);
    expect(parseMmlsfs(viaSudo.stdout)._unsafeUnwrap()[0]?.fieldName).toBe('filesystemVersion');
  });

  it('reports usage errors and missing state', () => {
    expect(gpfsSim('frobnicate', '--state', state).status).toBe(2);
    expect(gpfsSim('exec', '--state', join(workDirectory, 'nowhere'), '--', 'true')).toMatchObject({ status: 1 });
    expect(gpfsSim('exec', '--state', state).status).toBe(2);
    expect(gpfsSim('init', '--state', state).status).toBe(1);
  });
});
