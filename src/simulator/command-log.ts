/**
 * The command log: what ran, how it ended and how much virtual time it took.
 *
 * @module
 */
import type { RunnerError } from '../errors.js';

/** One command the simulator received. */
export interface CommandLogEntry {
  /** 1-based position among all commands received. */
  readonly sequence: number;
  /** 1-based round trip it belonged to (a batch is one round trip). */
  readonly roundTrip: number;
  /** The argv as given. */
  readonly argv: readonly string[];
  /** Whether it ran as root. */
  readonly asRoot: boolean;
  /** Exit code, or `null` when the run ended in a runner error. */
  readonly exitCode: number | null;
  /** The runner error kind, or `null`. */
  readonly errorKind: RunnerError['kind'] | null;
  /** Whether an injected fault decided the outcome. */
  readonly faulted: boolean;
  /** Virtual start time, in milliseconds since the simulator started. */
  readonly startedAtMs: number;
  /** Virtual duration in milliseconds (without the round-trip cost). */
  readonly durationMs: number;
}

/** The command-log API of a simulator. */
export interface SimulatorCommandLog {
  /** Logged commands, oldest first. */
  entries(): readonly CommandLogEntry[];
  /** Forgets all entries. */
  clear(): void;
  /** One line per command (`+0.305s  mmgetstate -Y  exit 0  300 ms`), for demos. */
  text(): string;
}

/** A bounded command log. */
export class CommandLog implements SimulatorCommandLog {
  private items: CommandLogEntry[] = [];

  constructor(private readonly limit: number) {}

  /**
   * Records an entry, dropping the oldest ones past the limit.
   *
   * @param entry - The entry.
   */
  add(entry: CommandLogEntry): void {
    if (this.limit === 0) return;
    this.items.push(entry);
    if (this.items.length > this.limit * 1.25) this.items = this.items.slice(this.items.length - this.limit);
  }

  entries(): readonly CommandLogEntry[] {
    return this.items.length > this.limit ? this.items.slice(this.items.length - this.limit) : [...this.items];
  }

  clear(): void {
    this.items = [];
  }

  /**
   * Restores saved entries (oldest first).
   *
   * @param entries - Entries from {@link CommandLog.entries}.
   */
  restore(entries: readonly CommandLogEntry[]): void {
    for (const entry of entries) this.add(entry);
  }

  text(): string {
    return this.entries()
      .map((entry) => {
        const argv = entry.argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
        const outcome = entry.errorKind === null ? `exit ${entry.exitCode}` : entry.errorKind;
        return `+${(entry.startedAtMs / 1000).toFixed(3)}s  ${entry.asRoot ? '# ' : '$ '}${argv}  ${outcome}${entry.faulted ? ' (fault)' : ''}  ${Math.round(entry.durationMs)} ms\n`;
      })
      .join('');
  }
}
