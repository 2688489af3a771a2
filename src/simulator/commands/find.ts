/**
 * `find [-P] [PATH...] [EXPRESSION]` with -maxdepth, -mindepth, -name, -iname, -path, -type, -inum,
 * -size, -empty, -links, -perm, -user, -uid, -newer, -print, -print0, -printf, -quit, -prune, -delete
 * and ( ) ! -a -o. Directory order is creation order.
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { detachEntry, mayAccess } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import { failure, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { lookup, removable } from './files.js';
import { expandPrintf, type Visit } from './find-format.js';
import { FindError, Parser, type Node, type Settings } from './find-parser.js';

/** The find command. */
export const findCommands: CommandTable = {
  find: { handler: find, family: 'system' },
};

interface RunState {
  stdout: string;
  stderr: string;
  quit: boolean;
  prune: boolean;
}

function find(context: CommandContext): CommandResult {
  const args = [...context.args];
  while (args[0] === '-P' || args[0] === '-L' || args[0] === '-H') args.shift();
  const paths: string[] = [];
  while (args.length > 0 && !isExpressionStart(args[0] as string)) paths.push(args.shift() as string);
  if (paths.length === 0) paths.push('.');
  const settings: Settings = { maxDepth: Number.POSITIVE_INFINITY, minDepth: 0, depthFirst: false, sameFilesystem: false };
  let expression: Node | null;
  try {
    expression = new Parser(context, args, settings).parse();
  } catch (error) {
    if (error instanceof FindError) return failure(`find: ${error.message}\n`);
    throw error;
  }
  const hasAction = expression !== null && containsAction(expression);
  const program: Node =
    expression === null ? { kind: 'action', name: '-print', argument: '' } : hasAction ? expression : { kind: 'and', left: expression, right: { kind: 'action', name: '-print', argument: '' } };
  const state: RunState = { stdout: '', stderr: '', quit: false, prune: false };
  let failed = false;
  for (const start of paths) {
    if (state.quit) break;
    const resolved = lookup(context, start, false);
    if (!resolved.ok || resolved.node === null) {
      state.stderr += `find: '${start}': ${errnoText(resolved.ok ? 'ENOENT' : resolved.errno)}\n`;
      failed = true;
      continue;
    }
    walk(context, program, settings, state, { inode: resolved.node, path: start, start, depth: 0 }, resolved.path, resolved.parent);
  }
  if (state.stderr !== '') failed = true;
  return failed ? failure(state.stderr, 1, state.stdout) : success(state.stdout);
}

function isExpressionStart(arg: string): boolean {
  return (arg.startsWith('-') && arg.length > 1) || arg === '(' || arg === '!' || arg === ')' || arg === ',';
}

function containsAction(node: Node): boolean {
  if (node.kind === 'action') return node.name !== '-prune';
  if (node.kind === 'not') return containsAction(node.operand);
  if (node.kind === 'test') return false;
  return containsAction(node.left) || containsAction(node.right);
}

function walk(context: CommandContext, program: Node, settings: Settings, state: RunState, visit: Visit, absolute: string, parent: Inode | null): void {
  if (state.quit) return;
  const inode = visit.inode;
  const evaluateHere = (): void => {
    if (visit.depth < settings.minDepth) return;
    state.prune = false;
    evaluate(context, program, visit, state, parent);
  };
  if (!settings.depthFirst) evaluateHere();
  const pruned = state.prune;
  state.prune = false;
  if (inode.type === 'dir' && visit.depth < settings.maxDepth && !pruned && !state.quit) {
    if (!mayAccess(context.identity, inode, 4) || !mayAccess(context.identity, inode, 1)) {
      state.stderr += `find: '${visit.path}': ${errnoText('EACCES')}\n`;
    } else {
      for (const [name, entry] of [...(inode.entries ?? [])]) {
        if (state.quit) return;
        const childAbsolute = absolute === '/' ? `/${name}` : `${absolute}/${name}`;
        const mounted = entry.type === 'dir' ? context.world.mountTable.get(childAbsolute) : undefined;
        const child = mounted?.root ?? entry;
        if (settings.sameFilesystem && child.fs !== inode.fs) continue;
        const childPath = visit.path.endsWith('/') ? `${visit.path}${name}` : `${visit.path}/${name}`;
        walk(context, program, settings, state, { inode: child, path: childPath, start: visit.start, depth: visit.depth + 1 }, childAbsolute, inode);
      }
    }
  }
  if (settings.depthFirst && !state.quit) evaluateHere();
}

function evaluate(context: CommandContext, node: Node, visit: Visit, state: RunState, parent: Inode | null): boolean {
  if (state.quit) return false;
  switch (node.kind) {
    case 'and':
      return evaluate(context, node.left, visit, state, parent) && evaluate(context, node.right, visit, state, parent);
    case 'or':
      return evaluate(context, node.left, visit, state, parent) || evaluate(context, node.right, visit, state, parent);
    case 'comma':
      evaluate(context, node.left, visit, state, parent);
      return evaluate(context, node.right, visit, state, parent);
    case 'not':
      return !evaluate(context, node.operand, visit, state, parent);
    case 'test':
      return node.test(visit);
    case 'action':
      return act(context, node.name, node.argument, visit, state, parent);
  }
}

function act(context: CommandContext, name: string, argument: string, visit: Visit, state: RunState, parent: Inode | null): boolean {
  switch (name) {
    case '-print':
      state.stdout += `${visit.path}\n`;
      return true;
    case '-print0':
      state.stdout += `${visit.path}\0`;
      return true;
    case '-printf': {
      const expanded = expandPrintf(argument, visit);
      state.stdout += expanded.text;
      if (expanded.stop) state.quit = true;
      return true;
    }
    case '-quit':
      state.quit = true;
      return true;
    case '-prune':
      state.prune = true;
      return true;
    default: {
      if (visit.depth === 0 && (visit.path === '.' || visit.path === '/')) return true;
      const inode = visit.inode;
      const problem =
        parent === null
          ? 'EBUSY'
          : inode.type === 'dir' && (inode.entries?.size ?? 0) > 0
            ? 'ENOTEMPTY'
            : (removable(context.identity, parent, inode) ??
              (inode.cloneChildren !== null && inode.cloneChildren.size > 0 ? 'EROFS' : inode === inode.fs.root || inode.filesetRootOf !== null ? 'EBUSY' : null));
      if (problem !== null) {
        state.stderr += `find: cannot delete '${visit.path}': ${errnoText(problem)}\n`;
        return false;
      }
      // The visited name, not just any name of the inode: a hard link in the same directory stays.
      const trimmed = visit.path.replace(/\/+$/, '');
      const visitedName = trimmed.slice(trimmed.lastIndexOf('/') + 1);
      const entryName = parent?.entries?.get(visitedName) === inode ? visitedName : [...(parent?.entries ?? [])].find(([, entry]) => entry === inode)?.[0];
      if (parent !== null && entryName !== undefined) detachEntry(context.world, parent, entryName);
      return true;
    }
  }
}
