/**
 * Global and fileset snapshots: frozen copies of a directory tree that share blocks with the active
 * files (the active files stop changing blocks in place once they are shared).
 *
 * @module
 */
import type { Fileset, Filesystem, Inode, Snapshot, World } from './types.js';

/**
 * Creates a snapshot and makes it visible under the `.snapshots` directory.
 *
 * @param world - The simulated world.
 * @param fs - GPFS file system.
 * @param name - Snapshot name (unique in its scope).
 * @param fileset - Independent fileset for a fileset snapshot, `null` for a global snapshot.
 * @returns The snapshot.
 */
export function createSnapshot(world: World, fs: Filesystem, name: string, fileset: Fileset | null): Snapshot {
  const placeholder = { name, id: fs.nextSnapshotId++, filesetName: fileset?.name ?? null, createdMs: world.nowMs } as const;
  const snapshot: Snapshot = { ...placeholder, root: fs.root };
  const root = freezeTree(fileset === null ? fs.root : fileset.root, snapshot, fileset);
  (snapshot as { root: Inode }).root = root;
  fs.snapshots.push(snapshot);
  const directory = fileset === null ? fs.snapshotsDir : fileset.snapshotsDir;
  directory?.entries?.set(name, root);
  fs.generation++;
  return snapshot;
}

/**
 * Deletes a snapshot. Files in it that are clone parents of active files are lost: reading through
 * them fails (IBM: "any attempt to read a block that references the missing snapshot returns an error").
 *
 * @param fs - GPFS file system.
 * @param snapshot - The snapshot.
 * @param fileset - Its fileset, for a fileset snapshot.
 */
export function deleteSnapshot(fs: Filesystem, snapshot: Snapshot, fileset: Fileset | null): void {
  const stack: Inode[] = [snapshot.root];
  while (stack.length > 0) {
    const inode = stack.pop() as Inode;
    if (inode.cloneChildren !== null && inode.cloneChildren.size > 0) {
      inode.lost = true;
      inode.blocks = new Map();
    }
    for (const entry of inode.entries?.values() ?? []) stack.push(entry);
  }
  const index = fs.snapshots.indexOf(snapshot);
  if (index >= 0) fs.snapshots.splice(index, 1);
  const directory = fileset === null ? fs.snapshotsDir : fileset.snapshotsDir;
  directory?.entries?.delete(snapshot.name);
  fs.generation++;
}

// --- Internal helpers ---

function freezeTree(top: Inode, snapshot: Snapshot, fileset: Fileset | null): Inode {
  const frozenTop = freezeInode(top, snapshot);
  const stack: [Inode, Inode][] = [[top, frozenTop]];
  const copies = new Map<Inode, Inode>([[top, frozenTop]]);
  while (stack.length > 0) {
    const [original, frozen] = stack.pop() as [Inode, Inode];
    for (const [name, child] of original.entries ?? []) {
      const foreign = child.filesetRootOf !== null && fileset !== null && child.filesetRootOf !== fileset && child.filesetRootOf.independent;
      let copy = copies.get(child);
      if (copy === undefined) {
        copy = freezeInode(child, snapshot);
        if (foreign) copy.entries = new Map();
        copies.set(child, copy);
        if (child.type === 'dir' && !foreign) stack.push([child, copy]);
      }
      if (copy.type === 'dir') copy.parentDir = frozen;
      frozen.entries?.set(name, copy);
    }
  }
  return frozenTop;
}

function freezeInode(inode: Inode, snapshot: Snapshot): Inode {
  inode.owned.clear();
  return {
    ...inode,
    blocks: new Map(inode.blocks),
    owned: new Set(),
    entries: inode.entries === null ? null : new Map(),
    cloneChildren: inode.cloneChildren === null ? null : new Set(),
    parentDir: null,
    filesetRootOf: null,
    snapshot,
    changed: false,
  };
}
