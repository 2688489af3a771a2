/**
 * `mmlsdisk <device> [-d disks] [-L] -Y`: the disks of a file system.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseRecords, type YValue } from './y-typed.js';

/**
 * One disk of `mmlsdisk -Y`.
 */
export interface MmlsdiskRecord {
  /** NSD name. */
  readonly nsdName: string;
  /** Driver type, e.g. `'nsd'`. */
  readonly driverType: string;
  /** Sector size, bytes. */
  readonly sectorSize: number | null;
  /** Failure group as printed: a number, or a topology vector such as `1,0,1`. */
  readonly failureGroup: string;
  /** Whether the disk holds metadata (`yes`/`Yes`/`no`/`No`). */
  readonly metadata: boolean | null;
  /** Whether the disk holds data. */
  readonly data: boolean | null;
  /** Status as printed: `'ready'`, `'suspended'`, `'to be emptied'`, `'being emptied'`, `'emptied'`, `'replacing'`, ... */
  readonly status: string;
  /** Availability as printed: `'up'`, `'down'`, `'recovering'` or `'unrecovered'`. */
  readonly availability: string;
  /** Disk id. */
  readonly diskID: number | null;
  /** Storage pool. */
  readonly storagePool: string;
  /** Remarks; `'desc'` marks a descriptor disk. */
  readonly remarks: string;
  /** Number of quorum disks. */
  readonly numQuorumDisks?: number | null;
  /** Read quorum value. */
  readonly readQuorumValue?: number | null;
  /** Write quorum value. */
  readonly writeQuorumValue?: number | null;
  /** Disk size, KiB. */
  readonly diskSizeKB?: number | null;
  /** Disk UID. */
  readonly diskUID?: string;
  /** Thin disk type; `''` for a thick disk. */
  readonly thinDiskType?: string;
  /** Replica type (newer releases). */
  readonly replicaType?: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * Reads the output of `mmlsdisk -Y`: one record per disk.
 *
 * Raw sample:
 * ```text
 * mmlsdisk::HEADER:version:reserved:reserved:nsdName:driverType:sectorSize:failureGroup:metadata:data:status:availability:diskID:storagePool:remarks:numQuorumDisks:readQuorumValue:writeQuorumValue:diskSizeKB:diskUID:thinDiskType:
 * mmlsdisk::0:1:::nsd1:nsd:512:1:yes:yes:ready:up:1:system:desc:3:2:2:130518089728:C0A82D155E83D23B::
 * mmlsdisk::0:1:::nsd2:nsd:512:2:no:yes:ready:down:2:data::3:2:2:2227566542848:C0A82D155E83D238::
 * ```
 *
 * @param text - The command's stdout.
 * @returns One record per disk, or a ParseError when the output has no `mmlsdisk` HEADER, a row comes before
 *   its HEADER, or a numeric or yes/no column holds something else.
 * @example
 * ```ts
 * const disks = parseMmlsdisk(stdout)._unsafeUnwrap();
 * const unavailable = disks.filter((disk) => disk.availability !== 'up');
 * ```
 */
export function parseMmlsdisk(text: string): Result<MmlsdiskRecord[], ParseError> {
  return parseRecords<MmlsdiskRecord>(text, 'parseMmlsdisk', ['mmlsdisk'], {
    required: ['nsdName', 'driverType', 'sectorSize', 'failureGroup', 'metadata', 'data', 'status', 'availability', 'diskID', 'storagePool', 'remarks'],
    integers: ['sectorSize', 'diskID', 'numQuorumDisks', 'readQuorumValue', 'writeQuorumValue', 'diskSizeKB'],
    booleans: ['metadata', 'data'],
  });
}
