/**
 * `mmgetstate [-L] [-s] [-v] [-Y] [-a | -N Node[,Node...]]`: daemon state per node.
 *
 * @module
 */
import type { ClusterNode } from '../model/types.js';
import { localNode } from '../model/world.js';
import { success, type CommandContext, type CommandResult, type CommandTable } from './context.js';
import { padLeft, padRight } from './format.js';
import { mmFailure, mmUsage } from './mm-common.js';
import { formatYTable } from './y-writer.js';

const USAGE = 'mmgetstate [-L] [-s] [-v] [-Y] [-a | -N {Node[,Node...] | NodeFile | NodeClass}]';
const COLUMNS = ['nodeName', 'nodeNumber', 'state', 'quorum', 'nodesUp', 'totalNodes', 'remarks', 'cnfsState'];

/** The mmgetstate command. */
export const mmgetstateCommands: CommandTable = {
  mmgetstate: { handler: mmgetstate, family: 'mm', rootOnly: true, needsDaemon: false },
};

function mmgetstate(context: CommandContext): CommandResult {
  const { world } = context;
  let machine = false;
  let long = false;
  let all = false;
  let named: string[] | null = null;
  for (let index = 0; index < context.args.length; index++) {
    const arg = context.args[index] as string;
    if (arg === '-Y') machine = true;
    else if (arg === '-L') long = true;
    else if (arg === '-a') all = true;
    else if (arg === '-s' || arg === '-v') continue;
    else if (arg === '-N') {
      const value = context.args[++index];
      if (value === undefined) return mmUsage('mmgetstate', 'Missing argument for the -N option.', USAGE);
      named = value.split(',').filter((name) => name !== '');
    } else return mmUsage('mmgetstate', `Incorrect option: ${arg}`, USAGE);
  }
  if (all && named !== null) return mmUsage('mmgetstate', 'The -a and -N options are mutually exclusive.', USAGE);
  const nodes = world.cluster.nodes;
  let selected: ClusterNode[];
  if (all || (named !== null && named.includes('all'))) selected = nodes;
  else if (named !== null) {
    selected = [];
    for (const name of named) {
      const node = nodes.find((candidate) => candidate.name === name || String(candidate.number) === name);
      if (node === undefined) return mmFailure('mmgetstate', [`mmgetstate: 6027-1554 Node ${name} does not belong to the GPFS cluster.`]);
      selected.push(node);
    }
  } else selected = [localNode(world)];
  const quorumNodes = nodes.filter((node) => node.quorum).length;
  const quorum = Math.floor(quorumNodes / 2) + 1;
  const nodesUp = nodes.filter((node) => node.state === 'active').length;
  if (machine) {
    const rows = selected.map((node) => [node.name, String(node.number), node.state, String(quorum), String(nodesUp), String(nodes.length), node.quorum ? 'quorum node' : '', '(undefined)']);
    return success(formatYTable('mmgetstate', '', COLUMNS, rows));
  }
  if (long) {
    let text = '\n Node number  Node name       Quorum  Nodes up  Total nodes  GPFS state    Remarks\n';
    text += '-------------------------------------------------------------------------------------\n';
    for (const node of selected) {
      text +=
        `${padLeft(node.number, 8)}      ${padRight(node.name, 16)}${padLeft(quorum, 4)}${padLeft(nodesUp, 10)}${padLeft(nodes.length, 13)}       ${padRight(node.state, 14)}${node.quorum ? 'quorum node' : ''}`.trimEnd() +
        '\n';
    }
    return success(text);
  }
  let text = '\n Node number  Node name        GPFS state\n-------------------------------------------\n';
  for (const node of selected) text += `${padLeft(node.number, 8)}      ${padRight(node.name, 17)}${node.state}\n`;
  return success(text);
}
