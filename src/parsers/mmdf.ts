/**
 * `mmdf <device> [-d|-F|-m|-P pool] -Y`: capacity and free space per disk, pool and file system.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseGroupedRecords, type ColumnSchema, type YValue } from './y-typed.js';

/** Free-space columns shared by several `mmdf` record types; sizes in KiB, percentages as whole numbers. */
export interface MmdfFreeSpace {
  /** Free space in full blocks, KiB. */
  readonly freeBlocks: number | null;
  /** Free space in full blocks, percent. */
  readonly freeBlocksPct: number | null;
  /** Free space in fragments, KiB. */
  readonly freeFragments: number | null;
  /** Free space in fragments, percent. */
  readonly freeFragmentsPct: number | null;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/** One disk (`mmdf:nsd:`). */
export interface MmdfNsdRecord extends MmdfFreeSpace {
  /** NSD name. */
  readonly nsdName: string;
  /** Storage pool of the disk. */
  readonly storagePool: string;
  /** Disk size, KiB. */
  readonly diskSize: number | null;
  /** Failure group as printed: a number, or a topology vector such as `1,0,1`. */
  readonly failureGroup: string;
  /** Whether the disk holds metadata (`Yes`/`No`). */
  readonly metadata: boolean | null;
  /** Whether the disk holds data (`Yes`/`No`). */
  readonly data: boolean | null;
  /** Availability for new allocations as printed; `''` in all samples seen. */
  readonly diskAvailableForAlloc?: string;
}

/** One storage pool (`mmdf:poolTotal:`). */
export interface MmdfPoolTotalRecord extends MmdfFreeSpace {
  /** Pool name. */
  readonly poolName: string;
  /** Pool size, KiB. */
  readonly poolSize: number | null;
  /** Largest disk size the pool can take, KiB. */
  readonly maxDiskSize?: number | null;
}

/** Data totals over all pools (`mmdf:data:`). */
export interface MmdfDataRecord extends MmdfFreeSpace {
  /** Total data capacity, KiB. */
  readonly totalData: number | null;
}

/** Metadata totals (`mmdf:metadata:`). */
export interface MmdfMetadataRecord extends MmdfFreeSpace {
  /** Total metadata capacity, KiB. */
  readonly totalMetadata: number | null;
}

/** File system totals (`mmdf:fsTotal:`). */
export interface MmdfFsTotalRecord extends MmdfFreeSpace {
  /** File system size, KiB. */
  readonly fsSize: number | null;
}

/** Inode counts (`mmdf:inode:`). */
export interface MmdfInodeRecord {
  /** Inodes in use. */
  readonly usedInodes: number | null;
  /** Free inodes. */
  readonly freeInodes: number | null;
  /** Allocated inodes. */
  readonly allocatedInodes: number | null;
  /** Maximum number of inodes. */
  readonly maxInodes: number | null;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * The output of `mmdf -Y`, grouped by record type. Record types that were not printed (`metadata`, `inode`
 * are often absent) are empty arrays; rows of record types this version does not know are in `otherRecords`.
 */
export interface MmdfReport {
  /** One record per disk. */
  readonly nsd: readonly MmdfNsdRecord[];
  /** One record per storage pool. */
  readonly poolTotal: readonly MmdfPoolTotalRecord[];
  /** Data totals (usually one record). */
  readonly data: readonly MmdfDataRecord[];
  /** Metadata totals (usually one record, or none). */
  readonly metadata: readonly MmdfMetadataRecord[];
  /** File system totals (usually one record). */
  readonly fsTotal: readonly MmdfFsTotalRecord[];
  /** Inode counts (one record, or none). */
  readonly inode: readonly MmdfInodeRecord[];
  /** Rows of other record types, as strings, keyed by record type. */
  readonly otherRecords: Readonly<Record<string, readonly Readonly<Record<string, string>>[]>>;
}

/**
 * Reads the output of `mmdf -Y`: all of its record types, grouped.
 *
 * Raw sample:
 * ```text
 * mmdf:nsd:HEADER:version:reserved:reserved:nsdName:storagePool:diskSize:failureGroup:metadata:data:freeBlocks:freeBlocksPct:freeFragments:freeFragmentsPct:diskAvailableForAlloc:
 * mmdf:fsTotal:HEADER:version:reserved:reserved:fsSize:freeBlocks:freeBlocksPct:freeFragments:freeFragmentsPct:
 * mmdf:nsd:0:1:::nsd1:system:771751936:300:Yes:No:320274944:41:5005384:1::
 * ```
 *
 * @param text - The command's stdout.
 * @returns The report, or a ParseError when the output has no `mmdf` HEADER, a row comes before its HEADER, or
 *   a numeric or yes/no column holds something else.
 * @example
 * ```ts
 * const report = parseMmdf(stdout)._unsafeUnwrap();
 * const freeKiB = report.fsTotal[0]?.freeBlocks;
 * ```
 */
export function parseMmdf(text: string): Result<MmdfReport, ParseError> {
  return parseGroupedRecords<MmdfReport>(text, 'parseMmdf', 'mmdf', _SCHEMAS);
}

// --- Internal helpers ---

const _FREE = ['freeBlocks', 'freeBlocksPct', 'freeFragments', 'freeFragmentsPct'];

const _SCHEMAS: Readonly<Record<string, ColumnSchema>> = {
  nsd: { required: ['nsdName', 'storagePool', 'diskSize', 'failureGroup', 'metadata', 'data', ..._FREE], integers: ['diskSize', ..._FREE], booleans: ['metadata', 'data'] },
  poolTotal: { required: ['poolName', 'poolSize', ..._FREE], integers: ['poolSize', 'maxDiskSize', ..._FREE] },
  data: { required: ['totalData', ..._FREE], integers: ['totalData', ..._FREE] },
  metadata: { required: ['totalMetadata', ..._FREE], integers: ['totalMetadata', ..._FREE] },
  fsTotal: { required: ['fsSize', ..._FREE], integers: ['fsSize', ..._FREE] },
  inode: { required: ['usedInodes', 'freeInodes', 'allocatedInodes', 'maxInodes'], integers: ['usedInodes', 'freeInodes', 'allocatedInodes', 'maxInodes'] },
};
