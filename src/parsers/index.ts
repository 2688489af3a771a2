/**
 * Barrel of the parsers area: explicit named exports only.
 *
 * @module
 */
export {};
export { parseMmlsattr, type MmlsattrRecord, type Replication } from './mmlsattr.js';
export { parseMmlsattrReplication, type MmlsattrReplicationRow } from './mmlsattr-replication.js';
export { parseMmcloneShow, formatMmcloneShow, type MmcloneShowRow } from './mmclone.js';
export { parseMmlspool, type MmlspoolOutput, type MmlspoolPool } from './mmlspool.js';
export { parseDf, type DfRow } from './df.js';
export { parseQemuImgInfo, type QemuImgInfo } from './qemu-img.js';
export {
  parseNulSeparated,
  parseFileListing,
  formatFileListing,
  type FileListingEntry,
  type FileTypeLetter,
} from './listings.js';
export {
  parseStatFilesystemIds,
  parseStatFilesystemCapacity,
  type StatFilesystemCapacity,
} from './stat.js';
