/**
 * `mkdir [-p] [-m MODE] [-v] DIRECTORY...`.
 *
 * @module
 */
import { errnoText, type Errno } from '../model/errno.js';
import { createEntry, mayAccess } from '../model/namespace.js';
import { absolutePath } from '../model/paths.js';
import { failure, quote, success, tryHelp, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { directoryWritable, lookup, applyMode } from './files.js';

/** The mkdir command. */
export const mkdirCommands: CommandTable = {
  mkdir: { handler: mkdir, family: 'system' },
};

function mkdir(context: CommandContext): CommandResult {
  let parents = false;
  let verbose = false;
  let modeText: string | null = null;
  const operands: string[] = [];
  const args = context.args;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (arg === '--parents') parents = true;
    else if (arg === '--verbose') verbose = true;
    else if (arg.startsWith('--mode=')) modeText = arg.slice(7);
    else if (arg.startsWith('--')) return failure(`mkdir: unrecognized option '${arg}'\n${tryHelp('mkdir')}`);
    else if (arg.startsWith('-') && arg.length > 1) {
      for (let position = 1; position < arg.length; position++) {
        const flag = arg[position] as string;
        if (flag === 'p') parents = true;
        else if (flag === 'v') verbose = true;
        else if (flag === 'm') {
          const value = arg.length > position + 1 ? arg.slice(position + 1) : args[++index];
          if (value === undefined) return failure(`mkdir: option requires an argument -- 'm'\n${tryHelp('mkdir')}`);
          modeText = value;
          break;
        } else return failure(`mkdir: invalid option -- '${flag}'\n${tryHelp('mkdir')}`);
      }
    } else operands.push(arg);
  }
  if (operands.length === 0) return failure(`mkdir: missing operand\n${tryHelp('mkdir')}`);
  let mode = 0o755;
  if (modeText !== null) {
    const parsed = applyMode(modeText, 0o777, true);
    if (parsed === null) return failure(`mkdir: invalid mode ${quote(modeText)}\n`);
    mode = parsed;
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
