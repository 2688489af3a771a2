/**
 * Suite 3, hostile input (issue 7): every value of the attack corpus in every name, id, path and
 * metadata slot of every operation, and in the driver's options, over the local runner (the
 * process-level simulator's shims first on PATH) and over SSH (a loopback sshd whose sessions have
 * the shims first on PATH).
 *
 * Each attempt is either refused by validation (`InvalidName`, `InvalidConfig`, `InvalidMetadata`,
 * `InvalidArgument`) with zero commands run, or accepted, and then every argv the driver sent reached
 * the simulated tool unchanged (the simulator's own command log, compared element by element; how often
 * the value stood whole inside one argument is counted). Afterwards the canary file that the injection
 * values try to create does not exist, and nothing outside the base and images directories changed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultAsync } from 'neverthrow';
import { createGpfsDriver, type GpfsDriver } from '../../src/driver/driver.js';
import type { GpfsError } from '../../src/driver/errors.js';
import type { CommandEvent } from '../../src/driver/options.js';
import { countRoundTrips } from '../../src/runners/counting.js';
import type { CommandRunner } from '../../src/runners/types.js';
import type { InternalSimulator } from '../../src/simulator/simulator.js';
import { ALWAYS_SAMPLED, attackCorpus } from './support/attack-corpus.js';
import { BASE, createCluster, hasMethod, IMAGES, callMethod, writeToken } from './support/cluster.js';
import { attemptsFor, OPTION_SLOTS } from './support/hostile-attempts.js';
import { localTransport, sshTransport, type Transport } from './support/hostile-transports.js';
import { startProcessSimulator, type ProcessSimulator } from './support/process-sim.js';
import { createCollector, sample, seededRandom, type Collector, type SuiteOptions, type SuiteReport } from './support/report.js';

/** Error kinds that mean "refused by validation, nothing run". */
const REFUSALS = new Set(['InvalidName', 'InvalidConfig', 'InvalidMetadata', 'InvalidArgument']);

/**
 * Runs the suite.
 *
 * @param options - Size and seed (the small size samples values and, for values that are valid names, slots).
 * @returns The report: scenarios = attempts (value x slot x transport).
 */
export async function runHostileInput(options: SuiteOptions): Promise<SuiteReport> {
  const collector = createCollector('hostile-input', options);
  const psim = await startProcessSimulator((await preparedCluster()).sim);
  const tally: Tally = { refused: new Map<string, number>(), accepted: 0, whole: 0 };
  const transports: string[] = [];
  try {
    const plan = await planAttempts(join(psim.workDirectory, 'canary'), options, collector);
    options.log?.(`hostile-input: ${plan.length} attempts probed in process`);
    for (const make of [localTransport, sshTransport]) {
      const transport = await make(psim, collector);
      if (transport === null) continue;
      try {
        await attackOver(transport, psim, plan, options, collector, tally);
        transports.push(transport.name);
      } finally {
        await transport.dispose();
      }
      options.log?.(`hostile-input: ${transport.name} done`);
    }
    collector.figure('values', new Set(plan.map((attempt) => attempt.label)).size);
    collector.figure('slots', new Set(plan.map((attempt) => attempt.slot)).size);
    collector.figure('accepted in process', plan.filter((attempt) => attempt.accepted).length);
  } finally {
    psim.dispose();
  }
  collector.figure('transports', transports.join('+'));
  collector.figure('refused over transports', [...tally.refused].map(([kind, count]) => `${kind} ${count}`).join(' / '));
  collector.figure('accepted over transports, verbatim', tally.accepted);
  collector.figure('of which the value stood whole in one argument', tally.whole);
  return collector.report();
}

// --- Internal helpers ---

/** The cluster the attempts run against: base-vol with base-snap, group g1, a file to adopt. */
async function preparedCluster() {
  const cluster = await createCluster();
  const { driver, sim } = cluster;
  (await driver.createVolume({ name: 'base-vol', sizeGiB: 1 }))._unsafeUnwrap();
  await writeToken(sim, `${BASE}/base-vol`, 'content of base-vol\n');
  (await driver.createSnapshot({ name: 'base-snap', volumeName: 'base-vol' }))._unsafeUnwrap();
  sim.control.seedFile({ path: `${BASE}/import/legacy.img`, content: 'legacy\n', sizeBytes: 1024 ** 2 })._unsafeUnwrap();
  if (hasMethod(driver, 'createGroup')) {
    (await callMethod(driver, 'createGroup', { id: 'g1' }))._unsafeUnwrap();
    (await driver.createVolume({ name: 'group-volume-1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
  }
  return cluster;
}

const DRIVER_OPTIONS = { mountPointBase: BASE, imagesDir: IMAGES, imagesShareMode: 'copy_on_write' as const };

/**
 * Every value in every slot, probed on an in-process simulator first (fast): a refusal there must run
 * nothing too, and an acceptance marks the attempts that cost real processes over the transports.
 */
async function planAttempts(canary: string, options: SuiteOptions, collector: Collector): Promise<Planned[]> {
  const random = seededRandom(options.seed);
  const corpus = attackCorpus(canary);
  const always = (label: string) => (ALWAYS_SAMPLED as readonly string[]).includes(label);
  const values =
    options.size === 'full'
      ? corpus
      : [
          ...corpus.filter((entry) => always(entry.label)),
          ...sample(
            corpus.filter((entry) => !always(entry.label)),
            6,
            random,
          ),
        ];
  const probe = await preparedCluster();
  const counted = countRoundTrips(probe.sim);
  const events: CommandEvent[] = [];
  const driver = createGpfsDriver({ ...DRIVER_OPTIONS, runner: counted, onCommand: (event) => events.push(event) });
  const unplanned: Omit<Planned, 'accepted' | 'refusedLate'>[] = [];
  for (const { label, value } of values) {
    for (const attempt of attemptsFor(driver)) {
      unplanned.push({ label, value, slot: attempt.slot, expected: value === '' ? null : value, run: (target) => guarded(() => attempt.run(target, value)) });
    }
    for (const slot of OPTION_SLOTS) {
      const optionValue = slot.valueFor(value);
      unplanned.push({
        label,
        value,
        slot: `option ${slot.option}`,
        expected: slot.option === 'backendName' ? null : optionValue,
        run: async (_, sink, runner) => {
          const configured = createGpfsDriver({ ...DRIVER_OPTIONS, [slot.option]: optionValue, runner, onCommand: (event) => sink.push(event) });
          return configured.configError !== null ? { kind: 'InvalidConfig', message: configured.configError.message } : guarded(() => configured.setup());
        },
      });
    }
  }
  const plan: Planned[] = [];
  for (const attempt of unplanned) {
    collector.scenario();
    counted.reset();
    events.length = 0;
    const result = await attempt.run(driver, events, counted);
    const refused = result !== 'ok' && REFUSALS.has(result.kind);
    if (result !== 'ok' && (result.kind === 'threw' || result.kind === 'Internal')) collector.violation(`in process: ${attempt.slot} = ${attempt.label}`, `${result.kind}: ${result.message}`);
    if (refused && counted.roundTrips > 0)
      collector.violation(`in process: ${attempt.slot} = ${attempt.label}`, `refused with ${result.kind} after running ${events.length} command(s) in ${counted.roundTrips} round trip(s)`);
    if (refused && counted.roundTrips === 0) {
      // Once more on a driver that has not run setup yet: validation must come before the lazy setup too.
      counted.reset();
      const fresh = createGpfsDriver({ ...DRIVER_OPTIONS, runner: counted });
      const again = await attempt.run(fresh, [], counted);
      if (counted.roundTrips > 0)
        collector.violation(`in process, before setup: ${attempt.slot} = ${attempt.label}`, `${again === 'ok' ? 'Ok' : again.kind} only after ${counted.roundTrips} round trip(s) of lazy setup`);
    }
    plan.push({ ...attempt, accepted: !refused, refusedLate: refused && counted.roundTrips > 0 });
  }
  return plan;
}

interface Tally {
  readonly refused: Map<string, number>;
  /** Accepted attempts whose argv reached the tool verbatim. */
  accepted: number;
  /** Accepted attempts in which the value stood whole inside one argument. */
  whole: number;
}

/** Accepted attempts sent over each real transport (each costs real processes): per slot at the full size, in all at the small size. */
const ACCEPTED_BUDGET = { full: { perSlot: 3, options: 4 }, small: { perSlot: 1, options: 0, total: 2 } } as const;

/** Values tried first when the budget of accepted attempts is limited: the ones a shell would act on. */
const PRIORITY = ['command substitution', 'star', 'braces', 'hash', 'brace injection', 'backticks', 'semicolon', 'newline', 'quote break', 'space', 'redirection', 'comment', 'upper-case suffix'];

/** One value in one slot. */
interface Planned {
  readonly label: string;
  readonly value: string;
  readonly slot: string;
  /** Whether the in-process probe accepted it (so it will run commands). */
  readonly accepted: boolean;
  /** Whether the probe saw it refused only after running commands (a violation already recorded in process). */
  readonly refusedLate: boolean;
  readonly run: (driver: GpfsDriver, events: CommandEvent[], runner: CommandRunner) => Promise<Outcome>;
  /** What must appear whole in an argument, or `null` when the value is not a command argument. */
  readonly expected: string | null;
}

async function attackOver(transport: Transport, psim: ProcessSimulator, plan: readonly Planned[], options: SuiteOptions, collector: Collector, tally: Tally): Promise<void> {
  const events: CommandEvent[] = [];
  const counted = countRoundTrips(transport.runner);
  const driver = createGpfsDriver({ ...DRIVER_OPTIONS, runner: counted, onCommand: (event) => events.push(event) });
  const setup = await driver.setup();
  if (setup.isErr()) {
    collector.violation(`${transport.name} transport`, `setup over ${transport.name} fails: ${setup.error.kind}: ${setup.error.message}`);
    return;
  }
  options.log?.(`hostile-input: ${transport.name} set up`);
  const canary = join(psim.workDirectory, 'canary');
  const before = outside(psim.load());
  let lastSequence = lastSequenceOf(psim.load());
  const workBefore = readdirSync(psim.workDirectory).sort().join(',');
  for (const attempt of chooseForTransport(plan, options)) {
    collector.scenario();
    events.length = 0;
    counted.reset();
    const result = await attempt.run(driver, events, counted);
    lastSequence = judge(collector, tally, `${transport.name}: ${attempt.slot} = ${attempt.label}`, result, attempt.expected, events, counted.roundTrips, psim, lastSequence);
  }
  if (existsSync(canary)) collector.violation(`${transport.name}: canary`, `${canary} exists: a shell interpreted one of the values`);
  const workAfter = readdirSync(psim.workDirectory).sort().join(',');
  if (workAfter !== workBefore) collector.violation(`${transport.name}: working directory`, `changed from [${workBefore}] to [${workAfter}]`);
  if (outside(psim.load()) !== before) collector.violation(`${transport.name}: outside the base`, 'files outside the base and images directories (or on the local disk) changed');
  collector.detail(`${transport.name}: canary ${existsSync(canary) ? 'CREATED' : 'never created'}`);
}

/** Every refused attempt (free: nothing runs), and the accepted ones within the budget, values a shell would act on first. */
function chooseForTransport(plan: readonly Planned[], options: SuiteOptions): Planned[] {
  const rank = (label: string) => (PRIORITY.includes(label) ? PRIORITY.indexOf(label) : PRIORITY.length);
  const accepted = plan.filter((attempt) => attempt.accepted).sort((a, b) => rank(a.label) - rank(b.label));
  const budget = ACCEPTED_BUDGET[options.size];
  const perSlot = new Map<string, number>();
  const chosen = accepted.filter((attempt) => {
    const isOption = attempt.slot.startsWith('option ');
    const used = perSlot.get(attempt.slot) ?? 0;
    if (used >= (isOption ? budget.options : budget.perSlot)) return false;
    perSlot.set(attempt.slot, used + 1);
    return true;
  });
  const limited = 'total' in budget ? chosen.slice(0, budget.total) : chosen;
  // A late refusal (commands ran first) is already a violation in process and costs real processes: over
  // the transports it is repeated only for the first values of PRIORITY at the full size.
  const repeatLate = (label: string) => options.size === 'full' && PRIORITY.slice(0, 4).includes(label);
  const refused = plan.filter((attempt) => !attempt.accepted && (!attempt.refusedLate || repeatLate(attempt.label)));
  return [...refused, ...limited];
}

type Outcome = { readonly kind: string; readonly message: string } | 'ok';

async function guarded(call: () => ResultAsync<unknown, GpfsError>): Promise<Outcome> {
  try {
    const result = await call();
    return result.isOk() ? 'ok' : { kind: result.error.kind, message: result.error.message };
  } catch (error) {
    return { kind: 'threw', message: error instanceof Error ? error.message : String(error) };
  }
}

/** Checks one attempt; returns the last command-log sequence seen. */
function judge(
  collector: Collector,
  tally: Tally,
  scenario: string,
  result: Outcome,
  value: string | null,
  events: readonly CommandEvent[],
  roundTrips: number,
  psim: ProcessSimulator,
  lastSequence: number,
): number {
  if (result !== 'ok' && (result.kind === 'threw' || result.kind === 'Internal')) collector.violation(scenario, `${result.kind}: ${result.message}`);
  if (result !== 'ok' && REFUSALS.has(result.kind)) {
    tally.refused.set(result.kind, (tally.refused.get(result.kind) ?? 0) + 1);
    if (roundTrips === 0 && events.length === 0) return lastSequence;
    collector.violation(scenario, `refused with ${result.kind} after running ${events.length} command(s) in ${roundTrips} round trip(s)`);
    return psim
      .load()
      .log.entries()
      .reduce((last, entry) => Math.max(last, entry.sequence), lastSequence);
  }
  const entries = psim
    .load()
    .log.entries()
    .filter((entry) => entry.sequence > lastSequence);
  const sent = events.map((event) => JSON.stringify(event.argv));
  const received = entries.map((entry) => JSON.stringify(entry.argv));
  if (sent.join('\n') !== received.join('\n')) collector.violation(scenario, `argv changed on the way: sent ${sent.join(' ; ')} | received ${received.join(' ; ')}`);
  else tally.accepted += 1;
  // Not a violation when absent: some slots never reach a command (a volumeName outside groups), and a
  // failed check can stop the batch before the command that would carry the value.
  if (value !== null && events.some((event) => event.argv.some((argument) => argument.includes(value)))) tally.whole += 1;
  return entries.reduce((last, entry) => Math.max(last, entry.sequence), lastSequence);
}

function lastSequenceOf(sim: InternalSimulator): number {
  return sim.log.entries().reduce((last, entry) => Math.max(last, entry.sequence), 0);
}

/** Files of GPFS outside the base and images directories, and every local-disk write, as comparable text. */
function outside(sim: InternalSimulator): string {
  const inside = (path: string) => [BASE, IMAGES].some((root) => path === root || path.startsWith(`${root}/`));
  const gpfs = sim.inspect.files({ device: 'gpfs0' }).filter((file) => !inside(file.path));
  return [...gpfs, ...sim.inspect.localDiskWrites()].map((file) => `${file.path} ${file.type} ${file.inode} ${file.sizeBytes} ${file.mode}`).join('\n');
}
