/**
 * Reading clone depths from `mmclone show` with the real parser, file by file (the seed's greedy
 * regexes read the last qualifying row of the whole output: cinder-gpfs-driver.md C.1 item 16).
 *
 * @module
 */
import { err, ok, type Result } from 'neverthrow';
import type { ParseError } from '../../errors.js';
import { parseMmcloneShow } from '../../parsers/mmclone.js';

/**
 * The depth of each of `paths`, from the output of `mmclone show <paths...>`.
 *
 * Rows are matched by file name; when the tool prints names differently (relative), by position.
 * A file that is not a clone has depth `null`.
 *
 * @param paths - The files shown, in order.
 * @param stdout - The command's output.
 * @returns Depth by path, or a ParseError when the output cannot be read or lacks a row.
 * @example
 * ```ts
 * readDepths(['/gpfs0/v1'], 'Parent  Depth   Parent inode   File name\n------  -----  --------------  ---------\n    no      2          148488  /gpfs0/v1\n');
 * // Ok(Map { '/gpfs0/v1' => 2 })
 * ```
 */
export function readDepths(paths: readonly string[], stdout: string): Result<Map<string, number | null>, ParseError> {
  return parseMmcloneShow(stdout).andThen((rows) => {
    const depths = new Map<string, number | null>();
    for (const [index, path] of paths.entries()) {
      const row = rows.find((candidate) => candidate.fileName === path) ?? (rows.length === paths.length ? rows[index] : undefined);
      if (row === undefined) {
        return err<Map<string, number | null>, ParseError>({ kind: 'ParseError', parser: 'parseMmcloneShow', message: `mmclone show printed no row for ${path}` });
      }
      depths.set(path, row.depth);
    }
    return ok(depths);
  });
}
