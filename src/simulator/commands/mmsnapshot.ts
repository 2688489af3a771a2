/**
 * `mmcrsnapshot`, `mmdelsnapshot`, `mmlssnapshot`: global and fileset snapshots.
 *
 * @module
 */
import { createSnapshot, deleteSnapshot } from '../model/snapshots.js';
import type { Fileset, Filesystem, Snapshot } from '../model/types.js';
import { success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { asctime, padRight } from './format.js';
import { deviceOrFailure, isResult, mmFailure, mmUsage, requireMounted } from './mm-common.js';
import { filesetNotFound } from './mmfileset.js';
import { formatYTable } from './y-writer.js';

/** The snapshot commands. */
export const snapshotCommands: CommandTable = {
  mmcrsnapshot: { handler: mmcrsnapshot, family: 'mm', rootOnly: true },
  mmdelsnapshot: { handler: mmdelsnapshot, family: 'mm', rootOnly: true },
  mmlssnapshot: { handler: mmlssnapshot, family: 'mm', rootOnly: true },
};

interface Target {
  readonly fileset: Fileset | null;
  readonly name: string;
}

const CR_USAGE = 'mmcrsnapshot Device [[Fileset]:]Snapshot[,[[Fileset]:]Snapshot]... [-j FilesetName[,FilesetName...]] [--expiration-time yyyy-mm-dd-hh:mm[:ss]]';
const DEL_USAGE = 'mmdelsnapshot Device [[Fileset]:]Snapshot[,[[Fileset]:]Snapshot]... [-j FilesetName[,FilesetName...]] [-N {all | mount | Node[,Node...]}] [--qos QOSClass]';

/** Parses `Device Snapshots [-j Filesets]` into snapshot targets, or the failure to print. */
function targets(context: CommandContext, usage: string): { fs: Filesystem; targets: Target[] } | CommandResult {
  const [device, list, ...rest] = context.args;
  if (device === undefined || list === undefined || device.startsWith('-') || list.startsWith('-')) return mmUsage(context.name, 'Missing arguments.', usage);
  const fs = deviceOrFailure(context, device);
  if (isResult(fs)) return fs;
  let filesetNames: string[] | null = null;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] as string;
    const value = rest[index + 1];
    if ((arg === '-j' || arg === '--expiration-time' || arg === '-N' || arg === '--qos') && value !== undefined) {
      index++;
      if (arg === '-j') filesetNames = value.split(',');
    } else return mmUsage(context.name, `Incorrect option: ${arg}`, usage);
  }
  const result: Target[] = [];
  for (const item of list.split(',')) {
    const colon = item.indexOf(':');
    const prefix = colon >= 0 ? item.slice(0, colon) : '';
    const name = colon >= 0 ? item.slice(colon + 1) : item;
    if (name === '' || name.includes('/') || name === '.' || name === '..' || name.length > 255) return mmUsage(context.name, `Invalid snapshot name: ${item}`, usage);
    const scope = prefix !== '' ? [prefix] : (filesetNames ?? [null]);
    for (const filesetName of scope) {
      if (filesetName === null) {
        result.push({ fileset: null, name });
        continue;
      }
      const fileset = fs.filesets.get(filesetName);
      if (fileset === undefined) return filesetNotFound(context.name, filesetName);
      if (!fileset.independent || fileset.id === 0) return mmFailure(context.name, [`${context.name}: Fileset ${filesetName} is not an independent fileset.`], 22);
      result.push({ fileset, name });
    }
  }
  return { fs, targets: result };
}

function findSnapshot(fs: Filesystem, target: Target): Snapshot | undefined {
  return fs.snapshots.find((snapshot) => snapshot.name === target.name && snapshot.filesetName === (target.fileset?.name ?? null));
}

function mmcrsnapshot(context: CommandContext): CommandResult {
  const parsed = targets(context, CR_USAGE);
  if (isResult(parsed)) return parsed;
  const { fs } = parsed;
  const notMounted = requireMounted(context, fs);
  if (notMounted !== null) return notMounted;
  for (const target of parsed.targets) {
    if (findSnapshot(fs, target) !== undefined) {
      const where = target.fileset === null ? `file system ${fs.device}` : `fileset ${target.fileset.name}`;
      return mmFailure('mmcrsnapshot', [`mmcrsnapshot: Snapshot ${target.name} already exists in ${where}.`], 17);
    }
    if (target.fileset !== null && target.fileset.status !== 'Linked') return mmFailure('mmcrsnapshot', [`mmcrsnapshot: Fileset ${target.fileset.name} is not linked.`], 22);
  }
  let text = '';
  for (const target of parsed.targets) {
    const label = target.fileset === null ? target.name : `${target.fileset.name}:${target.name}`;
    const snapshot = createSnapshot(context.world, fs, target.name, target.fileset);
    text += `Flushing dirty data for snapshot ${label}...\nQuiescing all file system operations.\nSnapshot ${label} created with id ${snapshot.id}.\n`;
  }
  return success(text);
}

function mmdelsnapshot(context: CommandContext): CommandResult {
  const parsed = targets(context, DEL_USAGE);
  if (isResult(parsed)) return parsed;
  const { fs } = parsed;
  const notMounted = requireMounted(context, fs);
  if (notMounted !== null) return notMounted;
  let text = '';
  for (const target of parsed.targets) {
    const snapshot = findSnapshot(fs, target);
    if (snapshot === undefined) {
      const message =
        target.fileset === null
          ? `File system ${fs.device} does not contain a snapshot ${target.name}, rc=2.`
          : `mmdelsnapshot: 6027-2683 Fileset ${target.fileset.name} in file system ${fs.device} does not contain snapshot ${target.name}, err = 2`;
      return mmFailure('mmdelsnapshot', [message], 2, text);
    }
    const label = target.fileset === null ? target.name : `${target.fileset.name}:${target.name}`;
    deleteSnapshot(fs, snapshot, target.fileset);
    text += `Invalidating snapshot files in ${label}...\nDeleting files in snapshot ${label}...\nDelete snapshot ${label} successful.\n`;
  }
  return success(text);
}

const LS_USAGE = 'mmlssnapshot Device [-d [--block-size {BlockSize | auto}]] [-Q] [-s {all | global | [[Fileset]:]Snapshot[,[[Fileset]:]Snapshot...]}] [-j FilesetName[,FilesetName...]] [-Y]';
const LS_COLUMNS = ['filesystemName', 'directory', 'snapID', 'status', 'created', 'quotas', 'data', 'metadata', 'fileset', 'snapType'];

function mmlssnapshot(context: CommandContext): CommandResult {
  const [device, ...rest] = context.args;
  if (device === undefined || device.startsWith('-')) return mmUsage('mmlssnapshot', 'Missing arguments.', LS_USAGE);
  const fs = deviceOrFailure(context, device);
  if (isResult(fs)) return fs;
  let machine = false;
  let filesets: string[] | null = null;
  let selection: string | null = null;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] as string;
    if (arg === '-Y') machine = true;
    else if (arg === '-d' || arg === '-Q') continue;
    else if ((arg === '-j' || arg === '-s' || arg === '--block-size') && rest[index + 1] !== undefined) {
      const value = rest[++index] as string;
      if (arg === '-j') filesets = value.split(',');
      if (arg === '-s') selection = value;
    } else return mmUsage('mmlssnapshot', `Incorrect option: ${arg}`, LS_USAGE);
  }
  for (const name of filesets ?? []) if (!fs.filesets.has(name)) return filesetNotFound('mmlssnapshot', name);
  let snapshots = [...fs.snapshots];
  if (filesets !== null) snapshots = snapshots.filter((snapshot) => snapshot.filesetName !== null && filesets.includes(snapshot.filesetName));
  if (selection === 'global') snapshots = snapshots.filter((snapshot) => snapshot.filesetName === null);
  else if (selection !== null && selection !== 'all') {
    const names = selection.split(',').map((item) => (item.includes(':') ? item.slice(item.indexOf(':') + 1) : item));
    snapshots = snapshots.filter((snapshot) => names.includes(snapshot.name));
  }
  if (snapshots.length === 0) {
    const scope = filesets === null ? `file system ${fs.device}` : `fileset ${filesets.join(',')}`;
    return mmFailure('mmlssnapshot', [`mmlssnapshot: No snapshots in ${scope}.`], 1);
  }
  if (machine) {
    const rows = snapshots.map((snapshot) => [fs.device, snapshot.name, String(snapshot.id), 'Valid', asctime(snapshot.createdMs), '', '0', '0', snapshot.filesetName ?? '', '']);
    return success(formatYTable('mmlssnapshot', '', LS_COLUMNS, rows));
  }
  let text = `Snapshots in file system ${fs.device}:\nDirectory                SnapId    Status  Created                   Fileset\n`;
  for (const snapshot of snapshots)
    text += `${padRight(snapshot.name, 25)}${padRight(snapshot.id, 10)}${padRight('Valid', 8)}${padRight(asctime(snapshot.createdMs), 26)}${snapshot.filesetName ?? ''}`.trimEnd() + '\n';
  return success(text);
}
