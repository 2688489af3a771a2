/**
 * Several file checks in one process: `test -f <a> -a ! -e <b> ...` instead of one `test` per path.
 * When the combined check finds a condition false (`test` exits 1), the round is sent once more with one
 * `test` per condition in its place (the commands before it are checks too, and nothing after it ran),
 * so the failure costs one more round trip and names the exact problem (`NotFound`, `AlreadyExists`)
 * as the state is then; if every condition holds by then, the round simply goes on. `test` exiting
 * otherwise (2 and up: it could not check) is never read as "false": it is `CommandFailed`. The same
 * holds for every check anywhere in the driver ({@link checkAnswer}, {@link readCheck}): only the exit
 * code that means "no" ({@link falseExitCode}) is read as absence.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { CommandOutput } from '../runners/types.js';
import { commandFailedFrom, type CommandFailedError } from './errors.js';
import type { FileCondition, PlannedCommand } from './plans/types.js';

/**
 * The exit code with which a check command answers "no": `test` exits 1 when its condition is false,
 * `mmlsfileset` exits 2 when the fileset or junction asked about does not exist. Any other non-zero
 * exit (an I/O error, a dead daemon, a killed process) means the check could not be made: it says
 * nothing about what was checked, and is never read as "no".
 *
 * @param argv - The check's argv.
 * @returns The exit code meaning "no".
 * @example
 * ```ts
 * falseExitCode(['test', '-f', '/gpfs0/v1']); // 1
 * falseExitCode(['mmlsfileset', 'gpfs0', '-J', '/gpfs0/volumes/consisgroup-g1']); // 2
 * ```
 */
export function falseExitCode(argv: readonly string[]): number {
  return argv[0] === 'mmlsfileset' ? 2 : 1;
}

/**
 * What a check answered: `'yes'` (exit 0), `'no'` (its {@link falseExitCode}) or `'failed'` (anything
 * else, including a check that did not run).
 *
 * @param output - The check's output, if it ran.
 * @returns The answer.
 * @example
 * ```ts
 * checkAnswer({ argv: ['test', '-d', '/gpfs0/x'], exitCode: 5, signal: null, stdout: '', stderr: 'EIO', durationMs: 1 }); // 'failed'
 * ```
 */
export function checkAnswer(output: CommandOutput | undefined): 'yes' | 'no' | 'failed' {
  if (output === undefined) return 'failed';
  if (output.exitCode === 0) return 'yes';
  return output.exitCode === falseExitCode(output.argv) ? 'no' : 'failed';
}

/**
 * Reads a check the caller interprets itself: `Ok(true)` for "yes", `Ok(false)` for "no", and a
 * `CommandFailed` error naming the step when the check could not be made (never "no").
 *
 * @param operation - The driver operation, for the error.
 * @param step - The check's step name.
 * @param output - Its output, if it ran.
 * @returns The answer, or the error.
 * @example
 * ```ts
 * readCheck('deleteGroupSnapshot', 'check-anchors', round.output('check-anchors')); // Ok(false) when test exited 1
 * ```
 */
export function readCheck(operation: string, step: string, output: CommandOutput | undefined): Result<boolean, CommandFailedError> {
  const answer = checkAnswer(output);
  if (answer !== 'failed') return ok(answer === 'yes');
  const stderr = output?.stderr.trim().split('\n')[0] ?? '';
  const how = output === undefined ? 'did not run' : output.exitCode === null ? `was killed by ${output.signal ?? 'a signal'}` : `exited ${output.exitCode}`;
  return err(
    commandFailedFrom(
      operation,
      step,
      output,
      `${operation}: the check ${step} (${output?.argv.join(' ') ?? step}) ${how}${stderr === '' ? '' : ` (${stderr})`}: it could not tell, so nothing was assumed from it`,
    ),
  );
}

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
