/**
 * What `stat -c` and `find -printf` print about a file where their directives mean the same thing
 * (under different letters: stat `%h` is find `%n`), and the text forms both use.
 *
 * @module
 */
import { allocatedBytes } from '../model/allocation.js';
import { linkCount } from '../model/inode.js';
import type { Inode } from '../model/types.js';

/** A file attribute both `stat -c` and `find -printf` can print, named by meaning. */
export type FileField = 'inodeNumber' | 'sizeBytes' | 'allocatedBlocks512' | 'modeOctal' | 'modeSymbolic' | 'linkCount' | 'uid' | 'userName' | 'gid' | 'groupName' | 'deviceNumber';

/**
 * The text of one file attribute, as both stat and find print it.
 *
 * @param inode - Any inode.
 * @param field - Which attribute.
 * @returns Its text (numbers in decimal, the mode in octal without leading zeros).
 */
export function fileFieldText(inode: Inode, field: FileField): string {
  switch (field) {
    case 'inodeNumber':
      return String(inode.ino);
    case 'sizeBytes':
      return String(inode.sizeBytes);
    case 'allocatedBlocks512':
      return String(Math.ceil(allocatedBytes(inode) / 512));
    case 'modeOctal':
      return (inode.mode & 0o7777).toString(8);
    case 'modeSymbolic':
      return symbolicMode(inode);
    case 'linkCount':
      return String(linkCount(inode));
    case 'uid':
      return String(inode.uid);
    case 'userName':
      return accountName(inode.uid);
    case 'gid':
      return String(inode.gid);
    case 'groupName':
      return accountName(inode.gid);
    case 'deviceNumber':
      return String(inode.fs.deviceNumber);
  }
}

/**
 * The name `ls`, `stat` and `find` show for a user or group id.
 *
 * @param id - Numeric id.
 * @returns `root`, `sim`, or `UNKNOWN`.
 */
export function accountName(id: number): string {
  return USER_NAMES[id] ?? 'UNKNOWN';
}

/**
 * `ls -l` style mode text: `-rw-r--r--`.
 *
 * @param inode - Any inode.
 * @returns Ten characters.
 */
export function symbolicMode(inode: Inode): string {
  const type = inode.type === 'dir' ? 'd' : inode.type === 'symlink' ? 'l' : inode.type === 'chardev' ? 'c' : '-';
  const mode = inode.mode;
  const bit = (mask: number, letter: string): string => ((mode & mask) !== 0 ? letter : '-');
  const special = (execute: number, flag: number, on: string): string => {
    const hasExecute = (mode & execute) !== 0;
    if ((mode & flag) === 0) return hasExecute ? 'x' : '-';
    return hasExecute ? on : on.toUpperCase();
  };
  return `${type}${bit(0o400, 'r')}${bit(0o200, 'w')}${special(0o100, 0o4000, 's')}${bit(0o40, 'r')}${bit(0o20, 'w')}${special(0o10, 0o2000, 's')}${bit(0o4, 'r')}${bit(0o2, 'w')}${special(0o1, 0o1000, 't')}`;
}

/**
 * The file type text of stat's `%F`.
 *
 * @param inode - Any inode.
 * @returns For example `regular empty file`.
 */
export function fileTypeText(inode: Inode): string {
  if (inode.type === 'dir') return 'directory';
  if (inode.type === 'symlink') return 'symbolic link';
  if (inode.type === 'chardev') return 'character special file';
  return inode.sizeBytes === 0 ? 'regular empty file' : 'regular file';
}

/**
 * The type letter find's `-type` and `%y` use.
 *
 * @param inode - Any inode.
 * @returns `f`, `d`, `l` or `c`.
 */
export function typeLetter(inode: Inode): string {
  return inode.type === 'dir' ? 'd' : inode.type === 'symlink' ? 'l' : inode.type === 'chardev' ? 'c' : 'f';
}

// --- Internal helpers ---

const USER_NAMES: Readonly<Record<number, string>> = { 0: 'root', 1000: 'sim' };
