/**
 * Second names: a file reachable under a work name (`.tmp.<purpose>.<tag>`) as well as under its own
 * name, as a create that was interrupted between publishing its volume (`ln`) and removing the work
 * name leaves it. A clone forest has one node per inode, so such names are set aside before the forest
 * is built, and removed together with the file they repeat.
 *
 * @module
 */
import type { CloneEntry } from './types.js';

/**
 * Entries without second names, and the second names of each inode.
 *
 * @example
 * ```ts
 * const separated: SeparatedNames = { entries: [], secondNames: new Map([[4097, ['/gpfs0/volumes/.tmp.create.k3x1']]]) };
 * ```
 */
export interface SeparatedNames {
  /** One entry per inode, except where several names that are not work names claim one (left for the forest to refuse). */
  readonly entries: CloneEntry[];
  /** Work names set aside, by inode. */
  readonly secondNames: ReadonlyMap<number, readonly string[]>;
}

/**
 * Sets aside the work names of inodes that have more than one name: when an inode has exactly one name
 * that is not a work name, that name stays; when all its names are work names, the first (in path order)
 * stays. Inodes claimed by several names that are not work names are left as they are.
 *
 * @param entries - Clone entries, possibly several per inode.
 * @param isWorkName - Whether a path is a work name.
 * @returns The entries to build a forest from, and the names set aside.
 * @example
 * ```ts
 * const { entries, secondNames } = separateSecondNames(listed, (path) => path.includes('/.tmp.'));
 * ```
 */
export function separateSecondNames(entries: readonly CloneEntry[], isWorkName: (path: string) => boolean): SeparatedNames {
  const byInode = new Map<number, CloneEntry[]>();
  for (const entry of entries) byInode.set(entry.inode, [...(byInode.get(entry.inode) ?? []), entry]);
  const secondNames = new Map<number, string[]>();
  const kept: CloneEntry[] = [];
  for (const entry of entries) {
    const names = byInode.get(entry.inode) ?? [entry];
    if (names.length === 1) {
      kept.push(entry);
      continue;
    }
    const real = names.filter((name) => !isWorkName(name.path));
    const keeper = real.length === 0 ? [...names].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))[0] : real.length === 1 ? real[0] : undefined;
    if (keeper === undefined || keeper === entry) kept.push(entry);
    else if (isWorkName(entry.path)) secondNames.set(entry.inode, [...(secondNames.get(entry.inode) ?? []), entry.path]);
    else kept.push(entry);
  }
  return { entries: kept, secondNames };
}
