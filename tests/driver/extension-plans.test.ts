import { describe, expect, it } from 'vitest';
import type { ResultAsync } from 'neverthrow';
import type { GpfsError } from '../../src/driver/errors.js';
import type { CommandEvent } from '../../src/driver/options.js';
import type { OperationPlan } from '../../src/driver/plans/types.js';
import { BASE, createHarness } from './support/harness.js';

const IMPORT = `${BASE}/import`;

/** Work-file tags are random: `<tag>` in plans, a fresh tag in each run. */
const normalise = (argv: readonly string[]): string => argv.join(' ').replace(/(\.tmp\.[a-z-]+)\.[0-9a-z]+/g, '$1.<tag>');

function planned(plan: OperationPlan, round: number): string[] {
  return (plan.rounds[round]?.commands ?? []).map((command) => normalise(command.argv));
}

function ran(events: readonly CommandEvent[], roundTrip: number): string[] {
  return events.filter((event) => event.roundTrip === roundTrip).map((event) => normalise(event.argv));
}

async function fixture() {
  const harness = await createHarness();
  const { driver, sim } = harness;
  (await driver.createGroup({ id: 'g1' }))._unsafeUnwrap();
  (await driver.createVolume({ name: 'v1', sizeGiB: 1, groupId: 'g1' }))._unsafeUnwrap();
  (await driver.createVolume({ name: 'v2', sizeGiB: 1 }))._unsafeUnwrap();
  (await driver.createSnapshot({ name: 's2', volumeName: 'v2' }))._unsafeUnwrap();
  (await driver.createVolume({ name: 'v3', sizeGiB: 1 }))._unsafeUnwrap();
  sim.control.mkdir(IMPORT)._unsafeUnwrap();
  sim.control.seedFile({ path: `${IMPORT}/disk.img`, content: 'legacy', sizeBytes: 2 ** 20 })._unsafeUnwrap();
  return harness;
}

/** Runs `operation` and returns the events of its round trips. */
async function eventsOf(harness: Awaited<ReturnType<typeof createHarness>>, operation: () => ResultAsync<unknown, GpfsError>, name = ''): Promise<CommandEvent[]> {
  harness.events.length = 0;
  const result = await operation();
  expect(result.isOk() ? 'Ok' : JSON.stringify(result), name).toBe('Ok');
  return [...harness.events];
}

describe('driver: dry runs of the issue 8 operations', () => {
  it('lists what each operation sends in its first round trip(s), with the cached device', async () => {
    const harness = await fixture();
    const { driver } = harness;
    const cases: [string, () => OperationPlan, () => ResultAsync<unknown, GpfsError>, number][] = [
      ['createGroup', () => driver.plan.createGroup({ id: 'g2' })._unsafeUnwrap(), () => driver.createGroup({ id: 'g2' }), 1],
      ['createGroupSnapshot', () => driver.plan.createGroupSnapshot({ id: 'gs1', groupId: 'g1' })._unsafeUnwrap(), () => driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }), 1],
      [
        'createGroupFromSource',
        () => driver.plan.createGroupFromSource({ id: 'g3' }, { id: 'gs1', groupId: 'g1' })._unsafeUnwrap(),
        () => driver.createGroupFromSource({ id: 'g3' }, { id: 'gs1', groupId: 'g1' }),
        1,
      ],
      ['deleteGroupSnapshot', () => driver.plan.deleteGroupSnapshot({ id: 'gs1', groupId: 'g1' })._unsafeUnwrap(), () => driver.deleteGroupSnapshot({ id: 'gs1', groupId: 'g1' }), 1],
      ['updateGroup', () => driver.plan.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'v3' }] })._unsafeUnwrap(), () => driver.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'v3' }] }), 1],
      ['manageExistingGetSize', () => driver.plan.manageExistingGetSize({ path: `${IMPORT}/disk.img` })._unsafeUnwrap(), () => driver.manageExistingGetSize({ path: `${IMPORT}/disk.img` }), 1],
      [
        'manageExisting',
        () => driver.plan.manageExisting({ path: `${IMPORT}/disk.img` }, { name: 'v9' })._unsafeUnwrap(),
        () => driver.manageExisting({ path: `${IMPORT}/disk.img` }, { name: 'v9' }),
        2,
      ],
      ['unmanage', () => driver.plan.unmanage({ name: 'v9' })._unsafeUnwrap(), () => driver.unmanage({ name: 'v9' }), 1],
      ['inventory', () => driver.plan.inventory()._unsafeUnwrap(), () => driver.inventory(), 1],
      ['collectGarbage', () => driver.plan.collectGarbage({ apply: false })._unsafeUnwrap(), () => driver.collectGarbage({ apply: false }), 1],
      ['deleteGroup', () => driver.plan.deleteGroup({ id: 'g2' })._unsafeUnwrap(), () => driver.deleteGroup({ id: 'g2' }), 2],
    ];
    for (const [name, plan, operation, rounds] of cases) {
      if (rounds === 0) continue;
      const shown = plan();
      expect(shown.operation).toBe(name);
      expect(shown.rounds[0]?.commands.some((command) => command.argv.includes('<device>'))).toBe(false);
      const events = await eventsOf(harness, operation, name);
      for (let round = 0; round < rounds; round += 1) expect(ran(events, round + 1), `${name}, round trip ${round + 1}`).toEqual(planned(shown, round));
    }
  });

  it("shows revertToSnapshot's new content and swap with <tag> work files, as the operation runs them", async () => {
    const harness = await fixture();
    const { driver } = harness;
    const shown = driver.plan.revertToSnapshot({ name: 'v2' }, { name: 's2', volumeName: 'v2' })._unsafeUnwrap();
    expect(planned(shown, 1)).toEqual([`ln -- ${BASE}/v2 ${BASE}/.tmp.revert-old.<tag>`, `mv -T -- ${BASE}/.tmp.revert-new.<tag> ${BASE}/v2`]);
    const events = await eventsOf(harness, () => driver.revertToSnapshot({ name: 'v2' }, { name: 's2', volumeName: 'v2' }));
    expect(ran(events, 1)).toEqual(planned(shown, 0));
    expect(ran(events, 2).slice(0, 2)).toEqual(planned(shown, 1));
  });

  it('shows <device> before setup, and refuses invalid arguments as the operations do, running nothing', async () => {
    const harness = await createHarness({}, {}, { setup: false });
    const { driver, counted } = harness;
    expect(
      driver.plan
        .createGroup({ id: 'g1' })
        ._unsafeUnwrap()
        .rounds[0]?.commands.map((command) => command.argv.join(' ')),
    ).toContain('mmcrfileset <device> consisgroup-g1 --inode-space new -t gpfs-volumes consistency group');
    expect(driver.plan.createGroup({ id: '../x' })._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName', role: 'group' });
    expect(driver.plan.createGroupSnapshot({ id: 'a b', groupId: 'g1' })._unsafeUnwrapErr().kind).toBe('InvalidName');
    expect(driver.plan.createGroupFromSource({ id: 'g2' }, { id: 'g1' }, { volumeNames: { v1: '*' } })._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName', role: 'volume' });
    expect(driver.plan.updateGroup({ id: 'g1' }, { addVolumes: [{ name: 'v' }, { name: 'v' }] })._unsafeUnwrapErr().kind).toBe('InvalidArgument');
    expect(driver.plan.manageExisting({ path: '/etc/passwd' }, { name: 'v' })._unsafeUnwrapErr().kind).toBe('InvalidArgument');
    expect(driver.plan.unmanage({ name: '-rf' })._unsafeUnwrapErr().kind).toBe('InvalidName');
    expect(driver.plan.revertToSnapshot({ name: 'v', groupId: 'g1' }, { name: 's', volumeName: 'v', groupId: 'g2' })._unsafeUnwrapErr().kind).toBe('InvalidArgument');
    expect(counted.roundTrips).toBe(0);
  });

  it("validates createGroupFromSource's new names before running anything (it used to refuse them after 3 round trips)", async () => {
    const harness = await fixture();
    (await harness.driver.createGroupSnapshot({ id: 'gs1', groupId: 'g1' }))._unsafeUnwrap();
    const { result, roundTrips } = await harness.measure(() => harness.driver.createGroupFromSource({ id: 'g2' }, { id: 'g1' }, { volumeNames: { v1: '$(id)' } }));
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'InvalidName', role: 'volume' });
    expect(roundTrips).toBe(0);
  });
});
