/**
 * `mmlsfileset <device> [fileset|-J path] [-L] [-d] [-i] -Y`: filesets of a file system.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseRecords, type YValue } from './y-typed.js';

/** A fileset status: `Linked`, `Unlinked` or `Deleted` as seen; any other value is kept as printed. */
export type MmlsfilesetStatus = 'Linked' | 'Unlinked' | 'Deleted' | (string & {});

/**
 * One fileset of `mmlsfileset -Y`. The many AFM columns, and columns newer releases add, are kept as strings
 * under their HEADER names (the second `reserved` column is `reserved_2`).
 */
export interface MmlsfilesetRecord {
  /** File system device name. */
  readonly filesystemName: string;
  /** Fileset name, e.g. `'root'`, `'cinder-vols'`. */
  readonly filesetName: string;
  /** Fileset id. */
  readonly id: number | null;
  /** Inode number of the fileset's root directory. */
  readonly rootInode: number | null;
  /** `Linked`, `Unlinked` or `Deleted`. */
  readonly status: MmlsfilesetStatus;
  /** Junction path, decoded (`/gpfs0/vols`); `'--'` for an unlinked fileset. */
  readonly path: string;
  /** Id of the parent fileset; `null` for the root fileset (`--`). */
  readonly parentId: number | null;
  /** Creation time as printed (decoded), e.g. `'Wed May 18 10:41:35 2016'`. */
  readonly created: string;
  /** Inode count (with `-i`), or `null` (`-`). */
  readonly inodes: number | null;
  /** Data in KiB (with `-d`), or `null` (`-`). */
  readonly dataInKB: number | null;
  /** Comment; `''` when there is none. */
  readonly comment: string;
  /** Fileset mode, e.g. `'off'`. */
  readonly filesetMode?: string;
  /** Inode space number. */
  readonly inodeSpace?: number | null;
  /** Whether the fileset owns its inode space (an independent fileset); from `1`/`0`. */
  readonly isInodeSpaceOwner?: boolean | null;
  /** Maximum number of inodes. */
  readonly maxInodes?: number | null;
  /** Number of allocated inodes. */
  readonly allocInodes?: number | null;
  /** Inode space mask. */
  readonly inodeSpaceMask?: number | null;
  /** Snapshot id. */
  readonly snapId?: number | null;
  /** Number of free inodes. */
  readonly freeInodes?: number | null;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * Reads the output of `mmlsfileset -Y`: one record per fileset.
 *
 * Rows longer than the HEADER (recent releases print extra `-` fields) and shorter ones are accepted; junction
 * paths and creation times are decoded (`%2F`, `%3A`, and `%2D%2D` for an unlinked fileset's path).
 *
 * Raw sample:
 * ```text
 * mmlsfileset::HEADER:version:reserved:reserved:filesystemName:filesetName:id:rootInode:status:path:parentId:created:inodes:dataInKB:comment:
 * mmlsfileset::0:1:::gpfs0:root:0:3:Linked:%2Fgpfs0:--:Wed May 18 10%3A41%3A35 2016:-:-:root fileset:
 * mmlsfileset::0:1:::gpfs0:cinder-vols:1:524291:Linked:%2Fgpfs0%2Fvols:0:Tue Jun 28 07%3A08%3A46 2016:-:-::
 * ```
 *
 * @param text - The command's stdout.
 * @returns One record per fileset, or a ParseError when the output has no `mmlsfileset` HEADER, a row comes
 *   before its HEADER, or a numeric column holds something else than a number or a placeholder.
 * @example
 * ```ts
 * const filesets = parseMmlsfileset(stdout)._unsafeUnwrap();
 * const vols = filesets.find((fileset) => fileset.filesetName === 'cinder-vols');
 * ```
 */
export function parseMmlsfileset(text: string): Result<MmlsfilesetRecord[], ParseError> {
  return parseRecords<MmlsfilesetRecord>(text, 'parseMmlsfileset', ['mmlsfileset'], {
    required: ['filesystemName', 'filesetName', 'id', 'rootInode', 'status', 'path', 'parentId', 'created', 'inodes', 'dataInKB', 'comment'],
    integers: ['id', 'rootInode', 'parentId', 'inodes', 'dataInKB', 'inodeSpace', 'maxInodes', 'allocInodes', 'inodeSpaceMask', 'snapId', 'freeInodes'],
    booleans: ['isInodeSpaceOwner'],
  });
}
