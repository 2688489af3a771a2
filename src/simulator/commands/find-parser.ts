/**
 * The expression parser of `find`: global options, tests, actions and operators, into a tree.
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { linkCount } from '../model/inode.js';
import { mayAccess } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import type { CommandContext } from './context.js';
import { applyMode, lookup } from './files.js';
import { accountName, typeLetter } from './file-fields.js';
import { baseName, globToRegExp, type Visit } from './find-format.js';

/** A node of a parsed find expression. */
export type Node =
  | { readonly kind: 'and' | 'or' | 'comma'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'not'; readonly operand: Node }
  | { readonly kind: 'test'; readonly test: (visit: Visit) => boolean }
  | { readonly kind: 'action'; readonly name: string; readonly argument: string };

/** A find usage error (printed as `find: <message>`, exit 1). */
export class FindError extends Error {
  override readonly name = 'FindError';
}

/** Global options that change how find walks. */
export interface Settings {
  maxDepth: number;
  minDepth: number;
  depthFirst: boolean;
  sameFilesystem: boolean;
}

const GLOBAL_OPTIONS = new Set(['-ignore_readdir_race', '-noignore_readdir_race', '-noleaf', '-daystart', '-follow', '-depth', '-xdev', '-mount']);

/** Parses a find expression (after the start paths). */
export class Parser {
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
      if (inner === undefined) throw new FindError('invalid expression; empty parentheses are not allowed.');
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
        const unit = { c: 1, w: 2, b: 512, k: 1024, M: 1024 ** 2, G: 1024 ** 3, '': 512 }[match[3] as 'c'];
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
