/**
 * `gpfs-volumes clone`: a new volume cloned from a volume (`<volume>`, through a hidden `.snap` parent)
 * or from a snapshot (`<volume>@<snapshot>`). Without `--size` it takes the source's size, read from the
 * inventory first.
 *
 * @module
 */
import { Option, type Command } from 'commander';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { GpfsDriver } from '../../driver/driver.js';
import { notFound, type GpfsError } from '../../driver/errors.js';
import type { VolumeSpec } from '../../driver/types.js';
import { wholeNumber } from '../common-options.js';
import { parseObjectReference, snapshotLabel, type ObjectReference } from '../describe.js';
import type { CommandReport } from '../output.js';
import type { RunCommand } from '../session.js';
import { metadataOption, type VolumeCommandOptions } from './volume-options.js';

const GIB_BYTES = 2 ** 30;

/**
 * Adds `clone` to the program.
 *
 * @param program - The root command.
 * @param run - Runs the handler against the target.
 */
export function registerCloneCommand(program: Command, run: RunCommand): void {
  program
    .command('clone')
    .description('create a volume as a copy-on-write clone of a volume or of a snapshot (<volume>@<snapshot>)')
    .argument('<source>', '<volume> or <volume>@<snapshot>')
    .argument('<name>', 'the new volume')
    .addOption(new Option('--size <GiB>', "size in GiB (at least the source's; default: the source's size)").argParser(wholeNumber('--size')))
    .option('--group <id>', 'consistency group of the new volume')
    .option('--source-group <id>', 'consistency group of the source')
    .addOption(metadataOption())
    .action((sourceText: string, name: string, options: VolumeCommandOptions & { size?: number; sourceGroup?: string }, command: Command) => {
      const source = parseObjectReference(sourceText, options.sourceGroup);
      const base = {
        name,
        ...(options.group === undefined ? {} : { groupId: options.group }),
        ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
      };
      const label = source.kind === 'volume' ? source.volume.name : snapshotLabel(source.snapshot);
      return run(command, { showsProgress: true }, ({ driver, options: common }) =>
        sizeOf(driver, common.mountPointBase, source, options.size, base)
          .andThen((sizeGiB) => {
            const spec: VolumeSpec = { ...base, sizeGiB };
            return source.kind === 'volume' ? driver.createClonedVolume(spec, source.volume) : driver.createVolumeFromSnapshot(spec, source.snapshot);
          })
          .map((created): CommandReport => ({ json: created, human: `created volume ${created.name} (${created.sizeGiB} GiB) as a clone of ${label} at ${created.path}\n` })),
      );
    });
}

// --- Internal helpers ---

/** The size asked for, or the source's (from the inventory, after a dry run validated the names), rounded up to whole GiB. */
function sizeOf(driver: GpfsDriver, base: string, source: ObjectReference, asked: number | undefined, target: Omit<VolumeSpec, 'sizeGiB'>): ResultAsync<number, GpfsError> {
  if (asked !== undefined) return okAsync(asked);
  // Refuse invalid names and metadata before reading anything, as the operation itself would.
  const probe: VolumeSpec = { ...target, sizeGiB: 1 };
  const valid = source.kind === 'volume' ? driver.plan.createClonedVolume(probe, source.volume) : driver.plan.createVolumeFromSnapshot(probe, source.snapshot);
  if (valid.isErr()) return errAsync(valid.error);
  const wanted =
    source.kind === 'volume'
      ? { name: source.volume.name, groupId: source.volume.groupId ?? null, role: 'volume' as const }
      : { name: source.snapshot.name, groupId: source.snapshot.groupId ?? null, role: 'snapshot' as const };
  return driver.inventory().andThen((inventory) => {
    const file = inventory.files.find((candidate) => candidate.name === wanted.name && candidate.groupId === wanted.groupId && candidate.kind === wanted.role);
    if (file === undefined) return errAsync<number, GpfsError>(notFound(wanted.role, `${base}/${wanted.groupId === null ? '' : `consisgroup-${wanted.groupId}/`}${wanted.name}`));
    return okAsync(Math.max(1, Math.ceil(file.sizeBytes / GIB_BYTES)));
  });
}
