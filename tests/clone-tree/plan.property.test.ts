import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloneEntry } from '../../src/clone-tree/index.js';
import { buildCloneForest, findOrphanedCloneParents, isDisposableByName, planCloneDeletion } from '../../src/clone-tree/index.js';
import { arbitraryForest, brokenInvariant, childCounts, withoutRemovals, withTombstone, type RandomForest } from './forest-model.js';

function build(forest: RandomForest, entries: readonly CloneEntry[] = forest.entries) {
  return buildCloneForest(entries, { directories: forest.directories, parentsOutsideListedDirectories: forest.outsideInodes });
}

describe('clone-tree: planCloneDeletion properties', () => {
  it('plans only childless removals, children first, disposable ancestors only, and says truly why it stopped', () => {
    fc.assert(
      fc.property(arbitraryForest(3000), fc.nat(), (forest, pick) => {
        fc.pre(forest.entries.length > 0);
        const target = forest.entries[pick % forest.entries.length]!;
        const plan = planCloneDeletion(build(forest)._unsafeUnwrap(), target.path);
        const hasChildren = (childCounts(forest.entries).get(target.inode) ?? 0) > 0;
        if (hasChildren) {
          expect(plan._unsafeUnwrapErr().reason).toBe('TargetHasChildren');
          return;
        }
        expect(brokenInvariant(forest.entries, forest.directories, plan._unsafeUnwrap())).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the invariants along random deletion orders, and planning again removes nothing new', () => {
    fc.assert(
      fc.property(arbitraryForest(3000), fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (forest, picks) => {
        let entries = forest.entries;
        for (const pick of picks) {
          if (entries.length === 0) break;
          const target = entries[pick % entries.length]!;
          const result = planCloneDeletion(build(forest, entries)._unsafeUnwrap(), target.path);
          if (result.isErr()) {
            expect(result.error.reason).toBe('TargetHasChildren');
            continue;
          }
          expect(brokenInvariant(entries, forest.directories, result.value)).toBeUndefined();
          entries = withoutRemovals(entries, result.value);
          // Carrying out the plan leaves a consistent forest (no child lost its parent) ...
          const after = build(forest, entries);
          expect(after.isOk()).toBe(true);
          // ... and planning the same deletion again removes nothing.
          const again = planCloneDeletion(after._unsafeUnwrap(), target.path)._unsafeUnwrap();
          expect(again).toEqual({ targetPath: target.path, targetFound: false, removals: [], kept: [] });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('deleting every non-disposable file in any order, then the orphans, leaves nothing behind', () => {
    fc.assert(
      fc.property(
        arbitraryForest(1200).chain((forest) =>
          fc.tuple(
            fc.constant(forest),
            fc.shuffledSubarray(
              forest.entries.filter((entry) => !isDisposableByName(entry.path)).map((entry) => entry.path),
              { minLength: forest.entries.filter((entry) => !isDisposableByName(entry.path)).length },
            ),
          ),
        ),
        ([forest, order]) => {
          let entries = forest.entries;
          for (const path of order) {
            const result = planCloneDeletion(build(forest, entries)._unsafeUnwrap(), path);
            if (result.isErr()) {
              // A snapshot with clones is tombstoned, as deleteSnapshot does: it becomes disposable.
              expect(result.error.reason).toBe('TargetHasChildren');
              entries = withTombstone(entries, path);
              continue;
            }
            expect(brokenInvariant(entries, forest.directories, result.value)).toBeUndefined();
            entries = withoutRemovals(entries, result.value);
          }
          expect(entries.every((entry) => isDisposableByName(entry.path))).toBe(true);
          const orphans = findOrphanedCloneParents(build(forest, entries)._unsafeUnwrap());
          for (const orphan of orphans) {
            const plan = planCloneDeletion(build(forest, entries)._unsafeUnwrap(), orphan)._unsafeUnwrap();
            expect(brokenInvariant(entries, forest.directories, plan)).toBeUndefined();
            entries = withoutRemovals(entries, plan);
          }
          expect(entries).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('finds exactly the listed disposable clone parents that no file names as parent', () => {
    fc.assert(
      fc.property(arbitraryForest(3000), (forest) => {
        const counts = childCounts(forest.entries);
        const expected = forest.entries
          .filter((entry) => entry.isParent && isDisposableByName(entry.path) && !counts.has(entry.inode))
          .map((entry) => entry.path)
          .sort();
        expect(findOrphanedCloneParents(build(forest)._unsafeUnwrap())).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
