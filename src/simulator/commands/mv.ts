/**
 * `mv [-f] [-n] [-T] [-v] SOURCE DEST` and `mv SOURCE... DIRECTORY`. A rename keeps the inode; moving
 * across file systems or GPFS filesets is refused with `Invalid cross-device link` (the simulator does
 * not fall back to copy and delete, so code that relies on keeping the inode is checked).
 *
 * @module
 */
import { errnoText, type Errno } from '../model/errno.js';
import { isAncestor, renameEntry } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import { failure, quote, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { sourceDestinations } from './destinations.js';
import { directoryWritable, lookup, removable } from './files.js';
import { hasOption, missingOperand, optionTable, optionValue, parseCommandLine } from './options.js';

/** The mv command. */
export const mvCommands: CommandTable = {
  mv: { handler: mv, family: 'system' },
};

const OPTIONS = optionTable('mv', {
  force: ['-f', '--force'],
  noClobber: ['-n', '--no-clobber'],
  noTargetDirectory: ['-T', '--no-target-directory'],
  verbose: ['-v', '--verbose'],
  targetDirectory: ['-t DIRECTORY', '--target-directory=DIRECTORY'],
  ignored: ['-i', '-u'],
});

function mv(context: CommandContext): CommandResult {
  const parsed = parseCommandLine(context.args, OPTIONS);
  if (!parsed.ok) return parsed.failure;
  let noClobber = false;
  for (const { key } of parsed.options) if (key === 'force' || key === 'noClobber') noClobber = key === 'noClobber';
  const noTargetDirectory = hasOption(parsed, 'noTargetDirectory');
  const verbose = hasOption(parsed, 'verbose');
  const targetDirectory = optionValue(parsed, 'targetDirectory');
  const operands = targetDirectory === null ? parsed.operands : [...parsed.operands, targetDirectory];
  const missing = missingOperand('mv', operands, ['file operand', 'destination file operand']);
  if (missing !== null) return missing;
  const destinations = sourceDestinations(context, 'mv', operands, noTargetDirectory);
  if (!('pairs' in destinations)) return destinations;
  let stdout = '';
  let stderr = '';
  for (const [source, to] of destinations.pairs) {
    const problem = move(context, source, to, noClobber);
    if (problem === SKIPPED) continue;
    if (problem !== null) stderr += problem;
    else if (verbose) stdout += `renamed ${quote(source)} -> ${quote(to)}\n`;
  }
  return stderr === '' ? success(stdout) : failure(stderr, 1, stdout);
}

/** What move returns when `-n` leaves an existing destination alone (not an error, nothing printed). */
const SKIPPED = Symbol('skipped');

/** Moves one source: null when done, SKIPPED, or the message to print on stderr. */
function move(context: CommandContext, source: string, destination: string, noClobber: boolean): string | typeof SKIPPED | null {
  const from = lookup(context, source, false);
  if (!from.ok || from.node === null) return `mv: cannot stat ${quote(source)}: ${errnoText(from.ok ? 'ENOENT' : from.errno)}\n`;
  const inode = from.node;
  const fail = (errno: Errno): string => `mv: cannot move ${quote(source)} to ${quote(destination)}: ${errnoText(errno)}\n`;
  if (from.parent === null) return fail('EBUSY');
  const to = lookup(context, destination, false);
  if (!to.ok) return fail(to.errno);
  if (to.parent === null) return fail('EBUSY');
  const existingTarget = to.node;
  if (existingTarget === inode) return `mv: ${quote(source)} and ${quote(destination)} are the same file\n`;
  if (existingTarget !== null && noClobber) return SKIPPED;
  if (inode === inode.fs.root || inode.filesetRootOf !== null || inode.isSnapshotsDir) return fail('EBUSY');
  if (inode.snapshot !== null || to.parent.snapshot !== null || to.parent.isSnapshotsDir) return fail('EROFS');
  if (to.parent.fs !== inode.fs || crossesFileset(inode, from.parent, to.parent)) return fail('EXDEV');
  if (inode.type === 'dir' && isAncestor(inode, to.parent)) return `mv: cannot move ${quote(source)} to a subdirectory of itself, ${quote(destination)}\n`;
  const problem = removable(context.identity, from.parent, inode) ?? directoryWritable(context.identity, to.parent);
  if (problem !== null) return fail(problem);
  if (existingTarget !== null) {
    if (existingTarget.type === 'dir' && inode.type !== 'dir') return `mv: cannot overwrite directory ${quote(destination)} with non-directory\n`;
    if (existingTarget.type !== 'dir' && inode.type === 'dir') return `mv: cannot overwrite non-directory ${quote(destination)} with directory ${quote(source)}\n`;
    if (existingTarget.type === 'dir' && (existingTarget.entries?.size ?? 0) > 0) return fail('ENOTEMPTY');
    if (existingTarget.cloneChildren !== null && existingTarget.cloneChildren.size > 0) return fail('EROFS');
    if (existingTarget === existingTarget.fs.root || existingTarget.filesetRootOf !== null) return fail('EBUSY');
  }
  renameEntry(context.world, from.parent, from.name, to.parent, to.name);
  return null;
}

function crossesFileset(inode: Inode, fromDirectory: Inode, toDirectory: Inode): boolean {
  const filesetId = inode.attributes?.filesetId ?? fromDirectory.attributes?.filesetId;
  return filesetId !== undefined && toDirectory.attributes !== null && toDirectory.attributes.filesetId !== filesetId;
}
