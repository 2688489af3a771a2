/**
 * Barrel of the simulator area: explicit named exports only.
 *
 * @module
 */
export {};
