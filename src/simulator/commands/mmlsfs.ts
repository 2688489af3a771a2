/**
 * `mmlsfs {Device | all} [flags...] [-Y]`: file system attributes.
 *
 * @module
 */
import type { Filesystem } from '../model/types.js';
import { success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { asctime, padRight } from './format.js';
import { deviceOrFailure, isResult, mmUsage } from './mm-common.js';
import { formatYTable } from './y-writer.js';

const USAGE =
  'mmlsfs {Device | all | all_local | all_remote} [-A] [-B] [-d] [-D] [-E] [-f] [-i] [-I] [-j] [-k] [-K] [-L] [-m] [-M] [-n] [-o] [-P] [-Q] [-r] [-R] [-S] [-T] [-V] [-z] [--encryption] [--filesetdf] [--inode-limit] [--perfileset-quota] [-Y]';

interface Field {
  readonly flag: string;
  readonly name: string;
  readonly description: string;
  readonly value: (fs: Filesystem) => string;
  readonly encodeSlash?: boolean;
}

const version = (fs: Filesystem): string => fs.formatVersion;

/** Every field in the order `mmlsfs <device>` lists them. */
const FIELDS: readonly Field[] = [
  { flag: '-f', name: 'minFragmentSize', description: 'Minimum fragment (subblock) size in bytes', value: (fs) => String(fs.subblockBytes) },
  { flag: '-i', name: 'inodeSize', description: 'Inode size in bytes', value: () => '4096' },
  { flag: '-I', name: 'indirectBlockSize', description: 'Indirect block size in bytes', value: () => '32768' },
  { flag: '-m', name: 'defaultMetadataReplicas', description: 'Default number of metadata replicas', value: (fs) => String(fs.defaultMetadataReplicas) },
  { flag: '-M', name: 'maxMetadataReplicas', description: 'Maximum number of metadata replicas', value: (fs) => String(fs.maxMetadataReplicas) },
  { flag: '-r', name: 'defaultDataReplicas', description: 'Default number of data replicas', value: (fs) => String(fs.defaultDataReplicas) },
  { flag: '-R', name: 'maxDataReplicas', description: 'Maximum number of data replicas', value: (fs) => String(fs.maxDataReplicas) },
  { flag: '-j', name: 'blockAllocationType', description: 'Block allocation type', value: () => 'scatter' },
  { flag: '-D', name: 'fileLockingSemantics', description: 'File locking semantics in effect', value: () => 'nfs4' },
  { flag: '-k', name: 'ACLSemantics', description: 'ACL semantics in effect', value: () => 'all' },
  { flag: '-n', name: 'numNodes', description: 'Estimated number of nodes that will mount file system', value: () => '32' },
  { flag: '-B', name: 'blockSize', description: 'Block size', value: (fs) => String(fs.blockSizeBytes) },
  { flag: '-Q', name: 'quotasAccountingEnabled', description: 'Quotas accounting enabled', value: () => 'none' },
  { flag: '-Q', name: 'quotasEnforced', description: 'Quotas enforced', value: () => 'none' },
  { flag: '-Q', name: 'defaultQuotasEnabled', description: 'Default quotas enabled', value: () => 'none' },
  { flag: '--perfileset-quota', name: 'perfilesetQuotas', description: 'Per-fileset quota enforcement', value: () => 'No' },
  { flag: '--filesetdf', name: 'filesetdfEnabled', description: 'Fileset df enabled?', value: () => 'No' },
  { flag: '-V', name: 'filesystemVersion', description: 'File system version', value: version },
  { flag: '-V', name: 'filesystemVersionLocal', description: 'Local file system version', value: version },
  { flag: '-V', name: 'filesystemVersionManager', description: 'File system version of the file system manager', value: version },
  { flag: '-V', name: 'filesystemVersionOriginal', description: 'Original file system version', value: version },
  { flag: '-V', name: 'filesystemHighestSupported', description: 'Highest supported file system version', value: version },
  { flag: '--create-time', name: 'create-time', description: 'File system creation time', value: (fs) => asctime(fs.createdMs) },
  { flag: '-z', name: 'DMAPIEnabled', description: 'Is DMAPI enabled?', value: () => 'No' },
  { flag: '-L', name: 'logfileSize', description: 'Logfile size', value: () => '33554432' },
  { flag: '-E', name: 'exactMtime', description: 'Exact mtime mount option', value: () => 'Yes' },
  { flag: '-S', name: 'suppressAtime', description: 'Suppress atime mount option', value: () => 'relatime' },
  { flag: '-K', name: 'strictReplication', description: 'Strict replica allocation option', value: () => 'whenpossible' },
  { flag: '--fastea', name: 'fastEAenabled', description: 'Fast external attributes enabled?', value: () => 'Yes' },
  { flag: '--encryption', name: 'encryption', description: 'Encryption enabled?', value: (fs) => (fs.encryption ? 'Yes' : 'No') },
  { flag: '--inode-limit', name: 'maxNumberOfInodes', description: 'Maximum number of inodes', value: (fs) => String(fs.totalInodes) },
  { flag: '--snapshot-limit', name: 'maxSnapshotId', description: 'Maximum snapshot ID', value: (fs) => String(fs.nextSnapshotId - 1) },
  { flag: '--uid', name: 'UID', description: 'File system UID', value: (fs) => `090B5475:5E4F96${(0x85 + fs.index).toString(16).toUpperCase()}` },
  { flag: '--log-replicas', name: 'logReplicas', description: 'Number of log replicas', value: () => '0' },
  { flag: '--is4KAligned', name: 'is4KAligned', description: 'is4KAligned?', value: () => 'Yes' },
  { flag: '--rapid-repair', name: 'rapidRepairEnabled', description: 'rapidRepair enabled?', value: () => 'Yes' },
  { flag: '--write-cache-threshold', name: 'write-cache-threshold', description: 'HAWC Threshold (max 65536)', value: () => '0' },
  { flag: '--subblocks-per-full-block', name: 'subblocksPerFullBlock', description: 'Number of subblocks per full block', value: (fs) => String(fs.blockSizeBytes / fs.subblockBytes) },
  { flag: '-P', name: 'storagePools', description: 'Disk storage pools in file system', value: (fs) => fs.pools.map((pool) => pool.name).join(';') },
  { flag: '--file-audit-log', name: 'file-audit-log', description: 'File Audit Logging enabled?', value: () => 'No' },
  { flag: '--maintenance-mode', name: 'maintenance-mode', description: 'Maintenance Mode enabled?', value: () => 'No' },
  { flag: '-d', name: 'disks', description: 'Disks in file system', value: (fs) => fs.pools.map((pool, index) => `${fs.device}_nsd${index + 1}`).join(';') },
  { flag: '-A', name: 'automaticMountOption', description: 'Automatic mount option', value: () => 'yes' },
  { flag: '-o', name: 'additionalMountOptions', description: 'Additional mount options', value: () => 'none' },
  { flag: '-T', name: 'defaultMountPoint', description: 'Default mount point', value: (fs) => fs.mountPoint, encodeSlash: true },
  { flag: '--mount-priority', name: 'mountPriority', description: 'Mount priority', value: () => '0' },
];

const FLAGS = new Set(FIELDS.map((field) => field.flag));

/** The mmlsfs command. */
export const mmlsfsCommands: CommandTable = {
  mmlsfs: { handler: mmlsfs, family: 'mm', rootOnly: true },
};

function mmlsfs(context: CommandContext): CommandResult {
  const [device, ...rest] = context.args;
  if (device === undefined || device.startsWith('-')) return mmUsage('mmlsfs', 'Missing arguments.', USAGE);
  let machine = false;
  const flags: string[] = [];
  for (const arg of rest) {
    if (arg === '-Y') machine = true;
    else if (arg === '-a' || arg === '--all') flags.length = 0;
    else if (FLAGS.has(arg)) {
      if (!flags.includes(arg)) flags.push(arg);
    } else return mmUsage('mmlsfs', `Incorrect option: ${arg}`, USAGE);
  }
  let filesystems: Filesystem[];
  if (device === 'all' || device === 'all_local') filesystems = context.world.gpfs;
  else if (device === 'all_remote') filesystems = [];
  else {
    const found = deviceOrFailure(context, device);
    if (isResult(found)) return found;
    filesystems = [found];
  }
  const fields = flags.length === 0 ? FIELDS : flags.flatMap((flag) => FIELDS.filter((field) => field.flag === flag));
  if (machine) {
    const pairs = filesystems.flatMap((fs) => fields.map((field) => ({ fs, field })));
    const rows = pairs.map(({ fs, field }) => [fs.device, field.name, field.value(fs), '']);
    return success(formatYTable('mmlsfs', '', ['deviceName', 'fieldName', 'data', 'remarks'], rows, (index) => (pairs[index]?.field.encodeSlash === true ? { data: '/' } : {})));
  }
  let text = '';
  for (const fs of filesystems) {
    if (filesystems.length > 1 || device === 'all') text += `\nFile system attributes for /dev/${fs.device}:\n${'='.repeat(33 + fs.device.length)}\n`;
    text += 'flag                value                    description\n';
    text += '------------------- ------------------------ -----------------------------------\n';
    let previousFlag = '';
    for (const field of fields) {
      const flagText = field.flag === previousFlag ? '' : ` ${field.flag}`;
      previousFlag = field.flag;
      text += `${padRight(flagText, 20)}${padRight(field.value(fs), 25)}${field.description}\n`;
    }
  }
  return success(text);
}
