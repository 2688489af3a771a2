/**
 * `test EXPRESSION` and `[ EXPRESSION ]`: POSIX test with file, string and integer operators.
 *
 * @module
 */
import { mayAccess } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import { failure, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { lookup, readOnlyReason } from './files.js';

/** The test and [ commands. */
export const testCommands: CommandTable = {
  test: { handler: test, family: 'system' },
  '[': { handler: test, family: 'system' },
};

const UNARY_FILE = new Set(['-e', '-f', '-d', '-s', '-r', '-w', '-x', '-L', '-h', '-b', '-c', '-p', '-S', '-g', '-u', '-k', '-O', '-G', '-N', '-a']);
const UNARY_STRING = new Set(['-z', '-n']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

class TestSyntaxError extends Error {
  override readonly name = 'TestSyntaxError';
}

const TRUE: CommandResult = { exitCode: 0, stdout: '', stderr: '' };
const FALSE: CommandResult = { exitCode: 1, stdout: '', stderr: '' };

function test(context: CommandContext): CommandResult {
  let args = context.args;
  const name = context.name;
  if (name === '[') {
    if (args[args.length - 1] !== ']') return failure("[: missing ']'\n", 2);
    args = args.slice(0, -1);
  } else if (args.length === 1 && (args[0] === '--help' || args[0] === '--version')) return TRUE;
  try {
    return evaluate(context, args) ? TRUE : FALSE;
  } catch (error) {
    if (error instanceof TestSyntaxError) return failure(`${name}: ${error.message}\n`, 2);
    throw error;
  }
}

function evaluate(context: CommandContext, args: readonly string[]): boolean {
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return (args[0] as string) !== '';
    case 2:
      if (args[0] === '!') return (args[1] as string) === '';
      return unary(context, args[0] as string, args[1] as string);
    case 3:
      if (BINARY.has(args[1] as string)) return binary(context, args[0] as string, args[1] as string, args[2] as string);
      if (args[0] === '!') return !evaluate(context, args.slice(1));
      if (args[0] === '(' && args[2] === ')') return (args[1] as string) !== '';
      if (args[1] === '-a' || args[1] === '-o') return general(context, args);
      throw new TestSyntaxError(`'${args[1]}': binary operator expected`);
    case 4:
      if (args[0] === '!') return !evaluate(context, args.slice(1));
      if (args[0] === '(' && args[3] === ')') return evaluate(context, args.slice(1, 3));
      return general(context, args);
    default:
      return general(context, args);
  }
}

function general(context: CommandContext, args: readonly string[]): boolean {
  let position = 0;
  const peek = (): string | undefined => args[position];
  const orExpression = (): boolean => {
    let value = andExpression();
    while (peek() === '-o') {
      position++;
      value = andExpression() || value;
    }
    return value;
  };
  const andExpression = (): boolean => {
    let value = notExpression();
    while (peek() === '-a') {
      position++;
      value = notExpression() && value;
    }
    return value;
  };
  const notExpression = (): boolean => {
    if (peek() === '!') {
      position++;
      return !notExpression();
    }
    return primary();
  };
  const primary = (): boolean => {
    const token = peek();
    if (token === undefined) throw new TestSyntaxError('argument expected');
    if (token === '(') {
      position++;
      const value = orExpression();
      if (peek() !== ')') throw new TestSyntaxError("')' expected");
      position++;
      return value;
    }
    const next = args[position + 1];
    const third = args[position + 2];
    if (next !== undefined && BINARY.has(next) && third !== undefined) {
      position += 3;
      return binary(context, token, next, third);
    }
    if ((UNARY_FILE.has(token) || UNARY_STRING.has(token)) && next !== undefined) {
      position += 2;
      return unary(context, token, next);
    }
    position++;
    return token !== '';
  };
  const value = orExpression();
  if (position < args.length) throw new TestSyntaxError(`extra argument '${args[position]}'`);
  return value;
}

function unary(context: CommandContext, operator: string, operand: string): boolean {
  if (operator === '-z') return operand === '';
  if (operator === '-n') return operand !== '';
  if (!UNARY_FILE.has(operator)) throw new TestSyntaxError(`'${operator}': unary operator expected`);
  const noFollow = operator === '-L' || operator === '-h';
  const resolved = lookup(context, operand, !noFollow);
  const inode = resolved.ok ? resolved.node : null;
  if (inode === null) return false;
  return fileTest(context, operator, inode);
}

function fileTest(context: CommandContext, operator: string, inode: Inode): boolean {
  switch (operator) {
    case '-e':
    case '-a':
      return true;
    case '-f':
      return inode.type === 'file';
    case '-d':
      return inode.type === 'dir';
    case '-s':
      return inode.sizeBytes > 0 || inode.type === 'dir';
    case '-r':
      return mayAccess(context.identity, inode, 4);
    case '-w':
      return readOnlyReason(inode) === null && mayAccess(context.identity, inode, 2);
    case '-x':
      return mayAccess(context.identity, inode, 1);
    case '-L':
    case '-h':
      return inode.type === 'symlink';
    case '-c':
      return inode.type === 'chardev';
    case '-g':
      return (inode.mode & 0o2000) !== 0;
    case '-u':
      return (inode.mode & 0o4000) !== 0;
    case '-k':
      return (inode.mode & 0o1000) !== 0;
    case '-O':
      return inode.uid === context.identity.uid;
    case '-G':
      return inode.gid === context.identity.gid;
    default:
      return false;
  }
}

function integer(text: string): number {
  const trimmed = text.trim();
  if (!/^[-+]?\d+$/.test(trimmed)) throw new TestSyntaxError(`invalid integer '${text}'`);
  return Number(trimmed);
}

function binary(context: CommandContext, left: string, operator: string, right: string): boolean {
  switch (operator) {
    case '=':
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '>':
      return left > right;
    case '-eq':
      return integer(left) === integer(right);
    case '-ne':
      return integer(left) !== integer(right);
    case '-lt':
      return integer(left) < integer(right);
    case '-le':
      return integer(left) <= integer(right);
    case '-gt':
      return integer(left) > integer(right);
    case '-ge':
      return integer(left) >= integer(right);
    default: {
      const a = lookup(context, left);
      const b = lookup(context, right);
      const inodeA = a.ok ? a.node : null;
      const inodeB = b.ok ? b.node : null;
      if (operator === '-ef') return inodeA !== null && inodeA === inodeB;
      if (operator === '-nt') return inodeA !== null && (inodeB === null || inodeA.mtimeMs > inodeB.mtimeMs);
      return inodeB !== null && (inodeA === null || inodeA.mtimeMs < inodeB.mtimeMs);
    }
  }
}
