/**
 * `mmrepquota [-u|-g|-j] <device>|all -Y` and `mmlsquota [-u|-g|-j ...] -Y`: quota usage and limits.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseRecords, type YValue } from './y-typed.js';

/** A quota type: `USR`, `GRP` or `FILESET`; any other value is kept as printed. */
export type QuotaType = 'USR' | 'GRP' | 'FILESET' | (string & {});

/**
 * One quota entry of `mmrepquota -Y` or `mmlsquota -Y`. Block columns are in KiB (with `-Y` GPFS does not
 * accept `--block-size`).
 */
export interface MmrepquotaRecord {
  /** File system device name. */
  readonly filesystemName?: string;
  /** `USR`, `GRP` or `FILESET`. */
  readonly quotaType: QuotaType;
  /** User, group or fileset id. */
  readonly id: number | null;
  /** User, group or fileset name. */
  readonly name: string;
  /** Blocks in use, KiB. */
  readonly blockUsage: number | null;
  /** Soft block limit, KiB (`0`: none). */
  readonly blockQuota: number | null;
  /** Hard block limit, KiB (`0`: none). */
  readonly blockLimit: number | null;
  /** Blocks in doubt, KiB. */
  readonly blockInDoubt?: number | null;
  /** Block grace period as printed: `'none'`, `'2 days'`, `'expired'`, ... */
  readonly blockGrace?: string;
  /** Files in use. */
  readonly filesUsage: number | null;
  /** Soft file limit (`0`: none). */
  readonly filesQuota: number | null;
  /** Hard file limit (`0`: none). */
  readonly filesLimit: number | null;
  /** Files in doubt. */
  readonly filesInDoubt?: number | null;
  /** File grace period as printed. */
  readonly filesGrace?: string;
  /** Remarks: `'i'` (implicit default), `'e'` (explicit), `'N/A'`, ... */
  readonly remarks?: string;
  /** Whether quota is enforced, as printed (`'on'`/`'off'`). */
  readonly quota?: string;
  /** Whether default quota is in effect, as printed (`'on'`/`'off'`). */
  readonly defQuota?: string;
  /** Fileset id of a per-fileset user or group quota; `null` when empty. */
  readonly fid?: number | null;
  /** Fileset name of a per-fileset user or group quota; `''` otherwise. */
  readonly filesetname?: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * Reads the output of `mmrepquota -Y` or `mmlsquota -Y`: one record per quota entry, over every report.
 *
 * The `*** Report for ... quotas on <device>` banners between reports are skipped; each report's HEADER is read
 * again. Tables of both commands are read, whatever their record type.
 *
 * Raw sample:
 * ```text
 * *** Report for FILESET quotas on gpfs0
 * mmrepquota::HEADER:version:reserved:reserved:filesystemName:quotaType:id:name:blockUsage:blockQuota:blockLimit:blockInDoubt:blockGrace:filesUsage:filesQuota:filesLimit:filesInDoubt:filesGrace:remarks:quota:defQuota:fid:filesetname:
 * mmrepquota::0:1:::gpfs0:FILESET:1:vols:341467872:2147483648:2147483648:0:none:6286:2000000:2000000:0:none:e:on:off:::
 * ```
 *
 * @param text - The command's stdout.
 * @returns The entries in output order, or a ParseError when the output has no `mmrepquota` or `mmlsquota`
 *   HEADER, a row comes before its HEADER, or a numeric column holds something else than a number or placeholder.
 * @example
 * ```ts
 * const entries = parseMmrepquota(stdout)._unsafeUnwrap();
 * const overSoftLimit = entries.filter((entry) => entry.blockQuota !== 0 && (entry.blockUsage ?? 0) > (entry.blockQuota ?? 0));
 * ```
 */
export function parseMmrepquota(text: string): Result<MmrepquotaRecord[], ParseError> {
  return parseRecords<MmrepquotaRecord>(
    text,
    'parseMmrepquota',
    ['mmrepquota', 'mmlsquota'],
    {
      required: ['quotaType', 'id', 'name', 'blockUsage', 'blockQuota', 'blockLimit', 'filesUsage', 'filesQuota', 'filesLimit'],
      integers: ['id', 'blockUsage', 'blockQuota', 'blockLimit', 'blockInDoubt', 'filesUsage', 'filesQuota', 'filesLimit', 'filesInDoubt', 'fid'],
    },
    null,
  );
}
