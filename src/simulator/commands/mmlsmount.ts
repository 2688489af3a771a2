/**
 * `mmlsmount {Device | all | all_local} [-L] [-Y]`: where file systems are mounted.
 *
 * @module
 */
import type { Filesystem } from '../model/types.js';
import { isMounted, localNode } from '../model/world.js';
import { success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { deviceOrFailure, isResult, mmUsage } from './mm-common.js';
import { formatYTable } from './y-writer.js';

const USAGE = 'mmlsmount {Device | all | all_local | all_remote} [-L] [-C {all | all_remote | ClusterName[,ClusterName...]}] [-Y]';
const COLUMNS = ['localDevName', 'realDevName', 'owningCluster', 'totalNodes', 'nodeIP', 'nodeName', 'clusterName', 'env'];

/** The mmlsmount command. */
export const mmlsmountCommands: CommandTable = {
  mmlsmount: { handler: mmlsmount, family: 'mm', rootOnly: true },
};

function mmlsmount(context: CommandContext): CommandResult {
  const [device, ...rest] = context.args;
  if (device === undefined || device.startsWith('-')) return mmUsage('mmlsmount', 'Missing arguments.', USAGE);
  let long = false;
  let machine = false;
  for (const arg of rest) {
    if (arg === '-L') long = true;
    else if (arg === '-Y') machine = true;
    else return mmUsage('mmlsmount', `Incorrect option: ${arg}`, USAGE);
  }
  let filesystems: Filesystem[];
  if (device === 'all' || device === 'all_local') filesystems = context.world.gpfs;
  else {
    const fs = deviceOrFailure(context, device);
    if (isResult(fs)) return fs;
    filesystems = [fs];
  }
  const node = localNode(context.world);
  const { world } = context;
  if (machine) {
    const rows = filesystems.filter((fs) => isMounted(world, fs)).map((fs) => [fs.device, fs.device, world.cluster.name, '1', `10.0.0.${node.number}`, node.name, world.cluster.name, 'Linux']);
    return success(formatYTable('mmlsmount', '', COLUMNS, rows));
  }
  let text = '';
  for (const fs of filesystems) {
    if (!isMounted(world, fs)) {
      text += `File system ${fs.device} is not mounted.\n`;
      continue;
    }
    text += `File system ${fs.device} is mounted on 1 nodes${long ? ':' : '.'}\n`;
    if (long) text += `  10.0.0.${node.number}     ${node.name}                  ${world.cluster.name}\n`;
  }
  return success(text);
}
