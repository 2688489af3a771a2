/**
 * `mmlsconfig [Attribute[,Attribute...]] [-Y]`: cluster configuration.
 *
 * @module
 */
import type { World } from '../model/types.js';
import { failure, success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { mmUsage } from './mm-common.js';
import { formatYTable } from './y-writer.js';

const USAGE = 'mmlsconfig [Attribute[,Attribute...]] [-Y]';

/** The mmlsconfig command. */
export const mmlsconfigCommands: CommandTable = {
  mmlsconfig: { handler: mmlsconfig, family: 'mm', rootOnly: true, needsDaemon: false },
};

/**
 * Configuration attributes in listing order; `listed: false` ones print only when asked for.
 *
 * @param world - The simulated world.
 * @returns Name, value and whether a full listing shows it.
 */
export function configAttributes(world: World): { name: string; value: string; listed: boolean }[] {
  const { cluster } = world;
  return [
    { name: 'clusterName', value: cluster.name, listed: true },
    { name: 'clusterId', value: cluster.id, listed: true },
    { name: 'autoload', value: 'yes', listed: true },
    { name: 'dmapiFileHandleSize', value: '32', listed: true },
    { name: 'minReleaseLevel', value: cluster.minReleaseLevel, listed: true },
    { name: 'ccrEnabled', value: 'yes', listed: true },
    { name: 'cipherList', value: 'AUTHONLY', listed: true },
    { name: 'maxblocksize', value: '16M', listed: true },
    { name: 'adminMode', value: 'central', listed: true },
    { name: 'minreleaseLeveldaemon', value: String(cluster.daemonReleaseLevel), listed: false },
    { name: 'pagepool', value: '1G', listed: false },
    { name: 'maxFilesToCache', value: '4000', listed: false },
  ];
}

function mmlsconfig(context: CommandContext): CommandResult {
  let machine = false;
  const wanted: string[] = [];
  for (const arg of context.args) {
    if (arg === '-Y') machine = true;
    else if (arg.startsWith('-')) return mmUsage('mmlsconfig', `Incorrect option: ${arg}`, USAGE);
    else wanted.push(...arg.split(',').filter((name) => name !== ''));
  }
  const attributes = configAttributes(context.world);
  let selected = attributes.filter((attribute) => attribute.listed);
  if (wanted.length > 0) {
    selected = [];
    for (const name of wanted) {
      const attribute = attributes.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
      if (attribute === undefined) return failure(`mmlsconfig: Attribute ${name} is not defined.\n`, 1);
      selected.push(attribute);
    }
  }
  if (machine) {
    const rows = selected.map((attribute) => [attribute.name, attribute.value, '']);
    return success(formatYTable('mmlsconfig', '', ['configParameter', 'value', 'nodeList'], rows));
  }
  if (wanted.length > 0) return success(selected.map((attribute) => `${attribute.name} ${attribute.value}\n`).join(''));
  const { world } = context;
  const title = `Configuration data for cluster ${world.cluster.name}:`;
  const fsTitle = `File systems in cluster ${world.cluster.name}:`;
  let text = `${title}\n${'-'.repeat(title.length + 2)}\n`;
  text += selected.map((attribute) => `${attribute.name} ${attribute.value}\n`).join('');
  text += `\n${fsTitle}\n${'-'.repeat(fsTitle.length + 2)}\n`;
  text += world.gpfs.map((fs) => `/dev/${fs.device}\n`).join('');
  return success(text);
}
