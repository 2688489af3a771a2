/**
 * `mmlsattr [-l] [-L] [-d] [-n Attribute] [-X] FileName...`: replication factors and GPFS attributes.
 *
 * @module
 */
import { filesetName } from '../model/namespace.js';
import type { Inode } from '../model/types.js';
import { success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { asctime, padLeft } from './format.js';
import { gpfsInodeOrMessage, mmFailure, mmUsage } from './mm-common.js';

const USAGE = 'mmlsattr [-l] [-L] [-d] [-n AttributeName] [-X] [--hex-attr] [--hex-attr-name] FileName [FileName...]';

/** The mmlsattr command (ordinary users may run it). */
export const mmlsattrCommands: CommandTable = {
  mmlsattr: { handler: mmlsattr, family: 'mm' },
};

function mmlsattr(context: CommandContext): CommandResult {
  let long = false;
  const paths: string[] = [];
  let index = 0;
  for (; index < context.args.length; index++) {
    const arg = context.args[index] as string;
    if (arg === '--') {
      index++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg === '-L') long = true;
    else if (arg === '-l' || arg === '-d' || arg === '-X' || arg === '--hex-attr' || arg === '--hex-attr-name') continue;
    else if (arg === '-n') index++;
    else return mmUsage('mmlsattr', `Incorrect option: ${arg}`, USAGE);
  }
  paths.push(...context.args.slice(index));
  if (paths.length === 0) return mmUsage('mmlsattr', 'Missing arguments.', USAGE);
  const errors: string[] = [];
  const blocks: string[] = [];
  for (const path of paths) {
    const inode = gpfsInodeOrMessage(context, path);
    if (typeof inode === 'string') errors.push(inode);
    else blocks.push(long ? longBlock(path, inode) : shortRow(path, inode));
  }
  const stdout = long ? blocks.join('\n') : blocks.length > 0 ? `  replication factors\nmetadata(max) data(max) file    [flags]\n------------- --------- ---------------\n${blocks.join('')}` : '';
  if (errors.length > 0) return mmFailure('mmlsattr', errors, 1, stdout);
  return success(stdout);
}

function shortRow(path: string, inode: Inode): string {
  const attributes = inode.attributes;
  const fs = inode.fs;
  const metadata = `${padLeft(attributes?.metadataReplicas ?? 1, 7)} (${padLeft(fs.maxMetadataReplicas, 3)})`;
  const data = `${padLeft(attributes?.dataReplicas ?? 1, 3)} (${padLeft(fs.maxDataReplicas, 3)})`;
  return `${metadata} ${data} ${path}\n`;
}

function longBlock(path: string, inode: Inode): string {
  const attributes = inode.attributes;
  const fs = inode.fs;
  const misc = inode.type === 'dir' ? 'DIRECTORY' : inode.snapshot !== null ? 'ARCHIVE READONLY' : 'ARCHIVE';
  const lines = [
    `file name:            ${path}`,
    `metadata replication: ${attributes?.metadataReplicas ?? 1} max ${fs.maxMetadataReplicas}`,
    `data replication:     ${attributes?.dataReplicas ?? 1} max ${fs.maxDataReplicas}`,
    'immutable:            no',
    'appendOnly:           no',
    `flags:${attributes?.directIo ? '                directio' : ''}`,
    `storage pool name:    ${attributes?.pool ?? 'system'}`,
    `fileset name:         ${filesetName(fs, attributes?.filesetId ?? 0)}`,
    `snapshot name:${inode.snapshot === null ? '' : `        ${inode.snapshot.name}`}`,
    `creation time:        ${asctime(inode.birthMs)}`,
    `Misc attributes:      ${misc}`,
    `Encrypted:            ${fs.encryption ? 'yes' : 'no'}`,
  ];
  if (attributes !== null && (attributes.writeAffinityDepth !== 0 || attributes.blockGroupFactor !== 1 || attributes.writeAffinityFailureGroup !== '')) {
    lines.splice(
      7,
      0,
      `Write Affinity Depth: ${attributes.writeAffinityDepth}`,
      `Block group factor:   ${attributes.blockGroupFactor}`,
      `Write affinity failure group(FG) map for copy:${attributes.writeAffinityFailureGroup === '' ? '' : ` ${attributes.writeAffinityFailureGroup}`}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
