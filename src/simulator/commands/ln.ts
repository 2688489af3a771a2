/**
 * `ln [-s] [-f] [-T] [-v] TARGET [LINK_NAME]` and `ln TARGET... DIRECTORY`.
 *
 * @module
 */
import { errnoText, type Errno } from '../model/errno.js';
import { attachEntry, createEntry, detachEntry } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import { failure, quote, success, tryHelp, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { directoryWritable, lookup, removable } from './files.js';

/** The ln command. */
export const lnCommands: CommandTable = {
  ln: { handler: ln, family: 'system' },
};

function ln(context: CommandContext): CommandResult {
  let symbolic = false;
  let force = false;
  let noTargetDirectory = false;
  let verbose = false;
  const operands: string[] = [];
  const args = context.args;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (arg === '--symbolic') symbolic = true;
    else if (arg === '--force') force = true;
    else if (arg === '--no-target-directory') noTargetDirectory = true;
    else if (arg === '--verbose') verbose = true;
    else if (arg.startsWith('--')) return failure(`ln: unrecognized option '${arg}'\n${tryHelp('ln')}`);
    else if (arg.startsWith('-') && arg.length > 1) {
      for (const flag of arg.slice(1)) {
        if (flag === 's') symbolic = true;
        else if (flag === 'f') force = true;
        else if (flag === 'T') noTargetDirectory = true;
        else if (flag === 'v') verbose = true;
        else if (flag === 'n' || flag === 'P' || flag === 'L') continue;
        else return failure(`ln: invalid option -- '${flag}'\n${tryHelp('ln')}`);
      }
    } else operands.push(arg);
  }
  if (operands.length === 0) return failure(`ln: missing file operand\n${tryHelp('ln')}`);
  const pairs: [string, string][] = [];
  if (operands.length === 1) {
    const target = operands[0] as string;
    pairs.push([target, target.replace(/\/+$/, '').split('/').pop() ?? target]);
  } else {
    const last = operands[operands.length - 1] as string;
    const lastLookup = lookup(context, last);
    const intoDirectory = !noTargetDirectory && lastLookup.ok && lastLookup.node?.type === 'dir';
    if (!intoDirectory && operands.length > 2) return failure(`ln: target ${quote(last)} is not a directory\n`);
    for (const target of operands.slice(0, -1)) {
      const name = target.replace(/\/+$/, '').split('/').pop() ?? target;
      pairs.push([target, intoDirectory ? `${last.replace(/\/+$/, '')}/${name}` : last]);
    }
  }
  let stdout = '';
  let stderr = '';
  for (const [target, linkName] of pairs) {
    const problem = symbolic ? makeSymlink(context, target, linkName, force) : makeHardLink(context, target, linkName, force);
    if (problem !== null) stderr += problem;
    else if (verbose) stdout += `${quote(linkName)} -> ${quote(target)}\n`;
  }
  return stderr === '' ? success(stdout) : failure(stderr, 1, stdout);
}

function prepareName(context: CommandContext, linkName: string, force: boolean): { directory: Inode; name: string } | Errno {
  const resolved = lookupParent(context, linkName);
  if ('errno' in resolved) return resolved.errno;
  const problem = directoryWritable(context.identity, resolved.directory);
  if (problem !== null) return problem;
  if (resolved.existing !== null) {
    if (!force) return 'EEXIST';
    if (resolved.existing.type === 'dir') return 'EISDIR';
    const removeProblem = removable(context.identity, resolved.directory, resolved.existing);
    if (removeProblem !== null) return removeProblem;
    if (resolved.existing.cloneChildren !== null && resolved.existing.cloneChildren.size > 0) return 'EROFS';
    detachEntry(context.world, resolved.directory, resolved.name);
  }
  return { directory: resolved.directory, name: resolved.name };
}

function lookupParent(context: CommandContext, path: string): { errno: Errno } | { directory: Inode; name: string; existing: Inode | null } {
  const resolved = lookup(context, path, false);
  if (!resolved.ok) return { errno: resolved.errno };
  if (resolved.parent === null) return { errno: 'EEXIST' };
  return { directory: resolved.parent, name: resolved.name, existing: resolved.node };
}

function makeSymlink(context: CommandContext, target: string, linkName: string, force: boolean): string | null {
  const prepared = prepareName(context, linkName, force);
  if (typeof prepared === 'string') return `ln: failed to create symbolic link ${quote(linkName)}: ${errnoText(prepared)}\n`;
  const link = createEntry(context.world, prepared.directory, prepared.name, 'symlink', 0o777, context.identity);
  link.symlinkTarget = target;
  link.sizeBytes = new TextEncoder().encode(target).length;
  return null;
}

function makeHardLink(context: CommandContext, target: string, linkName: string, force: boolean): string | null {
  const source = lookup(context, target, false);
  if (!source.ok || source.node === null) return `ln: failed to access ${quote(target)}: ${errnoText(source.ok ? 'ENOENT' : source.errno)}\n`;
  const inode = source.node;
  if (inode.type === 'dir') return `ln: ${quote(target)}: hard link not allowed for directory\n`;
  const fail = (errno: Errno): string => `ln: failed to create hard link ${quote(linkName)} => ${quote(target)}: ${errnoText(errno)}\n`;
  const destination = lookupParent(context, linkName);
  if ('errno' in destination) return `ln: failed to create hard link ${quote(linkName)}: ${errnoText(destination.errno)}\n`;
  if (destination.directory.fs !== inode.fs) return fail('EXDEV');
  if (inode.attributes !== null && destination.directory.attributes !== null && inode.attributes.filesetId !== destination.directory.attributes.filesetId) return fail('EXDEV');
  if (inode.snapshot !== null) return fail('EROFS');
  if (inode.cloneChildren !== null) return fail('EPERM');
  const prepared = prepareName(context, linkName, force);
  if (typeof prepared === 'string') return `ln: failed to create hard link ${quote(linkName)}: ${errnoText(prepared)}\n`;
  attachEntry(context.world, prepared.directory, prepared.name, inode);
  return null;
}
