/**
 * Drawing an inventory's clone trees for people: an indented tree for terminals, Mermaid for
 * documentation. Pure.
 *
 * @module
 */
import type { Inventory, InventoryTreeNode } from './types.js';

/**
 * Options of {@link renderCloneTree}.
 *
 * @example
 * ```ts
 * const options: RenderCloneTreeOptions = { format: 'mermaid' };
 * ```
 */
export interface RenderCloneTreeOptions {
  /** `'text'`: an indented tree with box-drawing characters. `'mermaid'`: a Mermaid flowchart. */
  readonly format: 'text' | 'mermaid';
}

/**
 * Draws the clone forests of an inventory.
 *
 * Each directory is a section (a subgraph in Mermaid). Every file shows its name, what it is, its
 * logical size and the bytes allocated to it; children hang under their clone parent. The text form ends
 * with the totals. The output ends with a newline.
 *
 * @param inventory - From `driver.inventory()`.
 * @param options - The format.
 * @returns The drawing.
 * @example
 * ```ts
 * const inventory = (await driver.inventory())._unsafeUnwrap();
 * console.log(renderCloneTree(inventory, { format: 'text' }));
 * // /gpfs0/volumes
 * // └── s1  [snapshot]  1.0 GiB, 1.0 MiB allocated
 * //     └── v1  [volume]  1.0 GiB, 0 B allocated
 * ```
 */
export function renderCloneTree(inventory: Inventory, options: RenderCloneTreeOptions): string {
  return options.format === 'mermaid' ? renderMermaid(inventory) : renderText(inventory);
}

/**
 * Formats a byte count for people (binary units, one decimal).
 *
 * @param bytes - Bytes.
 * @returns E.g. `'1.5 GiB'`, `'0 B'`.
 * @example
 * ```ts
 * formatBytes(1610612736); // '1.5 GiB'
 * ```
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

// --- Internal helpers ---

const KIND_LABELS: Readonly<Record<InventoryTreeNode['kind'], string>> = {
  volume: 'volume',
  snapshot: 'snapshot',
  tombstone: 'tombstone',
  'hidden-parent': 'hidden parent',
  anchor: 'group snapshot anchor',
  image: 'image',
  unmanaged: 'unmanaged',
  temporary: 'temporary',
  other: 'other',
  'fileset-snapshot': 'fileset snapshot',
  outside: 'elsewhere',
};

function describe(node: InventoryTreeNode): string {
  if (node.path === null) return `(${node.label})`;
  return `${node.label}  [${KIND_LABELS[node.kind]}]  ${formatBytes(node.sizeBytes)}, ${formatBytes(node.allocatedBytes)} allocated`;
}

function renderText(inventory: Inventory): string {
  const lines: string[] = [];
  for (const section of inventory.trees) {
    lines.push(section.groupId === null ? section.directory : `${section.directory}  (group ${section.groupId})`);
    const walk = (nodes: readonly InventoryTreeNode[], prefix: string) => {
      nodes.forEach((node, index) => {
        const last = index === nodes.length - 1;
        lines.push(`${prefix}${last ? '└── ' : '├── '}${printable(describe(node))}`);
        walk(node.children, `${prefix}${last ? '    ' : '│   '}`);
      });
    };
    walk(section.roots, '');
  }
  if (inventory.trees.length === 0) lines.push(`${inventory.base}  (empty)`);
  const { all, volumes, garbage } = inventory.totals;
  lines.push(
    `${all.files} files: ${formatBytes(all.logicalBytes)} logical, ${formatBytes(all.allocatedBytes)} allocated; ` +
      `${volumes.files} volumes: ${formatBytes(volumes.logicalBytes)} logical, ${formatBytes(volumes.allocatedBytes)} allocated; ` +
      `garbage: ${garbage.files} files, ${formatBytes(garbage.allocatedBytes)} reclaimable`,
  );
  return `${lines.join('\n')}\n`;
}

function renderMermaid(inventory: Inventory): string {
  const lines = ['flowchart TD'];
  const edges: string[] = [];
  let placeholders = 0;
  let sectionIndex = 0;
  const ids = new Map<string, string>();
  for (const section of inventory.trees) {
    const title = section.groupId === null ? section.directory : `${section.directory} (group ${section.groupId})`;
    lines.push(`  subgraph s${sectionIndex}["${escapeMermaid(title)}"]`);
    sectionIndex += 1;
    const walk = (node: InventoryTreeNode, parentId: string | null) => {
      let id: string;
      if (node.path === null) {
        id = `p${placeholders}`;
        placeholders += 1;
      } else {
        id = ids.get(node.path) ?? `n${ids.size + 1}`;
        ids.set(node.path, id);
      }
      const label =
        node.path === null
          ? escapeMermaid(node.label)
          : `${escapeMermaid(node.label)}<br/>${escapeMermaid(`${KIND_LABELS[node.kind]} · ${formatBytes(node.sizeBytes)} · ${formatBytes(node.allocatedBytes)} alloc`)}`;
      lines.push(`    ${id}${node.path === null ? '(["' : '["'}${label}${node.path === null ? '"])' : '"]'}`);
      if (parentId !== null) edges.push(`  ${parentId} --> ${id}`);
      for (const child of node.children) walk(child, id);
    };
    for (const root of section.roots) walk(root, null);
    lines.push('  end');
  }
  return `${[...lines, ...edges].join('\n')}\n`;
}

/** Entity codes Mermaid understands inside quoted labels, for the characters that would end or break them. */
function escapeMermaid(text: string): string {
  return printable(text).replace(
    /["#<>&`]/g,
    (character) => `#${character === '"' ? 'quot' : character === '<' ? 'lt' : character === '>' ? 'gt' : character === '&' ? 'amp' : String(character.charCodeAt(0))};`,
  );
}

function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}
