import { describe, expect, it } from 'vitest';
import type { CloneEntry, DeletionPlan } from '../../src/clone-tree/index.js';
import { buildCloneForest, findOrphanedCloneParents, planCloneDeletion } from '../../src/clone-tree/index.js';
import type { BuildCloneForestOptions } from '../../src/clone-tree/index.js';

const VOLUMES = '/gpfs0/volumes';

function file(path: string, inode: number, parentInode: number | null, isParent = false): CloneEntry {
  return { path, inode, isParent, depth: parentInode === null ? (isParent ? 0 : null) : 1, parentInode };
}

function plan(entries: CloneEntry[], target: string, options: BuildCloneForestOptions = { directories: [VOLUMES] }) {
  return planCloneDeletion(buildCloneForest(entries, options)._unsafeUnwrap(), target);
}

function summary(result: DeletionPlan): { removed: string[]; kept: string[] } {
  return {
    removed: result.removals.map((removal) => removal.path),
    kept: result.kept.map((kept) => `${kept.path ?? `inode ${kept.inode}`}: ${kept.reason}`),
  };
}

// cinder-gpfs-driver.md E.1: snapshot-A of volume-1, volume-2 made from snapshot-A, volume-3 cloned from
// volume-2 (hidden parent volume-3.snap), then snapshot-A deleted while it had clones: tombstoned to .ts.
const tombstoned: CloneEntry[] = [
  file(`${VOLUMES}/snapshot-A.ts`, 100, null, true),
  file(`${VOLUMES}/volume-1`, 101, 100),
  file(`${VOLUMES}/volume-3.snap`, 102, 100, true),
  file(`${VOLUMES}/volume-2`, 103, 102),
  file(`${VOLUMES}/volume-3`, 104, 102),
];

describe('clone-tree: planCloneDeletion shapes from the Cinder driver', () => {
  it.each<[title: string, target: string, extraRemoved: string[], kept: string[]]>([
    ['volume-3 first: its hidden parent still serves volume-2', 'volume-3', [], ['volume-3.snap: StillHasChildren']],
    ['volume-1 first: the tombstone still has the volume-3.snap subtree', 'volume-1', [], ['snapshot-A.ts: StillHasChildren']],
  ])('a snapshot tombstoned to .ts with clones of clones: %s', (_title, target, extraRemoved, kept) => {
    const result = plan(tombstoned, `${VOLUMES}/${target}`)._unsafeUnwrap();
    expect(summary(result)).toEqual({
      removed: [`${VOLUMES}/${target}`, ...extraRemoved.map((name) => `${VOLUMES}/${name}`)],
      kept: kept.map((line) => `${VOLUMES}/${line}`),
    });
  });

  it('collapses the tombstone chain when the last clones go, children before parents', () => {
    let entries = tombstoned;
    const removedInOrder: string[][] = [];
    for (const target of ['volume-3', 'volume-2', 'volume-1']) {
      const result = plan(entries, `${VOLUMES}/${target}`)._unsafeUnwrap();
      removedInOrder.push(summary(result).removed);
      const removed = new Set(summary(result).removed);
      entries = entries.filter((entry) => !removed.has(entry.path));
    }
    expect(removedInOrder).toEqual([[`${VOLUMES}/volume-3`], [`${VOLUMES}/volume-2`, `${VOLUMES}/volume-3.snap`], [`${VOLUMES}/volume-1`, `${VOLUMES}/snapshot-A.ts`]]);
    expect(entries).toEqual([]);
  });

  it('never removes an image parent in another listed directory', () => {
    const entries = [file('/gpfs0/images/9b1c', 200, null, true), file(`${VOLUMES}/volume-5`, 201, 200)];
    const result = plan(entries, `${VOLUMES}/volume-5`, { directories: [VOLUMES, '/gpfs0/images'] })._unsafeUnwrap();
    expect(summary(result)).toEqual({ removed: [`${VOLUMES}/volume-5`], kept: ['/gpfs0/images/9b1c: NotDisposable'] });
  });

  it('keeps a parent in an unlisted directory as a placeholder when the caller says it lives outside', () => {
    const entries = [file(`${VOLUMES}/volume-5`, 201, 200)];
    const forest = buildCloneForest(entries, { directories: [VOLUMES], parentsOutsideListedDirectories: 'all-unlisted' })._unsafeUnwrap();
    expect(forest.nodes.get(200)).toEqual({
      path: null,
      inode: 200,
      isParent: true,
      depth: null,
      parentInode: null,
      childInodes: [201],
      outsideListedDirectories: true,
    });
    const result = planCloneDeletion(forest, `${VOLUMES}/volume-5`)._unsafeUnwrap();
    expect(result.kept).toEqual([{ path: null, inode: 200, reason: 'OutsideListedDirectories' }]);
    expect(findOrphanedCloneParents(forest)).toEqual([]);
  });

  it('refuses a parent inode with no file unless the caller says where it lives', () => {
    const entries = [file(`${VOLUMES}/volume-5`, 201, 200)];
    const error = buildCloneForest(entries, { directories: [VOLUMES], parentsOutsideListedDirectories: [999] })._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'PlanError', reason: 'MissingParent', paths: [`${VOLUMES}/volume-5`], inodes: [200] });
  });

  it('never removes a disposable parent given as an entry outside the listed directories', () => {
    const entries = [file('/gpfs0/images/base.snap', 300, null, true), file(`${VOLUMES}/volume-6`, 301, 300)];
    const result = plan(entries, `${VOLUMES}/volume-6`)._unsafeUnwrap();
    expect(summary(result).kept).toEqual(['/gpfs0/images/base.snap: OutsideListedDirectories']);
  });

  it('collects parents left in another directory by a migration when that directory is listed', () => {
    // volume-7 was moved by _migrate_volume from /gpfs0/old to /gpfs0/volumes; its parents stayed behind.
    const entries = [file('/gpfs0/old/snapshot-B.ts', 400, null, true), file('/gpfs0/old/volume-7.snap', 401, 400, true), file(`${VOLUMES}/volume-7`, 402, 401)];
    const both = plan(entries, `${VOLUMES}/volume-7`, { directories: [VOLUMES, '/gpfs0/old'] })._unsafeUnwrap();
    expect(summary(both)).toEqual({
      removed: [`${VOLUMES}/volume-7`, '/gpfs0/old/volume-7.snap', '/gpfs0/old/snapshot-B.ts'],
      kept: [],
    });
    // Listing only the volume's directory, the planner keeps the unseen parent; a later listing of the old
    // directory finds it orphaned.
    const onlyNew = plan([entries[2]!], `${VOLUMES}/volume-7`, {
      directories: [VOLUMES],
      parentsOutsideListedDirectories: 'all-unlisted',
    })._unsafeUnwrap();
    expect(summary(onlyNew)).toEqual({ removed: [`${VOLUMES}/volume-7`], kept: ['inode 401: OutsideListedDirectories'] });
    const oldDirectory = buildCloneForest(entries.slice(0, 2), { directories: ['/gpfs0/old/'] })._unsafeUnwrap();
    expect(findOrphanedCloneParents(oldDirectory)).toEqual(['/gpfs0/old/volume-7.snap']);
  });

  it('keeps a .snap shared by two volumes until the second one goes', () => {
    // _create_gpfs_clone(volume-8, volume-9): mmclone snap volume-8 volume-9.snap; mmclone copy volume-9.snap volume-9.
    const entries = [file(`${VOLUMES}/volume-9.snap`, 500, null, true), file(`${VOLUMES}/volume-8`, 501, 500), file(`${VOLUMES}/volume-9`, 502, 500)];
    const first = plan(entries, `${VOLUMES}/volume-8`)._unsafeUnwrap();
    expect(summary(first)).toEqual({ removed: [`${VOLUMES}/volume-8`], kept: [`${VOLUMES}/volume-9.snap: StillHasChildren`] });
    const second = plan(entries.slice(0, 1).concat(entries.slice(2)), `${VOLUMES}/volume-9`)._unsafeUnwrap();
    expect(summary(second)).toEqual({ removed: [`${VOLUMES}/volume-9`, `${VOLUMES}/volume-9.snap`], kept: [] });
  });

  it('stops at a live snapshot even when it has no other children', () => {
    const entries = [file(`${VOLUMES}/snapshot-C`, 600, null, true), file(`${VOLUMES}/volume-10`, 601, 600)];
    expect(summary(plan(entries, `${VOLUMES}/volume-10`)._unsafeUnwrap()).kept).toEqual([`${VOLUMES}/snapshot-C: NotDisposable`]);
  });

  it('refuses a target that is itself a parent with children: GPFS would refuse to remove it', () => {
    const error = plan(tombstoned, `${VOLUMES}/volume-3.snap`)._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'PlanError', reason: 'TargetHasChildren', paths: [`${VOLUMES}/volume-3.snap`], inodes: [102, 103, 104] });
  });

  it('removes a childless parent asked for by name, and its childless disposable ancestors', () => {
    const entries = [file(`${VOLUMES}/a.ts`, 700, null, true), file(`${VOLUMES}/b.snap`, 701, 700, true)];
    expect(summary(plan(entries, `${VOLUMES}/b.snap`)._unsafeUnwrap()).removed).toEqual([`${VOLUMES}/b.snap`, `${VOLUMES}/a.ts`]);
  });

  it('plans nothing for a target that is already gone, or reports it with requireTarget', () => {
    const forest = buildCloneForest(tombstoned)._unsafeUnwrap();
    expect(planCloneDeletion(forest, `${VOLUMES}/volume-99`)._unsafeUnwrap()).toEqual({
      targetPath: `${VOLUMES}/volume-99`,
      targetFound: false,
      removals: [],
      kept: [],
    });
    expect(planCloneDeletion(forest, `${VOLUMES}/volume-99`, { requireTarget: true })._unsafeUnwrapErr().reason).toBe('TargetNotFound');
  });

  it('uses the isDisposable predicate given, and reports a predicate that throws as data', () => {
    const entries = [file(`${VOLUMES}/gc-me`, 800, null, true), file(`${VOLUMES}/volume-11`, 801, 800)];
    const forest = buildCloneForest(entries)._unsafeUnwrap();
    const custom = planCloneDeletion(forest, `${VOLUMES}/volume-11`, { isDisposable: (path) => path.endsWith('/gc-me') });
    expect(summary(custom._unsafeUnwrap()).removed).toEqual([`${VOLUMES}/volume-11`, `${VOLUMES}/gc-me`]);
    const throwing = planCloneDeletion(forest, `${VOLUMES}/volume-11`, {
      isDisposable: () => {
        throw new Error('boom');
      },
    });
    expect(throwing._unsafeUnwrapErr()).toMatchObject({ reason: 'InvalidEntry', paths: [`${VOLUMES}/gc-me`] });
  });

  it('plans a 100,000-deep chain of disposable parents without running out of stack', () => {
    const depth = 100_000;
    const entries: CloneEntry[] = [];
    for (let level = 0; level < depth; level += 1) {
      entries.push(file(`${VOLUMES}/level-${level}.snap`, level + 1, level === 0 ? null : level, true));
    }
    entries.push(file(`${VOLUMES}/volume-deep`, depth + 1, depth));
    const result = plan(entries, `${VOLUMES}/volume-deep`)._unsafeUnwrap();
    expect(result.removals).toHaveLength(depth + 1);
    expect(result.removals.at(-1)?.path).toBe(`${VOLUMES}/level-0.snap`);
    const looped = entries.map((entry, index) => (index === 0 ? { ...entry, parentInode: depth + 1 } : entry));
    expect(buildCloneForest(looped)._unsafeUnwrapErr()).toMatchObject({ reason: 'Cycle' });
    expect(buildCloneForest(looped)._unsafeUnwrapErr().inodes).toHaveLength(depth + 1);
  });
});

describe('clone-tree: buildCloneForest contradictions', () => {
  it.each<[string, CloneEntry[], string]>([
    ['a file its own parent', [file('/d/a.snap', 1, 1, true)], 'Cycle'],
    ['two parents pointing at each other', [file('/d/a.snap', 1, 2, true), file('/d/b.snap', 2, 1, true)], 'Cycle'],
    ['two files claiming one inode', [file('/d/a', 1, null), file('/d/b', 1, null)], 'DuplicateInode'],
    ['one path twice', [file('/d/a', 1, null), file('/d/a', 2, null)], 'DuplicatePath'],
    ['a child whose parent inode has no file', [file('/d/a', 1, 7)], 'MissingParent'],
    ['a negative inode', [file('/d/a', -1, null)], 'InvalidEntry'],
    ['an empty path', [file('', 1, null)], 'InvalidEntry'],
  ])('reports %s as a PlanError', (_title, entries, reason) => {
    expect(buildCloneForest(entries)._unsafeUnwrapErr()).toMatchObject({ kind: 'PlanError', reason });
  });

  it('takes a file that children name as parent to be a parent, whatever its row said', () => {
    const forest = buildCloneForest([file('/d/a.snap', 1, null, false), file('/d/b', 2, 1)])._unsafeUnwrap();
    expect(forest.nodes.get(1)?.isParent).toBe(true);
    expect(planCloneDeletion(forest, '/d/a.snap')._unsafeUnwrapErr().reason).toBe('TargetHasChildren');
  });
});

describe('clone-tree: findOrphanedCloneParents', () => {
  it('lists childless disposable parents only, sorted', () => {
    const entries = [
      file(`${VOLUMES}/z.ts`, 1, null, true),
      file(`${VOLUMES}/a.snap`, 2, null, true),
      file(`${VOLUMES}/used.snap`, 3, null, true),
      file(`${VOLUMES}/volume-1`, 4, 3),
      file(`${VOLUMES}/snapshot-live`, 5, null, true),
      file(`${VOLUMES}/plain.snap`, 6, null, false),
    ];
    expect(findOrphanedCloneParents(buildCloneForest(entries)._unsafeUnwrap())).toEqual([`${VOLUMES}/a.snap`, `${VOLUMES}/z.ts`]);
  });
});
