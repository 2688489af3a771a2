/**
 * `mmlspool Device [StoragePool[,StoragePool...] | all] [-L]`: storage pools and their free space.
 *
 * @module
 */
import { usageOf } from '../model/usage.js';
import type { Filesystem, Pool } from '../model/types.js';
import { success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { padLeft, padRight } from './format.js';
import { deviceOrFailure, isResult, mmFailure, mmUsage, requireMounted } from './mm-common.js';

const USAGE = 'mmlspool Device {StoragePool[,StoragePool...] | all} [-L]';
const HEADER = 'Name                    Id   BlkSize Data Meta Total Data in (KB)   Free Data in (KB)   Total Meta in (KB)    Free Meta in (KB)';

/** The mmlspool command. */
export const mmlspoolCommands: CommandTable = {
  mmlspool: { handler: mmlspool, family: 'mm', rootOnly: true },
};

/**
 * Free bytes of a pool: its capacity minus the blocks of files placed in it (the system pool also
 * carries the file system's baseline metadata).
 *
 * @param fs - GPFS file system.
 * @param pool - One of its pools.
 * @returns Free bytes.
 */
export function poolFreeBytes(fs: Filesystem, pool: Pool): number {
  const usage = usageOf(fs);
  const used = (usage.usedByPool.get(pool.name) ?? 0) + (pool.name === 'system' ? fs.baselineUsedBytes : 0);
  return Math.max(0, pool.capacityBytes - used);
}

function mmlspool(context: CommandContext): CommandResult {
  const [device, ...rest] = context.args;
  if (device === undefined || device.startsWith('-')) return mmUsage('mmlspool', 'Missing arguments.', USAGE);
  let long = false;
  let selection: string | null = null;
  for (const arg of rest) {
    if (arg === '-L') long = true;
    else if (arg.startsWith('-')) return mmUsage('mmlspool', `Incorrect option: ${arg}`, USAGE);
    else if (selection === null) selection = arg;
    else return mmUsage('mmlspool', `Unexpected argument: ${arg}`, USAGE);
  }
  const fs = deviceOrFailure(context, device);
  if (isResult(fs)) return fs;
  const notMounted = requireMounted(context, fs);
  if (notMounted !== null) return notMounted;
  let pools: readonly Pool[] = fs.pools;
  if (selection !== null && selection !== 'all') {
    const chosen: Pool[] = [];
    for (const name of selection.split(',')) {
      const pool = fs.pools.find((candidate) => candidate.name === name);
      if (pool === undefined) return mmFailure('mmlspool', [`mmlspool: Storage pool ${name} is not defined in file system ${fs.device}.`], 2);
      chosen.push(pool);
    }
    pools = chosen;
  }
  if (long) return success(pools.map((pool) => longPool(fs, pool)).join('\n'));
  let text = `Storage pools in file system at '${fs.mountPoint}':\n${HEADER}\n`;
  for (const pool of pools) {
    const totalKb = Math.floor(pool.capacityBytes / 1024);
    const freeKb = Math.floor(poolFreeBytes(fs, pool) / 1024);
    const percent = (total: number, free: number): string => `(${padLeft(total === 0 ? 0 : Math.round((free * 100) / total), 3)}%)`;
    const dataTotal = pool.data ? totalKb : 0;
    const dataFree = pool.data ? freeKb : 0;
    const metaTotal = pool.metadata ? totalKb : 0;
    const metaFree = pool.metadata ? freeKb : 0;
    text += `${padRight(pool.name, 20)}${padLeft(pool.id, 6)}${blockSizeText(fs.blockSizeBytes)}${padLeft(pool.data ? 'yes' : 'no', 5)}${padLeft(pool.metadata ? 'yes' : 'no', 5)}`;
    text += `${padLeft(dataTotal, 15)}${padLeft(dataFree, 15)} ${percent(dataTotal, dataFree)}${padLeft(metaTotal, 15)}${padLeft(metaFree, 15)} ${percent(metaTotal, metaFree)}\n`;
  }
  return success(text);
}

function blockSizeText(blockSizeBytes: number): string {
  return blockSizeBytes > 1024 * 1024 ? `${padLeft(blockSizeBytes / 1024 / 1024, 7)} MB` : `${padLeft(blockSizeBytes / 1024, 7)} KB`;
}

function longPool(fs: Filesystem, pool: Pool): string {
  const usage = pool.data && pool.metadata ? 'dataAndMetadata' : pool.data ? 'dataOnly' : 'metadataOnly';
  return [
    'Pool:',
    `  name                   = ${pool.name}`,
    `  poolID                 = ${pool.id}`,
    `  blockSize              = ${blockSizeText(fs.blockSizeBytes).trim()}`,
    `  usage                  = ${usage}`,
    `  maxDiskSize            = ${Math.floor(pool.capacityBytes / 1024 ** 3)} GB`,
    '  layoutMap              = cluster',
    '  allowWriteAffinity     = no',
    '  writeAffinityDepth     = 0',
    '  blockGroupFactor       = 1',
    '',
  ].join('\n');
}
