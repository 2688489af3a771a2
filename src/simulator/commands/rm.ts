/**
 * `rm [-f] [-r] [-d] [-v] FILE...`. A clone parent that still has clones cannot be removed, with or
 * without `-f`: `rm: cannot remove '<path>': Read-only file system`, exit 1, and the file stays.
 *
 * @module
 */
import { errnoText, type Errno } from '../model/errno.js';
import { detachEntry } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import { failure, quote, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { lookup, removable } from './files.js';
import { hasOption, missingOperand, optionTable, parseCommandLine } from './options.js';

/** The rm command. */
export const rmCommands: CommandTable = {
  rm: { handler: rm, family: 'system' },
};

interface Options {
  force: boolean;
  recursive: boolean;
  emptyDirectories: boolean;
  verbose: boolean;
  preserveRoot: boolean;
}

const OPTIONS = optionTable('rm', {
  force: ['-f', '--force'],
  recursive: ['-r', '-R', '--recursive'],
  emptyDirectories: ['-d', '--dir'],
  verbose: ['-v', '--verbose'],
  noPreserveRoot: ['--no-preserve-root'],
  ignored: ['-i', '-I', '--preserve-root', '--one-file-system', '--interactive=never'],
});

function rm(context: CommandContext): CommandResult {
  const parsed = parseCommandLine(context.args, OPTIONS);
  if (!parsed.ok) return parsed.failure;
  const options: Options = {
    force: hasOption(parsed, 'force'),
    recursive: hasOption(parsed, 'recursive'),
    emptyDirectories: hasOption(parsed, 'emptyDirectories'),
    verbose: hasOption(parsed, 'verbose'),
    preserveRoot: !hasOption(parsed, 'noPreserveRoot'),
  };
  const operands = parsed.operands;
  if (operands.length === 0 && options.force) return success();
  const missing = missingOperand('rm', operands, ['operand']);
  if (missing !== null) return missing;
  const output = { stdout: '', stderr: '' };
  for (const operand of operands) removeOperand(context, operand, options, output);
  return output.stderr === '' ? success(output.stdout) : failure(output.stderr, 1, output.stdout);
}

function removeOperand(context: CommandContext, operand: string, options: Options, output: { stdout: string; stderr: string }): void {
  const base = operand.replace(/\/+$/, '').split('/').pop() ?? '';
  if (base === '.' || base === '..') {
    output.stderr += `rm: refusing to remove '.' or '..' directory: skipping ${quote(operand)}\n`;
    return;
  }
  const resolved = lookup(context, operand, false);
  if (!resolved.ok || resolved.node === null) {
    const errno = resolved.ok ? 'ENOENT' : resolved.errno;
    if (!(options.force && errno === 'ENOENT')) output.stderr += `rm: cannot remove ${quote(operand)}: ${errnoText(errno)}\n`;
    return;
  }
  if (resolved.parent === null) {
    output.stderr +=
      options.recursive && options.preserveRoot
        ? "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n"
        : `rm: cannot remove ${quote(operand)}: ${errnoText(options.recursive ? 'EBUSY' : 'EISDIR')}\n`;
    return;
  }
  removeEntry(context, resolved.parent, resolved.name, resolved.node, operand, options, output);
}

function removeEntry(context: CommandContext, directory: Inode, name: string, inode: Inode, display: string, options: Options, output: { stdout: string; stderr: string }): boolean {
  const report = (errno: Errno): false => {
    output.stderr += `rm: cannot remove ${quote(display)}: ${errnoText(errno)}\n`;
    return false;
  };
  if (inode.type === 'dir') {
    if (!options.recursive && !options.emptyDirectories) return report('EISDIR');
    if (!options.recursive && (inode.entries?.size ?? 0) > 0) return report('ENOTEMPTY');
    let childrenRemoved = true;
    if (options.recursive) {
      for (const [childName, child] of [...(inode.entries ?? [])]) {
        const childDisplay = display.endsWith('/') ? `${display}${childName}` : `${display}/${childName}`;
        if (!removeEntry(context, inode, childName, child, childDisplay, options, output)) childrenRemoved = false;
      }
    }
    if (!childrenRemoved) return false;
    if (inode === inode.fs.root || inode.filesetRootOf !== null || inode.isSnapshotsDir) return report('EBUSY');
  }
  const problem = removable(context.identity, directory, inode);
  if (problem !== null) return report(problem);
  if (inode.cloneChildren !== null && inode.cloneChildren.size > 0) return report('EROFS');
  detachEntry(context.world, directory, name);
  if (options.verbose) output.stdout += inode.type === 'dir' ? `removed directory ${quote(display)}\n` : `removed ${quote(display)}\n`;
  return true;
}
