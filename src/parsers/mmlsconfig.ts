/**
 * `mmlsconfig [attribute[,attribute...]] -Y`: cluster configuration attributes.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { parseRecords, type YValue } from './y-typed.js';

/**
 * One configuration attribute of `mmlsconfig -Y`. An attribute set differently for some nodes appears once
 * per node list.
 */
export interface MmlsconfigEntry {
  /** Attribute name as printed, e.g. `'clusterId'`, `'minReleaseLevel'`, `'pagepool'`. */
  readonly configParameter: string;
  /** Value as printed (decoded), e.g. `'5.0.4.0'`, `'1504'`, `'16M'`, `'yes'`. */
  readonly value: string;
  /** Node list or node class the value applies to (`'cesNodes'`); `''` for the whole cluster. */
  readonly nodeList: string;
  /** Any other column, as printed. */
  readonly [column: string]: YValue | undefined;
}

/**
 * Reads the output of `mmlsconfig -Y` (all attributes, or the ones asked for): one entry per attribute and node list.
 *
 * Values stay strings: their form depends on the attribute (`minReleaseLevel` is `5.0.4.0`,
 * `minreleaseLeveldaemon` is `1504`, `pagepool` is `4G`).
 *
 * Raw sample:
 * ```text
 * mmlsconfig::HEADER:version:reserved:reserved:configParameter:value:nodeList:
 * mmlsconfig::0:1:::clusterId:13882361916354541312::
 * mmlsconfig::0:1:::maxMBpS:5000:cesNodes:
 * ```
 *
 * @param text - The command's stdout.
 * @returns The entries in output order, or a ParseError when the output has no `mmlsconfig` HEADER or a row
 *   comes before its HEADER.
 * @example
 * ```ts
 * const entries = parseMmlsconfig(stdout);
 * const clusterId = entries.isOk() ? entries.value.find((entry) => entry.configParameter === 'clusterId')?.value : undefined;
 * ```
 */
export function parseMmlsconfig(text: string): Result<MmlsconfigEntry[], ParseError> {
  return parseRecords<MmlsconfigEntry>(text, 'parseMmlsconfig', ['mmlsconfig'], {
    required: ['configParameter', 'value', 'nodeList'],
  });
}
