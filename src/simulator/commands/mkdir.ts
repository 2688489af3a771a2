/**
 * `mkdir [-p] [-m MODE] [-v] DIRECTORY...`.
 *
 * @module
 */
import { errnoText, type Errno } from '../model/errno.js';
import { createEntry, mayAccess } from '../model/namespace.js';
import { absolutePath } from '../model/paths.js';
import { failure, quote, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { directoryWritable, lookup, applyMode } from './files.js';
import { hasOption, missingOperand, optionTable, optionValue, parseCommandLine } from './options.js';

/** The mkdir command. */
export const mkdirCommands: CommandTable = {
  mkdir: { handler: mkdir, family: 'system' },
};

const OPTIONS = optionTable('mkdir', {
  parents: ['-p', '--parents'],
  verbose: ['-v', '--verbose'],
  mode: ['-m MODE', '--mode=MODE'],
});

function mkdir(context: CommandContext): CommandResult {
  const parsed = parseCommandLine(context.args, OPTIONS);
  if (!parsed.ok) return parsed.failure;
  const operands = parsed.operands;
  const missing = missingOperand('mkdir', operands, ['operand']);
  if (missing !== null) return missing;
  const parents = hasOption(parsed, 'parents');
  const verbose = hasOption(parsed, 'verbose');
  const modeText = optionValue(parsed, 'mode');
  let mode = 0o755;
  if (modeText !== null) {
    const applied = applyMode(modeText, 0o777, true);
    if (applied === null) return failure(`mkdir: invalid mode ${quote(modeText)}\n`);
    mode = applied;
  }
  let stdout = '';
  let stderr = '';
  for (const operand of operands) {
    const problem = parents ? makeWithParents(context, operand, mode, (created) => (stdout += verbose ? `mkdir: created directory ${quote(created)}\n` : '')) : makeOne(context, operand, mode);
    if (problem !== null) stderr += `mkdir: cannot create directory ${quote(operand)}: ${errnoText(problem)}\n`;
    else if (verbose && !parents) stdout += `mkdir: created directory ${quote(operand)}\n`;
  }
  return stderr === '' ? success(stdout) : failure(stderr, 1, stdout);
}

function makeOne(context: CommandContext, path: string, mode: number): Errno | null {
  const resolved = lookup(context, path, false);
  if (!resolved.ok) return resolved.errno;
  if (resolved.node !== null) return 'EEXIST';
  if (resolved.parent === null) return 'EEXIST';
  const problem = directoryWritable(context.identity, resolved.parent);
  if (problem !== null) return problem;
  createEntry(context.world, resolved.parent, resolved.name, 'dir', mode, context.identity);
  return null;
}

function makeWithParents(context: CommandContext, path: string, mode: number, created: (path: string) => void): Errno | null {
  const absolute = absolutePath(path, context.cwd);
  const parts = absolute.split('/').filter((part) => part !== '');
  for (let index = 0; index < parts.length; index++) {
    const partial = `/${parts.slice(0, index + 1).join('/')}`;
    const last = index === parts.length - 1;
    const resolved = lookup(context, partial);
    if (!resolved.ok) return resolved.errno;
    if (resolved.node !== null) {
      if (resolved.node.type !== 'dir') return last ? 'EEXIST' : 'ENOTDIR';
      if (!last && !mayAccess(context.identity, resolved.node, 1)) return 'EACCES';
      continue;
    }
    if (resolved.parent === null) return 'ENOENT';
    const problem = directoryWritable(context.identity, resolved.parent);
    if (problem !== null) return problem;
    createEntry(context.world, resolved.parent, resolved.name, 'dir', last ? mode : 0o755, context.identity);
    created(partial);
  }
  return null;
}
