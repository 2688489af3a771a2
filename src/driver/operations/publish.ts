/**
 * What the creates share after publishing a volume built under a work name (`publishCommands` in
 * `plans/commands.ts`).
 *
 * @module
 */
import type { DriverContext } from '../context.js';
import type { RoundOutputs } from '../executor.js';

/**
 * Logs a warning when the work name of a published volume could not be dropped: the volume is complete
 * and published, and the work name is only a second name of it, which garbage collection removes.
 *
 * @param context - The driver context (for its logger).
 * @param round - The round that published the volume.
 * @param workPath - The work file's path.
 * @example
 * ```ts
 * warnIfWorkNameKept(context, round, '/gpfs0/volumes/.tmp.create.k3x1');
 * ```
 */
export function warnIfWorkNameKept(context: DriverContext, round: RoundOutputs, workPath: string): void {
  const dropped = round.output('drop-work-name');
  if (dropped === undefined || dropped.exitCode === 0) return;
  try {
    context.options.logger.warn?.(`[gpfs] kept ${workPath}, a second name of the new volume (rm failed: ${dropped.stderr.trim()}); garbage collection removes it`, {
      path: workPath,
    });
  } catch {
    // Logging must never break an operation.
  }
}
