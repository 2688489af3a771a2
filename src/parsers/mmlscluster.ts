/**
 * `mmlscluster [--ces|--cnfs|--cloud-gateway] -Y`: the cluster and its nodes.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseGroupedRecords, type ColumnSchema, type YValue } from './y-typed.js';

/** The cluster summary (`mmlscluster:clusterSummary:`). */
export interface MmlsclusterSummaryRecord {
  /** Cluster name, e.g. `'gpfs-sim.example.com'`. */
  readonly clusterName: string;
  /** Cluster id as printed: a 64-bit number, too large for a JavaScript number, so a string. */
  readonly clusterId: string;
  /** UID domain. */
  readonly uidDomain?: string;
  /** Remote shell command, e.g. `'/usr/bin/ssh'`. */
  readonly rshPath?: string;
  /** Remote file copy command, e.g. `'/usr/bin/scp'`. */
  readonly rcpPath?: string;
  /** Repository type, e.g. `'CCR'`. */
  readonly repositoryType?: string;
  /** Primary configuration server (without CCR). */
  readonly primaryServer?: string;
  /** Secondary configuration server (without CCR). */
  readonly secondaryServer?: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/** One node of the cluster (`mmlscluster:clusterNode:`). */
export interface MmlsclusterNodeRecord {
  /** GPFS node number. */
  readonly nodeNumber: number | null;
  /** Daemon node name. */
  readonly daemonNodeName: string;
  /** IP address of the daemon interface. */
  readonly ipAddress: string;
  /** Admin node name. */
  readonly adminNodeName: string;
  /** `'quorumManager'`, `'quorum'`, `'manager'` or `''`. */
  readonly designation: string;
  /** Other roles as a comma-separated list of letters, e.g. `'Z'`. */
  readonly otherNodeRoles?: string;
  /** Admin login name. */
  readonly adminLoginName?: string;
  /** Other roles by name, e.g. `'perfmon'`. */
  readonly otherNodeRolesAlias?: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/** A protocol node (`cesNode`, `cnfsNode`, `cloudGatewayNode`): its number, name and other columns as printed. */
export interface MmlsclusterProtocolNodeRecord {
  /** GPFS node number. */
  readonly nodeNumber: number | null;
  /** Daemon node name. */
  readonly daemonNodeName: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * The output of `mmlscluster -Y`, grouped by record type. HEADER lines of every record type are printed even
 * when there is no data; absent record types are empty arrays. Rows of other record types (`cnfsSummary`,
 * `cesSummary`, ...) are in `otherRecords`, as strings.
 */
export interface MmlsclusterReport {
  /** The cluster summary (one record). */
  readonly clusterSummary: readonly MmlsclusterSummaryRecord[];
  /** One record per node. */
  readonly clusterNode: readonly MmlsclusterNodeRecord[];
  /** CES protocol nodes (with `--ces`). */
  readonly cesNode: readonly MmlsclusterProtocolNodeRecord[];
  /** CNFS nodes (with `--cnfs`). */
  readonly cnfsNode: readonly MmlsclusterProtocolNodeRecord[];
  /** Cloud gateway nodes (with `--cloud-gateway`). */
  readonly cloudGatewayNode: readonly MmlsclusterProtocolNodeRecord[];
  /** Rows of other record types, as strings, keyed by record type. */
  readonly otherRecords: Readonly<Record<string, readonly Readonly<Record<string, string>>[]>>;
}

/**
 * Reads the output of `mmlscluster -Y`: the cluster summary and the nodes, grouped by record type.
 *
 * Raw sample:
 * ```text
 * mmlscluster:clusterSummary:HEADER:version:reserved:reserved:clusterName:clusterId:uidDomain:rshPath:rshSudoWrapper:rcpPath:rcpSudoWrapper:repositoryType:primaryServer:secondaryServer:
 * mmlscluster:clusterNode:HEADER:version:reserved:reserved:nodeNumber:daemonNodeName:ipAddress:adminNodeName:designation:otherNodeRoles:adminLoginName:otherNodeRolesAlias:
 * mmlscluster:clusterNode:0:1:::1:node1.example.com:10.0.0.1:node1.example.com:quorumManager:Z::perfmon:
 * ```
 *
 * @param text - The command's stdout.
 * @returns The report, or a ParseError when the output has no `mmlscluster` HEADER, a row comes before its
 *   HEADER, or a node number is not a number.
 * @example
 * ```ts
 * const report = parseMmlscluster(stdout)._unsafeUnwrap();
 * const quorumNodes = report.clusterNode.filter((node) => node.designation.startsWith('quorum'));
 * ```
 */
export function parseMmlscluster(text: string): Result<MmlsclusterReport, ParseError> {
  return parseGroupedRecords<MmlsclusterReport>(text, 'parseMmlscluster', 'mmlscluster', _SCHEMAS);
}

// --- Internal helpers ---

const _PROTOCOL_NODE: ColumnSchema = { required: ['nodeNumber', 'daemonNodeName'], integers: ['nodeNumber'] };

const _SCHEMAS: Readonly<Record<string, ColumnSchema>> = {
  clusterSummary: { required: ['clusterName', 'clusterId'] },
  clusterNode: { required: ['nodeNumber', 'daemonNodeName', 'ipAddress', 'adminNodeName', 'designation'], integers: ['nodeNumber'] },
  cesNode: _PROTOCOL_NODE,
  cnfsNode: _PROTOCOL_NODE,
  cloudGatewayNode: _PROTOCOL_NODE,
};
