/**
 * Issue 6: the driver's whole lifecycle over SSH, against a real OpenSSH sshd on loopback whose
 * sessions find the process-level simulator's shims (gpfs-sim) first on their PATH (sshd SetEnv; the
 * runner appends its mm* directory after it). Every command the driver sends crosses SSH and runs as a
 * real process that loads and saves the simulated cluster's state directory; the state is checked with
 * `gpfs-sim inspect`, not through the driver.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createGpfsDriver, type GpfsDriver } from '../../../src/driver/driver.js';
import { countRoundTrips, type CountingRunner } from '../../../src/runners/counting.js';
import { createSshRunner } from '../../../src/runners/ssh/index.js';
import type { CommandRunner } from '../../../src/runners/types.js';
import type { SimulatedFile } from '../../../src/simulator/index.js';
import { describeWithSshd, removeSshdDirectory, startLoopbackSshd, type LoopbackSshd } from './sshd.js';

const BASE = '/gpfs0/volumes';
const MIB = 2 ** 20;

describeWithSshd('driver: whole lifecycle over SSH against the gpfs-sim process simulator', () => {
  const cli = inject('gpfsSimCli');
  let work = '';
  let state = '';
  let sshd: LoopbackSshd | undefined;
  let ssh: CommandRunner | undefined;
  let counted: CountingRunner;
  let driver: GpfsDriver;

  const gpfsSim = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  const files = (): SimulatedFile[] => {
    const result = gpfsSim('inspect', '--state', state, '--under', BASE);
    expect(result.status, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as SimulatedFile[]).filter((file) => file.type === 'file');
  };
  const file = (name: string) => files().find((candidate) => candidate.path === `${BASE}/${name}`);
  const names = () =>
    files()
      .map((candidate) => candidate.path.slice(BASE.length + 1))
      .sort();
  const measured = async <T>(operation: () => PromiseLike<T>): Promise<{ result: T; roundTrips: number }> => {
    counted.reset();
    const result = await operation();
    return { result, roundTrips: counted.roundTrips };
  };

  beforeAll(async () => {
    expect(inject('gpfsSimCliError'), 'bundling the gpfs-sim CLI failed').toBe('');
    work = mkdtempSync(join(tmpdir(), 'gv-driver-ssh-'));
    state = join(work, 'state');
    const bin = join(work, 'bin');
    expect(gpfsSim('init', '--state', state).status).toBe(0);
    expect(gpfsSim('shims', '--state', state, '--out', bin, '--as-root').status).toBe(0);
    sshd = await startLoopbackSshd({ environment: { PATH: `${bin}:/usr/bin:/bin` } });
    ssh = createSshRunner({ hosts: [sshd.host], port: sshd.port, username: sshd.username, privateKey: sshd.clientPrivateKey, hostKeyFingerprints: [sshd.hostKeyFingerprint] });
    counted = countRoundTrips(ssh);
    expect((await ssh.run({ argv: ['mkdir', '-p', BASE], asRoot: true }))._unsafeUnwrap().exitCode).toBe(0);
    driver = createGpfsDriver({ runner: counted, mountPointBase: BASE, maxCloneDepth: 3 });
  });

  afterAll(async () => {
    await ssh?.dispose?.();
    if (sshd) {
      await sshd.stop();
      removeSshdDirectory(sshd);
    }
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('sets up, creates, snapshots, clones, extends, backs up and restores, and deletes in an awkward order', { timeout: 480_000 }, async () => {
    // The shims are what answers: the remote side is the simulated cluster.
    const whereIs = (await ssh!.run({ argv: ['sh', '-c', 'command -v mmclone'] }))._unsafeUnwrap();
    expect(whereIs.stdout.trim()).toBe(join(work, 'bin', 'mmclone'));

    const setup = await measured(() => driver.setup());
    expect(setup.result._unsafeUnwrap()).toMatchObject({ clusterId: '13882361916354541312', gpfsState: 'active', base: { path: BASE, device: 'gpfs0', fileset: 'root' } });
    expect(setup.roundTrips).toBeLessThanOrEqual(3);

    const created = await measured(() => driver.createVolume({ name: 'volume-1', sizeGiB: 1 }));
    expect(created.result._unsafeUnwrap()).toEqual({ name: 'volume-1', path: `${BASE}/volume-1`, sizeGiB: 1 });
    expect(created.roundTrips).toBeLessThanOrEqual(2);
    expect(file('volume-1')).toMatchObject({ mode: 0o660, sizeBytes: 2 ** 30, allocatedBytes: 0, pool: 'system' });
    const wrote = await ssh!.run({ argv: ['dd', 'if=/dev/urandom', `of=${BASE}/volume-1`, 'bs=1M', 'count=2', 'conv=notrunc', 'status=none'], asRoot: true });
    expect(wrote._unsafeUnwrap().exitCode).toBe(0);
    const volumeDigest = file('volume-1')?.digest;

    const snapshot = await measured(() => driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }));
    expect(snapshot.result._unsafeUnwrap()).toMatchObject({ path: `${BASE}/snap-1`, redirected: false });
    expect(snapshot.roundTrips).toBeLessThanOrEqual(2);
    expect(file('snap-1')).toMatchObject({ mode: 0o640, digest: volumeDigest, clone: { isParent: true } });

    const fromSnapshot = await measured(() => driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 1 }, { name: 'snap-1', volumeName: 'volume-1' }));
    fromSnapshot.result._unsafeUnwrap();
    expect(fromSnapshot.roundTrips).toBeLessThanOrEqual(2);
    expect(file('volume-2')?.clone?.parentInode).toBe(file('snap-1')?.inode);

    const cloneOfClone = await measured(() => driver.createClonedVolume({ name: 'volume-3', sizeGiB: 1 }, { name: 'volume-2' }));
    cloneOfClone.result._unsafeUnwrap();
    expect(cloneOfClone.roundTrips).toBeLessThanOrEqual(2);
    expect(file('volume-3')?.clone?.parentInode).toBe(file('volume-3.snap')?.inode);
    expect(file('volume-2')?.clone?.parentInode).toBe(file('volume-3.snap')?.inode);
    expect(file('volume-3')?.digest).toBe(volumeDigest);

    expect((await driver.extendVolume({ name: 'volume-3' }, 2))._unsafeUnwrap()).toMatchObject({ sizeGiB: 2 });
    expect(file('volume-3')?.sizeBytes).toBe(2 * 2 ** 30);

    // Backup and restore stream over the SSH channel (a small volume: the bytes really cross).
    expect((await ssh!.run({ argv: ['truncate', '-s', `${6 * MIB}`, `${BASE}/small`], asRoot: true }))._unsafeUnwrap().exitCode).toBe(0);
    expect((await ssh!.run({ argv: ['dd', 'if=/dev/urandom', `of=${BASE}/small`, 'bs=1M', 'count=4', 'conv=notrunc', 'status=none'], asRoot: true }))._unsafeUnwrap().exitCode).toBe(0);
    const smallDigest = file('small')?.digest;
    const chunks: Uint8Array[] = [];
    let largestChunk = 0;
    const backup = (
      await driver.backupVolume({ name: 'small' }, (chunk) => {
        chunks.push(chunk);
        largestChunk = Math.max(largestChunk, chunk.byteLength);
      })
    )._unsafeUnwrap();
    expect(backup.bytes).toBe(6 * MIB);
    expect(largestChunk).toBeLessThan(6 * MIB);
    expect(names().filter((name) => name.startsWith('.tmp.'))).toEqual([]);
    expect((await ssh!.run({ argv: ['truncate', '-s', `${8 * MIB}`, `${BASE}/restored`], asRoot: true }))._unsafeUnwrap().exitCode).toBe(0);
    async function* replay() {
      yield* chunks;
    }
    expect((await driver.restoreBackup(replay(), { name: 'restored' }))._unsafeUnwrap()).toMatchObject({ bytes: 6 * MIB, sizeBytes: 8 * MIB });
    const restoredHead = (await ssh!.run({ argv: ['dd', `if=${BASE}/restored`, 'bs=1M', 'count=6', 'status=none'], asRoot: true }))._unsafeUnwrap();
    expect(restoredHead.exitCode).toBe(0);
    const streamed = createHash('sha256');
    for (const chunk of chunks) streamed.update(chunk);
    const backupHash = streamed.digest('hex');
    const readBack = createHash('sha256');
    const readChunks: Uint8Array[] = [];
    (await ssh!.run({ argv: ['cat', `${BASE}/small`], asRoot: true, stdoutSink: (chunk) => void readChunks.push(chunk) }))._unsafeUnwrap();
    for (const chunk of readChunks) readBack.update(chunk);
    expect(readBack.digest('hex')).toBe(backupHash);
    expect(file('small')?.digest).toBe(smallDigest);
    expect(file('restored')?.sizeBytes).toBe(8 * MIB);

    // Deletions in an awkward order: the snapshot first (tombstoned), then parents before children.
    expect((await driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }))._unsafeUnwrap()).toMatchObject({ status: 'tombstoned' });
    expect((await driver.deleteVolume({ name: 'volume-1' }))._unsafeUnwrap().removed).toEqual([`${BASE}/volume-1`]);
    expect((await driver.deleteVolume({ name: 'volume-2' }))._unsafeUnwrap().removed).toEqual([`${BASE}/volume-2`]);
    expect(names()).toEqual(['.backup-' + backup.parentPath.split('.backup-')[1], 'restored', 'small', 'snap-1.ts', 'volume-3', 'volume-3.snap'].sort());
    const last = await measured(() => driver.deleteVolume({ name: 'volume-3' }));
    expect(last.result._unsafeUnwrap().removed).toEqual([`${BASE}/volume-3`, `${BASE}/volume-3.snap`, `${BASE}/snap-1.ts`]);
    expect(last.roundTrips).toBeLessThanOrEqual(3);
    expect((await driver.deleteVolume({ name: 'small' }))._unsafeUnwrap().removed).toEqual([`${BASE}/small`, backup.parentPath]);
    (await driver.deleteVolume({ name: 'restored' }))._unsafeUnwrap();
    expect((await driver.deleteVolume({ name: 'volume-3' }))._unsafeUnwrap()).toMatchObject({ existed: false });
    expect(files()).toEqual([]);
  });
});
