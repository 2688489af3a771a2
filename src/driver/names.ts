/**
 * Volume and snapshot names, and the only paths the driver builds from them.
 *
 * A name is one path component of safe characters (`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$`), not `.` or
 * `..`, and not ending in `.snap` or `.ts` (those suffixes mark the driver's own disposable clone
 * parents). Anything else is an `InvalidName` error, returned before any command runs. Paths are built
 * only by joining a validated name onto `mountPointBase` (or `imagesDir`), so no path outside them can
 * come out of here.
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { InvalidNameError, NameRole } from './errors.js';

/**
 * The pattern every volume and snapshot name must match.
 *
 * @example
 * ```ts
 * NAME_PATTERN.test('volume-1'); // true
 * NAME_PATTERN.test('-rf');      // false
 * ```
 */
export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;

/**
 * Suffixes reserved for the driver's disposable clone parents: hidden clone parents and snapshot tombstones.
 *
 * @example
 * ```ts
 * RESERVED_SUFFIXES.some((suffix) => 'volume-2.snap'.endsWith(suffix)); // true
 * ```
 */
export const RESERVED_SUFFIXES = ['.snap', '.ts'] as const;

/** Longest file name GPFS (and every Linux file system) accepts, in bytes; our names are ASCII. */
const MAX_NAME_LENGTH = 255;

/**
 * Checks that `name` is a valid volume or snapshot name.
 *
 * @param name - The candidate name (any value: non-strings are rejected too).
 * @param role - What the name is for, used in the message.
 * @returns `Ok(name)` or `Err(InvalidName)`.
 * @example
 * ```ts
 * validateName('volume-1', 'volume'); // Ok('volume-1')
 * validateName('../etc', 'volume');   // Err({ kind: 'InvalidName', ... })
 * validateName('a.snap', 'volume');   // Err: reserved suffix
 * ```
 */
export function validateName(name: unknown, role: NameRole): Result<string, InvalidNameError> {
  if (typeof name !== 'string') {
    return err(invalidName(String(name), role, `a ${role} name must be a string (got ${typeof name})`));
  }
  if (name === '.' || name === '..') {
    return err(invalidName(name, role, `'${name}' is not a name`));
  }
  if (!NAME_PATTERN.test(name)) {
    return err(invalidName(name, role, 'use 1 to 255 characters from A-Z a-z 0-9 _ . -, starting with a letter, digit or _ (one path component: no /, spaces, quotes or shell characters)'));
  }
  const suffix = RESERVED_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix !== undefined) {
    return err(invalidName(name, role, `names ending in '${suffix}' are reserved for the driver's clone parents`));
  }
  return ok(name);
}

/**
 * Checks that a file name an operation derives from a validated name (a hidden parent `<name>.snap`, a
 * prefixed or suffixed work name) still fits in one path component, so that the operation is refused
 * before it runs anything rather than failing half-way with `ENAMETOOLONG`.
 *
 * @param name - The validated name it is derived from.
 * @param role - What `name` is, for the message.
 * @param derived - The derived file name (one component).
 * @param what - What the derived file is, for the message.
 * @returns `Ok(name)` or `InvalidName`.
 * @example
 * ```ts
 * checkDerivedName('v2', 'volume', 'v2.snap', 'its hidden clone parent'); // Ok('v2')
 * checkDerivedName('x'.repeat(255), 'volume', `${'x'.repeat(255)}.snap`, 'its hidden clone parent'); // Err(InvalidName)
 * ```
 */
export function checkDerivedName(name: string, role: NameRole, derived: string, what: string): Result<string, InvalidNameError> {
  return derived.length > MAX_NAME_LENGTH
    ? err(invalidName(name, role, `${what} would be named ${JSON.stringify(`${derived.slice(0, 20)}...`)} (${derived.length} characters), longer than the ${MAX_NAME_LENGTH} a file name may have`))
    : ok(name);
}

/**
 * Joins a validated name onto a directory.
 *
 * @param directory - An absolute directory without a trailing slash (a validated option).
 * @param name - A name that passed {@link validateName} (or a driver-made derivative of one).
 * @returns `directory/name`.
 * @example
 * ```ts
 * pathIn('/gpfs0/volumes', 'volume-1'); // '/gpfs0/volumes/volume-1'
 * ```
 */
export function pathIn(directory: string, name: string): string {
  return directory === '/' ? `/${name}` : `${directory}/${name}`;
}

/**
 * The hidden clone parent a cloned volume shares with its source: `<dest>.snap`, or `<dest>.<tag>.snap`
 * when a parent of that name is still there (kept by the clones of an earlier volume of that name).
 *
 * @param destinationPath - Path of the new volume.
 * @param tag - Optional disambiguator (letters and digits).
 * @returns The parent's path.
 * @example
 * ```ts
 * hiddenParentPath('/gpfs0/volume-2');        // '/gpfs0/volume-2.snap'
 * hiddenParentPath('/gpfs0/volume-2', 'k3x'); // '/gpfs0/volume-2.k3x.snap'
 * ```
 */
export function hiddenParentPath(destinationPath: string, tag?: string): string {
  return tag === undefined ? `${destinationPath}.snap` : `${destinationPath}.${tag}.snap`;
}

/**
 * The tombstone a deleted snapshot becomes while clones still depend on it: `<snapshot>.ts`, or
 * `<snapshot>.<tag>.ts` when a tombstone of that name already exists.
 *
 * @param snapshotPath - Path of the snapshot file.
 * @param tag - Optional disambiguator (letters and digits).
 * @returns The tombstone's path.
 * @example
 * ```ts
 * tombstonePath('/gpfs0/snap-1');        // '/gpfs0/snap-1.ts'
 * tombstonePath('/gpfs0/snap-1', 'k3x'); // '/gpfs0/snap-1.k3x.ts'
 * ```
 */
export function tombstonePath(snapshotPath: string, tag?: string): string {
  return tag === undefined ? `${snapshotPath}.ts` : `${snapshotPath}.${tag}.ts`;
}

// --- Internal helpers ---

function invalidName(name: string, role: NameRole, reason: string): InvalidNameError {
  return {
    kind: 'InvalidName',
    role,
    name,
    message: `invalid ${role} name ${JSON.stringify(name)}: ${reason}. Nothing was run.`,
  };
}
