/**
 * `mmlsfs <device>|all [-V|-T|--encryption|...] -Y`: file system attributes, and the format version they report.
 *
 * @module
 */
import { ok, type Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { failParse } from './parse-error.js';
import { parseRecords, type YValue } from './y-typed.js';

/**
 * One attribute of one file system in `mmlsfs -Y`.
 */
export interface MmlsfsRecord {
  /** File system device name, e.g. `'gpfs0'`. */
  readonly deviceName: string;
  /** Attribute name as printed, e.g. `'blockSize'`, `'filesystemVersion'`, `'create-time'`. */
  readonly fieldName: string;
  /** Value as printed (decoded), e.g. `'4194304'`, `'22.00 (5.0.4.0)'`, `'/gpfs0'`. */
  readonly data: string;
  /** Remarks; `''` when there are none. */
  readonly remarks: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * A file system format version such as `13.23 (3.5.0.7)`.
 */
export interface FilesystemFormatVersion {
  /** Part before the dot: `13`. */
  readonly major: number;
  /** The two digits after the dot: `23`. */
  readonly minor: number;
  /** `major * 100 + minor` in integer arithmetic: `1323` (Cinder compares it with `1200` for clone support). */
  readonly level: number;
  /** The release in parentheses, `'3.5.0.7'`, or `null` when none is printed. */
  readonly release: string | null;
}

/**
 * Reads the output of `mmlsfs -Y` (one device or `all`, any attribute flags): one record per attribute and device.
 *
 * Values stay strings as printed (decoded: `create-time`, `UID` and `defaultMountPoint` are percent-encoded by
 * GPFS); read a format version with {@link parseFilesystemFormatVersion}.
 *
 * Raw sample:
 * ```text
 * mmlsfs::HEADER:version:reserved:reserved:deviceName:fieldName:data:remarks:
 * mmlsfs::0:1:::gpfs0:filesystemVersion:22.00 (5.0.4.0)::
 * mmlsfs::0:1:::gpfs0:defaultMountPoint:%2Fgpfs0::
 * ```
 *
 * @param text - The command's stdout.
 * @returns The records in output order, or a ParseError when the output has no `mmlsfs` HEADER or a row comes
 *   before its HEADER.
 * @example
 * ```ts
 * const records = parseMmlsfs(stdout)._unsafeUnwrap();
 * const version = records.find((record) => record.fieldName === 'filesystemVersion')?.data;
 * ```
 */
export function parseMmlsfs(text: string): Result<MmlsfsRecord[], ParseError> {
  return parseRecords<MmlsfsRecord>(text, 'parseMmlsfs', ['mmlsfs'], { required: ['deviceName', 'fieldName', 'data', 'remarks'] });
}

/**
 * Reads a file system format version as `mmlsfs -V` prints it, with integer arithmetic.
 *
 * `'16.06 (4.2.2.0)'` gives level `1606` (the seed's `int(float('16.06') * 100)` gives `1605`). The minor part
 * must have exactly two digits; the release in parentheses is optional.
 *
 * Raw sample (the `data` column of `mmlsfs <device> -V -Y`):
 * ```text
 * mmlsfs::HEADER:version:reserved:reserved:deviceName:fieldName:data:remarks:
 * mmlsfs::0:1:::gpfs0:filesystemVersion:13.23 (3.5.0.7)::
 * mmlsfs::0:1:::gpfs0:filesystemVersionLocal:13.23 (3.5.0.7)::
 * ```
 *
 * @param text - The version text, e.g. `'13.23 (3.5.0.7)'`.
 * @returns The version, or a ParseError when the text is not `NN.NN` with an optional `(release)`.
 * @example
 * ```ts
 * parseFilesystemFormatVersion('13.23 (3.5.0.7)'); // Ok({ major: 13, minor: 23, level: 1323, release: '3.5.0.7' })
 * ```
 */
export function parseFilesystemFormatVersion(text: string): Result<FilesystemFormatVersion, ParseError> {
  const match = _FORMAT_VERSION.exec(text);
  if (match === null || match[3]?.trim() === '') {
    return failParse('parseFilesystemFormatVersion', 'expected a format version like 13.23 (3.5.0.7)', 1, text);
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return ok({ major, minor, level: major * 100 + minor, release: match[3]?.trim() ?? null });
}

// --- Internal helpers ---

const _FORMAT_VERSION = /^\s*(\d{1,6})\.(\d{2})(?:\s*\(([^()]*)\))?\s*$/;
