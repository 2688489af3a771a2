/**
 * `mmlsmount <device>|all [-L] -Y`: where file systems are mounted.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseRecords, type YValue } from './y-typed.js';

/**
 * One row of `mmlsmount -Y`: a file system and (with `-L`) one node that mounts it.
 *
 * IBM does not document this HEADER and no verbatim one was found; only `realDevName` is confirmed (IBM's
 * install toolkit reads it). The other names below are inferred from a data row and are optional: whatever
 * the HEADER prints is kept under its own name.
 */
export interface MmlsmountRecord {
  /** Local device name of the file system. */
  readonly localDevName?: string;
  /** Device name in the owning cluster. */
  readonly realDevName?: string;
  /** Cluster that owns the file system. */
  readonly owningCluster?: string;
  /** Number of nodes that mount it. */
  readonly totalNodes?: number | null;
  /** IP address of the mounting node (with `-L`). */
  readonly nodeIP?: string;
  /** Name of the mounting node (with `-L`). */
  readonly nodeName?: string;
  /** Cluster of the mounting node (with `-L`). */
  readonly clusterName?: string;
  /** Mount mode, e.g. `'RW'` or `'RO'` (with `-L`). */
  readonly env?: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * Reads the output of `mmlsmount -Y`: one record per row, columns named by the HEADER.
 *
 * Raw sample:
 * ```text
 * mmlsmount::HEADER:version:reserved:reserved:localDevName:realDevName:owningCluster:totalNodes:nodeIP:nodeName:clusterName:env:
 * mmlsmount::0:1:::gpfs0:gpfs0:gpfs-sim.example.com:2:10.0.0.1:node1:gpfs-sim.example.com:RW:
 * mmlsmount::0:1:::gpfs0:gpfs0:gpfs-sim.example.com:2:10.0.0.2:node2:gpfs-sim.example.com:RW:
 * ```
 *
 * @param text - The command's stdout.
 * @returns The records, or a ParseError when the output has no `mmlsmount` HEADER, a row comes before its
 *   HEADER, or `totalNodes` holds something else than a number or a placeholder.
 * @example
 * ```ts
 * const mounts = parseMmlsmount(stdout)._unsafeUnwrap();
 * const mountedRw = mounts.some((mount) => mount.realDevName === 'gpfs0' && mount.env === 'RW');
 * ```
 */
export function parseMmlsmount(text: string): Result<MmlsmountRecord[], ParseError> {
  return parseRecords<MmlsmountRecord>(text, 'parseMmlsmount', ['mmlsmount'], { required: [], integers: ['totalNodes'] });
}
