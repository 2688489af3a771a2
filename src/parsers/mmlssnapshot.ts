/**
 * `mmlssnapshot <device> [-s all] [-d] [-j fileset] -Y`: snapshots of a file system.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseRecords, type YValue } from './y-typed.js';

/**
 * One snapshot of `mmlssnapshot -Y`.
 */
export interface MmlssnapshotRecord {
  /** File system device name. */
  readonly filesystemName: string;
  /** Snapshot name (its directory under `.snapshots`). */
  readonly directory: string;
  /** Snapshot id. */
  readonly snapID: number | null;
  /** Status as printed, e.g. `'Valid'`, `'DeleteRequired'`. */
  readonly status: string;
  /** Creation time as printed (decoded), e.g. `'Sun Nov 15 02:47:48 2020'`. */
  readonly created: string;
  /** Quotas column as printed; usually `''`. */
  readonly quotas?: string;
  /** Data in KiB (with `-d`; `0` otherwise), or `null` for a placeholder. */
  readonly data?: number | null;
  /** Metadata in KiB (with `-d`; `0` otherwise), or `null` for a placeholder. */
  readonly metadata?: number | null;
  /** Fileset of a fileset snapshot; `''` for a global snapshot. */
  readonly fileset?: string;
  /** Snapshot type, where printed. */
  readonly snapType?: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * Reads the output of `mmlssnapshot -Y`: one record per snapshot.
 *
 * A file system with no snapshots makes the command fail with `No snapshots in file system` rather than print
 * an empty table; that output has no HEADER and gives a ParseError, so check the exit code and stderr first.
 *
 * Raw sample:
 * ```text
 * mmlssnapshot::HEADER:version:reserved:reserved:filesystemName:directory:snapID:status:created:quotas:data:metadata:fileset:snapType:
 * mmlssnapshot::0:1:::gpfs0:nightly:16337:Valid:Sun Nov 15 02%3A47%3A48 2020::0:0:vols::
 * mmlssnapshot::0:1:::gpfs0:weekly:27107:Valid:Wed Jan 20 00%3A30%3A02 2021::0:0:::
 * ```
 *
 * @param text - The command's stdout.
 * @returns One record per snapshot, or a ParseError when the output has no `mmlssnapshot` HEADER, a row comes
 *   before its HEADER, or a numeric column holds something else than a number or a placeholder.
 * @example
 * ```ts
 * const snapshots = parseMmlssnapshot(stdout);
 * const names = snapshots.map((records) => records.map((snapshot) => snapshot.directory));
 * ```
 */
export function parseMmlssnapshot(text: string): Result<MmlssnapshotRecord[], ParseError> {
  return parseRecords<MmlssnapshotRecord>(text, 'parseMmlssnapshot', ['mmlssnapshot'], {
    required: ['filesystemName', 'directory', 'snapID', 'status', 'created'],
    integers: ['snapID', 'data', 'metadata'],
  });
}
