/**
 * `mmchattr [-m N] [-r N] [-P Pool] [-D yes|no] [--write-affinity-depth N] [--block-group-factor N]
 * [--write-affinity-failure-group FG] Filename...`: change GPFS file attributes.
 *
 * @module
 */
import { errnoText } from '../model/errno.js';
import { markChanged } from '../model/namespace.js';
import type { GpfsAttributes, Inode } from '../model/types.js';
import { success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { gpfsInodeOrMessage, mmFailure, mmUsage } from './mm-common.js';

const USAGE =
  'mmchattr [-m MetadataReplicas] [-M MaxMetadataReplicas] [-r DataReplicas] [-R MaxDataReplicas] [-P DataPoolName] [-D {yes | no}] [-I {yes | defer}] [-l] [--write-affinity-depth Depth] [--write-affinity-failure-group "FailureGroup"] [--block-group-factor BlockGroupFactor] Filename [Filename...]';

/** The mmchattr command (ordinary users may run it on their own files). */
export const mmchattrCommands: CommandTable = {
  mmchattr: { handler: mmchattr, family: 'mm' },
};

interface Changes {
  metadataReplicas?: number;
  dataReplicas?: number;
  pool?: string;
  directIo?: boolean;
  writeAffinityDepth?: number;
  blockGroupFactor?: number;
  writeAffinityFailureGroup?: string;
}

const VALUE_OPTIONS = new Set(['-m', '-M', '-r', '-R', '-P', '-D', '-I', '--write-affinity-depth', '--block-group-factor', '--write-affinity-failure-group']);

function mmchattr(context: CommandContext): CommandResult {
  const changes: Changes = {};
  let index = 0;
  for (; index < context.args.length; index++) {
    let arg = context.args[index] as string;
    if (arg === '--') {
      index++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    let value: string | undefined;
    const equals = arg.indexOf('=');
    if (arg.startsWith('--') && equals > 0) {
      value = arg.slice(equals + 1);
      arg = arg.slice(0, equals);
    }
    if (arg === '-l') continue;
    if (!VALUE_OPTIONS.has(arg)) return mmUsage('mmchattr', `Incorrect option: ${arg}`, USAGE);
    value ??= context.args[++index];
    if (value === undefined) return mmUsage('mmchattr', `Missing argument for the ${arg} option.`, USAGE);
    const problem = applyOption(changes, arg, value);
    if (problem !== null) return mmUsage('mmchattr', problem, USAGE);
  }
  const paths = context.args.slice(index);
  if (paths.length === 0) return mmUsage('mmchattr', 'Missing arguments.', USAGE);
  const errors: string[] = [];
  for (const path of paths) {
    const inode = gpfsInodeOrMessage(context, path);
    if (typeof inode === 'string') {
      errors.push(inode);
      continue;
    }
    const problem = change(context, path, inode, changes);
    if (problem !== null) errors.push(problem);
  }
  if (errors.length > 0) return mmFailure('mmchattr', errors);
  return success();
}

function applyOption(changes: Changes, option: string, value: string): string | null {
  const integer = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  switch (option) {
    case '-m':
    case '-r':
      if (!(integer >= 1 && integer <= 3)) return `Incorrect value for ${option} option: ${value}`;
      if (option === '-m') changes.metadataReplicas = integer;
      else changes.dataReplicas = integer;
      return null;
    case '-M':
    case '-R':
      return integer >= 1 && integer <= 3 ? null : `Incorrect value for ${option} option: ${value}`;
    case '-P':
      if (value === '') return 'Incorrect value for -P option: ""';
      changes.pool = value;
      return null;
    case '-D':
      if (value !== 'yes' && value !== 'no') return `Incorrect value for -D option: ${value}`;
      changes.directIo = value === 'yes';
      return null;
    case '-I':
      return value === 'yes' || value === 'defer' ? null : `Incorrect value for -I option: ${value}`;
    case '--write-affinity-depth':
      if (!(integer >= 0 && integer <= 2)) return `Incorrect value for --write-affinity-depth option: ${value}`;
      changes.writeAffinityDepth = integer;
      return null;
    case '--block-group-factor':
      if (!(integer >= 1 && integer <= 1024)) return `Incorrect value for --block-group-factor option: ${value}`;
      changes.blockGroupFactor = integer;
      return null;
    default:
      if (!/^(\*|\d+(-\d+)?)(,(\*|\d+(-\d+)?)){0,2}(;(\*|\d+(-\d+)?)(,(\*|\d+(-\d+)?)){0,2})*$/.test(value)) {
        return `Incorrect value for --write-affinity-failure-group option: ${value}`;
      }
      changes.writeAffinityFailureGroup = value;
      return null;
  }
}

function change(context: CommandContext, path: string, inode: Inode, changes: Changes): string | null {
  const attributes = inode.attributes as GpfsAttributes;
  if (!context.identity.isRoot && context.identity.uid !== inode.uid) return `${path}: Change attributes failed: ${errnoText('EPERM')}.`;
  if (Object.keys(changes).length === 0) return null;
  if (inode.snapshot !== null || inode.cloneChildren !== null) return `${path}: Change attributes failed: ${errnoText('EROFS')}.`;
  const fs = inode.fs;
  if (changes.dataReplicas !== undefined && changes.dataReplicas > fs.maxDataReplicas) return `${path}: Change replication failed: ${errnoText('EINVAL')}.`;
  if (changes.metadataReplicas !== undefined && changes.metadataReplicas > fs.maxMetadataReplicas) return `${path}: Change replication failed: ${errnoText('EINVAL')}.`;
  if (changes.pool !== undefined) {
    const pool = fs.pools.find((candidate) => candidate.name === changes.pool);
    if (pool === undefined || !pool.data) return `${path}: Change storage pool failed: ${errnoText('EINVAL')}.`;
    if (inode.type === 'dir') return `${path}: Change storage pool failed: ${errnoText('EISDIR')}.`;
  }
  if (changes.dataReplicas !== undefined) attributes.dataReplicas = changes.dataReplicas;
  if (changes.metadataReplicas !== undefined) attributes.metadataReplicas = changes.metadataReplicas;
  if (changes.pool !== undefined) attributes.pool = changes.pool;
  if (changes.directIo !== undefined) attributes.directIo = changes.directIo;
  if (changes.writeAffinityDepth !== undefined) attributes.writeAffinityDepth = changes.writeAffinityDepth;
  if (changes.blockGroupFactor !== undefined) attributes.blockGroupFactor = changes.blockGroupFactor;
  if (changes.writeAffinityFailureGroup !== undefined) attributes.writeAffinityFailureGroup = changes.writeAffinityFailureGroup;
  inode.ctimeMs = context.world.nowMs;
  markChanged(inode);
  return null;
}
