/**
 * Barrel of the parsers area: explicit named exports only.
 *
 * @module
 */
export {};
