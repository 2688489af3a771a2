/**
 * Fault injection: make chosen commands fail with an exit code and stderr, or with a runner error,
 * before they take effect or after.
 *
 * @module
 */
import type { RunnerError } from '../errors.js';

/** Which commands a fault applies to. Every given field must match; none given matches all. */
export interface FaultMatcher {
  /** Exact argv. */
  readonly argv?: readonly string[];
  /** Leading argv elements, such as `['mmclone', 'copy']`. */
  readonly argvPrefix?: readonly string[];
  /** Command name (argv[0] without its directory), such as `'mmclone'`. */
  readonly command?: string;
  /** Any test on the argv. Exceptions it throws count as no match. */
  readonly predicate?: (argv: readonly string[]) => boolean;
}

/** How a faulted command ends. */
export type FaultOutcome =
  | {
      /** Exit code to report. */
      readonly exitCode: number;
      /** Standard error to report. @defaultValue '' */
      readonly stderr?: string;
      /** Standard output to report. @defaultValue '' */
      readonly stdout?: string;
    }
  | {
      /** Runner error to return instead of an output. */
      readonly error: RunnerError['kind'];
      /** Its message. @defaultValue a description of the injected fault */
      readonly message?: string;
    };

/** One fault to inject. */
export interface FaultSpec {
  /** Commands it applies to. @defaultValue every command */
  readonly match?: FaultMatcher;
  /** Fire on the nth matching command after the fault is added (1-based). @defaultValue 1 */
  readonly nth?: number;
  /** How many times it fires (from the nth match on). @defaultValue 1 (`Infinity` for always) */
  readonly times?: number;
  /**
   * `'before'`: the command does not run. `'after'`: it runs and takes effect, then the outcome
   * replaces its result (an `'after'` ConnectionLost is an outcome-unknown failure).
   * @defaultValue 'before'
   */
  readonly timing?: 'before' | 'after';
  /** How the command ends. */
  readonly outcome: FaultOutcome;
}

/** A fault as the simulator tracks it. */
export interface InjectedFault {
  /** Identifier for {@link SimulatorFaults.remove}. */
  readonly id: number;
  /** The fault as given. */
  readonly spec: FaultSpec;
  /** Matching commands seen since it was added. */
  readonly matched: number;
  /** Times it fired. */
  readonly fired: number;
}

/** The fault-injection API of a simulator. */
export interface SimulatorFaults {
  /**
   * Adds a fault.
   *
   * @param spec - What to match and how to fail.
   * @returns Its id.
   */
  inject(spec: FaultSpec): number;
  /**
   * Fails the nth command run from now on (1 = the next one).
   *
   * @param nth - Position, 1-based.
   * @param outcome - How it fails.
   * @param timing - Before or after it takes effect. @defaultValue 'before'
   * @returns The fault id.
   */
  failNth(nth: number, outcome: FaultOutcome, timing?: 'before' | 'after'): number;
  /**
   * Fails every command matching a predicate or matcher (until removed, or `times` runs out).
   *
   * @param match - A predicate on argv, or a matcher.
   * @param outcome - How they fail.
   * @param options - `times` and `timing`.
   * @returns The fault id.
   */
  failWhen(match: FaultMatcher | ((argv: readonly string[]) => boolean), outcome: FaultOutcome, options?: { readonly times?: number; readonly timing?: 'before' | 'after' }): number;
  /**
   * Removes a fault.
   *
   * @param id - Fault id.
   * @returns Whether it existed.
   */
  remove(id: number): boolean;
  /** Removes every fault. */
  clear(): void;
  /** The faults still active (not used up), with their counters. */
  list(): readonly InjectedFault[];
}

interface Active {
  readonly id: number;
  readonly spec: FaultSpec;
  matched: number;
  fired: number;
}

/** Keeps the injected faults and picks the one (if any) that fires for a command. */
export class FaultRegistry implements SimulatorFaults {
  private faults: Active[] = [];
  private nextId = 1;

  /** Whether any fault is active (a fast check on the hot path). */
  get isEmpty(): boolean {
    return this.faults.length === 0;
  }

  inject(spec: FaultSpec): number {
    const id = this.nextId++;
    this.faults.push({ id, spec, matched: 0, fired: 0 });
    return id;
  }

  failNth(nth: number, outcome: FaultOutcome, timing: 'before' | 'after' = 'before'): number {
    return this.inject({ nth, outcome, timing });
  }

  failWhen(match: FaultMatcher | ((argv: readonly string[]) => boolean), outcome: FaultOutcome, options: { readonly times?: number; readonly timing?: 'before' | 'after' } = {}): number {
    const matcher = typeof match === 'function' ? { predicate: match } : match;
    return this.inject({ match: matcher, outcome, times: options.times ?? Number.POSITIVE_INFINITY, timing: options.timing ?? 'before' });
  }

  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((fault) => fault.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  list(): readonly InjectedFault[] {
    return this.faults.map((fault) => ({ id: fault.id, spec: fault.spec, matched: fault.matched, fired: fault.fired }));
  }

  /**
   * The faults that can be saved as JSON (no predicate), with their counters.
   *
   * @returns Plain data for persistence.
   */
  exportPlain(): { spec: FaultSpec; matched: number; fired: number }[] {
    return this.faults.filter((fault) => fault.spec.match?.predicate === undefined).map((fault) => ({ spec: fault.spec, matched: fault.matched, fired: fault.fired }));
  }

  /**
   * Restores faults saved by {@link FaultRegistry.exportPlain}.
   *
   * @param faults - Saved faults.
   */
  importPlain(faults: readonly { spec: FaultSpec; matched: number; fired: number }[]): void {
    for (const fault of faults) this.faults.push({ id: this.nextId++, spec: fault.spec, matched: fault.matched, fired: fault.fired });
  }

  /**
   * Counts a command against every fault and returns the first that fires.
   *
   * @param argv - The command.
   * @returns The fault that fires, or `undefined`.
   */
  pick(argv: readonly string[]): FaultSpec | undefined {
    let chosen: FaultSpec | undefined;
    for (const fault of this.faults) {
      if (!matches(fault.spec.match, argv)) continue;
      fault.matched++;
      const times = fault.spec.times ?? 1;
      if (chosen === undefined && fault.matched >= (fault.spec.nth ?? 1) && fault.fired < times) {
        fault.fired++;
        chosen = fault.spec;
      }
    }
    this.faults = this.faults.filter((fault) => fault.fired < (fault.spec.times ?? 1));
    return chosen;
  }
}

function matches(matcher: FaultMatcher | undefined, argv: readonly string[]): boolean {
  if (matcher === undefined) return true;
  if (matcher.argv !== undefined && (matcher.argv.length !== argv.length || matcher.argv.some((arg, index) => arg !== argv[index]))) return false;
  if (matcher.argvPrefix !== undefined && matcher.argvPrefix.some((arg, index) => arg !== argv[index])) return false;
  if (matcher.command !== undefined) {
    const argv0 = argv[0] ?? '';
    if (argv0.slice(argv0.lastIndexOf('/') + 1) !== matcher.command) return false;
  }
  if (matcher.predicate !== undefined) {
    try {
      return matcher.predicate(argv) === true;
    } catch {
      return false;
    }
  }
  return true;
}
