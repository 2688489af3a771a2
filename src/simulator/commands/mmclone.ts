/**
 * `mmclone snap|copy|split|redirect|show`: GPFS file clones.
 *
 * @module
 */
import { copyClone, redirectClone, snapInPlace, snapToParent, splitClone } from '../model/clones.js';
import { errnoText, type Errno } from '../model/errno.js';
import { mayAccess } from '../model/namespace.js';
import { resolvePath } from '../model/paths.js';
import type { Inode } from '../model/types.js';
import { success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { directoryWritable } from './files.js';
import { formatMmcloneShow, type MmcloneShowRow } from '../../parsers/mmclone.js';
import { gpfsInodeOrMessage, mmFailure, mmUsage } from './mm-common.js';

const USAGE = [
  'mmclone snap SourceFile [CloneParentFile]',
  'or',
  '  mmclone copy CloneParentFile TargetFile',
  'or',
  '  mmclone split Filename [Filename...]',
  'or',
  '  mmclone redirect Filename [Filename...]',
  'or',
  '  mmclone show Filename [Filename...]',
].join('\n');

/** The mmclone command (ordinary users may clone files they can read into directories they can write). */
export const mmcloneCommands: CommandTable = {
  mmclone: { handler: mmclone, family: 'mm' },
};

/**
 * One `mmclone show` row, as the library's formatter takes it: a file that is not a clone shows `no`
 * with blank Depth and Parent inode columns.
 *
 * @param inode - A file.
 * @param name - File name as given.
 * @returns The row.
 */
export function cloneShowRow(inode: Inode, name: string): MmcloneShowRow {
  const isParent = inode.cloneChildren !== null;
  const isClone = isParent || inode.cloneParent !== null;
  return { isParent, depth: isClone ? (inode.cloneDepth ?? 0) : null, parentInode: inode.cloneParent?.ino ?? null, fileName: name };
}

function mmclone(context: CommandContext): CommandResult {
  const [action, ...operands] = context.args;
  const paths = operands[0] === '--' ? operands.slice(1) : operands;
  switch (action) {
    case 'snap':
      if (paths.length < 1 || paths.length > 2) return mmUsage('mmclone', paths.length === 0 ? 'Missing arguments.' : 'Too many arguments.', USAGE);
      return snap(context, paths[0] as string, paths[1]);
    case 'copy':
      if (paths.length !== 2) return mmUsage('mmclone', paths.length < 2 ? 'Missing arguments.' : 'Too many arguments.', USAGE);
      return copy(context, paths[0] as string, paths[1] as string);
    case 'split':
    case 'redirect':
      if (paths.length === 0) return mmUsage('mmclone', 'Missing arguments.', USAGE);
      return splitOrRedirect(context, action, paths);
    case 'show':
      if (paths.length === 0) return mmUsage('mmclone', 'Missing arguments.', USAGE);
      return show(context, paths);
    case undefined:
      return mmUsage('mmclone', 'Missing arguments.', USAGE);
    default:
      return mmUsage('mmclone', `Invalid action: ${action}`, USAGE);
  }
}

function fail(path: string, errno: Errno, detail = ''): CommandResult {
  return mmFailure('mmclone', [`mmclone: ${path}${detail}: ${errnoText(errno)}`]);
}

function snap(context: CommandContext, sourcePath: string, parentPath: string | undefined): CommandResult {
  const source = gpfsInodeOrMessage(context, sourcePath);
  if (typeof source === 'string') return mmFailure('mmclone', [source]);
  if (!mayAccess(context.identity, source, 4)) return fail(sourcePath, 'EACCES');
  if (parentPath === undefined) {
    if (!context.identity.isRoot && context.identity.uid !== source.uid) return fail(sourcePath, 'EPERM');
    const problem = snapInPlace(source);
    if (problem !== null) return fail(sourcePath, problem, describe(problem, source));
    return success();
  }
  const target = resolvePath(context.world, parentPath, context.cwd);
  if (!target.ok) return fail(parentPath, target.errno);
  if (target.node !== null) return fail(parentPath, 'EEXIST');
  if (target.parent === null || target.parent.fs.kind !== 'gpfs') return mmFailure('mmclone', [`mmclone: 6027-1901 ${parentPath} is not a GPFS file system object.`]);
  const writable = directoryWritable(context.identity, target.parent);
  if (writable !== null) return fail(parentPath, writable);
  const result = snapToParent(context.world, source, target.parent, target.name);
  if (typeof result === 'string') return fail(result === 'EXDEV' ? parentPath : sourcePath, result, describe(result, source));
  return success();
}

function copy(context: CommandContext, parentPath: string, targetPath: string): CommandResult {
  const parent = gpfsInodeOrMessage(context, parentPath);
  if (typeof parent === 'string') return mmFailure('mmclone', [parent]);
  if (!mayAccess(context.identity, parent, 4)) return fail(parentPath, 'EACCES');
  const target = resolvePath(context.world, targetPath, context.cwd);
  if (!target.ok) return fail(targetPath, target.errno);
  if (target.node !== null) return fail(targetPath, 'EEXIST');
  if (target.parent === null || target.parent.fs.kind !== 'gpfs') return mmFailure('mmclone', [`mmclone: 6027-1901 ${targetPath} is not a GPFS file system object.`]);
  const writable = directoryWritable(context.identity, target.parent);
  if (writable !== null) return fail(targetPath, writable);
  const result = copyClone(context.world, parent, target.parent, target.name, context.identity);
  if (typeof result === 'string') {
    if (result === 'EINVAL') return fail(parentPath, result, ' is not a clone parent or a snapshot file');
    return fail(result === 'EXDEV' ? targetPath : parentPath, result);
  }
  return success();
}

function splitOrRedirect(context: CommandContext, action: 'split' | 'redirect', paths: readonly string[]): CommandResult {
  const errors: string[] = [];
  for (const path of paths) {
    const inode = gpfsInodeOrMessage(context, path);
    if (typeof inode === 'string') {
      errors.push(inode);
      continue;
    }
    if (!mayAccess(context.identity, inode, 2) && inode.cloneChildren === null) {
      errors.push(`mmclone: ${path}: ${errnoText('EACCES')}`);
      continue;
    }
    const problem = action === 'split' ? splitClone(inode) : redirectClone(inode);
    if (problem !== null) errors.push(`mmclone: ${path}${problem === 'EINVAL' ? ' is not a clone' : ''}: ${errnoText(problem)}`);
  }
  return errors.length > 0 ? mmFailure('mmclone', errors) : success();
}

function show(context: CommandContext, paths: readonly string[]): CommandResult {
  const errors: string[] = [];
  const rows: MmcloneShowRow[] = [];
  for (const path of paths) {
    const inode = gpfsInodeOrMessage(context, path);
    if (typeof inode === 'string') errors.push(inode);
    else rows.push(cloneShowRow(inode, path));
  }
  const text = formatMmcloneShow(rows);
  return errors.length > 0 ? mmFailure('mmclone', errors, 1, text) : success(text);
}

function describe(errno: Errno, source: Inode): string {
  if (errno === 'EINVAL' && source.cloneChildren !== null) return ' is already a clone parent';
  if (errno === 'EMLINK') return ' has hard links';
  return '';
}
