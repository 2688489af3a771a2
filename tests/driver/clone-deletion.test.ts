import fc from 'fast-check';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { deleteWithCloneTree } from '../../src/driver/clone-deletion.js';
import type { RunnerError } from '../../src/errors.js';
import { countRoundTrips } from '../../src/runners/counting.js';
import type { Command, CommandOutput, CommandRunner } from '../../src/runners/types.js';
import { createGpfsSimulator } from '../../src/simulator/index.js';

const VOLUMES = '/gpfs0/volumes';

type Simulator = ReturnType<typeof createGpfsSimulator>;

/** Runs a setup command on the simulator and insists that it worked. */
async function must(sim: CommandRunner, ...argv: string[]): Promise<CommandOutput> {
  const output = (await sim.run({ argv, asRoot: true }))._unsafeUnwrap();
  expect(output.exitCode, `${argv.join(' ')}: ${output.stderr}`).toBe(0);
  return output;
}

async function newSimulator(...directories: string[]): Promise<Simulator> {
  const sim = createGpfsSimulator();
  for (const directory of [VOLUMES, ...directories]) await must(sim, 'mkdir', '-p', directory);
  return sim;
}

async function exists(sim: CommandRunner, path: string): Promise<boolean> {
  const output = (await sim.run({ argv: ['test', '-e', path] }))._unsafeUnwrap();
  return output.exitCode === 0;
}

async function namesIn(sim: CommandRunner, directory: string): Promise<string[]> {
  const output = await must(sim, 'find', directory, '-mindepth', '1', '-maxdepth', '1', '-printf', '%f\\n');
  return output.stdout
    .split('\n')
    .filter((name) => name !== '')
    .sort();
}

/** `mmclone show` of one file: its parent inode, or null. */
async function parentInodeOf(sim: CommandRunner, path: string): Promise<number | null> {
  const output = await must(sim, 'mmclone', 'show', path);
  const row = output.stdout.split('\n')[2] ?? '';
  const match = /^\s*(?:yes|no)?\s+\d+\s+(\d+)\s{2}/.exec(row);
  return match ? Number(match[1]) : null;
}

async function inodeOf(sim: CommandRunner, path: string): Promise<number> {
  return Number((await must(sim, 'stat', '-c', '%i', path)).stdout.trim());
}

/**
 * A chain of `depth` hidden parents under one volume: `mmclone snap volume p-1.snap`, then
 * `mmclone snap volume p-2.snap` (p-2.snap's parent is p-1.snap), ... so the volume has depth `depth`.
 */
async function chainOfDepth(sim: CommandRunner, depth: number): Promise<string> {
  const volume = `${VOLUMES}/volume-0`;
  await must(sim, 'truncate', '-s', '1G', volume);
  for (let level = 1; level <= depth; level += 1) await must(sim, 'mmclone', 'snap', volume, `${VOLUMES}/p-${level}.snap`);
  return volume;
}

/** Wraps a runner; `reply` may answer a command instead of the runner (before it takes effect). */
function intercept(runner: CommandRunner, reply: (command: Command) => CommandOutput | RunnerError | undefined): CommandRunner {
  const run = (command: Command): ResultAsync<CommandOutput, RunnerError> => {
    const answer = reply(command);
    if (answer === undefined) return runner.run(command);
    return 'kind' in answer ? errAsync(answer) : okAsync(answer);
  };
  return { name: 'intercepting', run };
}

function output(argv: readonly string[], exitCode: number, stdout: string, stderr: string): CommandOutput {
  return { argv, exitCode, signal: null, stdout, stderr, durationMs: 1 };
}

describe('driver: deleteWithCloneTree', () => {
  it.each(Array.from({ length: 50 }, (_, index) => index + 1))('deletes a volume with a clone chain of depth %i in at most 3 round trips', async (depth) => {
    const sim = await newSimulator();
    const volume = await chainOfDepth(sim, depth);
    const counted = countRoundTrips(sim);
    const report = (await deleteWithCloneTree(counted, { targetPath: volume, directories: [VOLUMES] }))._unsafeUnwrap();
    expect(counted.roundTrips).toBeLessThanOrEqual(3);
    expect(report.roundTrips).toBe(counted.roundTrips);
    expect(report.removed).toEqual([volume, ...Array.from({ length: depth }, (_, index) => `${VOLUMES}/p-${depth - index}.snap`)]);
    expect(report.kept).toEqual([]);
    expect(await namesIn(sim, VOLUMES)).toEqual([]);
  });

  it('succeeds without changing anything when the target is already gone', async () => {
    const sim = await newSimulator();
    await must(sim, 'truncate', '-s', '1M', `${VOLUMES}/other`);
    const counted = countRoundTrips(sim);
    const report = (await deleteWithCloneTree(counted, { targetPath: `${VOLUMES}/volume-1`, directories: [] }))._unsafeUnwrap();
    expect(report).toMatchObject({ targetFound: false, removed: [], kept: [], plan: null, roundTrips: 1 });
    expect(counted.roundTrips).toBe(1);
    expect(await namesIn(sim, VOLUMES)).toEqual(['other']);
  });

  it('keeps a .snap shared by two volumes until the second one is deleted', async () => {
    const sim = await newSimulator();
    await must(sim, 'truncate', '-s', '1G', `${VOLUMES}/volume-1`);
    await must(sim, 'mmclone', 'snap', `${VOLUMES}/volume-1`, `${VOLUMES}/volume-2.snap`);
    await must(sim, 'mmclone', 'copy', `${VOLUMES}/volume-2.snap`, `${VOLUMES}/volume-2`);
    const first = (await deleteWithCloneTree(sim, { targetPath: `${VOLUMES}/volume-1`, directories: [VOLUMES] }))._unsafeUnwrap();
    expect(first.removed).toEqual([`${VOLUMES}/volume-1`]);
    expect(first.kept).toMatchObject([{ path: `${VOLUMES}/volume-2.snap`, reason: 'StillHasChildren' }]);
    const second = (await deleteWithCloneTree(sim, { targetPath: `${VOLUMES}/volume-2`, directories: [VOLUMES] }))._unsafeUnwrap();
    expect(second.removed).toEqual([`${VOLUMES}/volume-2`, `${VOLUMES}/volume-2.snap`]);
    expect(await namesIn(sim, VOLUMES)).toEqual([]);
  });

  it('stops at a live snapshot and collapses the tombstone when the last clone goes', async () => {
    const sim = await newSimulator();
    await must(sim, 'truncate', '-s', '1G', `${VOLUMES}/volume-1`);
    await must(sim, 'mmclone', 'snap', `${VOLUMES}/volume-1`, `${VOLUMES}/snapshot-A`);
    await must(sim, 'mmclone', 'copy', `${VOLUMES}/snapshot-A`, `${VOLUMES}/volume-2`);
    const live = (await deleteWithCloneTree(sim, { targetPath: `${VOLUMES}/volume-2`, directories: [VOLUMES] }))._unsafeUnwrap();
    expect(live.kept).toMatchObject([{ path: `${VOLUMES}/snapshot-A`, reason: 'NotDisposable' }]);
    await must(sim, 'mv', `${VOLUMES}/snapshot-A`, `${VOLUMES}/snapshot-A.ts`);
    const last = (await deleteWithCloneTree(sim, { targetPath: `${VOLUMES}/volume-1`, directories: [VOLUMES] }))._unsafeUnwrap();
    expect(last.removed).toEqual([`${VOLUMES}/volume-1`, `${VOLUMES}/snapshot-A.ts`]);
    expect(await namesIn(sim, VOLUMES)).toEqual([]);
  });

  it('never removes an image parent in a directory it did not list', async () => {
    const sim = await newSimulator('/gpfs0/images');
    await must(sim, 'truncate', '-s', '1G', '/gpfs0/images/base.snap');
    await must(sim, 'mmclone', 'snap', '/gpfs0/images/base.snap');
    await must(sim, 'mmclone', 'copy', '/gpfs0/images/base.snap', `${VOLUMES}/volume-5`);
    const report = (await deleteWithCloneTree(sim, { targetPath: `${VOLUMES}/volume-5`, directories: [VOLUMES] }))._unsafeUnwrap();
    expect(report.removed).toEqual([`${VOLUMES}/volume-5`]);
    expect(report.kept).toEqual([{ path: null, inode: await inodeOf(sim, '/gpfs0/images/base.snap'), reason: 'OutsideListedDirectories' }]);
    expect(await exists(sim, '/gpfs0/images/base.snap')).toBe(true);
  });

  it('collects parents left in another directory by a migration when that directory is listed', async () => {
    const sim = await newSimulator('/gpfs0/old');
    await must(sim, 'truncate', '-s', '1G', '/gpfs0/old/volume-7');
    await must(sim, 'mmclone', 'snap', '/gpfs0/old/volume-7', '/gpfs0/old/volume-7.snap');
    await must(sim, 'mv', '/gpfs0/old/volume-7', `${VOLUMES}/volume-7`);
    const report = (await deleteWithCloneTree(sim, { targetPath: `${VOLUMES}/volume-7`, directories: [VOLUMES, '/gpfs0/old'] }))._unsafeUnwrap();
    expect(report.removed).toEqual([`${VOLUMES}/volume-7`, '/gpfs0/old/volume-7.snap']);
    expect(await namesIn(sim, '/gpfs0/old')).toEqual([]);
  });

  it('refuses a target that is a clone parent with children, and removes nothing', async () => {
    const sim = await newSimulator();
    await chainOfDepth(sim, 2);
    const counted = countRoundTrips(sim);
    const error = (await deleteWithCloneTree(counted, { targetPath: `${VOLUMES}/p-2.snap`, directories: [VOLUMES] }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'PlanError', reason: 'TargetHasChildren', paths: [`${VOLUMES}/p-2.snap`] });
    expect(counted.roundTrips).toBe(2);
    expect(await namesIn(sim, VOLUMES)).toEqual(['p-1.snap', 'p-2.snap', 'volume-0']);
  });

  it('reports a target rm that fails as CommandFailed with argv, exit code and stderr', async () => {
    const sim = await newSimulator();
    const volume = await chainOfDepth(sim, 1);
    const stderr = `rm: cannot remove '${volume}': Permission denied\n`;
    const runner = intercept(sim, (command) => (command.argv[0] === 'rm' && command.argv.includes(volume) ? output(command.argv, 1, '', stderr) : undefined));
    const error = (await deleteWithCloneTree(runner, { targetPath: volume, directories: [VOLUMES] }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'CommandFailed', step: 'remove-target', argv: ['rm', '-f', '--', volume], exitCode: 1, stderr });
    expect(await namesIn(sim, VOLUMES)).toEqual(['p-1.snap', 'volume-0']);
  });

  it('returns runner errors and unreadable output as typed errors', async () => {
    const sim = await newSimulator();
    const volume = await chainOfDepth(sim, 1);
    const lost: RunnerError = { kind: 'ConnectionLost', runner: 'test', argv: ['mmclone'], message: 'connection reset', host: 'node1' };
    const dropped = intercept(sim, (command) => (command.argv[0] === 'mmclone' ? lost : undefined));
    expect((await deleteWithCloneTree(dropped, { targetPath: volume, directories: [VOLUMES] }))._unsafeUnwrapErr()).toEqual(lost);
    const garbled = intercept(sim, (command) => (command.argv[0] === 'mmclone' ? output(command.argv, 0, 'Parent  Depth   Parent inode   File name\nnot a rule\n', '') : undefined));
    expect((await deleteWithCloneTree(garbled, { targetPath: volume, directories: [VOLUMES] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'ParseError', parser: 'parseMmcloneShow', line: 2 });
    const broken = intercept(sim, (command) => (command.argv[0] === 'mmclone' ? output(command.argv, 127, '', 'mmclone: command not found\n') : undefined));
    expect((await deleteWithCloneTree(broken, { targetPath: volume, directories: [VOLUMES] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'CommandFailed', step: 'show-clones', exitCode: 127 });
    expect(await namesIn(sim, VOLUMES)).toEqual(['p-1.snap', 'volume-0']);
  });

  it('reports the round trips it made through a runner that cannot batch', async () => {
    const sim = await newSimulator();
    const volume = await chainOfDepth(sim, 3);
    const unbatched = countRoundTrips({ name: 'one-by-one', run: (command) => sim.run(command) });
    const report = (await deleteWithCloneTree(unbatched, { targetPath: volume, directories: [VOLUMES] }))._unsafeUnwrap();
    // listing + mmclone show + 4 rm + the existence check, one round trip each
    expect(report.roundTrips).toBe(7);
    expect(unbatched.roundTrips).toBe(7);
    expect(await namesIn(sim, VOLUMES)).toEqual([]);
  });

  it('runs preflight checks in the first round trip and stops before listing when one fails', async () => {
    const sim = await newSimulator();
    const volume = await chainOfDepth(sim, 4);
    const failing = countRoundTrips(sim);
    const check = { argv: ['test', '-d', '/gpfs0/not-mounted'], asRoot: true };
    const error = (await deleteWithCloneTree(failing, { targetPath: volume, directories: [VOLUMES], preflight: [check] }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'CommandFailed', step: 'preflight', argv: check.argv, exitCode: 1 });
    expect(failing.roundTrips).toBe(1);
    expect(failing.trips[0]).toMatchObject({ method: 'runBatch', argvs: [check.argv, ['find', VOLUMES, '-mindepth', '1', '-maxdepth', '1', '-printf', '%i %s %b %m %y %p\\0']] });
    expect(await namesIn(sim, VOLUMES)).toEqual(['p-1.snap', 'p-2.snap', 'p-3.snap', 'p-4.snap', 'volume-0']);
    const passing = countRoundTrips(sim);
    const report = (await deleteWithCloneTree(passing, { targetPath: volume, directories: [VOLUMES], preflight: [{ argv: ['test', '-d', VOLUMES] }] }))._unsafeUnwrap();
    expect(passing.roundTrips).toBe(3);
    expect(report.roundTrips).toBe(3);
    expect(await namesIn(sim, VOLUMES)).toEqual([]);
  });

  it('rejects a relative target path without running anything', async () => {
    const sim = await newSimulator();
    const counted = countRoundTrips(sim);
    const error = (await deleteWithCloneTree(counted, { targetPath: 'volume-1', directories: [VOLUMES] }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'InvalidArgument', argument: 'targetPath' });
    expect(counted.roundTrips).toBe(0);
  });
});

/**
 * The simulator seen through a fast-check scheduler: each command starts only when the scheduler releases it,
 * so the commands of concurrent callers take effect in every order the scheduler tries.
 */
function scheduled(sim: CommandRunner, scheduler: fc.Scheduler, label: string): CommandRunner {
  return {
    name: label,
    run: (command) => new ResultAsync(scheduler.schedule(Promise.resolve(label), command.argv.join(' ')).then(() => sim.run(command))),
  };
}

describe('driver: deleteWithCloneTree under concurrency', () => {
  it('two deletions of siblings sharing a parent leave neither the parent nor a child behind', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.nat({ max: 3 }), async (scheduler, extraLevels) => {
        const sim = await newSimulator();
        await must(sim, 'truncate', '-s', '1G', `${VOLUMES}/volume-1`);
        for (let level = 0; level < extraLevels; level += 1) await must(sim, 'mmclone', 'snap', `${VOLUMES}/volume-1`, `${VOLUMES}/old-${level}.snap`);
        await must(sim, 'mmclone', 'snap', `${VOLUMES}/volume-1`, `${VOLUMES}/volume-2.snap`);
        await must(sim, 'mmclone', 'copy', `${VOLUMES}/volume-2.snap`, `${VOLUMES}/volume-2`);
        const deletions = Promise.all([
          deleteWithCloneTree(scheduled(sim, scheduler, 'a'), { targetPath: `${VOLUMES}/volume-1`, directories: [VOLUMES] }),
          deleteWithCloneTree(scheduled(sim, scheduler, 'b'), { targetPath: `${VOLUMES}/volume-2`, directories: [VOLUMES] }),
        ]);
        await scheduler.waitFor(deletions);
        const [first, second] = await deletions;
        expect(first.isOk() && second.isOk()).toBe(true);
        expect(await namesIn(sim, VOLUMES)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('a clone made from a parent while its last other child is deleted never loses its parent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (scheduler) => {
        const sim = await newSimulator();
        await must(sim, 'truncate', '-s', '1G', `${VOLUMES}/volume-1`);
        await must(sim, 'mmclone', 'snap', `${VOLUMES}/volume-1`, `${VOLUMES}/volume-1.snap`);
        const parent = `${VOLUMES}/volume-1.snap`;
        const deletion = deleteWithCloneTree(scheduled(sim, scheduler, 'delete'), { targetPath: `${VOLUMES}/volume-1`, directories: [VOLUMES] });
        const cloning = scheduled(sim, scheduler, 'clone').run({ argv: ['mmclone', 'copy', parent, `${VOLUMES}/volume-3`], asRoot: true });
        const both = Promise.all([deletion, cloning]);
        await scheduler.waitFor(both);
        const [deleted, cloned] = await both;
        expect(deleted.isOk()).toBe(true);
        expect(await exists(sim, `${VOLUMES}/volume-1`)).toBe(false);
        if (cloned._unsafeUnwrap().exitCode === 0) {
          // The clone exists: its parent must too, and be the file it was cloned from.
          expect(await exists(sim, parent)).toBe(true);
          expect(await parentInodeOf(sim, `${VOLUMES}/volume-3`)).toBe(await inodeOf(sim, parent));
        } else {
          // The parent went first: the clone was refused, so no clone lost its parent.
          expect(await exists(sim, `${VOLUMES}/volume-3`)).toBe(false);
          expect(await exists(sim, parent)).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });
});
