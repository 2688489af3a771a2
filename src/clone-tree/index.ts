/**
 * Barrel of the clone-tree area: explicit named exports only.
 *
 * @module
 */
export {};
