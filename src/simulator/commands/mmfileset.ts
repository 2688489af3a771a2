/**
 * `mmcrfileset`, `mmlinkfileset`, `mmunlinkfileset`, `mmdelfileset`: fileset life cycle.
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { createFileset, deleteFileset, linkFileset, unlinkFileset } from '../model/filesets.js';
import { absolutePath, resolvePath } from '../model/paths.js';
import type { Fileset, Filesystem } from '../model/types.js';
import { success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { deviceOrFailure, isResult, mmFailure, mmUsage, requireMounted } from './mm-common.js';
import { mmlsfileset } from './mmlsfileset.js';

/** The fileset commands. */
export const filesetCommands: CommandTable = {
  mmcrfileset: { handler: mmcrfileset, family: 'mm', rootOnly: true },
  mmlinkfileset: { handler: mmlinkfileset, family: 'mm', rootOnly: true },
  mmunlinkfileset: { handler: mmunlinkfileset, family: 'mm', rootOnly: true },
  mmdelfileset: { handler: mmdelfileset, family: 'mm', rootOnly: true },
  mmlsfileset: { handler: mmlsfileset, family: 'mm', rootOnly: true },
};

/**
 * The failure GPFS prints for a fileset that does not exist (exit code 2).
 *
 * @param command - Command name.
 * @param name - Fileset name.
 * @returns The result.
 */
export function filesetNotFound(command: string, name: string): CommandResult {
  return mmFailure(command, [`${command}: Fileset name ${name} not found.`], 2);
}

function deviceAndFileset(context: CommandContext, usage: string): { fs: Filesystem; name: string; rest: string[] } | CommandResult {
  const [device, name, ...rest] = context.args;
  if (device === undefined || name === undefined || device.startsWith('-')) return mmUsage(context.name, 'Missing arguments.', usage);
  const fs = deviceOrFailure(context, device);
  if (isResult(fs)) return fs;
  return { fs, name, rest };
}

const CR_USAGE =
  'mmcrfileset Device FilesetName [-p afmAttribute=Value...] [-t Comment] [--inode-space {new [--inode-limit MaxNumInodes[:NumInodesToPreallocate]] | ExistingFileset}] [--allow-permission-change PermissionChangeMode]';

function mmcrfileset(context: CommandContext): CommandResult {
  const parsed = deviceAndFileset(context, CR_USAGE);
  if (isResult(parsed)) return parsed;
  const { fs, name, rest } = parsed;
  let inodeSpace: string | null = null;
  let comment = '';
  for (let index = 0; index < rest.length; index++) {
    const option = rest[index] as string;
    const value = rest[index + 1];
    if (!['-t', '--inode-space', '--inode-limit', '--allow-permission-change', '-p'].includes(option)) return mmUsage('mmcrfileset', `Incorrect option: ${option}`, CR_USAGE);
    if (value === undefined) return mmUsage('mmcrfileset', `Missing argument for the ${option} option.`, CR_USAGE);
    index++;
    if (option === '-t') comment = value;
    if (option === '--inode-space') inodeSpace = value;
    if (option === '--inode-limit' && !/^\d+[KMG]?(:\d+[KMG]?)?$/.test(value)) return mmUsage('mmcrfileset', `Incorrect value for --inode-limit option: ${value}`, CR_USAGE);
  }
  if (comment.length > 255 || /[\n:]/.test(comment)) return mmUsage('mmcrfileset', 'The comment must be at most 255 characters and contain no colon or newline.', CR_USAGE);
  const fileset = createFileset(context.world, fs, name, { inodeSpace, comment });
  if ('exitCode' in fileset) return mmFailure('mmcrfileset', [`mmcrfileset: ${fileset.message}`], fileset.exitCode);
  return success(`Fileset ${name} created with id ${fileset.id} root inode ${fileset.root.ino}.\n`);
}

const LINK_USAGE = 'mmlinkfileset Device FilesetName [-J JunctionPath]';

function mmlinkfileset(context: CommandContext): CommandResult {
  const parsed = deviceAndFileset(context, LINK_USAGE);
  if (isResult(parsed)) return parsed;
  const { fs, name, rest } = parsed;
  let junction = `${fs.mountPoint}/${name}`;
  if (rest.length > 0) {
    if (rest[0] !== '-J' || rest[1] === undefined || rest.length > 2) return mmUsage('mmlinkfileset', `Incorrect option: ${rest[0]}`, LINK_USAGE);
    junction = absolutePath(rest[1], context.cwd);
  }
  const notMounted = requireMounted(context, fs);
  if (notMounted !== null) return notMounted;
  const fileset = fs.filesets.get(name);
  if (fileset === undefined) return filesetNotFound('mmlinkfileset', name);
  if (fileset.status === 'Linked') return mmFailure('mmlinkfileset', [`mmlinkfileset: Fileset ${name} is already linked.`], 16);
  const resolved = resolvePath(context.world, junction, '/');
  if (!resolved.ok) return mmFailure('mmlinkfileset', [`mmlinkfileset: ${junction}: ${errnoText(resolved.errno)}`], 2);
  if (resolved.node !== null) return mmFailure('mmlinkfileset', [`mmlinkfileset: ${junction}: ${errnoText('EEXIST')}`], 17);
  const directory = resolved.parent;
  if (directory === null || directory.fs !== fs || directory.snapshot !== null || directory.isSnapshotsDir) {
    return mmFailure('mmlinkfileset', [`mmlinkfileset: Junction path ${junction} is not in file system ${fs.device}.`], 22);
  }
  linkFileset(context.world, fileset, directory, resolved.name, resolved.path);
  return success(`Fileset ${name} linked at ${resolved.path}\n`);
}

const UNLINK_USAGE = 'mmunlinkfileset Device {FilesetName | -J JunctionPath} [-f] [-k]';

function mmunlinkfileset(context: CommandContext): CommandResult {
  const [device, ...rest] = context.args;
  if (device === undefined || rest.length === 0) return mmUsage('mmunlinkfileset', 'Missing arguments.', UNLINK_USAGE);
  const fs = deviceOrFailure(context, device);
  if (isResult(fs)) return fs;
  let fileset: Fileset | undefined;
  let name: string | null = null;
  let junction: string | null = null;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] as string;
    if (arg === '-f' || arg === '-k') continue;
    if (arg === '-J') {
      const value = rest[++index];
      if (value === undefined) return mmUsage('mmunlinkfileset', 'Missing argument for the -J option.', UNLINK_USAGE);
      junction = absolutePath(value, context.cwd);
    } else if (arg.startsWith('-')) return mmUsage('mmunlinkfileset', `Incorrect option: ${arg}`, UNLINK_USAGE);
    else if (name === null) name = arg;
    else return mmUsage('mmunlinkfileset', `Unexpected argument: ${arg}`, UNLINK_USAGE);
  }
  const notMounted = requireMounted(context, fs);
  if (notMounted !== null) return notMounted;
  if (junction !== null) {
    fileset = [...fs.filesets.values()].find((candidate) => candidate.junctionPath === junction);
    if (fileset === undefined) return mmFailure('mmunlinkfileset', [`mmunlinkfileset: ${junction} is not a fileset junction.`], 2);
  } else if (name !== null) {
    fileset = fs.filesets.get(name);
    if (fileset === undefined) return filesetNotFound('mmunlinkfileset', name);
  } else return mmUsage('mmunlinkfileset', 'Missing arguments.', UNLINK_USAGE);
  if (fileset.id === 0) return mmFailure('mmunlinkfileset', ['mmunlinkfileset: The root fileset cannot be unlinked.'], 1);
  if (fileset.status !== 'Linked') return mmFailure('mmunlinkfileset', [`mmunlinkfileset: Fileset ${fileset.name} is not linked.`], 1);
  const nested = [...fs.filesets.values()].find((other) => other !== fileset && other.status === 'Linked' && other.junctionPath?.startsWith(`${fileset.junctionPath}/`));
  if (nested !== undefined) return mmFailure('mmunlinkfileset', [`mmunlinkfileset: Fileset ${nested.name} is linked inside fileset ${fileset.name}.`], 16);
  unlinkFileset(context.world, fileset);
  return success(`Fileset ${fileset.name} unlinked.\n`);
}

const DEL_USAGE = 'mmdelfileset Device FilesetName [-f] [--qos QosClass]';

function mmdelfileset(context: CommandContext): CommandResult {
  const parsed = deviceAndFileset(context, DEL_USAGE);
  if (isResult(parsed)) return parsed;
  const { fs, name, rest } = parsed;
  let force = false;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] as string;
    if (arg === '-f') force = true;
    else if (arg === '--qos' && rest[index + 1] !== undefined) index++;
    else return mmUsage('mmdelfileset', `Incorrect option: ${arg}`, DEL_USAGE);
  }
  const fileset = fs.filesets.get(name);
  if (fileset === undefined) return filesetNotFound('mmdelfileset', name);
  if (fileset.id === 0) return mmFailure('mmdelfileset', ['mmdelfileset: The root fileset cannot be deleted.'], 1);
  if (fileset.status === 'Linked') return mmFailure('mmdelfileset', [`mmdelfileset: Fileset ${name} must be unlinked to be deleted.`], 16);
  if (fileset.independent) {
    if (fs.snapshots.some((snapshot) => snapshot.filesetName === name)) return mmFailure('mmdelfileset', [`mmdelfileset: Fileset ${name} has fileset snapshots.`], 16);
    const dependent = [...fs.filesets.values()].find((other) => other !== fileset && other.inodeSpace === fileset.inodeSpace);
    if (dependent !== undefined) return mmFailure('mmdelfileset', [`mmdelfileset: Fileset ${name} has dependent fileset ${dependent.name}.`], 16);
  }
  if (!force && (fileset.root.entries?.size ?? 0) > 0) {
    return mmFailure('mmdelfileset', ['Checking fileset ...', `mmdelfileset: Fileset ${name} cannot be deleted: it contains user files. Use -f to delete them.`], 1);
  }
  deleteFileset(fs, fileset);
  return success(`Checking fileset ...\nChecking fileset complete.\nDeleting fileset ...\nFileset ${name} deleted.\n`);
}
