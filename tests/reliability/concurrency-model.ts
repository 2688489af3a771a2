/**
 * Suite 2, model-based concurrency (issue 7): fast-check's model-based commands (`fc.commands`,
 * `fc.asyncModelRun`) drive several driver instances on one simulated cluster, and fast-check's
 * scheduler picks the order in which their round trips (and consumers' writes) reach the cluster.
 *
 * Each command is a step of one to three concurrent actions (create, snapshot, clone from a snapshot
 * or a volume, delete either, extend, garbage collection, a consumer's write) from random drivers.
 * After every step: some order of the step's actions explains both what the driver returned and what
 * the simulator holds (every live volume's and snapshot's content and size, nothing else); no clone
 * parent with children was removed and every file is readable; and the driver's inventory lists the
 * same volumes and snapshots as the simulator.
 */
import fc from 'fast-check';
import { ResultAsync } from 'neverthrow';
import { createGpfsDriver, type GpfsDriver } from '../../src/driver/driver.js';
import type { CommandRunner } from '../../src/runners/types.js';
import { createGpfsSimulator, type GpfsSimulator } from '../../src/simulator/index.js';
import { BASE, callMethod, forestProblems, hasMethod } from './support/cluster.js';
import { createCollector, type SuiteOptions, type SuiteReport } from './support/report.js';
import { inventoryDifferences, observe, reportedVersusHeld } from './support/model-checks.js';
import { describeAction, emptyModel, linearize, SNAPSHOT_NAMES, VOLUME_NAMES, type Action, type Model, type Outcome } from './support/volume-model.js';

/** Runs and commands per property at each size. */
const SIZES = { small: { numRuns: 8, maxCommands: 8 }, full: { numRuns: 300, maxCommands: 25 } } as const;

/**
 * The configurations (each its own property): driver count, clone depth limit, and whether clones may
 * ask for less than their source's size (their create then fails late, at the resize, which exercises
 * the cleanup under concurrency; the other configurations keep going past that case).
 */
const CONFIGURATIONS = [
  { name: '3 drivers', drivers: 3, maxCloneDepth: 0, smallClones: true },
  { name: '3 drivers, clones at full size', drivers: 3, maxCloneDepth: 0, smallClones: false },
  { name: '2 drivers, maxCloneDepth 2, clones at full size', drivers: 2, maxCloneDepth: 2, smallClones: false },
] as const;

/**
 * Runs the suite.
 *
 * @param options - Size and seed.
 * @returns The report: scenarios = steps checked; a violation per configuration whose property failed, with the shrunk counterexample.
 */
export async function runConcurrencyModel(options: SuiteOptions): Promise<SuiteReport> {
  const collector = createCollector('concurrency-model', options);
  const { numRuns, maxCommands } = SIZES[options.size];
  let actions = 0;
  for (const [index, configuration] of CONFIGURATIONS.entries()) {
    const counters = { steps: 0, actions: 0, failed: false };
    const property = fc.asyncProperty(fc.scheduler(), fc.commands([stepArbitrary(configuration.drivers, configuration.smallClones)], { maxCommands }), async (scheduler, commands) => {
      const real = await createReal(configuration.drivers, configuration.maxCloneDepth);
      real.gate.scheduler = scheduler;
      await fc.asyncModelRun(() => ({ model: emptyModel(), real }), withCounters(commands, counters));
    });
    const details = await fc.check(property, { seed: options.seed + index, numRuns });
    counters.failed = true;
    for (let step = 0; step < counters.steps; step++) collector.scenario();
    actions += counters.actions;
    if (details.failed) {
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      collector.violation(`${configuration.name}, seed ${details.seed}, path ${details.counterexamplePath}`, `${error}\n    counterexample: ${fc.stringify(details.counterexample)}`);
    }
    collector.detail(`${configuration.name}: ${details.numRuns} runs, ${counters.steps} steps, ${details.failed ? `failed (${details.numShrinks} shrinks)` : 'every step linearizable'}`);
    options.log?.(`concurrency-model: ${configuration.name} done`);
  }
  collector.figure('configurations', CONFIGURATIONS.length);
  collector.figure('runs per configuration', numRuns);
  collector.figure('concurrent actions', actions);
  return collector.report();
}

// --- Internal helpers ---

interface Real {
  /** Actions of the last step run (for the counters). */
  lastStepActions: number;
  readonly sim: GpfsSimulator;
  readonly drivers: readonly GpfsDriver[];
  readonly gate: { scheduler: fc.Scheduler | null };
}

/** A cluster with `count` drivers whose round trips wait for the scheduler. */
async function createReal(count: number, maxCloneDepth: number): Promise<Real> {
  const sim = createGpfsSimulator();
  sim.control.mkdir(BASE)._unsafeUnwrap();
  const gate: Real['gate'] = { scheduler: null };
  const drivers = Array.from({ length: count }, (_, index) => createGpfsDriver({ mountPointBase: BASE, maxCloneDepth, runner: gatedRunner(sim, gate, `d${index}`) }));
  for (const driver of drivers) (await driver.setup())._unsafeUnwrap();
  return { sim, drivers, gate, lastStepActions: 0 };
}

/** A runner whose every round trip is a task of the scheduler (when one is set). */
function gatedRunner(sim: GpfsSimulator, gate: Real['gate'], label: string): CommandRunner {
  const wait = (what: string) => (gate.scheduler === null ? Promise.resolve(what) : gate.scheduler.schedule(Promise.resolve(what), `${label} ${what}`));
  return {
    name: 'scheduled',
    run: (command) => new ResultAsync(wait(command.argv[0] ?? '').then(() => sim.run(command))),
    runBatch: (commands, batchOptions) => new ResultAsync(wait(`batch of ${commands.length}`).then(() => sim.runBatch(commands, batchOptions))),
  };
}

type StepCommand = fc.AsyncCommand<Model, Real, false>;

function stepArbitrary(drivers: number, smallClones: boolean): fc.Arbitrary<StepCommand> {
  const driver = fc.nat(drivers - 1);
  const volume = fc.constantFrom(...VOLUME_NAMES);
  const snapshot = fc.constantFrom(...SNAPSHOT_NAMES);
  const size = fc.integer({ min: 1, max: 3 });
  const cloneSize = smallClones ? size : fc.constant(3);
  const action: fc.Arbitrary<Action> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ type: fc.constant('create' as const), driver, name: volume, sizeGiB: size }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('snapshot' as const), driver, name: snapshot, volume }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('fromSnapshot' as const), driver, name: volume, snapshot, sizeGiB: cloneSize }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('clone' as const), driver, name: volume, source: volume, sizeGiB: cloneSize }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('deleteVolume' as const), driver, name: volume }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('deleteSnapshot' as const), driver, name: snapshot }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('extend' as const), driver, name: volume, sizeGiB: size }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('gc' as const), driver }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('write' as const), name: volume, token: fc.nat(999_999).map((n) => `token-${String(n).padStart(6, '0')}\n`) }) },
  );
  return fc.array(action, { minLength: 1, maxLength: 3 }).map((actions) => new Step(actions));
}

/** One step: its actions run concurrently, then everything is checked. */
class Step implements StepCommand {
  constructor(readonly actions: readonly Action[]) {}

  check(): boolean {
    return true;
  }

  async run(model: Model, real: Real): Promise<void> {
    const scheduler = real.gate.scheduler;
    if (scheduler === null) throw new Error('no scheduler');
    real.lastStepActions = this.actions.length;
    const outcomes = await scheduler.waitFor(Promise.all(this.actions.map((action) => execute(real, action))));
    const observed = observe(real.sim);
    const fits = linearize(
      model,
      this.actions,
      outcomes.map((outcome) => outcome.kind),
      observed.objects,
    );
    const context = () => `step [${this.toString()}] returned [${outcomes.map((outcome) => outcome.detail).join(' | ')}]`;
    if ('reasons' in fits) throw new Error(`no order of the step explains it: ${context()}; ${fits.reasons.join('; ')}`);
    model.volumes.clear();
    model.snapshots.clear();
    for (const [name, content] of fits.model.volumes) model.volumes.set(name, content);
    for (const [name, content] of fits.model.snapshots) model.snapshots.set(name, content);
    const problems = [...observed.strays.map((path) => `stray file ${path}`), ...forestProblems(real.sim)];
    for (const [index, outcome] of outcomes.entries()) problems.push(...reportedVersusHeld(this.actions[index] as Action, outcome.value, real.sim, this.actions.length === 1));
    if (hasMethod(real.drivers[0] as GpfsDriver, 'inventory')) problems.push(...(await inventoryDifferences(real.drivers[0] as GpfsDriver, scheduler, model)));
    if (problems.length > 0) throw new Error(`${context()}: ${problems.join('; ')}`);
  }

  toString(): string {
    return this.actions.map(describeAction).join(' || ');
  }
}

interface Ended {
  readonly kind: Outcome;
  readonly detail: string;
  readonly value: unknown;
}

async function execute(real: Real, action: Action): Promise<Ended> {
  if (action.type === 'write') {
    const argv = ['dd', `of=${BASE}/${action.name}`, 'conv=notrunc,nocreat', 'status=none'];
    const wait = real.gate.scheduler?.schedule(Promise.resolve(), `write ${action.name}`) ?? Promise.resolve();
    const output = await wait.then(() => real.sim.run({ argv, stdin: new TextEncoder().encode(action.token), asRoot: true }));
    const kind = output.isOk() && output.value.exitCode === 0 ? 'ok' : 'WriteFailed';
    return { kind, detail: kind, value: null };
  }
  const driver = real.drivers[action.driver] as GpfsDriver;
  const result = await (() => {
    switch (action.type) {
      case 'create':
        return driver.createVolume({ name: action.name, sizeGiB: action.sizeGiB });
      case 'snapshot':
        return driver.createSnapshot({ name: action.name, volumeName: action.volume });
      case 'fromSnapshot':
        return driver.createVolumeFromSnapshot({ name: action.name, sizeGiB: action.sizeGiB }, { name: action.snapshot, volumeName: 'v0' });
      case 'clone':
        return driver.createClonedVolume({ name: action.name, sizeGiB: action.sizeGiB }, { name: action.source });
      case 'deleteVolume':
        return driver.deleteVolume({ name: action.name });
      case 'deleteSnapshot':
        return driver.deleteSnapshot({ name: action.name, volumeName: 'v0' });
      case 'extend':
        return driver.extendVolume({ name: action.name }, action.sizeGiB);
      case 'gc':
        return hasMethod(driver, 'collectGarbage') ? callMethod(driver, 'collectGarbage', { apply: true }) : driver.getVolumeStats({ refresh: true });
    }
  })();
  if (result.isOk()) return { kind: 'ok', detail: 'ok', value: result.value };
  return { kind: result.error.kind, detail: `${result.error.kind}: ${result.error.message}`, value: null };
}

/** Counts the steps and actions run until the first failure (not the shrinking runs after it). */
function withCounters(commands: Iterable<StepCommand>, counters: { steps: number; actions: number; failed: boolean }): StepCommand[] {
  return [...commands].map((command) => ({
    check: () => true,
    run: async (model: Model, real: Real) => {
      try {
        await command.run(model, real);
      } catch (error) {
        counters.failed = true;
        throw error;
      }
      if (!counters.failed) {
        counters.steps += 1;
        counters.actions += real.lastStepActions;
      }
    },
    toString: () => command.toString(),
  }));
}
