/**
 * `gpfs-volumes create`: a new empty volume.
 *
 * @module
 */
import { Option, type Command } from 'commander';
import { wholeNumber } from '../common-options.js';
import type { CommandReport } from '../output.js';
import type { RunCommand } from '../session.js';
import { metadataOption, type VolumeCommandOptions } from './volume-options.js';

/**
 * Adds `create` to the program.
 *
 * @param program - The root command.
 * @param run - Runs the handler against the target.
 */
export function registerCreateCommand(program: Command, run: RunCommand): void {
  program
    .command('create')
    .description('create an empty volume (sparse unless --preallocate)')
    .argument('<name>', 'volume name')
    .addOption(new Option('--size <GiB>', 'size in GiB').argParser(wholeNumber('--size')).makeOptionMandatory())
    .option('--group <id>', 'consistency group of the volume')
    .option('--preallocate', 'zero-fill the whole volume instead of a sparse file (gpfs_sparse_volumes = false)')
    .option('--fstype <type>', 'make a file system (ext2, ext3, ext4, xfs, vfat, btrfs, swap, ...)')
    .option('--fslabel <label>', 'label of that file system')
    .addOption(metadataOption())
    .action((name: string, options: VolumeCommandOptions & { size: number; preallocate?: boolean; fstype?: string; fslabel?: string }, command: Command) => {
      const metadata = {
        ...options.metadata,
        ...(options.fstype === undefined ? {} : { fstype: options.fstype }),
        ...(options.fslabel === undefined ? {} : { fslabel: options.fslabel }),
      };
      const spec = {
        name,
        sizeGiB: options.size,
        ...(options.group === undefined ? {} : { groupId: options.group }),
        ...(Object.keys(metadata).length === 0 ? {} : { metadata }),
      };
      return run(command, { showsProgress: true, ...(options.preallocate === true ? { driverOptions: { sparseVolumes: false } } : {}) }, ({ driver }) =>
        driver.createVolume(spec).map((created): CommandReport => ({ json: created, human: `created volume ${created.name} (${created.sizeGiB} GiB) at ${created.path}\n` })),
      );
    });
}
