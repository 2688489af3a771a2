/**
 * Barrel of the driver area: explicit named exports only.
 *
 * @module
 */
export {};
