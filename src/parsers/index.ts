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
export { parseNulSeparated, parseFileListing, formatFileListing, type FileListingEntry, type FileTypeLetter } from './listings.js';
export { parseStatFilesystemIds, parseStatFilesystemCapacity, type StatFilesystemCapacity } from './stat.js';
export { parseMachineReadable, formatMachineReadable, machineReadableRowKeys, type YTable, type YTableInput, type FormatMachineReadableOptions } from './y-format.js';
export { decodeMachineReadableField, encodeMachineReadableField } from './y-encoding.js';
export { MACHINE_READABLE_PLACEHOLDERS, type YValue } from './y-typed.js';
export { parseMmgetstate, type MmgetstateRecord, type MmgetstateState } from './mmgetstate.js';
export { parseMmlsconfig, type MmlsconfigEntry } from './mmlsconfig.js';
export { parseMmlsfs, parseFilesystemFormatVersion, type MmlsfsRecord, type FilesystemFormatVersion } from './mmlsfs.js';
export { parseMmlsfileset, type MmlsfilesetRecord, type MmlsfilesetStatus } from './mmlsfileset.js';
export { parseMmlssnapshot, type MmlssnapshotRecord } from './mmlssnapshot.js';
export {
  parseMmdf,
  type MmdfReport,
  type MmdfFreeSpace,
  type MmdfNsdRecord,
  type MmdfPoolTotalRecord,
  type MmdfDataRecord,
  type MmdfMetadataRecord,
  type MmdfFsTotalRecord,
  type MmdfInodeRecord,
} from './mmdf.js';
export { parseMmrepquota, type MmrepquotaRecord, type QuotaType } from './mmrepquota.js';
export { parseMmlscluster, type MmlsclusterReport, type MmlsclusterSummaryRecord, type MmlsclusterNodeRecord, type MmlsclusterProtocolNodeRecord } from './mmlscluster.js';
export { parseMmlsmount, type MmlsmountRecord } from './mmlsmount.js';
export { parseMmhealth, type MmhealthReport, type MmhealthStatus, type MmhealthEntity, type MmhealthStateRecord, type MmhealthEventRecord, type MmhealthSummaryRecord } from './mmhealth.js';
export { parseMmlsdisk, type MmlsdiskRecord } from './mmlsdisk.js';
