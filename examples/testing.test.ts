/**
 * Testing your own code: `npx vitest run examples/testing.test.ts`
 *
 * `provisionVolume` below stands for your code: it creates a volume and its first snapshot, and
 * removes both when the snapshot fails, so that a caller never finds half a volume. It is tested two
 * ways:
 * - exact commands, with a strict `createMockRunner`: every command must have a scripted reply, and
 *   the test asserts what was sent, in order (what the code does, command by command);
 * - behaviour, with `createGpfsSimulator`: a whole cluster in memory, inspected after the fact, with
 *   faults injected into chosen commands (what the cluster looks like afterwards).
 */
import { err, ok, type Result } from 'neverthrow';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGpfsDriver, createGpfsSimulator, createMockRunner, formatError, type GpfsDriver, type GpfsError, type GpfsSimulator, type MockScript } from 'gpfs-volumes';

// --- Your code (it would live in your src/) ---

/** Where a provisioned volume and its first snapshot live. */
export interface ProvisionedVolume {
  readonly volumePath: string;
  readonly snapshotPath: string;
}

/** Creates a volume with an `<name>-initial` snapshot; when the snapshot fails, removes both and returns its error. */
export async function provisionVolume(driver: GpfsDriver, name: string, sizeGiB: number): Promise<Result<ProvisionedVolume, GpfsError>> {
  const volume = await driver.createVolume({ name, sizeGiB });
  if (volume.isErr()) return err(volume.error);
  const snapshotRef = { name: `${name}-initial`, volumeName: name };
  const snapshot = await driver.createSnapshot(snapshotRef);
  if (snapshot.isErr()) {
    // Both deletes are idempotent, so this is safe whatever the snapshot got to (a lost connection may
    // have left it made). The caller gets the snapshot's error; a failed undo is worth a warning.
    for (const undone of [await driver.deleteSnapshot(snapshotRef), await driver.deleteVolume({ name })]) {
      if (undone.isErr()) console.warn(`provisionVolume: could not undo: ${formatError(undone.error)}`);
    }
    return err(snapshot.error);
  }
  return ok({ volumePath: volume.value.path, snapshotPath: snapshot.value.path });
}

// --- Tests ---

const BASE = '/gpfs0/volumes';

/** What a healthy one-node cluster prints for the driver's setup (run it once, then clear the calls). */
const healthyClusterReplies: MockScript[] = [
  {
    match: ['mmgetstate', '-Y'],
    reply: {
      stdout: 'mmgetstate::HEADER:version:reserved:reserved:nodeName:nodeNumber:state:quorum:nodesUp:totalNodes:remarks:cnfsState:\nmmgetstate::0:1:::node1:1:active:1:1:1:quorum node:(undefined):\n',
    },
  },
  {
    match: ['mmlsconfig', 'clusterId,clusterName', '-Y'],
    reply: {
      stdout: 'mmlsconfig::HEADER:version:reserved:reserved:configParameter:value:nodeList:\nmmlsconfig::0:1:::clusterId:13882361916354541312::\nmmlsconfig::0:1:::clusterName:gpfs.example.com::\n',
    },
  },
  {
    match: ['mmlsconfig', 'minreleaseLeveldaemon', '-Y'],
    reply: { stdout: 'mmlsconfig::HEADER:version:reserved:reserved:configParameter:value:nodeList:\nmmlsconfig::0:1:::minreleaseLeveldaemon:1504::\n' },
  },
  { match: ['test', '-d', BASE], reply: {} },
  { match: ['df', '-P', '-B', '1', BASE], reply: { stdout: 'Filesystem 1-blocks Used Available Capacity Mounted on\ngpfs0 4398046511104 8589950976 4389456560128 1% /gpfs0\n' } },
  {
    match: ['mmlsattr', '-L', BASE],
    reply: {
      stdout:
        'file name:            /gpfs0/volumes\nmetadata replication: 1 max 2\ndata replication:     1 max 2\nimmutable:            no\nappendOnly:           no\nflags:\nstorage pool name:    system\nfileset name:         root\nsnapshot name:\n',
    },
  },
  {
    match: ['mmlsfs', 'gpfs0', '-V', '--encryption', '-Y'],
    reply: { stdout: 'mmlsfs::HEADER:version:reserved:reserved:deviceName:fieldName:data:remarks:\nmmlsfs::0:1:::gpfs0:filesystemVersion:22.00 (5.0.4.0)::\nmmlsfs::0:1:::gpfs0:encryption:No::\n' },
  },
  {
    match: ['mmlspool', 'gpfs0', 'all'],
    reply: {
      stdout:
        "Storage pools in file system at '/gpfs0':\nName                    Id   BlkSize Data Meta Total Data in (KB)   Free Data in (KB)   Total Meta in (KB)    Free Meta in (KB)\nsystem                   0      4 MB  yes  yes     4294967296     4286578688 (100%)     4294967296     4286578688 (100%)\n",
    },
  },
];

describe('provisionVolume: exact commands (strict mock runner)', () => {
  const workFile: unknown = expect.stringMatching(/^\/gpfs0\/volumes\/\.tmp\.create\.[0-9a-z]+$/);

  async function setUp(replies: MockScript[]) {
    // Your scripts first (the first match answers), then the setup replies; strict: anything else is an error.
    const mock = createMockRunner({ strict: true, scripts: [...replies, ...healthyClusterReplies] });
    const driver = createGpfsDriver({ runner: mock, mountPointBase: BASE });
    expect((await driver.setup()).isOk()).toBe(true);
    mock.clearCalls();
    return { mock, driver };
  }
  const succeed = (...prefixes: string[][]): MockScript[] => prefixes.map((prefix) => ({ match: { prefix }, reply: {} }));

  it('creates the volume, then snapshots it: one round trip each, every command as root', async () => {
    const { mock, driver } = await setUp(succeed(['df', '-P', '-t', 'gpfs', BASE], ['test'], ['truncate'], ['chmod'], ['ln'], ['rm'], ['mmclone', 'snap']));

    const result = await provisionVolume(driver, 'db-1', 10);

    expect(result._unsafeUnwrap()).toEqual({ volumePath: `${BASE}/db-1`, snapshotPath: `${BASE}/db-1-initial` });
    expect(mock.roundTrips).toBe(2);
    expect(mock.calls.every((call) => call.asRoot)).toBe(true);
    expect(mock.argvs).toEqual([
      ['df', '-P', '-t', 'gpfs', BASE],
      ['test', '!', '-e', `${BASE}/db-1`],
      ['truncate', '-s', '10G', workFile],
      ['chmod', '660', workFile],
      ['ln', '-T', '--', workFile, `${BASE}/db-1`],
      ['rm', '-f', '--', workFile],
      ['df', '-P', '-t', 'gpfs', BASE],
      ['test', '-f', `${BASE}/db-1`, '-a', '!', '-e', `${BASE}/db-1-initial`],
      ['mmclone', 'snap', `${BASE}/db-1`, `${BASE}/db-1-initial`],
      ['chmod', '640', `${BASE}/db-1-initial`],
    ]);
  });

  it('never snapshots a volume that could not be created, and returns the typed error', async () => {
    const { mock, driver } = await setUp([
      { match: { prefix: ['truncate'] }, reply: { exitCode: 1, stderr: 'truncate: failed to truncate: No space left on device\n' } },
      ...succeed(['df', '-P', '-t', 'gpfs', BASE], ['test'], ['rm', '-f']),
    ]);

    const error = (await provisionVolume(driver, 'db-1', 10))._unsafeUnwrapErr();

    expect(error).toMatchObject({ kind: 'CommandFailed', operation: 'createVolume', step: 'create-sparse-file', exitCode: 1 });
    expect(mock.argvs.some((argv) => argv[0] === 'mmclone')).toBe(false);
    // The driver removed its work file; the scripted `rm` saw exactly that path.
    expect(mock.argvs.at(-1)).toEqual(['rm', '-f', workFile]);
  });

  it('refuses a hostile name before sending any command', async () => {
    const { mock, driver } = await setUp([]);

    const error = (await provisionVolume(driver, '../../etc/passwd', 1))._unsafeUnwrapErr();

    expect(error).toMatchObject({ kind: 'InvalidName', role: 'volume' });
    expect(mock.calls).toEqual([]);
  });

  it('reports a command nobody scripted as UnexpectedCommand (strict mode finds what you did not expect)', async () => {
    const { driver } = await setUp([]);

    const error = (await provisionVolume(driver, 'db-1', 10))._unsafeUnwrapErr();

    expect(error).toMatchObject({ kind: 'UnexpectedCommand', argv: ['df', '-P', '-t', 'gpfs', BASE] });
  });
});

describe('provisionVolume: behaviour (GPFS simulator)', () => {
  let sim: GpfsSimulator;
  let driver: GpfsDriver;
  const filesUnderBase = () =>
    sim.inspect
      .files({ under: BASE })
      .filter((file) => file.type === 'file')
      .map((file) => file.path);

  beforeEach(() => {
    sim = createGpfsSimulator(); // a fresh cluster per test: gpfs0 mounted at /gpfs0
    sim.control.mkdir(BASE)._unsafeUnwrap();
    driver = createGpfsDriver({ runner: sim, mountPointBase: BASE });
  });

  it('leaves a volume that is a clone of its read-only snapshot, with the same content', async () => {
    (await provisionVolume(driver, 'db-1', 10))._unsafeUnwrap();

    const volume = sim.inspect.file(`${BASE}/db-1`)._unsafeUnwrap();
    const snapshot = sim.inspect.file(`${BASE}/db-1-initial`)._unsafeUnwrap();
    expect(volume).toMatchObject({ sizeBytes: 10 * 2 ** 30, mode: 0o660, clone: { parentInode: snapshot.inode } });
    expect(snapshot).toMatchObject({ mode: 0o640, clone: { isParent: true, children: 1 } });
    expect(sim.inspect.digest(volume.path)._unsafeUnwrap()).toBe(sim.inspect.digest(snapshot.path)._unsafeUnwrap());
  });

  it('returns CommandFailed and leaves nothing behind when mmclone snap fails', async () => {
    sim.faults.failWhen({ argvPrefix: ['mmclone', 'snap'] }, { exitCode: 1, stderr: 'mmclone: Disk quota exceeded\n' }, { times: 1 });

    const error = (await provisionVolume(driver, 'db-1', 10))._unsafeUnwrapErr();

    expect(error).toMatchObject({ kind: 'CommandFailed', operation: 'createSnapshot', argv: ['mmclone', 'snap', `${BASE}/db-1`, `${BASE}/db-1-initial`], exitCode: 1 });
    expect(filesUnderBase()).toEqual([]);
  });

  it('returns ConnectionLost and still leaves nothing behind when the snapshot was made before the connection dropped', async () => {
    // timing 'after': the command takes effect, then the caller sees a lost connection (outcome unknown).
    sim.faults.failWhen({ argvPrefix: ['mmclone', 'snap'] }, { error: 'ConnectionLost' }, { times: 1, timing: 'after' });

    const error = (await provisionVolume(driver, 'db-1', 10))._unsafeUnwrapErr();

    expect(error).toMatchObject({ kind: 'ConnectionLost', operation: 'createSnapshot' });
    expect(sim.log.entries().some((entry) => entry.faulted && entry.argv[1] === 'snap')).toBe(true);
    expect(filesUnderBase()).toEqual([]);
  });

  it('writes nothing anywhere when GPFS is not mounted (not even on the local disk under the mount point)', async () => {
    sim.control.unmount('gpfs0')._unsafeUnwrap();

    const error = (await provisionVolume(driver, 'db-1', 10))._unsafeUnwrapErr();

    expect(error.kind).toBe('NotMounted');
    expect(sim.inspect.localDiskWrites()).toEqual([]);
  });

  it('is safe to retry after a failure: the second call succeeds on a clean slate', async () => {
    sim.faults.failWhen({ argvPrefix: ['mmclone', 'snap'] }, { exitCode: 1, stderr: 'mmclone: Disk quota exceeded\n' }, { times: 1 });
    expect((await provisionVolume(driver, 'db-1', 10)).isErr()).toBe(true);

    expect((await provisionVolume(driver, 'db-1', 10)).isOk()).toBe(true);
    expect(filesUnderBase()).toEqual([`${BASE}/db-1`, `${BASE}/db-1-initial`]);
  });
});
