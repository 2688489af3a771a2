/**
 * Suite 5, unmounted or inactive GPFS (issue 7): every mutating operation, on a driver that has cached
 * its facts and on a fresh one, against a file system that is unmounted (with and without a stray
 * directory of the same name on the local disk, where upstream's bugs 1242511 and 1249411 wrote), or a
 * daemon that is down or arbitrating. Each must refuse with `NotMounted` or `GpfsNotActive`, write
 * nothing to the local disk under the mount point (the simulator's local-disk inspection), and leave
 * the GPFS state as it was once the file system is back.
 */
import { createGpfsDriver } from '../../src/driver/driver.js';
import type { SimulatedFile } from '../../src/simulator/index.js';
import { BASE, createCluster, diffObjectStates, objectStates, type Cluster } from './support/cluster.js';
import { availableScenarios, prepareFixture } from './support/operations.js';
import { createCollector, sample, seededRandom, type SuiteOptions, type SuiteReport } from './support/report.js';

/** A way for GPFS to be unusable, and how to undo it. */
interface Condition {
  readonly name: string;
  readonly apply: (cluster: Cluster) => void;
  readonly undo: (cluster: Cluster) => void;
  /** The kinds that are a correct refusal. */
  readonly expected: readonly string[];
}

const MOUNT_POINT = '/gpfs0';

const CONDITIONS: readonly Condition[] = [
  {
    name: 'unmounted',
    apply: (cluster) => cluster.sim.control.unmount('gpfs0')._unsafeUnwrap(),
    undo: (cluster) => cluster.sim.control.mount('gpfs0')._unsafeUnwrap(),
    expected: ['NotMounted'],
  },
  {
    name: 'unmounted, a local directory where the base would be',
    apply: (cluster) => {
      cluster.sim.control.unmount('gpfs0')._unsafeUnwrap();
      cluster.sim.control.mkdir(BASE)._unsafeUnwrap();
    },
    undo: (cluster) => cluster.sim.control.mount('gpfs0')._unsafeUnwrap(),
    expected: ['NotMounted'],
  },
  {
    name: 'daemon down',
    apply: (cluster) => cluster.sim.control.setNodeState('node1', 'down')._unsafeUnwrap(),
    undo: (cluster) => cluster.sim.control.setNodeState('node1', 'active')._unsafeUnwrap(),
    expected: ['GpfsNotActive', 'NotMounted'],
  },
  {
    name: 'daemon arbitrating',
    apply: (cluster) => cluster.sim.control.setNodeState('node1', 'arbitrating')._unsafeUnwrap(),
    undo: (cluster) => cluster.sim.control.setNodeState('node1', 'active')._unsafeUnwrap(),
    expected: ['GpfsNotActive', 'NotMounted'],
  },
];

/**
 * Runs the suite.
 *
 * @param options - Size and seed (the small size samples the operations).
 * @returns The report: scenarios = operations x conditions x driver states.
 */
export async function runUnmounted(options: SuiteOptions): Promise<SuiteReport> {
  const collector = createCollector('unmounted', options);
  const random = seededRandom(options.seed);
  const probe = await createCluster();
  const all = availableScenarios(probe).scenarios.filter((scenario) => scenario.mutating);
  const scenarios = options.size === 'full' ? all : sample(all, 5, random);
  const refusals = new Map<string, number>();
  for (const scenario of scenarios) {
    for (const condition of CONDITIONS) {
      for (const cached of [true, false]) {
        collector.scenario();
        const label = `${scenario.name}, ${condition.name}, ${cached ? 'facts cached' : 'fresh driver'}`;
        const cluster = await createCluster();
        await prepareFixture(cluster);
        const gpfsBefore = objectStates(cluster.sim);
        condition.apply(cluster);
        const localAfterCondition = localView(cluster.sim.inspect.localDiskWrites());
        const target: Cluster = cached ? cluster : { ...cluster, driver: createGpfsDriver({ ...cluster.driverOptions, runner: cluster.sim }) };
        const result = await scenario.run(target);
        if (result.isOk()) collector.violation(label, 'succeeded');
        else if (!condition.expected.includes(result.error.kind))
          collector.violation(label, `refused with ${result.error.kind} (${result.error.message}), expected ${condition.expected.join(' or ')}`);
        else refusals.set(result.error.kind, (refusals.get(result.error.kind) ?? 0) + 1);
        const written = changedUnder(localAfterCondition, localView(cluster.sim.inspect.localDiskWrites()), MOUNT_POINT);
        if (written.length > 0) collector.violation(label, `wrote to the local disk under ${MOUNT_POINT}: ${written.join(', ')}`);
        condition.undo(cluster);
        const changed = diffObjectStates(gpfsBefore, objectStates(cluster.sim));
        if (changed.length > 0) collector.violation(label, `changed GPFS: ${changed.join('; ')}`);
      }
    }
  }
  collector.figure('mutating operations', scenarios.length);
  collector.figure('conditions', CONDITIONS.length);
  collector.figure('driver states', 2);
  collector.figure('refusals', [...refusals].map(([kind, count]) => `${kind} ${count}`).join(' / '));
  return collector.report();
}

// --- Internal helpers ---

/** Local-disk files by path, with what would show a write. */
function localView(files: readonly SimulatedFile[]): Map<string, string> {
  return new Map(files.map((file) => [file.path, `${file.type} ${file.inode} ${file.sizeBytes} ${file.allocatedBytes} ${file.mode.toString(8)}`]));
}

/** Paths under `root` that are new or different in `after`. */
function changedUnder(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, root: string): string[] {
  const changed: string[] = [];
  for (const [path, view] of after) {
    if ((path === root || path.startsWith(`${root}/`)) && before.get(path) !== view) changed.push(path);
  }
  for (const path of before.keys()) if ((path === root || path.startsWith(`${root}/`)) && !after.has(path)) changed.push(`${path} (removed)`);
  return changed;
}
