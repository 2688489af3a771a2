/**
 * Undoing a failed create: the commands that remove what it made, children before parents, and how to
 * read their outcome.
 *
 * @module
 */
import type { CommandOutput } from '../../runners/types.js';
import type { CleanupReport } from '../errors.js';
import { tombstonePath } from '../names.js';
import type { CreatedObject, PlannedCommand } from './types.js';

/**
 * The commands that undo `objects` (given newest first, so clone children come before their parents).
 *
 * A plain file is removed with `rm -f`. A clone parent (a snapshot, a hidden `.snap` parent) is removed
 * if it can be; otherwise (its source is already its child) it is renamed to a tombstone
 * (`<path>.<tag>.ts`, freeing its name for a retry) and removal is attempted again, which leaves it for
 * the clone-tree executor to collect with its last child.
 *
 * @param objects - What was created, newest first.
 * @param tag - A short unique tag for tombstone names.
 * @returns The cleanup round (run without stopping at failures).
 * @example
 * ```ts
 * cleanupCommands([{ path: '/gpfs0/v2', dispose: 'remove' }], 'x1');
 * // [{ step: 'cleanup', argv: ['rm', '-f', '/gpfs0/v2'], asRoot: true }]
 * ```
 */
export function cleanupCommands(objects: readonly CreatedObject[], tag: string): PlannedCommand[] {
  return objects.flatMap((object): PlannedCommand[] => {
    if (object.dispose !== 'tombstone') return [{ step: 'cleanup', argv: ['rm', '-f', object.path], asRoot: true }];
    const tombstone = tombstonePath(object.path, tag);
    return [
      { step: 'cleanup', argv: ['rm', '-f', object.path], asRoot: true },
      { step: 'cleanup-rename', argv: ['mv', object.path, tombstone], asRoot: true },
      { step: 'cleanup', argv: ['rm', '-f', tombstone], asRoot: true },
    ];
  });
}

/**
 * Reads the outcome of a cleanup round.
 *
 * @param objects - What was to be undone (as given to {@link cleanupCommands}).
 * @param commands - The cleanup round.
 * @param outputs - Its outputs.
 * @returns What was removed and what was left, with reasons.
 * @example
 * ```ts
 * readCleanup(objects, commands, outputs).complete;
 * ```
 */
export function readCleanup(objects: readonly CreatedObject[], commands: readonly PlannedCommand[], outputs: readonly CommandOutput[]): CleanupReport {
  const removed: string[] = [];
  const leftovers: { path: string; reason: string }[] = [];
  let index = 0;
  let complete = true;
  for (const object of objects) {
    if (object.dispose !== 'tombstone') {
      const output = outputs[index];
      index += 1;
      if (output?.exitCode === 0) removed.push(object.path);
      else {
        complete = false;
        leftovers.push({ path: object.path, reason: describeFailure(output) });
      }
      continue;
    }
    const first = outputs[index];
    const rename = outputs[index + 1];
    const remove = outputs[index + 2];
    const tombstone = commands[index + 2]?.argv[2] ?? object.path;
    index += 3;
    if (first?.exitCode === 0) {
      removed.push(object.path);
    } else if (rename?.exitCode !== 0) {
      complete = false;
      leftovers.push({ path: object.path, reason: `could not rename it to a tombstone: ${describeFailure(rename)}` });
    } else if (remove?.exitCode === 0) {
      removed.push(object.path);
    } else {
      // Still a clone parent with children: left as a tombstone, which deleting its children collects.
      leftovers.push({ path: tombstone, reason: `tombstone of ${object.path}, kept while clones depend on it` });
    }
  }
  return { complete, removed, leftovers };
}

// --- Internal helpers ---

function describeFailure(output: CommandOutput | undefined): string {
  if (output === undefined) return 'did not run';
  const stderr = output.stderr.trim().split('\n')[0] ?? '';
  return `${output.argv[0] ?? 'command'} exited ${output.exitCode ?? output.signal ?? '?'}${stderr === '' ? '' : `: ${stderr}`}`;
}
