/**
 * POSIX error numbers the simulated commands report, with glibc's `strerror` text.
 *
 * @module
 */

/** The error numbers the simulator uses. */
export type Errno =
  'EPERM' | 'ENOENT' | 'EIO' | 'EACCES' | 'EBUSY' | 'EEXIST' | 'EXDEV' | 'ENOTDIR' | 'EISDIR' | 'EINVAL' | 'EFBIG' | 'ENOSPC' | 'EROFS' | 'EMLINK' | 'ENAMETOOLONG' | 'ENOTEMPTY' | 'ELOOP';

const ERRNO_TEXT: Readonly<Record<Errno, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  EMLINK: 'Too many links',
  ENAMETOOLONG: 'File name too long',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
};

const ERRNO_NUMBER: Readonly<Record<Errno, number>> = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  EFBIG: 27,
  ENOSPC: 28,
  EROFS: 30,
  EMLINK: 31,
  ENAMETOOLONG: 36,
  ENOTEMPTY: 39,
  ELOOP: 40,
};

/**
 * The C-locale `strerror` text of an error number.
 *
 * @param errno - Symbolic error number.
 * @returns For example `'No such file or directory'`.
 */
export function errnoText(errno: Errno): string {
  return ERRNO_TEXT[errno];
}

/**
 * The numeric value of an error number on Linux.
 *
 * @param errno - Symbolic error number.
 * @returns For example `2` for `ENOENT`.
 */
export function errnoNumber(errno: Errno): number {
  return ERRNO_NUMBER[errno];
}
