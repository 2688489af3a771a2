/**
 * Arranging an inventory's files into clone trees, one section per directory: pure.
 *
 * @module
 */
import type { InventoryFile, InventoryGroup, InventoryTree, InventoryTreeNode } from './types.js';

/**
 * Builds the trees. Each file appears once: under its clone parent when that parent was found, else as a
 * root of its directory's section. Anchors hang under a place-holder for their fileset snapshot; files
 * whose parent is outside the directories read hang under a place-holder naming the parent's inode.
 *
 * @param base - `mountPointBase`.
 * @param groups - The groups (one section each).
 * @param imagesDir - `imagesDir`, or `null`.
 * @param files - The classified files.
 * @returns The sections: the base, each group, then the images directory; empty sections are left out.
 * @example
 * ```ts
 * buildTrees('/gpfs0/volumes', [], null, inventory.files)[0]?.roots.map((root) => root.label);
 * ```
 */
export function buildTrees(base: string, groups: readonly InventoryGroup[], imagesDir: string | null, files: readonly InventoryFile[]): InventoryTree[] {
  const byInode = new Map(files.map((file) => [file.inode, file]));
  const children = new Map<number, InventoryFile[]>();
  const placeholders = new Map<string, { directory: string; node: { label: string; kind: 'fileset-snapshot' | 'outside' }; files: InventoryFile[] }>();
  const roots: { directory: string; file: InventoryFile }[] = [];
  for (const file of files) {
    const parent = file.parentInode === null ? undefined : byInode.get(file.parentInode);
    if (parent !== undefined) {
      children.set(parent.inode, [...(children.get(parent.inode) ?? []), file]);
    } else if (file.kind === 'anchor' && file.groupSnapshotId !== null) {
      const groupPath = file.directory.slice(0, file.directory.lastIndexOf('/', file.directory.lastIndexOf('/') - 1));
      const key = `snapshot:${groupPath}/${file.groupSnapshotId}`;
      const holder = placeholders.get(key) ?? { directory: groupPath, node: { label: `fileset snapshot ${file.groupSnapshotId}`, kind: 'fileset-snapshot' as const }, files: [] };
      holder.files.push(file);
      placeholders.set(key, holder);
    } else if (file.parentInode !== null) {
      const key = `outside:${file.parentInode}`;
      const holder = placeholders.get(key) ?? { directory: file.directory, node: { label: `inode ${file.parentInode} (outside the directories read)`, kind: 'outside' as const }, files: [] };
      holder.files.push(file);
      placeholders.set(key, holder);
    } else {
      roots.push({ directory: file.directory, file });
    }
  }
  const toNode = (file: InventoryFile, seen: Set<number>): InventoryTreeNode => {
    seen.add(file.inode);
    const kids = (children.get(file.inode) ?? []).filter((child) => !seen.has(child.inode));
    return { path: file.path, label: file.name, kind: file.kind, sizeBytes: file.sizeBytes, allocatedBytes: file.allocatedBytes, children: sortNodes(kids.map((child) => toNode(child, seen))) };
  };
  const sections = new Map<string, InventoryTreeNode[]>();
  const add = (directory: string, node: InventoryTreeNode) => sections.set(directory, [...(sections.get(directory) ?? []), node]);
  for (const root of roots) add(root.directory, toNode(root.file, new Set()));
  for (const holder of placeholders.values()) {
    add(holder.directory, { path: null, label: holder.node.label, kind: holder.node.kind, sizeBytes: 0, allocatedBytes: 0, children: sortNodes(holder.files.map((file) => toNode(file, new Set()))) });
  }
  const order: { directory: string; groupId: string | null }[] = [
    { directory: base, groupId: null },
    ...groups.map((group) => ({ directory: group.path, groupId: group.id })),
    ...(imagesDir === null ? [] : [{ directory: imagesDir, groupId: null }]),
  ];
  return order
    .filter((section) => (sections.get(section.directory) ?? []).length > 0)
    .map((section) => ({ directory: section.directory, groupId: section.groupId, roots: sortNodes(sections.get(section.directory) ?? []) }));
}

// --- Internal helpers ---

function sortNodes(nodes: InventoryTreeNode[]): InventoryTreeNode[] {
  return nodes.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
