/**
 * `gpfs-volumes snapshot`: a snapshot of a volume (a read-only clone parent beside it).
 *
 * @module
 */
import type { Command } from 'commander';
import { snapshotLabel } from '../describe.js';
import type { CommandReport } from '../output.js';
import type { RunCommand } from '../session.js';
import type { VolumeCommandOptions } from './volume-options.js';

/**
 * Adds `snapshot` to the program.
 *
 * @param program - The root command.
 * @param run - Runs the handler against the target.
 */
export function registerSnapshotCommand(program: Command, run: RunCommand): void {
  program
    .command('snapshot')
    .description('snapshot a volume; refer to the snapshot later as <volume>@<snapshot>')
    .argument('<volume>', 'the volume')
    .argument('<snapshot>', 'the snapshot name')
    .option('--group <id>', 'consistency group of the volume')
    .action((volume: string, name: string, options: VolumeCommandOptions, command: Command) => {
      const snapshot = { name, volumeName: volume, ...(options.group === undefined ? {} : { groupId: options.group }) };
      return run(command, { showsProgress: true }, ({ driver }) =>
        driver.createSnapshot(snapshot).map((created): CommandReport => ({
          json: created,
          human: `created snapshot ${snapshotLabel(created)} at ${created.path}${created.redirected ? ' (the volume was redirected to keep its clone chain within --max-clone-depth)' : ''}\n`,
        })),
      );
    });
}
