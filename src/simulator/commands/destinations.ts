/**
 * Where `cp`, `mv` and `ln` put each source: `SOURCE DEST`, or `SOURCE... DIRECTORY` (each source
 * under its own name), with `-T` treating DEST as a plain destination.
 *
 * @module
 */
import type { Resolved } from '../model/paths.js';
import type { Errno } from '../model/errno.js';
import { failure, quote, type CommandContext, type CommandResult } from './context.js';
import { lookup } from './files.js';

/** Sources paired with their destinations, and the lookup of the last operand. */
export interface SourceDestinations {
  /** `[source, destination]` in operand order. */
  readonly pairs: readonly (readonly [string, string])[];
  /** The last operand (DEST or DIRECTORY), looked up following symbolic links. */
  readonly target: Resolved | { readonly ok: false; readonly errno: Errno };
}

/**
 * Pairs each source with where it goes: inside the last operand when that is a directory (and `-T`
 * was not given), otherwise the last operand itself.
 *
 * @param context - Command context.
 * @param command - Command name (for the error).
 * @param operands - At least two operands; the last is the destination.
 * @param noTargetDirectory - `-T` was given.
 * @returns The pairs, or `<command>: target '<dest>' is not a directory` (exit 1) for several
 *   sources and a destination that is not a directory.
 */
export function sourceDestinations(context: CommandContext, command: string, operands: readonly string[], noTargetDirectory: boolean): SourceDestinations | CommandResult {
  const destination = operands[operands.length - 1] as string;
  const sources = operands.slice(0, -1);
  const target = lookup(context, destination);
  const intoDirectory = !noTargetDirectory && target.ok && target.node?.type === 'dir';
  if (!intoDirectory && sources.length > 1) return failure(`${command}: target ${quote(destination)} is not a directory\n`);
  const directory = destination.replace(/\/+$/, '');
  return { pairs: sources.map((source) => [source, intoDirectory ? `${directory}/${operandName(source)}` : destination] as const), target };
}

/**
 * The name a source gets inside a destination directory: its last component (`a/b/` gives `b`).
 *
 * @param operand - Source operand.
 * @returns The name.
 */
export function operandName(operand: string): string {
  return operand.replace(/\/+$/, '').split('/').pop() ?? operand;
}
