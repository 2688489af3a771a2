/**
 * Per-path locks: operations on the same volume or snapshot within one driver run one at a time;
 * operations on different paths run in parallel.
 *
 * @module
 */
import { ResultAsync } from 'neverthrow';

/**
 * A set of named mutexes. Acquiring several keys takes them in sorted order, so two operations that
 * need overlapping sets cannot deadlock.
 *
 * @example
 * ```ts
 * const locks = createKeyedLock();
 * const result = locks.withLocks(['/gpfs0/a', '/gpfs0/b'], () => createClone(...));
 * ```
 */
export interface KeyedLock {
  /**
   * Runs `task` while holding every key in `keys`, and releases them when its result settles.
   *
   * @param keys - Keys to hold (duplicates are fine).
   * @param task - The work; runs once every key is free.
   * @returns The task's result.
   */
  withLocks<T, E>(keys: readonly string[], task: () => ResultAsync<T, E>): ResultAsync<T, E>;
  /** Number of keys currently held or waited for (for tests of cleanup). */
  size(): number;
}

/**
 * Makes an empty {@link KeyedLock}.
 *
 * @returns A lock set with no key held.
 * @example
 * ```ts
 * const locks = createKeyedLock();
 * ```
 */
export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>();

  const acquire = async (key: string): Promise<() => void> => {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => held);
    tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    };
  };

  return {
    withLocks<T, E>(keys: readonly string[], task: () => ResultAsync<T, E>): ResultAsync<T, E> {
      const sorted = [...new Set(keys)].sort();
      const run = async () => {
        const releases: (() => void)[] = [];
        try {
          for (const key of sorted) releases.push(await acquire(key));
          return await task();
        } finally {
          for (const release of releases.reverse()) release();
        }
      };
      // The task returns a ResultAsync and never rejects; a defect that throws inside it still releases the locks.
      return new ResultAsync(run());
    },
    size: () => tails.size,
  };
}
