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
import { failure, quote, success, tryHelp, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { directoryWritable, lookup, removable } from './files.js';

/** The mv command. */
export const mvCommands: CommandTable = {
  mv: { handler: mv, family: 'system' },
};

function mv(context: CommandContext): CommandResult {
  let noClobber = false;
  let noTargetDirectory = false;
  let verbose = false;
  let targetDirectory: string | null = null;
  const operands: string[] = [];
  const args = context.args;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--') {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (arg === '--no-clobber') noClobber = true;
    else if (arg === '--no-target-directory') noTargetDirectory = true;
    else if (arg === '--verbose') verbose = true;
    else if (arg === '--force') noClobber = false;
    else if (arg.startsWith('--target-directory=')) targetDirectory = arg.slice(19);
    else if (arg.startsWith('--')) return failure(`mv: unrecognized option '${arg}'\n${tryHelp('mv')}`);
    else if (arg.startsWith('-') && arg.length > 1) {
      for (let position = 1; position < arg.length; position++) {
        const flag = arg[position] as string;
        if (flag === 'f') noClobber = false;
        else if (flag === 'n') noClobber = true;
        else if (flag === 'T') noTargetDirectory = true;
        else if (flag === 'v') verbose = true;
        else if (flag === 'i' || flag === 'u') continue;
        else if (flag === 't') {
          targetDirectory = arg.length > position + 1 ? arg.slice(position + 1) : (args[++index] ?? null);
          if (targetDirectory === null) return failure(`mv: option requires an argument -- 't'\n${tryHelp('mv')}`);
          break;
        } else return failure(`mv: invalid option -- '${flag}'\n${tryHelp('mv')}`);
      }
    } else operands.push(arg);
  }
  if (targetDirectory !== null) operands.push(targetDirectory);
  if (operands.length === 0) return failure(`mv: missing file operand\n${tryHelp('mv')}`);
  if (operands.length === 1) return failure(`mv: missing destination file operand after ${quote(operands[0] as string)}\n${tryHelp('mv')}`);
  const destination = operands[operands.length - 1] as string;
  const sources = operands.slice(0, -1);
  const target = lookup(context, destination);
  const intoDirectory = !noTargetDirectory && target.ok && target.node !== null && target.node.type === 'dir';
  if (!intoDirectory && sources.length > 1) return failure(`mv: target ${quote(destination)} is not a directory\n`);
  let stdout = '';
  let stderr = '';
  for (const source of sources) {
    const name = source.replace(/\/+$/, '').split('/').pop() ?? source;
    const to = intoDirectory ? `${destination.replace(/\/+$/, '')}/${name}` : destination;
    const problem = move(context, source, to, noClobber);
    if (problem === 'skip') continue;
    if (problem !== null) stderr += problem;
    else if (verbose) stdout += `renamed ${quote(source)} -> ${quote(to)}\n`;
  }
  return stderr === '' ? success(stdout) : failure(stderr, 1, stdout);
}

function move(context: CommandContext, source: string, destination: string, noClobber: boolean): string | 'skip' | null {
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
  if (existingTarget !== null && noClobber) return 'skip';
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
