/**
 * gpfs-volumes: manage file-clone volumes on IBM Storage Scale (GPFS) from Node.
 *
 * The root entry holds the pure core (parsers, the clone-tree planner), the driver, the mock runner
 * and the GPFS simulator. It never loads zx or ssh2: the local runner lives at `gpfs-volumes/local`
 * and the SSH runner at `gpfs-volumes/ssh`.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './runners/index.js';
export * from './parsers/index.js';
export * from './clone-tree/index.js';
export * from './simulator/index.js';
export * from './driver/index.js';
export * from './inventory/index.js';
