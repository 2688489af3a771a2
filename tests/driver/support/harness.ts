/**
 * A driver over the GPFS simulator, with the round trips counted and every command event recorded.
 */
import { createGpfsDriver, type GpfsDriver } from '../../../src/driver/driver.js';
import type { CommandEvent, GpfsDriverOptions } from '../../../src/driver/options.js';
import { countRoundTrips, type CountingRunner } from '../../../src/runners/counting.js';
import { createGpfsSimulator, type GpfsSimulator, type SimulatorOptions } from '../../../src/simulator/index.js';

export const BASE = '/gpfs0/volumes';

export interface Harness {
  readonly sim: GpfsSimulator;
  readonly counted: CountingRunner;
  readonly driver: GpfsDriver;
  readonly events: CommandEvent[];
  /** Runs `operation` from a zero round-trip count and returns its result with the round trips it made. */
  measure<T>(operation: () => PromiseLike<T>): Promise<{ result: T; roundTrips: number }>;
  /** Paths of every file under the base, sorted. */
  files(): string[];
}

export async function createHarness(options: Partial<Omit<GpfsDriverOptions, 'runner'>> = {}, simulatorOptions: SimulatorOptions = {}, { setup = true }: { setup?: boolean } = {}): Promise<Harness> {
  const sim = createGpfsSimulator(simulatorOptions);
  sim.control.mkdir(options.mountPointBase ?? BASE)._unsafeUnwrap();
  if (options.imagesDir !== undefined) sim.control.mkdir(options.imagesDir)._unsafeUnwrap();
  const counted = countRoundTrips(sim);
  const events: CommandEvent[] = [];
  const driver = createGpfsDriver({ mountPointBase: BASE, ...options, runner: counted, onCommand: (event) => events.push(event) });
  const harness: Harness = {
    sim,
    counted,
    driver,
    events,
    async measure(operation) {
      counted.reset();
      const result = await operation();
      return { result, roundTrips: counted.roundTrips };
    },
    files: () =>
      sim.inspect
        .files({ under: options.mountPointBase ?? BASE })
        .filter((file) => file.type === 'file')
        .map((file) => file.path)
        .sort(),
  };
  if (setup) (await driver.setup())._unsafeUnwrap();
  return harness;
}

/** A small comparable view of the files under a directory: what must not change when an operation fails. */
export function fileState(sim: GpfsSimulator, under = BASE) {
  return sim.inspect
    .files({ under, digests: true })
    .filter((file) => file.type === 'file')
    .map((file) => ({ path: file.path, inode: file.inode, sizeBytes: file.sizeBytes, mode: file.mode, digest: file.digest, parent: file.clone?.parentInode ?? null }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
