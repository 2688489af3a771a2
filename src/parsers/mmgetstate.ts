/**
 * `mmgetstate -Y`: the GPFS daemon state of one node or, with `-a`, of every node.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseRecords, type YValue } from './y-typed.js';

/**
 * A GPFS daemon state. IBM documents `active`, `arbitrating`, `down`, `unknown` and (5.0.3+) `unresponsive`;
 * any other value is kept as printed.
 */
export type MmgetstateState = 'active' | 'arbitrating' | 'down' | 'unknown' | 'unresponsive' | (string & {});

/**
 * One node's row of `mmgetstate -Y`. Columns that newer releases add are kept as strings.
 */
export interface MmgetstateRecord {
  /** Node name, e.g. `'node1.example.com'`. */
  readonly nodeName: string;
  /** GPFS node number, or `null` for a placeholder. */
  readonly nodeNumber: number | null;
  /** Daemon state as printed; only `'active'` means ready for operations. */
  readonly state: MmgetstateState;
  /** Quorum as printed: a number of quorum nodes, or with a marker such as `1*`. */
  readonly quorum: string;
  /** Number of nodes up, or `null` for a placeholder. */
  readonly nodesUp: number | null;
  /** Number of nodes in the cluster, or `null` for a placeholder. */
  readonly totalNodes: number | null;
  /** Remarks such as `'quorum node'`; `''` when there are none. */
  readonly remarks: string;
  /** CNFS state, e.g. `'(undefined)'`, where printed. */
  readonly cnfsState?: string;
  /** Short daemon node name (newer releases). */
  readonly daemonShortName?: string;
  /** Daemon node name (newest releases). */
  readonly daemonNodeName?: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * Reads the output of `mmgetstate -Y` (one node, `-a` or `-N`): one record per node.
 *
 * Raw sample:
 * ```text
 * mmgetstate::HEADER:version:reserved:reserved:nodeName:nodeNumber:state:quorum:nodesUp:totalNodes:remarks:cnfsState:
 * mmgetstate::0:1:::node1:1:active:1*:2:2:quorum node:(undefined):
 * mmgetstate::0:1:::node2:2:down:1*:2:2:quorum node:(undefined):
 * ```
 *
 * @param text - The command's stdout.
 * @returns One record per node, or a ParseError when the output has no `mmgetstate` HEADER, a row comes before
 *   its HEADER, or a numeric column holds something else than a number or a placeholder.
 * @example
 * ```ts
 * const nodes = parseMmgetstate(stdout);
 * if (nodes.isOk() && nodes.value.every((node) => node.state === 'active')) console.log('cluster up');
 * ```
 */
export function parseMmgetstate(text: string): Result<MmgetstateRecord[], ParseError> {
  return parseRecords<MmgetstateRecord>(text, 'parseMmgetstate', ['mmgetstate'], {
    required: ['nodeName', 'nodeNumber', 'state', 'quorum', 'nodesUp', 'totalNodes', 'remarks'],
    integers: ['nodeNumber', 'nodesUp', 'totalNodes'],
  });
}
