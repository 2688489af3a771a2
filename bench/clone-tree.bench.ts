/**
 * Clone-tree bench: how long building and planning over a 100,000-file forest takes (goal: well under a second).
 */
import { performance } from 'node:perf_hooks';
import type { CloneEntry } from '../src/clone-tree/index.js';
import { buildCloneForest, findOrphanedCloneParents, planCloneDeletion } from '../src/clone-tree/index.js';
import { deleteWithCloneTree } from '../src/driver/clone-deletion.js';
import { countRoundTrips } from '../src/runners/counting.js';
import type { CommandRunner } from '../src/runners/types.js';
import { createGpfsSimulator } from '../src/simulator/index.js';

const FILE_COUNT = 100_000;
const DIRECTORY = '/gpfs0/volumes';

/** Runs the bench and prints its figures. */
export async function run(): Promise<void> {
  const { entries, deepestLeaf, depth } = syntheticForest(FILE_COUNT);
  const buildMs = medianMs(5, () => buildCloneForest(entries, { directories: [DIRECTORY] }));
  const forest = buildCloneForest(entries, { directories: [DIRECTORY] })._unsafeUnwrap();
  const leaves = entries.filter((entry) => !entry.isParent).map((entry) => entry.path);
  let planned = 0;
  const planAllMs = medianMs(3, () => {
    for (const leaf of leaves) planned += planCloneDeletion(forest, leaf)._unsafeUnwrap().removals.length;
  });
  const planDeepMs = medianMs(5, () => planCloneDeletion(forest, deepestLeaf));
  const orphansMs = medianMs(5, () => findOrphanedCloneParents(forest));
  console.log(`forest: ${entries.length} files, deepest chain ${depth}, ${findOrphanedCloneParents(forest).length} orphaned parents`);
  console.log(`buildCloneForest (100,000 files):                   ${buildMs.toFixed(1)} ms`);
  console.log(`buildCloneForest + planCloneDeletion (deepest leaf): ${(buildMs + planDeepMs).toFixed(1)} ms`);
  console.log(`planCloneDeletion of every leaf (${leaves.length} plans):     ${planAllMs.toFixed(1)} ms (${planned > 0 ? 'ok' : 'empty'})`);
  console.log(`findOrphanedCloneParents:                           ${orphansMs.toFixed(1)} ms`);
  await compareRoundTrips();
}

// --- Internal helpers ---

/**
 * A deterministic forest shaped like a busy Cinder directory: volumes, `.snap` hidden parents, live snapshots,
 * `.ts` tombstones, orphans, and one 2,000-deep chain of clones of clones.
 */
function syntheticForest(count: number): { entries: CloneEntry[]; deepestLeaf: string; depth: number } {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const entries: CloneEntry[] = [];
  const parents: number[] = [];
  const chainDepth = 2000;
  for (let level = 0; level < chainDepth; level += 1) {
    entries.push({ path: `${DIRECTORY}/chain-${level}.snap`, inode: level + 1, isParent: true, depth: level, parentInode: level === 0 ? null : level });
  }
  const deepestLeaf = `${DIRECTORY}/chain-volume`;
  entries.push({ path: deepestLeaf, inode: chainDepth + 1, isParent: false, depth: chainDepth, parentInode: chainDepth });
  for (let index = entries.length; index < count; index += 1) {
    const inode = index + 1;
    const roll = random();
    const parentInode = parents.length > 0 && roll < 0.7 ? parents[Math.floor(random() * parents.length)]! : null;
    if (roll < 0.25 || roll >= 0.9) {
      const suffix = roll < 0.15 ? '.snap' : roll < 0.2 ? '.ts' : '';
      entries.push({ path: `${DIRECTORY}/parent-${index}${suffix}`, inode, isParent: true, depth: 0, parentInode });
      parents.push(inode);
    } else {
      entries.push({ path: `${DIRECTORY}/volume-${index}`, inode, isParent: false, depth: 1, parentInode });
    }
  }
  return { entries, deepestLeaf, depth: chainDepth + 1 };
}

/**
 * Deletes a volume whose clone chain has depth d (d hidden `.snap` parents, each with one child) on the simulator,
 * with deleteWithCloneTree and with the 2014 driver's walk (emulated command for command, section E.3 of
 * cinder-gpfs-driver.md), and prints round trips and simulated time of each.
 */
async function compareRoundTrips(): Promise<void> {
  console.log('\ndelete a volume with clone depth d   executor: round trips (virtual ms)   seed walk: round trips (virtual ms)   seed estimate 1 + 4d');
  for (const depth of [1, 5, 20]) {
    const ours = await measure(depth, async (runner, volume) => (await deleteWithCloneTree(runner, { targetPath: volume, directories: [DIRECTORY] })).isOk());
    const seed = await measure(depth, (runner, volume) => seedDelete(runner, volume));
    const row = `d = ${String(depth).padEnd(2)}`.padEnd(36);
    console.log(`${row}${`${ours.roundTrips} (${ours.virtualMs} ms)`.padEnd(37)}${`${seed.roundTrips} (${seed.virtualMs} ms)`.padEnd(38)}${1 + 4 * depth}`);
  }
}

async function measure(depth: number, deleteVolume: (runner: CommandRunner, volume: string) => Promise<boolean>): Promise<{ roundTrips: number; virtualMs: number }> {
  const sim = createGpfsSimulator();
  const volume = `${DIRECTORY}/volume-0`;
  const setup = [
    ['mkdir', '-p', DIRECTORY],
    ['truncate', '-s', '1G', volume],
  ];
  for (let level = 1; level <= depth; level += 1) setup.push(['mmclone', 'snap', volume, `${DIRECTORY}/p-${level}.snap`]);
  for (const argv of setup) (await sim.run({ argv, asRoot: true }))._unsafeUnwrap();
  const counted = countRoundTrips(sim);
  const started = sim.clock.elapsedMs();
  const deleted = await deleteVolume(counted, volume);
  const left = (await sim.run({ argv: ['find', DIRECTORY, '-mindepth', '1'] }))._unsafeUnwrap().stdout;
  if (!deleted || left !== '') throw new Error(`bench: deletion at depth ${depth} left ${JSON.stringify(left)}`);
  return { roundTrips: counted.roundTrips, virtualMs: Math.round(sim.clock.elapsedMs() - started) };
}

/** The seed's `_delete_gpfs_file`, one command per round trip: exists, mmclone show, find -inum, rm -f, exists, recurse. */
async function seedDelete(runner: CommandRunner, child: string): Promise<boolean> {
  for (let current: string | null = child; current !== null;) {
    const run = async (...argv: string[]) => (await runner.run({ argv, asRoot: true }))._unsafeUnwrap();
    if ((await run('test', '-e', current)).exitCode !== 0) return true;
    const shown = await run('mmclone', 'show', current);
    const inode = /\s+(?:yes|no)\s+\d+\s+(\d+)/.exec(shown.stdout)?.[1];
    const directory: string = current.slice(0, current.lastIndexOf('/'));
    const parent: string = inode === undefined ? '' : ((await run('find', directory, '-maxdepth', '1', '-ignore_readdir_race', '-inum', inode, '-print0', '-quit')).stdout.split('\0')[0] ?? '');
    await run('rm', '-f', current);
    const removed: boolean = (await run('test', '-e', current)).exitCode !== 0;
    current = removed && parent !== '' && (parent.endsWith('.snap') || parent.endsWith('.ts')) ? parent : null;
  }
  return true;
}

function medianMs(repeats: number, work: () => unknown): number {
  const timings: number[] = [];
  for (let attempt = 0; attempt < repeats; attempt += 1) {
    const started = performance.now();
    work();
    timings.push(performance.now() - started);
  }
  timings.sort((left, right) => left - right);
  return timings[Math.floor(timings.length / 2)]!;
}
