/**
 * `gpfs-volumes extend`: grow a volume (never shrinks it).
 *
 * @module
 */
import { Option, type Command } from 'commander';
import { wholeNumber } from '../common-options.js';
import type { CommandReport } from '../output.js';
import type { RunCommand } from '../session.js';
import type { VolumeCommandOptions } from './volume-options.js';

/**
 * Adds `extend` to the program.
 *
 * @param program - The root command.
 * @param run - Runs the handler against the target.
 */
export function registerExtendCommand(program: Command, run: RunCommand): void {
  program
    .command('extend')
    .description('grow a volume to a new size (a smaller size is refused)')
    .argument('<volume>', 'the volume')
    .addOption(new Option('--size <GiB>', 'the new size in GiB').argParser(wholeNumber('--size')).makeOptionMandatory())
    .option('--group <id>', 'consistency group of the volume')
    .action((name: string, options: VolumeCommandOptions & { size: number }, command: Command) => {
      const volume = { name, ...(options.group === undefined ? {} : { groupId: options.group }) };
      return run(command, { showsProgress: true }, ({ driver }) =>
        driver.extendVolume(volume, options.size).map((extended): CommandReport => ({ json: extended, human: `volume ${extended.name} is now ${extended.sizeGiB} GiB (${extended.path})\n` })),
      );
    });
}
