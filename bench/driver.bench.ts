/**
 * Driver bench: round trips and simulated wall time of each driver operation under the simulator's
 * latency model, next to the 2014 seed driver's command sequence for the same operation (written from
 * ../shared/seed/gpfs-driver-seed.txt: one process, so one round trip, per command, including its
 * separate mmlsattr mount check, its find -inum walk with per-level rm and existence checks), both
 * replayed against fresh simulators in the same run. Printed for the default model and for a model with
 * an SSH-like 25 ms round trip. Local checks of the seed (os.path.isdir/exists, os.lstat) are replayed
 * as commands (test -d/-e, stat -f), as they must be when GPFS is remote.
 */
import { createGpfsDriver, type GpfsDriver } from '../src/driver/driver.js';
import { countRoundTrips, type CountingRunner } from '../src/runners/counting.js';
import type { ResultAsync } from 'neverthrow';
import type { GpfsError } from '../src/driver/errors.js';
import type { CommandOutput } from '../src/runners/types.js';
import { createGpfsSimulator, type GpfsSimulator, type LatencyModel, type SimulatorOptions } from '../src/simulator/index.js';

const BASE = '/gpfs0/volumes';
const IMAGES = '/gpfs0/images';
const VOLUME = `${BASE}/volume-1`;

type Run = (...argv: string[]) => Promise<CommandOutput>;

interface Scenario {
  readonly name: string;
  /** State both sides start from (commands straight to the simulator, not measured). */
  readonly prepare: (sim: GpfsSimulator) => Promise<void>;
  /** The driver operation (the driver has run setup unless `noSetup`). */
  readonly ours: (driver: GpfsDriver) => ResultAsync<unknown, GpfsError>;
  /** The seed's command sequence. */
  readonly seed: (run: Run) => Promise<void>;
  /** What must exist (true) or be gone (false) afterwards, on both sides. */
  readonly expect: Readonly<Record<string, boolean>>;
  readonly noSetup?: boolean;
  /** Simulator options (the latency model is the bench's). */
  readonly simulator?: Omit<SimulatorOptions, 'latency'>;
}

interface Measured {
  readonly roundTrips: number;
  readonly virtualMs: number;
}

/** Runs the bench and prints its tables. */
export async function run(): Promise<void> {
  const models: readonly [string, Partial<LatencyModel>][] = [
    ['default latency model (round trip 5 ms, mm* commands 60-350 ms)', {}],
    ['SSH-like round trip (25 ms), same command costs', { roundTripMs: 25 }],
  ];
  for (const [title, latency] of models) {
    console.log(`\n${title}`);
    console.log(
      `${'operation'.padEnd(30)}${'driver RT'.padStart(10)}${'driver ms'.padStart(11)}${'seed RT'.padStart(9)}${'seed ms'.padStart(10)}${'RT ratio'.padStart(10)}${'time ratio'.padStart(12)}`,
    );
    for (const scenario of SCENARIOS) {
      const ours = await measure(scenario, latency, 'ours');
      const seed = await measure(scenario, latency, 'seed');
      console.log(
        `${scenario.name.padEnd(30)}${String(ours.roundTrips).padStart(10)}${String(ours.virtualMs).padStart(11)}${String(seed.roundTrips).padStart(9)}${String(seed.virtualMs).padStart(10)}` +
          `${`${(seed.roundTrips / ours.roundTrips).toFixed(1)}x`.padStart(10)}${`${(seed.virtualMs / ours.virtualMs).toFixed(2)}x`.padStart(12)}`,
      );
    }
  }
}

// --- Internal helpers ---

async function measure(scenario: Scenario, latency: Partial<LatencyModel>, side: 'ours' | 'seed'): Promise<Measured> {
  const sim = createGpfsSimulator({ ...scenario.simulator, latency });
  for (const directory of [BASE, IMAGES]) sim.control.mkdir(directory)._unsafeUnwrap();
  await scenario.prepare(sim);
  const counted: CountingRunner = countRoundTrips(sim);
  let driver: GpfsDriver | null = null;
  if (side === 'ours') {
    driver = createGpfsDriver({ runner: counted, mountPointBase: BASE, imagesDir: IMAGES, imagesShareMode: 'copy_on_write' });
    if (scenario.noSetup !== true) check((await driver.setup()).isOk(), `${scenario.name}: setup`);
  }
  counted.reset();
  const started = sim.clock.elapsedMs();
  if (driver !== null) check((await scenario.ours(driver)).isOk(), `${scenario.name}: driver operation failed`);
  else {
    const run: Run = async (...argv) => (await counted.run({ argv, asRoot: true }))._unsafeUnwrap();
    await scenario.seed(run);
  }
  const measured = { roundTrips: counted.roundTrips, virtualMs: Math.round(sim.clock.elapsedMs() - started) };
  for (const [path, exists] of Object.entries(scenario.expect)) {
    check(sim.inspect.file(path).isOk() === exists, `${scenario.name} (${side}): ${path} should ${exists ? 'exist' : 'be gone'}`);
  }
  return measured;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`bench: ${message}`);
}

async function simRun(sim: GpfsSimulator, ...argv: string[]): Promise<void> {
  const output = (await sim.run({ argv, asRoot: true }))._unsafeUnwrap();
  check(output.exitCode === 0, `prepare: ${argv.join(' ')}: ${output.stderr}`);
}

const withVolume = async (sim: GpfsSimulator): Promise<void> => {
  await simRun(sim, 'truncate', '-s', '1G', VOLUME);
  await simRun(sim, 'dd', 'if=/dev/urandom', `of=${VOLUME}`, 'bs=1M', 'count=4', 'conv=notrunc', 'status=none');
  await simRun(sim, 'chmod', '660', VOLUME);
};
const withSnapshot = async (sim: GpfsSimulator): Promise<void> => {
  await withVolume(sim);
  await simRun(sim, 'mmclone', 'snap', VOLUME, `${BASE}/snap-1`);
  await simRun(sim, 'chmod', '640', `${BASE}/snap-1`);
};
const withImage = async (sim: GpfsSimulator): Promise<void> => {
  await simRun(sim, 'truncate', '-s', '1G', `${IMAGES}/img-1`);
  await simRun(sim, 'dd', 'if=/dev/urandom', `of=${IMAGES}/img-1`, 'bs=1M', 'count=4', 'conv=notrunc', 'status=none');
};
/** volume-1 with `depth` hidden `.snap` parents above it, each with one child. */
const withChain =
  (depth: number) =>
  async (sim: GpfsSimulator): Promise<void> => {
    await withVolume(sim);
    for (let level = 1; level <= depth; level += 1) await simRun(sim, 'mmclone', 'snap', VOLUME, `${BASE}/p-${level}.snap`);
  };

/** The seed's `_verify_gpfs_path_state(base)`: a separate `mmlsattr` before most operations. */
const seedMountCheck = (run: Run) => run('mmlsattr', BASE);
/** The seed's `_resize_volume_file`: `qemu-img resize` (no -f) then `qemu_img_info` (2014 image_utils: env LC_ALL=C). */
const seedResize = async (run: Run, path: string, sizeGiB: number) => {
  await run('qemu-img', 'resize', path, `${sizeGiB}G`);
  await run('env', 'LC_ALL=C', 'LANG=C', 'qemu-img', 'info', path);
};

/** The seed's `_delete_gpfs_file`: exists, mmclone show, find -inum, rm -f, exists, then recurse into a `.snap`/`.ts` parent. */
async function seedDeleteFile(run: Run, child: string): Promise<void> {
  for (let current: string | null = child; current !== null;) {
    if ((await run('test', '-e', current)).exitCode !== 0) return;
    const shown = await run('mmclone', 'show', current);
    const inode = /\s+(?:yes|no)\s+\d+\s+(\d+)/.exec(shown.stdout)?.[1];
    const directory: string = current.slice(0, current.lastIndexOf('/'));
    const parent: string = inode === undefined ? '' : ((await run('find', directory, '-maxdepth', '1', '-inum', inode)).stdout.split('\n')[0] ?? '');
    await run('rm', '-f', current);
    const removed: boolean = (await run('test', '-e', current)).exitCode !== 0;
    current = removed && (parent.endsWith('.snap') || parent.endsWith('.ts')) ? parent : null;
  }
}

/** A file system with a second data pool: there the driver assigns the pool of clones (upstream's LP#1386650 fix; the seed does not). */
const TWO_POOLS: Omit<SimulatorOptions, 'latency'> = { filesystems: [{ device: 'gpfs0', mountPoint: '/gpfs0', pools: ['system', 'data'] }] };

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'setup (images, copy_on_write)',
    noSetup: true,
    prepare: async () => {},
    ours: (driver) => driver.setup(),
    seed: async (run) => {
      // do_setup
      await run('mmlsconfig', 'clusterId', '-Y');
      await run('df', BASE);
      await run('mmlspool', 'gpfs0', 'system');
      // check_for_setup_error
      await run('mmgetstate', '-Y');
      await run('stat', '-f', '-c', '%i', BASE, IMAGES);
      await run('mmlsattr', '-L', BASE);
      await run('mmlsattr', '-L', IMAGES);
      await run('mmlsconfig', 'minreleaseLeveldaemon', '-Y');
      for (const directory of [BASE, IMAGES]) {
        await run('test', '-d', directory);
        await run('mmlsattr', directory);
        await run('df', directory);
        await run('mmlsfs', 'gpfs0', '-V', '-Y');
      }
    },
    expect: {},
  },
  {
    name: 'createVolume',
    prepare: async () => {},
    ours: (driver) => driver.createVolume({ name: 'volume-1', sizeGiB: 1 }),
    seed: async (run) => {
      await seedMountCheck(run);
      await run('truncate', '-s', '1G', VOLUME);
      await run('chmod', '660', VOLUME);
      await run('mmchattr', '-P', 'system', VOLUME);
    },
    expect: { [VOLUME]: true },
  },
  {
    name: 'createSnapshot',
    prepare: withVolume,
    ours: (driver) => driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }),
    seed: async (run) => {
      await run('mmclone', 'snap', VOLUME, `${BASE}/snap-1`);
      await run('chmod', '640', `${BASE}/snap-1`);
    },
    expect: { [`${BASE}/snap-1`]: true },
  },
  {
    name: 'createVolumeFromSnapshot',
    prepare: withSnapshot,
    ours: (driver) => driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 1 }, { name: 'snap-1', volumeName: 'volume-1' }),
    seed: async (run) => {
      await run('mmclone', 'copy', `${BASE}/snap-1`, `${BASE}/volume-2`);
      await run('chmod', '660', `${BASE}/volume-2`);
      await seedResize(run, `${BASE}/volume-2`, 1);
    },
    expect: { [`${BASE}/volume-2`]: true },
  },
  {
    name: 'createClonedVolume',
    prepare: withVolume,
    ours: (driver) => driver.createClonedVolume({ name: 'volume-2', sizeGiB: 1 }, { name: 'volume-1' }),
    seed: async (run) => {
      await run('mmclone', 'snap', VOLUME, `${BASE}/volume-2.snap`);
      await run('mmclone', 'copy', `${BASE}/volume-2.snap`, `${BASE}/volume-2`);
      await run('chmod', '660', `${BASE}/volume-2`);
      await seedResize(run, `${BASE}/volume-2`, 1);
    },
    expect: { [`${BASE}/volume-2`]: true },
  },
  {
    name: 'fromSnapshot, 2 data pools',
    simulator: TWO_POOLS,
    prepare: withSnapshot,
    ours: (driver) => driver.createVolumeFromSnapshot({ name: 'volume-2', sizeGiB: 1 }, { name: 'snap-1', volumeName: 'volume-1' }),
    seed: async (run) => {
      await run('mmclone', 'copy', `${BASE}/snap-1`, `${BASE}/volume-2`);
      await run('chmod', '660', `${BASE}/volume-2`);
      await seedResize(run, `${BASE}/volume-2`, 1);
    },
    expect: { [`${BASE}/volume-2`]: true },
  },
  {
    name: 'deleteSnapshot',
    prepare: withSnapshot,
    ours: (driver) => driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }),
    seed: async (run) => {
      await run('mv', `${BASE}/snap-1`, `${BASE}/snap-1.ts`);
      await run('rm', '-f', `${BASE}/snap-1.ts`);
    },
    expect: { [`${BASE}/snap-1`]: false },
  },
  ...[1, 5, 20].map((depth): Scenario => ({
    name: `deleteVolume (clone depth ${depth})`,
    prepare: withChain(depth),
    ours: (driver) => driver.deleteVolume({ name: 'volume-1' }),
    seed: async (run) => {
      await seedMountCheck(run);
      await seedDeleteFile(run, VOLUME);
    },
    expect: { [VOLUME]: false, [`${BASE}/p-1.snap`]: false, [`${BASE}/p-${depth}.snap`]: false },
  })),
  {
    name: 'extendVolume',
    prepare: withVolume,
    ours: (driver) => driver.extendVolume({ name: 'volume-1' }, 2),
    seed: (run) => seedResize(run, VOLUME, 2),
    expect: { [VOLUME]: true },
  },
  {
    name: 'createVolumeFromImage (raw)',
    prepare: withImage,
    ours: (driver) => driver.createVolumeFromImage({ name: 'volume-2', sizeGiB: 1 }, 'img-1'),
    seed: async (run) => {
      // _clone_image: mount check, _is_cloneable, _is_gpfs_parent_file, snap, qemu_img_info, copy, chmod, resize.
      await seedMountCheck(run);
      await run('mmlsattr', `${IMAGES}/img-1`);
      const shown = await run('mmclone', 'show', `${IMAGES}/img-1`);
      if (shown.stdout.trim().split('\n').pop()?.trim().split(/\s+/)[0] !== 'yes') await run('mmclone', 'snap', `${IMAGES}/img-1`);
      await run('env', 'LC_ALL=C', 'LANG=C', 'qemu-img', 'info', `${IMAGES}/img-1`);
      await run('mmclone', 'copy', `${IMAGES}/img-1`, `${BASE}/volume-2`);
      await run('chmod', '660', `${BASE}/volume-2`);
      await seedResize(run, `${BASE}/volume-2`, 1);
    },
    expect: { [`${BASE}/volume-2`]: true },
  },
];
