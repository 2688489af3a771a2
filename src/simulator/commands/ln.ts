/**
 * `ln [-s] [-f] [-T] [-v] TARGET [LINK_NAME]` and `ln TARGET... DIRECTORY`.
 *
 * @module
 */
import { errnoText, type Errno } from '../model/errno.js';
import { attachEntry, createEntry, detachEntry } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import { failure, quote, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { operandName, sourceDestinations, type SourceDestinations } from './destinations.js';
import { directoryWritable, lookup, removable } from './files.js';
import { hasOption, missingOperand, optionTable, parseCommandLine } from './options.js';

/** The ln command. */
export const lnCommands: CommandTable = {
  ln: { handler: ln, family: 'system' },
};

const OPTIONS = optionTable('ln', {
  symbolic: ['-s', '--symbolic'],
  force: ['-f', '--force'],
  noTargetDirectory: ['-T', '--no-target-directory'],
  verbose: ['-v', '--verbose'],
  ignored: ['-n', '-P', '-L'],
});

function ln(context: CommandContext): CommandResult {
  const parsed = parseCommandLine(context.args, OPTIONS);
  if (!parsed.ok) return parsed.failure;
  const operands = parsed.operands;
  const missing = missingOperand('ln', operands, ['file operand']);
  if (missing !== null) return missing;
  const symbolic = hasOption(parsed, 'symbolic');
  const force = hasOption(parsed, 'force');
  const noTargetDirectory = hasOption(parsed, 'noTargetDirectory');
  const verbose = hasOption(parsed, 'verbose');
  let pairs: SourceDestinations['pairs'];
  if (operands.length === 1) pairs = [[operands[0] as string, operandName(operands[0] as string)]];
  else {
    const destinations = sourceDestinations(context, 'ln', operands, noTargetDirectory);
    if (!('pairs' in destinations)) return destinations;
    pairs = destinations.pairs;
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
