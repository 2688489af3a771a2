/**
 * Several file checks in one process: `test -f <a> -a ! -e <b> ...` instead of one `test` per path.
 * When the combined check finds a condition false (`test` exits 1), the round is sent once more with one
 * `test` per condition in its place (the commands before it are checks too, and nothing after it ran),
 * so the failure costs one more round trip and names the exact problem (`NotFound`, `AlreadyExists`)
 * as the state is then; if every condition holds by then, the round simply goes on. `test` exiting
 * otherwise (2 and up: it could not check) is never read as "false": it is `CommandFailed`.
 *
 * @module
 */
import type { FileCondition, PlannedCommand } from './plans/types.js';

/**
 * One check of several conditions. With a single condition it is the plain check
 * (`test -f <path>` or `test ! -e <path>`).
 *
 * @param step - Step name.
 * @param conditions - What must hold, in the order they are checked one by one after a failure.
 * @returns The check.
 * @example
 * ```ts
 * checkAll('check-preconditions', [
 *   { kind: 'present', role: 'volume', path: '/gpfs0/v1' },
 *   { kind: 'absent', role: 'snapshot', path: '/gpfs0/s1' },
 * ]).argv; // ['test', '-f', '/gpfs0/v1', '-a', '!', '-e', '/gpfs0/s1']
 * ```
 */
export function checkAll(step: string, conditions: readonly FileCondition[]): PlannedCommand {
  const argv = ['test', ...conditions.flatMap((condition, index) => [...(index === 0 ? [] : ['-a']), ...testOperands(condition)])];
  const only = conditions.length === 1 ? conditions[0] : undefined;
  return { step, argv, asRoot: true, check: only ?? { kind: 'all', conditions } };
}

/**
 * The checks of a combined check, one `test` per condition, under the same step name.
 *
 * @param step - The combined check's step name.
 * @param conditions - Its conditions.
 * @returns One check per condition, in order.
 * @example
 * ```ts
 * splitConditions('check-preconditions', [{ kind: 'absent', role: 'volume', path: '/gpfs0/v2' }])[0].argv; // ['test', '!', '-e', '/gpfs0/v2']
 * ```
 */
export function splitConditions(step: string, conditions: readonly FileCondition[]): PlannedCommand[] {
  return conditions.map((condition) => ({ step, argv: ['test', ...testOperands(condition)], asRoot: true, check: condition }));
}

/**
 * Whether a failed combined check may be retried split: it found a condition false (exit 1) and every
 * command before it in the round is a check, so nothing of the round changed anything.
 *
 * @param commands - The round.
 * @param failedIndex - Index of the failed combined check.
 * @param exitCode - Its exit code.
 * @returns `true` when the round can be sent again with the check split.
 * @example
 * ```ts
 * canRetrySplit(round, 1, 1); // true when round[0] is the mount check
 * ```
 */
export function canRetrySplit(commands: readonly { readonly check?: unknown; readonly expect?: unknown }[], failedIndex: number, exitCode: number | null): boolean {
  return exitCode === 1 && commands.slice(0, failedIndex).every((command) => command.check !== undefined || command.expect !== undefined);
}

// --- Internal helpers ---

function testOperands(condition: FileCondition): string[] {
  return condition.kind === 'present' ? ['-f', condition.path] : ['!', '-e', condition.path];
}
