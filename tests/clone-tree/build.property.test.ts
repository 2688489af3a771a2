import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloneEntry } from '../../src/clone-tree/index.js';
import { buildCloneForest } from '../../src/clone-tree/index.js';
import { arbitraryForest } from './forest-model.js';

describe('clone-tree: buildCloneForest properties', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (entries, options) => {
        const result = buildCloneForest(entries as CloneEntry[], options as never);
        if (result.isErr()) expect(result.error.kind).toBe('PlanError');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws for arrays of almost-valid records', () => {
    const almost = fc.record({
      path: fc.oneof(fc.constantFrom('/gpfs0/a', '/gpfs0/b.snap', '/gpfs0/c.ts', ''), fc.string()),
      inode: fc.oneof(fc.nat({ max: 5 }), fc.integer(), fc.double()),
      isParent: fc.oneof(fc.boolean(), fc.constant(null)),
      depth: fc.oneof(fc.nat({ max: 3 }), fc.constant(null), fc.constant(-1)),
      parentInode: fc.oneof(fc.nat({ max: 5 }), fc.constant(null)),
    });
    fc.assert(
      fc.property(fc.array(almost, { maxLength: 12 }), (entries) => {
        const result = buildCloneForest(entries as CloneEntry[], { parentsOutsideListedDirectories: [4] });
        if (result.isErr()) expect(result.error.kind).toBe('PlanError');
        else expect(result.value.inodeByPath.size).toBe(entries.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('links every child to its parent, and the forest holds every entry', () => {
    fc.assert(
      fc.property(arbitraryForest(3000), (forest) => {
        const result = buildCloneForest(forest.entries, {
          directories: forest.directories,
          parentsOutsideListedDirectories: forest.outsideInodes,
        })._unsafeUnwrap();
        expect(result.inodeByPath.size).toBe(forest.entries.length);
        for (const entry of forest.entries) {
          if (entry.parentInode === null) continue;
          expect(result.nodes.get(entry.parentInode)?.childInodes).toContain(entry.inode);
        }
        const placeholders = [...result.nodes.values()].filter((node) => node.path === null).map((node) => node.inode);
        expect(placeholders.sort()).toEqual([...forest.outsideInodes].sort());
      }),
      { numRuns: 100 },
    );
  });

  it('reports a parent edge that closes a loop as a Cycle', () => {
    fc.assert(
      fc.property(arbitraryForest(500, false), fc.nat(), fc.nat(), (forest, from, to) => {
        fc.pre(forest.entries.length > 0);
        // Point an ancestor (or the file itself) at one of its descendants: a cycle by construction.
        const entries = forest.entries.slice();
        const byInode = new Map(entries.map((entry) => [entry.inode, entry]));
        const descendant = entries[from % entries.length]!;
        const chain: CloneEntry[] = [descendant];
        for (let parent = descendant.parentInode; parent !== null; parent = byInode.get(parent)?.parentInode ?? null) {
          chain.push(byInode.get(parent)!);
        }
        const ancestor = chain[to % chain.length]!;
        entries[entries.indexOf(ancestor)] = { ...ancestor, parentInode: descendant.inode };
        const result = buildCloneForest(entries);
        expect(result._unsafeUnwrapErr().reason).toBe('Cycle');
        expect(result._unsafeUnwrapErr().inodes).toContain(descendant.inode);
      }),
      { numRuns: 200 },
    );
  });

  it('reports a repeated path or inode, and a missing parent, as data', () => {
    fc.assert(
      fc.property(arbitraryForest(500, false), fc.nat(), fc.nat(), (forest, first, second) => {
        fc.pre(forest.entries.length > 1);
        const entries = forest.entries;
        const a = entries[first % entries.length]!;
        const b = entries[second % entries.length]!;
        fc.pre(a !== b);
        expect(buildCloneForest([...entries, { ...b, inode: 1 }])._unsafeUnwrapErr().reason).toBe('DuplicatePath');
        expect(buildCloneForest([...entries, { ...a, path: '/elsewhere/x' }])._unsafeUnwrapErr().reason).toBe('DuplicateInode');
        const withoutA = entries.filter((entry) => entry !== a);
        const orphaned = entries.some((entry) => entry.parentInode === a.inode);
        const result = buildCloneForest(withoutA);
        expect(result.isErr() ? result.error.reason : 'ok').toBe(orphaned ? 'MissingParent' : 'ok');
      }),
      { numRuns: 200 },
    );
  });
});
