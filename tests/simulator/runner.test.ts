import { describe, expect, it } from 'vitest';
import { countRoundTrips, createGpfsSimulator, runCommands, tryCreateGpfsSimulator, validateSimulatorOptions } from '../../src/index.js';
import { ok, root, runnerError } from './support.js';

describe('simulator: runner contract, faults, clock and log', () => {
  it('fails the nth command with an exit code before it takes effect', async () => {
    const sim = createGpfsSimulator();
    sim.faults.failNth(2, { exitCode: 1, stderr: 'mmclone: injected\n' });
    await ok(sim, ['truncate', '-s', '1M', '/gpfs0/a']);
    const faulted = await root(sim, ['truncate', '-s', '1M', '/gpfs0/b']);
    expect(faulted).toMatchObject({ exitCode: 1, stderr: 'mmclone: injected\n' });
    expect(sim.inspect.file('/gpfs0/b').isErr()).toBe(true);
    await ok(sim, ['truncate', '-s', '1M', '/gpfs0/c']);
    expect(sim.faults.list()).toEqual([]);
  });

  it('loses the connection after a matching command took effect, outcome unknown to the caller', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['truncate', '-s', '1M', '/gpfs0/volume-1']);
    sim.faults.failWhen({ argvPrefix: ['mmclone', 'snap'] }, { error: 'ConnectionLost' }, { timing: 'after', times: 1 });
    const error = await runnerError(sim, { argv: ['mmclone', 'snap', '/gpfs0/volume-1', '/gpfs0/volume-1.snap'], asRoot: true });
    expect(error).toMatchObject({ kind: 'ConnectionLost', runner: 'simulator', host: 'node1' });
    expect(sim.inspect.file('/gpfs0/volume-1.snap')._unsafeUnwrap().clone?.isParent).toBe(true);
    const retry = await root(sim, ['mmclone', 'snap', '/gpfs0/volume-1', '/gpfs0/volume-1.snap']);
    expect(retry.exitCode).toBe(1);
    expect(sim.log.entries().map((entry) => [entry.argv[0], entry.errorKind, entry.faulted])).toEqual([
      ['truncate', null, false],
      ['mmclone', 'ConnectionLost', true],
      ['mmclone', null, false],
    ]);
  });

  it('injects runner errors of every kind through predicates, and counts matches for nth', async () => {
    const sim = createGpfsSimulator();
    const id = sim.faults.inject({ match: { command: 'stat', predicate: (argv) => argv.includes('-f') }, nth: 2, times: 2, outcome: { error: 'Timeout' } });
    await ok(sim, ['stat', '-f', '/gpfs0']);
    await ok(sim, ['stat', '/gpfs0']);
    expect(await runnerError(sim, { argv: ['stat', '-f', '/gpfs0'], timeoutMs: 500 })).toMatchObject({ kind: 'Timeout', timeoutMs: 500 });
    expect(sim.faults.list()[0]).toMatchObject({ id, matched: 2, fired: 1 });
    expect(sim.faults.remove(id)).toBe(true);
    await ok(sim, ['stat', '-f', '/gpfs0']);
    for (const kind of ['SpawnFailed', 'ConnectionFailed', 'HostKeyRejected', 'AuthenticationFailed', 'Aborted', 'UnexpectedCommand'] as const) {
      sim.faults.failNth(1, { error: kind, message: `boom ${kind}` });
      expect(await runnerError(sim, { argv: ['true'] })).toMatchObject({ kind, message: `boom ${kind}` });
    }
    sim.faults.failWhen(
      () => {
        throw new Error('bad predicate');
      },
      { exitCode: 9 },
    );
    await ok(sim, ['true']);
  });

  it('times out a command whose virtual cost exceeds timeoutMs, keeping its partial effect', async () => {
    const sim = createGpfsSimulator({ latency: { gpfsBytesPerSecond: 1024 ** 3 } });
    const started = sim.clock.now();
    const error = await runnerError(sim, { argv: ['dd', 'if=/dev/zero', 'of=/gpfs0/big', 'bs=1M', 'count=10240'], asRoot: true, timeoutMs: 2000 });
    expect(error).toMatchObject({ kind: 'Timeout', timeoutMs: 2000, argv: ['dd', 'if=/dev/zero', 'of=/gpfs0/big', 'bs=1M', 'count=10240'] });
    const written = sim.inspect.file('/gpfs0/big')._unsafeUnwrap().sizeBytes;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(2 * 1024 ** 3);
    expect(sim.clock.now() - started).toBe(2000 + sim.clock.latency().roundTripMs);
    expect(await runnerError(sim, { argv: ['mmlsfs', 'gpfs0', '-Y'], asRoot: true, timeoutMs: 100 })).toMatchObject({ kind: 'Timeout' });
    expect(await runnerError(sim, { argv: ['sleep', '10'], timeoutMs: 1000 })).toMatchObject({ kind: 'Timeout' });
  });

  it('sends the output of every command, faulted ones too, to a stdout sink', async () => {
    const sim = createGpfsSimulator();
    const received: string[] = [];
    const sink = (chunk: Uint8Array): void => {
      received.push(new TextDecoder().decode(chunk));
    };
    expect((await ok(sim, ['mmlsconfig', 'clusterId', '-Y'], { stdoutSink: sink })).stdout).toBe('');
    sim.faults.failNth(1, { exitCode: 3, stdout: 'partial output\n' });
    expect(await root(sim, ['true'], { stdoutSink: sink })).toMatchObject({ exitCode: 3, stdout: '' });
    expect(received.join('')).toBe('mmlsconfig::HEADER:version:reserved:reserved:configParameter:value:nodeList:\nmmlsconfig::0:1:::clusterId:13882361916354541312::\npartial output\n');
  });

  it('returns Aborted for an aborted signal and runs nothing', async () => {
    const sim = createGpfsSimulator();
    const controller = new AbortController();
    controller.abort();
    expect(await runnerError(sim, { argv: ['truncate', '-s', '1M', '/gpfs0/x'], asRoot: true, signal: controller.signal })).toMatchObject({ kind: 'Aborted' });
    expect(sim.inspect.file('/gpfs0/x').isErr()).toBe(true);
  });

  it('aborts a streaming dd when the signal fires mid-stream', async () => {
    const sim = createGpfsSimulator();
    const controller = new AbortController();
    async function* source(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1024);
      controller.abort();
      yield new Uint8Array(1024);
    }
    expect(await runnerError(sim, { argv: ['dd', 'of=/gpfs0/x'], asRoot: true, stdin: source(), signal: controller.signal })).toMatchObject({ kind: 'Aborted' });
  });

  it('rejects malformed argv as SpawnFailed data instead of throwing', async () => {
    const sim = createGpfsSimulator();
    expect(await runnerError(sim, { argv: [] })).toMatchObject({ kind: 'SpawnFailed' });
    expect(await runnerError(sim, { argv: ['echo', 'a\0b'] })).toMatchObject({ kind: 'SpawnFailed', code: 'EINVAL' });
    expect(await runnerError(sim, { argv: [''] })).toMatchObject({ kind: 'SpawnFailed' });
    expect(await runnerError(sim, { argv: [1 as unknown as string] })).toMatchObject({ kind: 'SpawnFailed' });
    expect((await sim.runBatch([{ argv: [] }])).isErr()).toBe(true);
  });

  it('runs a batch in one round trip and stops at the first failure when asked', async () => {
    const sim = createGpfsSimulator();
    const counted = countRoundTrips(sim);
    const result = await runCommands(counted, [{ argv: ['true'] }, { argv: ['false'] }, { argv: ['truncate', '-s', '1', '/gpfs0/never'], asRoot: true }], { stopOnFailure: true });
    expect(result._unsafeUnwrap()).toMatchObject({ stoppedEarly: true, outputs: [{ exitCode: 0 }, { exitCode: 1 }] });
    expect(counted.roundTrips).toBe(1);
    expect(sim.stats()).toMatchObject({ commands: 2, roundTrips: 1 });
    expect(sim.inspect.file('/gpfs0/never').isErr()).toBe(true);
    const all = (await sim.runBatch([{ argv: ['false'] }, { argv: ['true'] }]))._unsafeUnwrap();
    expect(all.outputs.map((output) => output.exitCode)).toEqual([1, 0]);
    const slow = await sim.runBatch([{ argv: ['sleep', '1'] }, { argv: ['sleep', '1'] }, { argv: ['true'] }], { timeoutMs: 1500 });
    expect(slow._unsafeUnwrapErr()).toMatchObject({ kind: 'Timeout', timeoutMs: 1500 });
  });

  it('advances a virtual clock by per-command costs and a per-round-trip cost, configurable', async () => {
    const sim = createGpfsSimulator({ latency: { roundTripMs: 10, mmCommandMs: 500, systemCommandMs: 1, commandMs: { mmgetstate: 700 } } });
    const start = sim.clock.elapsedMs();
    expect((await ok(sim, ['mmgetstate', '-Y'])).durationMs).toBe(710);
    expect((await ok(sim, ['mmlsfileset', 'gpfs0', '-Y'])).durationMs).toBe(410);
    expect((await ok(sim, ['true'])).durationMs).toBe(11);
    expect((await sim.runBatch([{ argv: ['true'] }, { argv: ['true'] }]))._unsafeUnwrap().outputs.map((output) => output.exitCode)).toEqual([0, 0]);
    expect(sim.clock.elapsedMs() - start).toBe(710 + 410 + 11 + 12);
    sim.clock.setLatency({ commandMs: { mmlsfileset: 50 } })._unsafeUnwrap();
    expect((await ok(sim, ['mmlsfileset', 'gpfs0', '-Y'])).durationMs).toBe(60);
    expect(sim.clock.setLatency({ roundTripMs: -1 }).isErr()).toBe(true);
    sim.clock.advance(60_000);
    await ok(sim, ['truncate', '-s', '0', '/gpfs0/aged']);
    expect(Number((await ok(sim, ['stat', '-c', '%Y', '/gpfs0/aged'])).stdout) * 1000).toBeGreaterThanOrEqual(sim.clock.now() - 2000);
    expect(sim.log.text()).toContain('# mmgetstate -Y  exit 0  700 ms');
  });

  it('validates options: a Result-returning factory refuses them, the plain one falls back and reports them', () => {
    const bad = { clusterId: 'abc', filesystems: [{ device: 'gpfs0', mountPoint: 'relative', blockSizeBytes: 3 }], latency: { roundTripMs: -5 }, bogus: 1 };
    const refused = tryCreateGpfsSimulator(bad);
    expect(refused._unsafeUnwrapErr()).toMatchObject({ kind: 'SimulatorError', reason: 'InvalidOptions' });
    expect(refused._unsafeUnwrapErr().problems).toEqual(
      expect.arrayContaining([
        "unknown option 'bogus'",
        'clusterId must be a string of 1 to 20 digits',
        "filesystems[0].mountPoint must be an absolute path other than '/'",
        expect.stringContaining('filesystems[0].blockSizeBytes'),
        'latency.roundTripMs must be a non-negative number',
      ]),
    );
    const lenient = createGpfsSimulator(bad);
    expect(lenient.optionProblems.length).toBe(5);
    expect(lenient.inspect.mounts()).toEqual([{ device: 'gpfs0', mountPoint: '/gpfs0', mounted: true, effective: true }]);
    expect(validateSimulatorOptions({ nodes: [] }).isErr()).toBe(true);
    expect(
      validateSimulatorOptions({
        filesystems: [
          { device: 'a', mountPoint: '/x' },
          { device: 'b', mountPoint: '/x/y' },
        ],
      }).isErr(),
    ).toBe(true);
    expect(createGpfsSimulator('nonsense' as never).optionProblems).toEqual(['options must be an object']);
  });

  it('snapshots the whole state as plain data: equal for equal histories, different after a change', async () => {
    const build = async () => {
      const sim = createGpfsSimulator();
      await ok(sim, ['truncate', '-s', '1G', '/gpfs0/volume-1']);
      await ok(sim, ['mmclone', 'snap', '/gpfs0/volume-1', '/gpfs0/volume-1.snap']);
      await ok(sim, ['mmcrsnapshot', 'gpfs0', 's1']);
      return sim;
    };
    const first = await build();
    const second = await build();
    expect(first.inspect.snapshotState()).toEqual(second.inspect.snapshotState());
    expect(JSON.parse(JSON.stringify(first.inspect.snapshotState()))).toEqual(first.inspect.snapshotState());
    await ok(second, ['chmod', '600', '/gpfs0/volume-1']);
    expect(first.inspect.snapshotState()).not.toEqual(second.inspect.snapshotState());
    const failed = await root(first, ['rm', '/gpfs0/volume-1.snap']);
    expect(failed.exitCode).toBe(1);
    expect(first.inspect.snapshotState()).toEqual((await build()).inspect.snapshotState());
  });

  it('runs file commands as an unprivileged user without asRoot', async () => {
    const sim = createGpfsSimulator();
    const denied = await sim.run({ argv: ['truncate', '-s', '1G', '/gpfs0/volume-1'] });
    expect(denied._unsafeUnwrap()).toMatchObject({ exitCode: 1, stderr: "truncate: cannot open '/gpfs0/volume-1' for writing: Permission denied\n" });
    expect((await sim.run({ argv: ['truncate', '-s', '1M', '/tmp/mine'] }))._unsafeUnwrap().exitCode).toBe(0);
    expect(sim.inspect.file('/tmp/mine')._unsafeUnwrap()).toMatchObject({ uid: 1000, gid: 1000, mode: 0o644 });
    expect((await sim.run({ argv: ['chown', 'root', '/tmp/mine'] }))._unsafeUnwrap().stderr).toContain('Operation not permitted');
    expect((await sim.run({ argv: ['sudo', '-n', 'truncate', '-s', '1M', '/gpfs0/v'] }))._unsafeUnwrap().exitCode).toBe(0);
    expect((await sim.run({ argv: ['id', '-u'] }))._unsafeUnwrap().stdout).toBe('1000\n');
  });
});
