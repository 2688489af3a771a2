/**
 * `find [-P] [PATH...] [EXPRESSION]` with -maxdepth, -mindepth, -name, -iname, -path, -type, -inum,
 * -size, -empty, -links, -perm, -user, -uid, -newer, -print, -print0, -printf, -quit, -prune, -delete
 * and ( ) ! -a -o. Directory order is creation order.
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { linkCount } from '../model/inode.js';
import { detachEntry, mayAccess } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import { failure, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { applyMode, lookup, removable } from './files.js';
import { baseName, expandPrintf, globToRegExp, typeLetter, type Visit } from './find-format.js';
import { accountName } from './stat.js';

/** The find command. */
export const findCommands: CommandTable = {
  find: { handler: find, family: 'system' },
};

type Node =
  | { readonly kind: 'and' | 'or' | 'comma'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'not'; readonly operand: Node }
  | { readonly kind: 'test'; readonly test: (visit: Visit) => boolean }
  | { readonly kind: 'action'; readonly name: string; readonly argument: string };

class FindError {
  constructor(readonly message: string) {}
}

interface Settings {
  maxDepth: number;
  minDepth: number;
  depthFirst: boolean;
  sameFilesystem: boolean;
}

interface RunState {
  stdout: string;
  stderr: string;
  quit: boolean;
  prune: boolean;
}

const GLOBAL_OPTIONS = new Set(['-ignore_readdir_race', '-noignore_readdir_race', '-noleaf', '-daystart', '-follow', '-depth', '-xdev', '-mount']);

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
  const program: Node = expression === null ? { kind: 'action', name: '-print', argument: '' } : hasAction ? expression : { kind: 'and', left: expression, right: { kind: 'action', name: '-print', argument: '' } };
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
            : (removable(context.identity, parent, inode) ?? (inode.cloneChildren !== null && inode.cloneChildren.size > 0 ? 'EROFS' : inode === inode.fs.root || inode.filesetRootOf !== null ? 'EBUSY' : null));
      if (problem !== null) {
        state.stderr += `find: cannot delete '${visit.path}': ${errnoText(problem)}\n`;
        return false;
      }
      const entryName = [...(parent?.entries ?? [])].find(([, entry]) => entry === inode)?.[0];
      if (parent !== null && entryName !== undefined) detachEntry(context.world, parent, entryName);
      return true;
    }
  }
}

class Parser {
  private position = 0;

  constructor(
    private readonly context: CommandContext,
    private readonly tokens: readonly string[],
    private readonly settings: Settings,
  ) {}

  parse(): Node | null {
    if (this.tokens.length === 0) return null;
    const node = this.comma();
    if (this.position < this.tokens.length) {
      const token = this.tokens[this.position] as string;
      throw new FindError(token === ')' ? "invalid expression; you have too many ')'" : `paths must precede expression: '${token}'`);
    }
    return node ?? null;
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  private comma(): Node | undefined {
    let left = this.or();
    while (this.peek() === ',') {
      this.position++;
      const right = this.or();
      if (left === undefined || right === undefined) throw new FindError("invalid expression; expected expression before or after ','");
      left = { kind: 'comma', left, right };
    }
    return left;
  }

  private or(): Node | undefined {
    let left = this.and();
    while (this.peek() === '-o' || this.peek() === '-or') {
      const operator = this.tokens[this.position++] as string;
      const right = this.and();
      if (left === undefined || right === undefined) throw new FindError(`invalid expression; you have used a binary operator '${operator}' with nothing before it.`);
      left = { kind: 'or', left, right };
    }
    return left;
  }

  private and(): Node | undefined {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      if (token === undefined || token === ')' || token === '-o' || token === '-or' || token === ',') return left;
      if (token === '-a' || token === '-and') {
        this.position++;
        if (left === undefined) throw new FindError(`invalid expression; you have used a binary operator '${token}' with nothing before it.`);
      }
      const right = this.unary();
      if (right === undefined) {
        if (token === '-a' || token === '-and') throw new FindError(`invalid expression; expected expression after '${token}'`);
        continue;
      }
      left = left === undefined ? right : { kind: 'and', left, right };
    }
  }

  private unary(): Node | undefined {
    const token = this.peek();
    if (token === '!' || token === '-not') {
      this.position++;
      const operand = this.unary();
      if (operand === undefined) throw new FindError(`invalid expression; expected expression after '${token}'`);
      return { kind: 'not', operand };
    }
    if (token === '(') {
      this.position++;
      const inner = this.comma();
      if (this.peek() !== ')') throw new FindError("invalid expression; I was expecting to find a ')' somewhere but did not see one.");
      this.position++;
      if (inner === undefined) throw new FindError("invalid expression; empty parentheses are not allowed.");
      return inner;
    }
    return this.primary();
  }

  private argument(name: string): string {
    const value = this.tokens[this.position++];
    if (value === undefined) throw new FindError(`missing argument to '${name}'`);
    return value;
  }

  private primary(): Node | undefined {
    const name = this.tokens[this.position++];
    if (name === undefined) return undefined;
    if (GLOBAL_OPTIONS.has(name)) {
      if (name === '-depth') this.settings.depthFirst = true;
      if (name === '-xdev' || name === '-mount') this.settings.sameFilesystem = true;
      return undefined;
    }
    if (name === '-maxdepth' || name === '-mindepth') {
      const value = this.argument(name);
      if (!/^\d+$/.test(value)) throw new FindError(`Expected a positive decimal integer argument to ${name}, but got '${value}'`);
      if (name === '-maxdepth') this.settings.maxDepth = Number(value);
      else this.settings.minDepth = Number(value);
      return undefined;
    }
    if (!name.startsWith('-')) throw new FindError(`paths must precede expression: '${name}'`);
    return this.test(name);
  }

  private test(name: string): Node {
    const test = (fn: (visit: Visit) => boolean): Node => ({ kind: 'test', test: fn });
    switch (name) {
      case '-print':
      case '-print0':
      case '-quit':
      case '-prune':
        return { kind: 'action', name, argument: '' };
      case '-delete':
        this.settings.depthFirst = true;
        return { kind: 'action', name, argument: '' };
      case '-printf':
        return { kind: 'action', name, argument: this.argument(name) };
      case '-true':
        return test(() => true);
      case '-false':
        return test(() => false);
      case '-name':
      case '-iname': {
        const pattern = globToRegExp(this.argument(name), name === '-iname');
        return test((visit) => pattern.test(baseName(visit.path)));
      }
      case '-path':
      case '-ipath':
      case '-wholename': {
        const pattern = globToRegExp(this.argument(name), name === '-ipath');
        return test((visit) => pattern.test(visit.path));
      }
      case '-type': {
        const value = this.argument(name);
        const letters = value.split(',');
        if (letters.some((letter) => !/^[fdlcbps]$/.test(letter))) throw new FindError(`Unknown argument to -type: ${value}`);
        return test((visit) => letters.includes(typeLetter(visit.inode)));
      }
      case '-inum':
      case '-links':
      case '-uid':
      case '-gid': {
        const compare = numeric(name, this.argument(name));
        const pick = (inode: Inode): number => (name === '-inum' ? inode.ino : name === '-links' ? linkCount(inode) : name === '-uid' ? inode.uid : inode.gid);
        return test((visit) => compare(pick(visit.inode)));
      }
      case '-user':
      case '-group': {
        const value = this.argument(name);
        return test((visit) => {
          const id = name === '-user' ? visit.inode.uid : visit.inode.gid;
          return accountName(id) === value || String(id) === value;
        });
      }
      case '-size': {
        const value = this.argument(name);
        const match = /^([-+]?)(\d+)([cwbkMG]?)$/.exec(value);
        if (match === null) throw new FindError(`invalid -size type '${value}'`);
        const unit = { c: 1, w: 2, b: 512, k: 1024, M: 1024 ** 2, G: 1024 ** 3, '': 512 }[match[3] as 'c'] as number;
        const compare = numeric(name, `${match[1]}${match[2]}`);
        return test((visit) => compare(Math.ceil(visit.inode.sizeBytes / unit)));
      }
      case '-empty':
        return test((visit) => (visit.inode.type === 'dir' ? (visit.inode.entries?.size ?? 0) === 0 : visit.inode.type === 'file' && visit.inode.sizeBytes === 0));
      case '-perm': {
        const value = this.argument(name);
        const prefix = value[0] === '-' || value[0] === '/' ? value[0] : '';
        const mode = applyMode(value.slice(prefix.length), 0, false);
        if (mode === null) throw new FindError(`invalid mode '${value}'`);
        return test((visit) => {
          const bits = visit.inode.mode & 0o7777;
          return prefix === '-' ? (bits & mode) === mode : prefix === '/' ? mode === 0 || (bits & mode) !== 0 : bits === mode;
        });
      }
      case '-newer':
      case '-samefile': {
        const reference = this.argument(name);
        const found = lookup(this.context, reference);
        if (!found.ok || found.node === null) throw new FindError(`'${reference}': ${errnoText('ENOENT')}`);
        const other = found.node;
        return test((visit) => (name === '-newer' ? visit.inode.mtimeMs > other.mtimeMs : visit.inode === other));
      }
      case '-readable':
      case '-writable':
      case '-executable': {
        const wanted = name === '-readable' ? 4 : name === '-writable' ? 2 : 1;
        return test((visit) => mayAccess(this.context.identity, visit.inode, wanted));
      }
      default:
        throw new FindError(`unknown predicate '${name}'`);
    }
  }
}

function numeric(name: string, value: string): (actual: number) => boolean {
  const match = /^([-+]?)(\d+)$/.exec(value);
  if (match === null) throw new FindError(`invalid argument '${value}' to '${name}'`);
  const number = Number(match[2]);
  if (match[1] === '+') return (actual) => actual > number;
  if (match[1] === '-') return (actual) => actual < number;
  return (actual) => actual === number;
}
