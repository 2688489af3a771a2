/**
 * What every operation of one driver shares: resolved options, the facts cache, the locks, and lazy
 * setup. Operations live one per file under `operations/` and take this context.
 *
 * @module
 */
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { GpfsError } from './errors.js';
import { createFactsCache, type ClusterFacts, type FactsCache } from './facts.js';
import { createKeyedLock, type KeyedLock } from './locks.js';
import type { ResolvedOptions } from './options.js';
import type { VolumeStats } from './plans/volume-stats.js';
import { traceRunner, type TracedRunner } from './trace.js';

/**
 * Shared state of one driver.
 *
 * @example
 * ```ts
 * const context = createDriverContext(resolved, runSetup);
 * context.facts.current(); // null until setup ran
 * ```
 */
export interface DriverContext {
  /** Validated options. */
  readonly options: ResolvedOptions;
  /** Cached cluster facts. */
  readonly facts: FactsCache;
  /** Per-path locks. */
  readonly locks: KeyedLock;
  /** The last stats taken, for `getVolumeStats()` without `refresh`. */
  stats: VolumeStats | null;
  /**
   * Runs setup through `runner` unless facts are cached; concurrent callers share one run.
   *
   * @param runner - The calling operation's traced runner (its round trips count for that operation).
   */
  ensureFacts(runner: TracedRunner): ResultAsync<ClusterFacts, GpfsError>;
  /** Makes a short unique tag (work file names, tombstone collisions); safe to pass around unbound. */
  readonly makeTag: () => string;
}

/**
 * How the context runs setup (injected to keep this file free of the setup operation).
 *
 * @example
 * ```ts
 * const runSetupStub: SetupRunner = (context, runner) => runSetup(context, runner);
 * ```
 */
export type SetupRunner = (context: DriverContext, runner: TracedRunner) => ResultAsync<ClusterFacts, GpfsError>;

/**
 * Makes the shared context of a driver.
 *
 * @param options - Validated options.
 * @param runSetup - The setup operation.
 * @returns A context with empty caches.
 * @example
 * ```ts
 * const context = createDriverContext(resolved, runSetupOperation);
 * ```
 */
export function createDriverContext(options: ResolvedOptions, runSetup: SetupRunner): DriverContext {
  let inFlight: ResultAsync<ClusterFacts, GpfsError> | null = null;
  let counter = 0;
  const seed = Math.floor(Math.random() * 36 ** 4).toString(36);
  const context: DriverContext = {
    options,
    facts: createFactsCache(),
    locks: createKeyedLock(),
    stats: null,
    ensureFacts(runner) {
      const cached = context.facts.current();
      if (cached !== null) return okAsync(cached);
      if (inFlight === null) {
        inFlight = runSetup(context, runner);
        const clear = () => {
          inFlight = null;
        };
        void inFlight.then(clear, clear);
      }
      return inFlight;
    },
    makeTag() {
      counter += 1;
      return `${seed}${Date.now().toString(36)}${counter.toString(36)}`;
    },
  };
  return context;
}

/**
 * Runs one operation: a fresh traced runner, then logs how it ended.
 *
 * @param context - The driver context.
 * @param operation - The operation's name.
 * @param body - The operation, given its traced runner.
 * @param defaultStep - Step name for commands the executor did not label.
 * @returns The operation's result.
 * @example
 * ```ts
 * runOperation(context, 'extendVolume', (runner) => extend(context, runner, volume, 20));
 * ```
 */
export function runOperation<T>(context: DriverContext, operation: string, body: (runner: TracedRunner) => ResultAsync<T, GpfsError>, defaultStep = 'unlabelled'): ResultAsync<T, GpfsError> {
  const runner = traceRunner(context.options, operation, defaultStep);
  const logger = context.options.logger;
  let result: ResultAsync<T, GpfsError>;
  try {
    result = body(runner);
  } catch (error) {
    result = errAsync(internalError(operation, error));
  }
  const guarded = new ResultAsync(
    (async () => {
      try {
        return await result;
      } catch (error) {
        return await errAsync<T, GpfsError>(internalError(operation, error));
      }
    })(),
  );
  return guarded
    .map((value) => {
      quietly(() => logger.info?.(`[gpfs] ${operation} done in ${runner.roundTrips()} round trip(s)`, { operation, roundTrips: runner.roundTrips() }));
      return value;
    })
    .mapErr((error) => {
      quietly(() => logger.error?.(`[gpfs] ${operation} failed: ${error.kind}: ${error.message}`, { operation, error }));
      return error;
    });
}

// --- Internal helpers ---

function internalError(operation: string, error: unknown): GpfsError {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'Internal', operation, message: `unexpected defect in ${operation}: ${message}; please report it` };
}

function quietly(callback: () => void): void {
  try {
    callback();
  } catch {
    // Logging must never break an operation.
  }
}
