/**
 * Clone-tree bench: how long building and planning over a 100,000-file forest takes (goal: well under a second).
 */
import { performance } from 'node:perf_hooks';
import type { CloneEntry } from '../src/clone-tree/index.js';
import { buildCloneForest, findOrphanedCloneParents, planCloneDeletion } from '../src/clone-tree/index.js';

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
  await Promise.resolve();
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
