/**
 * `gpfs-volumes delete`: a volume (`<volume>`) or a snapshot (`<volume>@<snapshot>`); idempotent.
 *
 * @module
 */
import type { Command } from 'commander';
import type { DeletedSnapshot, DeletedVolume } from '../../driver/types.js';
import { parseObjectReference, snapshotLabel } from '../describe.js';
import type { CommandReport } from '../output.js';
import type { RunCommand } from '../session.js';
import type { VolumeCommandOptions } from './volume-options.js';

/**
 * Adds `delete` to the program.
 *
 * @param program - The root command.
 * @param run - Runs the handler against the target.
 */
export function registerDeleteCommand(program: Command, run: RunCommand): void {
  program
    .command('delete')
    .description('delete a volume with the clone parents it leaves unused, or a snapshot (<volume>@<snapshot>)')
    .argument('<target>', '<volume> or <volume>@<snapshot>')
    .option('--group <id>', 'consistency group of the volume')
    .action((text: string, options: VolumeCommandOptions, command: Command) => {
      const reference = parseObjectReference(text, options.group);
      return run(command, { showsProgress: true }, ({ driver }) =>
        reference.kind === 'volume'
          ? driver.deleteVolume(reference.volume).map((deleted): CommandReport => ({ json: deleted, human: renderDeletedVolume(deleted) }))
          : driver.deleteSnapshot(reference.snapshot).map((deleted): CommandReport => ({ json: deleted, human: renderDeletedSnapshot(deleted) })),
      );
    });
}

// --- Internal helpers ---

function renderDeletedVolume(deleted: DeletedVolume): string {
  if (!deleted.existed) return `volume ${deleted.name} did not exist: nothing to delete\n`;
  const lines = [`deleted volume ${deleted.name}`, ...deleted.removed.map((path) => `  removed ${path}`), ...deleted.kept.map((kept) => `  kept ${kept.path}: ${kept.reason}`)];
  return `${lines.join('\n')}\n`;
}

function renderDeletedSnapshot(deleted: DeletedSnapshot): string {
  const label = snapshotLabel(deleted);
  switch (deleted.status) {
    case 'removed':
      return `deleted snapshot ${label}\n`;
    case 'tombstoned':
      return `snapshot ${label} still has clones: renamed to ${deleted.tombstonePath ?? 'a tombstone'}, removed with its last clone\n`;
    case 'absent':
      return `snapshot ${label} did not exist: nothing to delete\n`;
  }
}
