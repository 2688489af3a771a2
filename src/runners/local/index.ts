/**
 * `gpfs-volumes/local`: run commands on this machine (the only entry that loads zx).
 *
 * @example
 * ```ts
 * import { createLocalRunner } from 'gpfs-volumes/local';
 * const runner = createLocalRunner();
 * const result = await runner.run({ argv: ['mmlsfs', 'all', '-Y'], asRoot: true });
 * ```
 *
 * @packageDocumentation
 */
export { createLocalRunner } from './runner.js';
export type { CommandTrace, LocalRunner, LocalRunnerOptions } from './options.js';
