/**
 * `mmhealth node show -Y` and `mmhealth cluster show -Y`: component health states and events.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import type { YTable } from './y-format.js';
import { parseGroupedRecords, type ColumnSchema, type YValue } from './y-typed.js';

/**
 * A health status: values seen include `HEALTHY`, `TIPS`, `DEGRADED`, `DEPEND`, `FAILED`, `DISABLED`,
 * `CHECKING`, `STARTING`, `STOPPED`, `SUSPENDED` and `UNKNOWN`; any other value is kept as printed.
 */
export type MmhealthStatus = 'HEALTHY' | 'TIPS' | 'DEGRADED' | 'DEPEND' | 'FAILED' | 'DISABLED' | 'CHECKING' | 'STARTING' | 'STOPPED' | 'SUSPENDED' | 'UNKNOWN' | (string & {});

/** Columns that identify what a state or event is about. */
export interface MmhealthEntity {
  /** Node that reports it. */
  readonly node: string;
  /** Component, e.g. `'GPFS'`, `'NETWORK'`, `'FILESYSTEM'`. */
  readonly component: string;
  /** Entity name, e.g. a node, NIC or file system name. */
  readonly entityname: string;
  /** Entity type, e.g. `'NODE'`, `'NIC'`, `'FILESYSTEM'`. */
  readonly entitytype: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/** The state of one entity (`mmhealth:State:`). */
export interface MmhealthStateRecord extends MmhealthEntity {
  /** Health status. */
  readonly status: MmhealthStatus;
  /** When the status last changed, as printed (decoded). */
  readonly laststatuschange?: string;
  /** When it was last checked, as printed (newest releases). */
  readonly lastcheck?: string;
}

/** One active event (`mmhealth:Event:`). */
export interface MmhealthEventRecord extends MmhealthEntity {
  /** Event name, e.g. `'gpfs_down'`. */
  readonly event: string;
  /** Event arguments as printed (comma-separated). */
  readonly arguments?: string;
  /** Since when the event is active, as printed (decoded). */
  readonly activesince?: string;
  /** Event identifier. */
  readonly identifier?: string;
  /** Whether the event is hidden (`yes`/`no`). */
  readonly ishidden?: boolean | null;
  /** Event message (newer releases, sometimes printed beyond the HEADER). */
  readonly message?: string;
  /** Event type, e.g. `'STATE_CHANGE'`. */
  readonly eventtype?: string;
  /** Severity, e.g. `'WARNING'`, `'TIP'`. */
  readonly severity?: string;
  /** Full identifier (newest releases). */
  readonly fullidentifier?: string;
}

/** One component's counts in `mmhealth cluster show -Y` (`mmhealth:Summary:`). */
export interface MmhealthSummaryRecord {
  /** Component. */
  readonly component: string;
  /** Entity name. */
  readonly entityname: string;
  /** Number of entities. */
  readonly total: number | null;
  /** Entities failed. */
  readonly failed: number | null;
  /** Entities degraded. */
  readonly degraded: number | null;
  /** Entities healthy. */
  readonly healthy: number | null;
  /** Entities in another state. */
  readonly other: number | null;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * The output of `mmhealth ... show -Y`, grouped by record type (`State`, `Event`, `Summary`, first letter
 * lower-cased). Absent record types are empty arrays; rows of others are in `otherRecords`, as strings.
 */
export interface MmhealthReport {
  /** Component states. */
  readonly state: readonly MmhealthStateRecord[];
  /** Active events. */
  readonly event: readonly MmhealthEventRecord[];
  /** Per-component counts (`mmhealth cluster show`). */
  readonly summary: readonly MmhealthSummaryRecord[];
  /** Rows of other record types, as strings, keyed by record type. */
  readonly otherRecords: Readonly<Record<string, readonly Readonly<Record<string, string>>[]>>;
}

/**
 * Reads the output of `mmhealth node show -Y` or `mmhealth cluster show -Y`, grouped by record type.
 *
 * Older releases print `message`, `eventtype` and `severity` on Event rows beyond a HEADER that ends at
 * `ishidden` (and State rows may likewise outgrow theirs); when a HEADER is a prefix of the newest known column
 * list, such extra fields are named after the columns that follow.
 *
 * Raw sample:
 * ```text
 * mmhealth:State:HEADER:version:reserved:reserved:node:component:entityname:entitytype:status:laststatuschange:
 * mmhealth:Event:HEADER:version:reserved:reserved:node:component:entityname:entitytype:event:arguments:activesince:identifier:ishidden:
 * mmhealth:State:0:1:::node1:GPFS:node1:NODE:HEALTHY:2020-01-27 09%3A35%3A21.791895 EST:
 * ```
 *
 * @param text - The command's stdout.
 * @returns The report, or a ParseError when the output has no `mmhealth` HEADER, a row comes before its
 *   HEADER, or a numeric or yes/no column holds something else.
 * @example
 * ```ts
 * const report = parseMmhealth(stdout)._unsafeUnwrap();
 * const failing = report.state.filter((state) => state.status === 'FAILED' || state.status === 'DEGRADED');
 * ```
 */
export function parseMmhealth(text: string): Result<MmhealthReport, ParseError> {
  return parseGroupedRecords<MmhealthReport>(text, 'parseMmhealth', 'mmhealth', _SCHEMAS, _nameExtraFields);
}

// --- Internal helpers ---

const _ENTITY = ['node', 'component', 'entityname', 'entitytype'];

/** The newest column lists known, used to name fields printed beyond an older HEADER. */
const _KNOWN_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  State: [..._ENTITY, 'status', 'laststatuschange', 'lastcheck'],
  Event: [..._ENTITY, 'event', 'arguments', 'activesince', 'identifier', 'ishidden', 'message', 'eventtype', 'severity', 'fullidentifier'],
};

const _SCHEMAS: Readonly<Record<string, ColumnSchema>> = {
  State: { required: [..._ENTITY, 'status'] },
  Event: { required: [..._ENTITY, 'event'], booleans: ['ishidden'] },
  Summary: {
    required: ['component', 'entityname', 'total', 'failed', 'degraded', 'healthy', 'other'],
    integers: ['total', 'failed', 'degraded', 'healthy', 'other'],
  },
};

function _nameExtraFields(table: YTable): void {
  const known = Object.hasOwn(_KNOWN_COLUMNS, table.recordType) ? _KNOWN_COLUMNS[table.recordType] : undefined;
  if (known === undefined || table.columns.length >= known.length) return;
  if (!table.columns.every((name, index) => known[index] === name)) return;
  const following = known.slice(table.columns.length);
  table.rows.forEach((row, index) => {
    const extra = table.extraFields[index] ?? [];
    following.forEach((name, position) => {
      if (position < extra.length) row[name] = extra[position] ?? '';
    });
  });
}
