/**
 * Every command of every operation, failed in turn with a non-zero exit through the simulator's fault
 * injection: the operation returns a typed error (or, where the failure is expected, reports it),
 * no file that existed before loses its content, nothing but a disposable clone parent is left
 * behind, and running the operation again without the fault succeeds.
 */
import { describe, expect, it } from 'vitest';
import type { ResultAsync } from 'neverthrow';
import type { GpfsDriver } from '../../src/driver/driver.js';
import type { GpfsError } from '../../src/driver/errors.js';
import { BASE, createHarness, fileState, type Harness } from './support/harness.js';

interface Scenario {
  readonly name: string;
  readonly prepare: (driver: GpfsDriver) => Promise<void>;
  readonly operation: (driver: GpfsDriver) => ResultAsync<unknown, GpfsError>;
  /** The file the operation removes, if any (allowed to go). */
  readonly removes?: string;
  /** The matching delete, for an outcome-unknown failure of a create. */
  readonly undo?: (driver: GpfsDriver) => ResultAsync<unknown, GpfsError>;
}

const ok = async (result: ResultAsync<unknown, GpfsError>) => {
  (await result)._unsafeUnwrap();
};
const withSnapshot = async (driver: GpfsDriver) => {
  await ok(driver.createVolume({ name: 'volume-1', sizeGiB: 1 }));
  await ok(driver.createSnapshot({ name: 'snap-1', volumeName: 'volume-1' }));
};

const deleteNew = (driver: GpfsDriver) => driver.deleteVolume({ name: 'new' });

const SCENARIOS: readonly Scenario[] = [
  { name: 'createVolume', prepare: async () => {}, operation: (driver) => driver.createVolume({ name: 'new', sizeGiB: 1, metadata: { fstype: 'ext4' } }), undo: deleteNew },
  {
    name: 'createSnapshot',
    prepare: withSnapshot,
    operation: (driver) => driver.createSnapshot({ name: 'snap-2', volumeName: 'volume-1' }),
    undo: (driver) => driver.deleteSnapshot({ name: 'snap-2', volumeName: 'volume-1' }),
  },
  { name: 'deleteSnapshot', prepare: withSnapshot, operation: (driver) => driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }), removes: `${BASE}/snap-1` },
  {
    name: 'createVolumeFromSnapshot',
    prepare: withSnapshot,
    operation: (driver) => driver.createVolumeFromSnapshot({ name: 'new', sizeGiB: 2 }, { name: 'snap-1', volumeName: 'volume-1' }),
    undo: deleteNew,
  },
  { name: 'createClonedVolume', prepare: withSnapshot, operation: (driver) => driver.createClonedVolume({ name: 'new', sizeGiB: 2 }, { name: 'volume-1' }), undo: deleteNew },
  { name: 'extendVolume', prepare: withSnapshot, operation: (driver) => driver.extendVolume({ name: 'volume-1' }, 3) },
  {
    name: 'deleteVolume',
    prepare: async (driver) => {
      await withSnapshot(driver);
      await ok(driver.createClonedVolume({ name: 'volume-2', sizeGiB: 1 }, { name: 'volume-1' }));
      await ok(driver.deleteSnapshot({ name: 'snap-1', volumeName: 'volume-1' }));
    },
    operation: (driver) => driver.deleteVolume({ name: 'volume-2' }),
    removes: `${BASE}/volume-2`,
  },
];

async function prepared(scenario: Scenario): Promise<Harness> {
  const harness = await createHarness({ maxCloneDepth: 1 });
  await scenario.prepare(harness.driver);
  harness.events.length = 0;
  return harness;
}

const disposable = (path: string) => path.endsWith('.snap') || path.endsWith('.ts');

describe('driver: fault matrix (every command of every operation fails once)', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: typed error, nothing lost, nothing half-made, retry converges`, async () => {
      const reference = await prepared(scenario);
      await ok(scenario.operation(reference.driver));
      const commandCount = reference.events.length;
      expect(commandCount).toBeGreaterThan(0);
      let typedErrors = 0;
      for (let nth = 1; nth <= commandCount; nth++) {
        const { driver, sim } = await prepared(scenario);
        const before = fileState(sim);
        sim.faults.failNth(nth, { exitCode: 1, stderr: `injected failure of command ${nth}\n` });
        const result = await scenario.operation(driver);
        const after = fileState(sim);
        const context = `${scenario.name}, command ${nth} of ${commandCount}`;
        if (result.isErr()) {
          typedErrors += 1;
          expect(typeof result.error.kind, context).toBe('string');
          expect(result.error.message.length, context).toBeGreaterThan(10);
          for (const file of before) {
            if (file.path === scenario.removes) continue;
            const now = after.find((candidate) => candidate.inode === file.inode);
            expect(now?.digest, `${context}: ${file.path} kept its content`).toBe(file.digest);
          }
          for (const file of after) {
            if (before.some((candidate) => candidate.inode === file.inode)) continue;
            expect(disposable(file.path), `${context}: only disposable parents may be left (${file.path})`).toBe(true);
          }
          const again = await scenario.operation(driver);
          expect(again.isOk() ? 'ok' : again.error, `${context}: retry converges`).toBe('ok');
        }
      }
      expect(typedErrors).toBeGreaterThan(0);
    });
  }
});

describe('driver: fault matrix (every command of every operation loses its connection after taking effect)', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: runner error, nothing lost, the retry or the matching delete converges`, async () => {
      const reference = await prepared(scenario);
      await ok(scenario.operation(reference.driver));
      const commandCount = reference.events.length;
      for (let nth = 1; nth <= commandCount; nth++) {
        const { driver, sim } = await prepared(scenario);
        const before = fileState(sim);
        sim.faults.failNth(nth, { error: 'ConnectionLost' }, 'after');
        const result = await scenario.operation(driver);
        const context = `${scenario.name}, command ${nth} of ${commandCount}`;
        expect(result.isErr() && result.error.kind, context).toBe('ConnectionLost');
        const after = fileState(sim);
        for (const file of before) {
          if (file.path === scenario.removes) continue;
          if (scenario.name === 'extendVolume' && file.path.endsWith('volume-1')) continue;
          expect(after.find((candidate) => candidate.inode === file.inode)?.digest, `${context}: ${file.path}`).toBe(file.digest);
        }
        let again = await scenario.operation(driver);
        if (again.isErr() && again.error.kind === 'AlreadyExists' && scenario.undo) {
          await ok(scenario.undo(driver));
          again = await scenario.operation(driver);
        }
        expect(again.isOk() ? 'ok' : again.error, `${context}: converges`).toBe('ok');
      }
    });
  }
});
