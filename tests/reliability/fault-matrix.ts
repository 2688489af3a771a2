/**
 * Suite 1, the fault matrix (issue 7): every driver operation, every command it runs, failed in each
 * of four ways through the simulator's fault injection. After each fault the operation must return a
 * typed error (or, when the failed command did not matter, a success that left the same state as a
 * clean run); no volume, snapshot or image that existed before may be lost or changed (content digest,
 * size, mode and clone ancestry); running it again (or the matching delete, then again) must reach the
 * state of a clean run; and garbage collection must then leave no orphaned clone parent.
 *
 * The commands are discovered by running each operation once, fault-free, and reading the
 * simulator's command log. The full size runs every cell under two driver configurations; the small
 * size a seeded sample of commands under the first.
 */
import type { Result } from 'neverthrow';
import type { GpfsError } from '../../src/driver/errors.js';
import type { FaultOutcome } from '../../src/simulator/index.js';
import {
  collectGarbage,
  createCluster,
  diffObjectStates,
  forestProblems,
  objectStates,
  orphanedParents,
  restrictAncestry,
  sameObject,
  describeObject,
  type Cluster,
  type ObjectState,
} from './support/cluster.js';
import { GPFS_ERROR_KINDS } from './support/error-kinds.js';
import { availableScenarios, FIXTURE_ORPHANS, prepareFixture, type OperationScenario } from './support/operations.js';
import { createCollector, sample, seededRandom, type Collector, type SuiteOptions, type SuiteReport } from './support/report.js';

/** One way to fail a command. */
export interface FaultKind {
  /** Label in reports. */
  readonly name: string;
  /** What the command returns. */
  readonly outcome: FaultOutcome;
  /** Whether it takes effect first. */
  readonly timing: 'before' | 'after';
}

/**
 * The four fault kinds. The non-zero exit is 5 with an I/O error message: exit 1 is a meaningful answer
 * for some commands (`test -f` says "no such file" with it), so injecting it would be a lie about the
 * cluster rather than a failure. A timeout is injected after the command took effect: a command killed
 * at its deadline may well have finished its work, which is the harder case for the caller.
 */
export const FAULT_KINDS: readonly FaultKind[] = [
  { name: 'exit 5', outcome: { exitCode: 5, stderr: 'injected failure: Input/output error\n' }, timing: 'before' },
  { name: 'Timeout', outcome: { error: 'Timeout' }, timing: 'after' },
  { name: 'ConnectionLost before', outcome: { error: 'ConnectionLost' }, timing: 'before' },
  { name: 'ConnectionLost after', outcome: { error: 'ConnectionLost' }, timing: 'after' },
];

/** Driver configurations the matrix runs under. */
const CONFIGURATIONS = [
  { name: 'default', driver: {} },
  { name: 'maxCloneDepth 2, preallocated', driver: { maxCloneDepth: 2, sparseVolumes: false } },
] as const;

/** Commands sampled per operation at the small size. */
const SMALL_COMMANDS_PER_OPERATION = 2;

/**
 * Runs the fault matrix.
 *
 * @param options - Size and seed.
 * @returns The report: scenarios = cells run (operation x command x fault kind, per configuration).
 */
export async function runFaultMatrix(options: SuiteOptions): Promise<SuiteReport> {
  const collector = createCollector('fault-matrix', options);
  const random = seededRandom(options.seed);
  const configurations = options.size === 'full' ? CONFIGURATIONS : CONFIGURATIONS.slice(0, 1);
  const operations = new Set<string>();
  const commandsPerConfiguration: number[] = [];
  let leftBehind = 0;
  for (const configuration of configurations) {
    const prepared = async (): Promise<Cluster> => {
      const cluster = await createCluster({ driver: configuration.driver });
      await prepareFixture(cluster);
      cluster.sim.log.clear();
      return cluster;
    };
    const probe = await prepared();
    const { scenarios, missing } = availableScenarios(probe);
    if (missing.length > 0 && configuration === configurations[0]) collector.detail(`not on the facade yet (not in the matrix): ${missing.join(', ')}`);
    const fixtureOrphans = orphanedParents(probe.sim).join(', ');
    if (fixtureOrphans !== FIXTURE_ORPHANS.join(', ')) collector.violation(`${configuration.name}: fixture`, `the fixture has orphans ${fixtureOrphans}, expected ${FIXTURE_ORPHANS.join(', ')}`);
    collector.detail(`configuration ${configuration.name}:`);
    let commands = 0;
    for (const scenario of scenarios) {
      const reference = await referenceRun(prepared, scenario);
      if (typeof reference === 'string') {
        collector.violation(`${configuration.name}: ${scenario.name}, no fault`, reference);
        continue;
      }
      if (reference.argvs.length > 0) operations.add(scenario.name);
      commands += reference.argvs.length;
      const positions = reference.argvs.map((_, index) => index + 1);
      const chosen = options.size === 'full' ? positions : sample(positions, SMALL_COMMANDS_PER_OPERATION, random);
      const before = collector.violationCount;
      for (const nth of chosen) {
        for (const kind of FAULT_KINDS) {
          collector.scenario();
          const label = `${configuration.name}: ${scenario.name}, command ${nth}/${reference.argvs.length} \`${(reference.argvs[nth - 1] ?? []).join(' ')}\`, ${kind.name}`;
          if (await runCell(collector, label, await prepared(), scenario, reference, nth, kind)) leftBehind += 1;
        }
      }
      collector.detail(
        `  ${scenario.name.padEnd(38)} ${String(reference.argvs.length).padStart(2)} commands in ${reference.roundTrips} round trip(s), ${chosen.length * FAULT_KINDS.length} cells, ${collector.violationCount - before} violations`,
      );
      options.log?.(`fault-matrix: ${configuration.name}: ${scenario.name} done (${collector.violationCount - before} violations)`);
    }
    commandsPerConfiguration.push(commands);
  }
  collector.figure('operations', operations.size);
  collector.figure('commands', commandsPerConfiguration.join('+'));
  collector.figure('fault kinds', FAULT_KINDS.length);
  collector.figure('configurations', configurations.length);
  collector.figure('failures that left an object behind', leftBehind);
  return collector.report();
}

// --- Internal helpers ---

interface Reference {
  readonly argvs: readonly (readonly string[])[];
  readonly roundTrips: number;
  /** Objects after a clean run. */
  readonly after: Map<string, ObjectState>;
}

async function referenceRun(prepared: () => Promise<Cluster>, scenario: OperationScenario): Promise<Reference | string> {
  const cluster = await prepared();
  const result = await scenario.run(cluster);
  if (result.isErr()) return `the operation fails without any fault: ${result.error.kind}: ${result.error.message}`;
  if (scenario.declined?.(result.value) === true) return `the operation declines without any fault: ${JSON.stringify(result.value)}`;
  const entries = cluster.sim.log.entries();
  const gc = await collectGarbage(cluster);
  if (gc.error !== null) return `garbage collection after a clean run fails: ${gc.error}`;
  const orphans = orphanedParents(cluster.sim);
  if (orphans.length > 0) return `a clean run leaves orphaned clone parents: ${orphans.join(', ')}`;
  return { argvs: entries.map((entry) => entry.argv), roundTrips: new Set(entries.map((entry) => entry.roundTrip)).size, after: objectStates(cluster.sim) };
}

/**
 * Runs one cell and records at most one violation for it (every problem found, joined); returns whether
 * the failed operation left a new object behind.
 */
async function runCell(collector: Collector, label: string, cluster: Cluster, scenario: OperationScenario, reference: Reference, nth: number, kind: FaultKind): Promise<boolean> {
  const { sim } = cluster;
  const problems: string[] = [];
  const before = objectStates(sim);
  const forestBefore = sim.inspect.cloneForest().map((entry) => entry.path);
  sim.faults.failNth(nth, kind.outcome, kind.timing);
  const result = await scenario.run(cluster);
  // "Not done, fall back" answers (Ok with cloned/migrated/retyped false) count as failures here.
  const failed = result.isErr() || scenario.declined?.(result.value) === true;
  const fired = sim.log.entries().some((entry) => entry.faulted);
  sim.faults.clear();
  if (!fired) {
    collector.violation(label, 'the fault never fired: the operation ran fewer commands than in the clean run');
    return false;
  }
  const after = objectStates(sim);
  // A runner error leaves the outcome unknown to the driver (before or after, it cannot tell): an object
  // left behind is then acceptable when the retry or the matching delete clears it (checked below).
  const outcomeUnknown = 'error' in kind.outcome;
  if (result.isErr()) {
    const problem = untypedError(result.error);
    if (problem !== null) problems.push(problem);
  } else if (!failed) {
    // A work name left beside a finished result (a create whose last `rm` of its work name failed) is
    // not part of the result: garbage collection removes it, which the convergence check below proves.
    const differences = diffObjectStates(reference.after, after).filter((line) => !isWorkFileLine(line));
    if (differences.length > 0) problems.push(`reported success, but the state differs from a clean run: ${summarise(differences)}`);
  }
  // Ancestry is compared over the files that existed before: an object the failed operation left
  // behind (allowed after a runner error) may sit between a volume and its old ancestors.
  const existed = new Set([...before.keys(), ...forestBefore]);
  const known = (state: ObjectState | undefined) => (state === undefined ? undefined : restrictAncestry(state, existed));
  for (const [path, state] of before) {
    const now = known(after.get(path));
    if (sameObject(now, state) || sameObject(now, known(reference.after.get(path)))) continue;
    problems.push(now === undefined ? `${path} was lost` : `${path} was changed: ${describeObject(state)} -> ${describeObject(now)}`);
  }
  const left = failed && [...after.keys()].some((path) => !before.has(path));
  if (failed && !outcomeUnknown) {
    const how = result.isErr() ? `failed with ${result.error.kind}` : 'declined';
    for (const [path, state] of after) {
      if (!before.has(path)) problems.push(`${how} but left ${reference.after.has(path) ? 'the half-made' : 'a stray'} ${path} behind (${describeObject(state)})`);
    }
  }
  problems.push(...forestProblems(sim));

  const converged = await converge(cluster, scenario, reference.after);
  if (converged !== null) problems.push(converged);
  else {
    // Running it again, then garbage collection, reaches the state of a clean run: work files of the
    // failed try may stay until garbage collection, which removes them and changes nothing else.
    const beforeGc = objectStates(sim);
    const gc = await collectGarbage(cluster);
    if (gc.error !== null) problems.push(`garbage collection (${gc.by}) fails: ${gc.error}`);
    const differences = diffObjectStates(reference.after, objectStates(sim));
    if (differences.length > 0) problems.push(`running it again, then garbage collection, does not reach the state of a clean run: ${summarise(differences)}`);
    const orphans = orphanedParents(sim);
    if (orphans.length > 0) problems.push(`orphaned clone parents after garbage collection (${gc.by}): ${orphans.join(', ')}`);
    const changedByGc = diffObjectStates(beforeGc, objectStates(sim)).filter((line) => !isWorkFileLine(line));
    if (changedByGc.length > 0) problems.push(`garbage collection changed user objects: ${summarise(changedByGc)}`);
  }
  if (problems.length > 0) collector.violation(label, problems.join(' | '));
  return left;
}

/**
 * Runs the operation again (after the matching delete when the first try left its object): `null` when
 * it succeeded, or when it failed only because the first try had in fact completed (the state is that
 * of a clean run, for instance an adopted file that is no longer at its old path).
 */
async function converge(cluster: Cluster, scenario: OperationScenario, clean: ReadonlyMap<string, ObjectState>): Promise<string | null> {
  let again: Result<unknown, GpfsError> = await scenario.run(cluster);
  if ((again.isErr() || scenario.declined?.(again.value) === true) && scenario.undo !== undefined) {
    const undone = await scenario.undo(cluster);
    if (undone.isErr()) return `the matching delete fails: ${undone.error.kind}: ${undone.error.message}`;
    again = await scenario.run(cluster);
  }
  const done = again.isOk() && scenario.declined?.(again.value) !== true;
  if (done || diffObjectStates(clean, objectStates(cluster.sim)).length === 0) return null;
  return again.isErr() ? `running it again fails: ${again.error.kind}: ${again.error.message}` : `running it again declines: ${JSON.stringify(again.value).slice(0, 300)}`;
}

/** A difference line about an operation's work file (`<dir>/.tmp.<purpose>...`). */
function isWorkFileLine(line: string): boolean {
  return /^\S*\/\.tmp\.\S* /.test(line);
}

function summarise(lines: readonly string[]): string {
  return lines.length <= 3 ? lines.join('; ') : `${lines.slice(0, 3).join('; ')}; and ${lines.length - 3} more`;
}

function untypedError(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return `returned a non-object error: ${String(error)}`;
  if (error instanceof Error) return `returned an Error instance instead of plain data: ${error.message}`;
  const { kind, message } = error as { kind?: unknown; message?: unknown };
  if (typeof kind !== 'string' || !GPFS_ERROR_KINDS.has(kind)) return `returned an error of unknown kind ${String(kind)}`;
  if (kind === 'Internal') return `returned Internal (a defect): ${String(message)}`;
  if (typeof message !== 'string' || message.length === 0) return `returned ${kind} without a message`;
  return null;
}
