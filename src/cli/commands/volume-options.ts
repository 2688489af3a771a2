/**
 * Options several volume commands share: `--group` and repeatable `--metadata key=value`.
 *
 * @module
 */
import { InvalidArgumentError, Option } from 'commander';

/**
 * Options of the volume commands.
 *
 * @example
 * ```ts
 * const options: VolumeCommandOptions = { group: 'g1', metadata: { replicas: '2' } };
 * ```
 */
export interface VolumeCommandOptions {
  /** `--group`: the consistency group. */
  readonly group?: string;
  /** `--metadata key=value`, collected. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * The repeatable `--metadata key=value` option (the driver validates keys and values).
 *
 * @returns The option.
 */
export function metadataOption(): Option {
  return new Option('--metadata <key=value>', 'volume metadata: data_pool_name, replicas, dio, write_affinity_depth, ... (repeatable)').argParser(
    (text: string, previous: Record<string, string> | undefined) => {
      const equals = text.indexOf('=');
      if (equals <= 0) throw new InvalidArgumentError(`--metadata must be key=value (got ${JSON.stringify(text)})`);
      return { ...previous, [text.slice(0, equals)]: text.slice(equals + 1) };
    },
  );
}
