/**
 * `mmlsfileset Device [Fileset[,Fileset...] | -J Junction] [-L] [-i] [-d] [-Y]`: fileset attributes.
 *
 * @module
 */
import { filesetInodeCount } from '../model/filesets.js';
import { absolutePath } from '../model/paths.js';
import type { Fileset, Filesystem } from '../model/types.js';
import { success, type CommandContext, type CommandResult } from './context.js';
import { asctime, padRight } from './format.js';
import { deviceOrFailure, isResult, mmFailure, mmUsage } from './mm-common.js';
import { formatYTable } from './y-writer.js';

const USAGE = 'mmlsfileset Device [[Fileset[,Fileset...]] [-J Junction[,Junction...]] | -F FileName] [-d] [-i] [-L] [-X] [-Y] [--afm] [--deleted]';
const AFM_BEFORE = 12;
const COLUMNS = [
  'filesystemName',
  'filesetName',
  'id',
  'rootInode',
  'status',
  'path',
  'parentId',
  'created',
  'inodes',
  'dataInKB',
  'comment',
  'filesetMode',
  'afmTarget',
  'afmState',
  'afmMode',
  'afmFileLookupRefreshInterval',
  'afmFileOpenRefreshInterval',
  'afmDirLookupRefreshInterval',
  'afmDirOpenRefreshInterval',
  'afmAsyncDelay',
  'afmNeedsRecovery',
  'afmExpirationTimeout',
  'afmRPO',
  'afmLastPSnapId',
  'inodeSpace',
  'isInodeSpaceOwner',
  'maxInodes',
  'allocInodes',
  'inodeSpaceMask',
  'afmShowHomeSnapshots',
  'afmNumReadThreads',
  'reserved',
  'afmReadBufferSize',
  'afmWriteBufferSize',
  'afmReadSparseThreshold',
  'afmParallelReadChunkSize',
  'afmParallelReadThreshold',
  'snapId',
  'afmNumFlushThreads',
  'afmPrefetchThreshold',
  'afmEnableAutoEviction',
  'permChangeFlag',
  'afmParallelWriteThreshold',
  'freeInodes',
  'afmNeedsResync',
  'afmParallelWriteChunkSize',
  'afmNumWriteThreads',
  'afmPrimaryID',
  'afmDRState',
  'afmAssociatedPrimaryId',
  'afmDIO',
  'afmGatewayNode',
  'afmIOFlags',
];

/**
 * The mmlsfileset handler.
 *
 * @param context - Command context.
 * @returns The listing.
 */
export function mmlsfileset(context: CommandContext): CommandResult {
  const [device, ...rest] = context.args;
  if (device === undefined || device.startsWith('-')) return mmUsage('mmlsfileset', 'Missing arguments.', USAGE);
  const fs = deviceOrFailure(context, device);
  if (isResult(fs)) return fs;
  let machine = false;
  let long = false;
  let names: string[] | null = null;
  let junctions: string[] | null = null;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] as string;
    if (arg === '-Y') machine = true;
    else if (arg === '-L') long = true;
    else if (arg === '-i' || arg === '-d' || arg === '-X' || arg === '--afm' || arg === '--deleted') continue;
    else if (arg === '-J') {
      const value = rest[++index];
      if (value === undefined) return mmUsage('mmlsfileset', 'Missing argument for the -J option.', USAGE);
      junctions = value.split(',').map((path) => absolutePath(path, context.cwd));
    } else if (arg.startsWith('-')) return mmUsage('mmlsfileset', `Incorrect option: ${arg}`, USAGE);
    else if (names === null) names = arg.split(',').filter((name) => name !== '');
    else return mmUsage('mmlsfileset', `Unexpected argument: ${arg}`, USAGE);
  }
  let filesets = [...fs.filesets.values()].sort((a, b) => a.id - b.id);
  if (names !== null) {
    const missing = names.filter((name) => !fs.filesets.has(name));
    if (missing.length > 0)
      return mmFailure(
        'mmlsfileset',
        missing.map((name) => `mmlsfileset: Fileset name ${name} not found.`),
        2,
      );
    filesets = filesets.filter((fileset) => names.includes(fileset.name));
  }
  if (junctions !== null) {
    const wanted = junctions;
    const missing = wanted.filter((path) => !filesets.some((fileset) => fileset.junctionPath === path));
    if (missing.length > 0)
      return mmFailure(
        'mmlsfileset',
        missing.map((path) => `mmlsfileset: ${path} is not a fileset junction.`),
        2,
      );
    filesets = filesets.filter((fileset) => fileset.junctionPath !== null && wanted.includes(fileset.junctionPath));
  }
  if (machine) {
    const encode = (index: number): Readonly<Record<string, string>> => (filesets[index]?.junctionPath === null ? { path: '-' } : { path: '/' });
    return success(
      formatYTable(
        'mmlsfileset',
        '',
        COLUMNS,
        filesets.map((fileset) => row(fs, fileset)),
        encode,
      ),
    );
  }
  let text = `Filesets in file system '${fs.device}':\n`;
  if (long) {
    text += 'Name                            Id      RootInode  ParentId Created                      InodeSpace      MaxInodes    AllocInodes Comment\n';
    for (const fileset of filesets) {
      text +=
        `${padRight(fileset.name, 32)}${padRight(fileset.id, 8)}${padRight(fileset.root.ino, 11)}${padRight(fileset.parentId ?? '--', 9)}${padRight(asctime(fileset.createdMs), 29)}${padRight(fileset.inodeSpace, 16)}${padRight(fileset.maxInodes, 13)}${padRight(allocInodes(fileset), 15)}${fileset.comment}`.trimEnd() +
        '\n';
    }
    return success(text);
  }
  text += 'Name                     Status    Path\n';
  for (const fileset of filesets) text += `${padRight(fileset.name, 25)}${padRight(fileset.status, 10)}${fileset.junctionPath ?? '--'}\n`;
  return success(text);
}

function allocInodes(fileset: Fileset): number {
  return fileset.independent ? Math.min(fileset.maxInodes, 65_792) : 0;
}

function row(fs: Filesystem, fileset: Fileset): string[] {
  const used = filesetInodeCount(fileset);
  const alloc = allocInodes(fileset);
  const path = fileset.junctionPath ?? '--';
  const values = [
    fs.device,
    fileset.name,
    String(fileset.id),
    String(fileset.root.ino),
    fileset.status,
    path,
    fileset.parentId === null ? '--' : String(fileset.parentId),
    asctime(fileset.createdMs),
    '-',
    '-',
    fileset.comment,
    'off',
    ...Array<string>(AFM_BEFORE).fill('-'),
    String(fileset.inodeSpace),
    fileset.independent ? '1' : '0',
    String(fileset.maxInodes),
    String(alloc),
    '66846720',
    ...Array<string>(8).fill('-'),
    '0',
    '-',
    '-',
    '-',
    'chmodAndSetacl',
    '-',
    String(fileset.independent ? Math.max(0, alloc - used) : 0),
    ...Array<string>(9).fill('-'),
  ];
  return values;
}
