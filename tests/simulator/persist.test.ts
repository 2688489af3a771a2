import { describe, expect, it } from 'vitest';
import { createGpfsSimulator } from '../../src/index.js';
import { loadState, saveState } from '../../src/simulator/persist.js';
import type { InternalSimulator } from '../../src/simulator/simulator.js';
import { ok, root } from './support.js';

describe('simulator: saving and loading state (gpfs-sim state directory)', () => {
  it('restores files, clones, filesets, snapshots, mounts, counters, log and plain faults', async () => {
    const options = {
      filesystems: [
        { device: 'gpfs0', mountPoint: '/gpfs0', filesets: ['cg'] },
        { device: 'gpfs1', mountPoint: '/gpfs1' },
      ],
    };
    const sim = createGpfsSimulator(options) as InternalSimulator;
    sim.control.seedFile({ path: '/gpfs0/cg/base', content: 'base content', sizeBytes: 1024 ** 3 })._unsafeUnwrap();
    await ok(sim, ['mmclone', 'snap', '/gpfs0/cg/base', '/gpfs0/cg/base.snap']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/cg/base.snap', '/gpfs0/cg/clone']);
    await ok(sim, ['dd', 'of=/gpfs0/cg/clone', 'seek=3', 'bs=1M', 'conv=notrunc', 'status=none'], { stdin: 'written' });
    await ok(sim, ['mmcrsnapshot', 'gpfs0', 'global']);
    await ok(sim, ['mmcrsnapshot', 'gpfs0', 'fs-snap', '-j', 'cg']);
    await ok(sim, ['mmclone', 'copy', '/gpfs0/.snapshots/global/cg/clone', '/gpfs0/cg/from-snapshot']);
    await ok(sim, ['mmcrfileset', 'gpfs0', 'spare']);
    await ok(sim, ['ln', '-s', '/gpfs0/cg/clone', '/tmp/link']);
    sim.control.unmount('gpfs1')._unsafeUnwrap();
    sim.faults.failWhen({ command: 'mmlsfs' }, { exitCode: 3, stderr: 'saved fault\n' }, { times: 1 });
    sim.faults.failWhen(() => true, { exitCode: 4 }, { times: 0 });
    const saved = JSON.parse(JSON.stringify(saveState(sim, options)));
    const loaded = loadState(saved)._unsafeUnwrap();
    expect(loaded.inspect.snapshotState()).toEqual(sim.inspect.snapshotState());
    expect(loaded.stats()).toEqual(sim.stats());
    expect(loaded.log.entries()).toEqual(sim.log.entries());
    expect(loaded.faults.list().map((fault) => fault.spec)).toEqual([{ match: { command: 'mmlsfs' }, outcome: { exitCode: 3, stderr: 'saved fault\n' }, times: 1, timing: 'before' }]);
    expect(await root(loaded, ['mmlsfs', 'gpfs0'])).toMatchObject({ exitCode: 3, stderr: 'saved fault\n' });
    expect(loaded.inspect.mounts()).toEqual(sim.inspect.mounts());
    await ok(loaded, ['dd', 'of=/gpfs0/cg/clone', 'seek=5', 'bs=1M', 'conv=notrunc', 'status=none'], { stdin: 'after load' });
    expect(loaded.inspect.digest('/gpfs0/.snapshots/global/cg/clone')._unsafeUnwrap()).toBe(sim.inspect.digest('/gpfs0/.snapshots/global/cg/clone')._unsafeUnwrap());
    expect(loaded.inspect.digest('/gpfs0/cg/clone')._unsafeUnwrap()).not.toBe(sim.inspect.digest('/gpfs0/cg/clone')._unsafeUnwrap());
    expect((await root(loaded, ['rm', '/gpfs0/cg/base.snap'])).stderr).toContain('Read-only file system');
    expect((await ok(loaded, ['cat', '/tmp/link'], { stdoutSink: () => undefined })).exitCode).toBe(0);
    await ok(loaded, ['truncate', '-s', '1', '/gpfs0/cg/new-file']);
    expect(loaded.inspect.file('/gpfs0/cg/new-file')._unsafeUnwrap().inode).toBe(sim.inspect.files({ under: '/gpfs0/cg' }).reduce((max, file) => Math.max(max, file.inode), 0) + 1);
  });

  it('refuses state it cannot read, as data', () => {
    expect(loadState({ version: 99 })._unsafeUnwrapErr()).toMatchObject({ kind: 'SimulatorError', reason: 'InvalidStateFile' });
    expect(loadState(null).isErr()).toBe(true);
    expect(loadState({ version: 1, options: { filesystems: 'x' } }).isErr()).toBe(true);
  });
});
