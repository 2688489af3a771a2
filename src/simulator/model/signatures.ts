/**
 * On-disk signatures the simulator writes and recognises inside file content: file systems made by
 * mkfs and mkswap (at the offsets blkid reads), and qcow2 image headers.
 *
 * @module
 */
import { readRange, LOST_BLOCK, writeBytes, writeZeros } from './content.js';
import type { Inode } from './types.js';

/** A file system found in a file's first blocks. */
export interface FilesystemSignature {
  /** blkid's TYPE: `ext4`, `xfs`, `vfat`, `swap`, `btrfs`, ... */
  readonly type: string;
  /** The label (`''` when none). */
  readonly label: string;
}

/** File system types mkfs can make in the simulator. */
export const MKFS_TYPES = ['ext2', 'ext3', 'ext4', 'xfs', 'vfat', 'fat', 'msdos', 'btrfs'] as const;

/** Where the simulator puts guest data inside a qcow2 file (after header, L1 and refcount clusters). */
export const QCOW2_DATA_OFFSET = 262_144;

const SCAN_BYTES = 0x10200 + 256;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes a file system signature as mkfs or mkswap would: the first 128 KiB are cleared, then the
 * superblock magic and label are written where blkid looks for them.
 *
 * @param inode - A writable regular file.
 * @param type - File system type (`swap` for mkswap).
 * @param label - Label (already truncated to the type's limit).
 */
export function writeFilesystemSignature(inode: Inode, type: string, label: string): void {
  const size = inode.sizeBytes;
  writeZeros(inode, 0, Math.min(size, 0x20000));
  const put = (offset: number, bytes: Uint8Array): void => {
    if (offset + bytes.length <= size) writeBytes(inode, offset, bytes);
  };
  const text = (value: string, length: number): Uint8Array => {
    const bytes = new Uint8Array(length);
    bytes.set(encoder.encode(value).subarray(0, length));
    return bytes;
  };
  const u32 = (value: number): Uint8Array => new Uint8Array([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff]);
  switch (type) {
    case 'ext2':
    case 'ext3':
    case 'ext4':
      put(1080, new Uint8Array([0x53, 0xef]));
      put(1116, u32(type === 'ext2' ? 0 : 0x4));
      put(1120, u32(type === 'ext4' ? 0x2c2 : 0x2));
      put(1144, text(label, 16));
      break;
    case 'xfs':
      put(0, encoder.encode('XFSB'));
      put(108, text(label, 12));
      break;
    case 'vfat':
    case 'fat':
    case 'msdos':
      put(0, new Uint8Array([0xeb, 0x58, 0x90]));
      put(3, encoder.encode('mkfs.fat'));
      put(71, text(label === '' ? 'NO NAME' : label.toUpperCase(), 11));
      put(82, encoder.encode('FAT32   '));
      put(510, new Uint8Array([0x55, 0xaa]));
      break;
    case 'btrfs':
      put(0x10040, encoder.encode('_BHRfS_M'));
      put(0x1012b, text(label, 256));
      break;
    case 'swap':
      put(1024, u32(1));
      put(1028, u32(Math.max(0, Math.floor(size / 4096) - 1)));
      put(1052, text(label, 16));
      put(4086, encoder.encode('SWAPSPACE2'));
      break;
  }
}

/**
 * Looks for a file system signature in a file's first blocks.
 *
 * @param inode - A regular file.
 * @returns The type and label, or `null`.
 */
export function detectFilesystemSignature(inode: Inode): FilesystemSignature | null {
  if (inode.type !== 'file' || inode.sizeBytes === 0) return null;
  const bytes = readRange(inode, 0, SCAN_BYTES);
  if (bytes === LOST_BLOCK) return null;
  const at = (offset: number, length: number): Uint8Array => bytes.subarray(offset, offset + length);
  const string = (offset: number, length: number): string => decoder.decode(at(offset, length)).replace(/\0.*$/s, '');
  const u32 = (offset: number): number => ((bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8) | ((bytes[offset + 2] ?? 0) << 16) | ((bytes[offset + 3] ?? 0) << 24)) >>> 0;
  if (string(4086, 10) === 'SWAPSPACE2') return { type: 'swap', label: string(1052, 16) };
  if (bytes[1080] === 0x53 && bytes[1081] === 0xef) {
    const incompat = u32(1120);
    const compat = u32(1116);
    const type = (incompat & 0x40) !== 0 ? 'ext4' : (compat & 0x4) !== 0 ? 'ext3' : 'ext2';
    return { type, label: string(1144, 16) };
  }
  if (string(0, 4) === 'XFSB') return { type: 'xfs', label: string(108, 12) };
  if (string(82, 5) === 'FAT32' && bytes[510] === 0x55 && bytes[511] === 0xaa) {
    const label = string(71, 11).trimEnd();
    return { type: 'vfat', label: label === 'NO NAME' ? '' : label };
  }
  if (string(0x10040, 8) === '_BHRfS_M') return { type: 'btrfs', label: string(0x1012b, 256) };
  return null;
}

/** A disk image format found in a file's header. */
export interface ImageHeader {
  readonly format: 'qcow2';
  readonly virtualSizeBytes: number;
  readonly clusterBits: number;
}

/**
 * Builds a qcow2 version 3 header.
 *
 * @param virtualSizeBytes - Guest disk size.
 * @returns The header bytes.
 */
export function qcow2Header(virtualSizeBytes: number): Uint8Array {
  const header = new Uint8Array(104);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x514649fb);
  view.setUint32(4, 3);
  view.setUint32(20, 16);
  view.setBigUint64(24, BigInt(virtualSizeBytes));
  view.setUint32(36, Math.max(1, Math.ceil(virtualSizeBytes / (65536 * 8192))));
  view.setBigUint64(40, 196608n);
  view.setBigUint64(48, 65536n);
  view.setUint32(56, 1);
  view.setUint32(96, 4);
  view.setUint32(100, 104);
  return header;
}

/**
 * Reads a qcow2 header at the start of a file.
 *
 * @param inode - A regular file.
 * @returns The header, or `null` when the file does not start with the qcow2 magic.
 */
export function detectImageHeader(inode: Inode): ImageHeader | null {
  if (inode.type !== 'file' || inode.sizeBytes < 32) return null;
  const bytes = readRange(inode, 0, 104);
  if (bytes === LOST_BLOCK || bytes.length < 32) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(0) !== 0x514649fb) return null;
  const size = view.getBigUint64(24);
  return { format: 'qcow2', virtualSizeBytes: size > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(size), clusterBits: view.getUint32(20) || 16 };
}

/**
 * A deterministic UUID for a file (what mkfs would print).
 *
 * @param inode - The file.
 * @returns `xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx`.
 */
export function fileUuid(inode: Inode): string {
  let state = (inode.ino * 2654435761 + inode.fs.index * 97 + 12345) >>> 0;
  let hex = '';
  for (let index = 0; index < 32; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    hex += ((state >>> 16) & 0xf).toString(16);
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
