import { describe, expect, it } from 'vitest';
import { ResultAsync } from 'neverthrow';
import { createKeyedLock } from '../../src/driver/locks.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('driver: per-path locks', () => {
  it('runs tasks on the same key one at a time, in arrival order', async () => {
    const locks = createKeyedLock();
    const events: string[] = [];
    const gate = deferred();
    const first = locks.withLocks(['/gpfs0/a'], () =>
      ResultAsync.fromSafePromise(
        (async () => {
          events.push('first start');
          await gate.promise;
          events.push('first end');
          return 1;
        })(),
      ),
    );
    const second = locks.withLocks(['/gpfs0/a'], () =>
      ResultAsync.fromSafePromise(
        (async () => {
          events.push('second start');
          return 2;
        })(),
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['first start']);
    gate.resolve();
    expect((await first)._unsafeUnwrap()).toBe(1);
    expect((await second)._unsafeUnwrap()).toBe(2);
    expect(events).toEqual(['first start', 'first end', 'second start']);
    expect(locks.size()).toBe(0);
  });

  it('runs tasks on different keys in parallel', async () => {
    const locks = createKeyedLock();
    const gate = deferred();
    const events: string[] = [];
    const first = locks.withLocks(['/gpfs0/a'], () => ResultAsync.fromSafePromise(gate.promise.then(() => events.push('a done'))));
    const second = locks.withLocks(['/gpfs0/b'], () => ResultAsync.fromSafePromise(Promise.resolve(events.push('b done'))));
    expect((await second)._unsafeUnwrap()).toBe(1);
    expect(events).toEqual(['b done']);
    gate.resolve();
    expect((await first)._unsafeUnwrap()).toBe(2);
    expect(events).toEqual(['b done', 'a done']);
  });

  it('does not deadlock when two tasks take overlapping keys in opposite orders', async () => {
    const locks = createKeyedLock();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => locks.withLocks(index % 2 === 0 ? ['/x', '/y'] : ['/y', '/x'], () => ResultAsync.fromSafePromise(Promise.resolve(index)))),
    );
    expect(results.map((result) => result._unsafeUnwrap())).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(locks.size()).toBe(0);
  });

  it('releases the keys when a task fails', async () => {
    const locks = createKeyedLock();
    const failed = await locks.withLocks(['/k'], () => ResultAsync.fromPromise(Promise.reject(new Error('x')), () => 'failed'));
    expect(failed._unsafeUnwrapErr()).toBe('failed');
    const next = await locks.withLocks(['/k'], () => ResultAsync.fromSafePromise(Promise.resolve('ok')));
    expect(next._unsafeUnwrap()).toBe('ok');
    expect(locks.size()).toBe(0);
  });
});
