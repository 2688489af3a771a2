/**
 * Barrel of the inventory area: explicit named exports only.
 *
 * @module
 */
export { buildInventory, type InventoryInput, type ScannedEntry } from './classify.js';
export { planGarbage, type GarbagePlan, type GarbageTarget } from './garbage.js';
export { renderCloneTree, formatBytes, type RenderCloneTreeOptions } from './render.js';
export { buildTrees } from './trees.js';
export type { Inventory, InventoryFile, InventoryFileKind, InventoryGroup, InventoryGroupSnapshot, InventoryTotals, InventoryTree, InventoryTreeNode } from './types.js';
