import { describe, expect, it } from 'vitest';
import { countRoundTrips, createMockRunner, runCommands, type CommandRunner } from '../../src/index.js';

describe('runners: countRoundTrips', () => {
  it('counts one round trip per run and records its argv', async () => {
    const counted = countRoundTrips(createMockRunner());
    (await counted.run({ argv: ['mmgetstate', '-Y'] }))._unsafeUnwrap();
    (await counted.run({ argv: ['mmlsfs', 'all', '-Y'] }))._unsafeUnwrap();
    expect(counted.roundTrips).toBe(2);
    expect(counted.trips).toEqual([
      { method: 'run', argvs: [['mmgetstate', '-Y']] },
      { method: 'run', argvs: [['mmlsfs', 'all', '-Y']] },
    ]);
  });

  it('counts a whole batch as one round trip and records every argv in it', async () => {
    const mock = createMockRunner();
    const counted = countRoundTrips(mock);
    const batch = await runCommands(counted, [{ argv: ['a'] }, { argv: ['b'] }, { argv: ['c'] }]);
    expect(batch._unsafeUnwrap().outputs).toHaveLength(3);
    expect(counted.roundTrips).toBe(1);
    expect(counted.trips).toEqual([{ method: 'runBatch', argvs: [['a'], ['b'], ['c']] }]);
    expect(mock.roundTrips).toBe(1);
  });

  it('has no runBatch when the wrapped runner has none, so each batched command costs a round trip', async () => {
    const mock = createMockRunner();
    const runOnly: CommandRunner = { name: 'run-only', run: (command) => mock.run(command) };
    const counted = countRoundTrips(runOnly);
    expect(counted.runBatch).toBeUndefined();
    (await runCommands(counted, [{ argv: ['a'] }, { argv: ['b'] }]))._unsafeUnwrap();
    expect(counted.roundTrips).toBe(2);
    expect(counted.trips.map((trip) => trip.method)).toEqual(['run', 'run']);
  });

  it('counts calls that fail as round trips too', async () => {
    const counted = countRoundTrips(createMockRunner({ strict: true }));
    expect((await counted.run({ argv: ['unexpected'] })).isErr()).toBe(true);
    expect(counted.roundTrips).toBe(1);
  });

  it('starts again from zero after reset', async () => {
    const counted = countRoundTrips(createMockRunner());
    (await counted.run({ argv: ['a'] }))._unsafeUnwrap();
    counted.reset();
    (await counted.run({ argv: ['b'] }))._unsafeUnwrap();
    expect(counted.trips).toEqual([{ method: 'run', argvs: [['b']] }]);
  });

  it('passes results, name and dispose through unchanged', async () => {
    let disposed = 0;
    const mock = createMockRunner({ name: 'inner' }).on(['true'], { stdout: 'from inner' });
    const withDispose: CommandRunner = { name: mock.name, run: (command) => mock.run(command), dispose: () => Promise.resolve(void (disposed += 1)) };
    const counted = countRoundTrips(withDispose);
    expect(counted.name).toBe('inner');
    expect(counted.inner).toBe(withDispose);
    expect((await counted.run({ argv: ['true'] }))._unsafeUnwrap().stdout).toBe('from inner');
    await counted.dispose?.();
    expect(disposed).toBe(1);
    expect(countRoundTrips(mock).dispose).toBeUndefined();
  });
});
