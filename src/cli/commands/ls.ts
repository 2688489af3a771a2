/**
 * `gpfs-volumes ls`: volumes and snapshots (with `--all`, every file the driver keeps), from the
 * driver's inventory.
 *
 * @module
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatBytes } from '../../inventory/render.js';
import type { Inventory, InventoryFile } from '../../inventory/types.js';
import type { CommandReport } from '../output.js';
import type { RunCommand } from '../session.js';
import { formatTable } from '../table.js';

/**
 * Adds `ls` to the program.
 *
 * @param program - The root command.
 * @param run - Runs the handler against the target.
 */
export function registerListCommand(program: Command, run: RunCommand): void {
  program
    .command('ls')
    .description('list volumes and snapshots with their sizes and clone parents')
    .option('-a, --all', 'every file the driver keeps: hidden clone parents, tombstones, work files, images, ...')
    .action((options: { all?: boolean }, command: Command) =>
      run(command, { showsProgress: false }, ({ driver }) =>
        driver.inventory().map((inventory): CommandReport => {
          const files = inventory.files.filter((file) => options.all === true || file.kind === 'volume' || file.kind === 'snapshot');
          return { json: { base: inventory.base, files }, human: renderList(inventory, files, options.all === true) };
        }),
      ),
    );
}

// --- Internal helpers ---

function renderList(inventory: Inventory, files: readonly InventoryFile[], all: boolean): string {
  const withGroups = files.some((file) => file.groupId !== null);
  const header = [...(withGroups ? ['GROUP'] : []), 'NAME', 'KIND', 'SIZE', 'ALLOCATED', 'DEPTH', 'CLONE OF'];
  const rows = files.map((file) => [
    ...(withGroups ? [file.groupId ?? '-'] : []),
    file.name,
    file.orphan ? `${file.kind} (garbage)` : file.kind,
    formatBytes(file.sizeBytes),
    formatBytes(file.allocatedBytes),
    file.depth === null ? '-' : String(file.depth),
    file.parentPath === null ? (file.parentInode === null ? '-' : `inode ${file.parentInode}`) : basename(file.parentPath),
  ]);
  const { volumes, garbage } = inventory.totals;
  const summary =
    `${volumes.files} volume${volumes.files === 1 ? '' : 's'}, ${inventory.snapshots.length} snapshot${inventory.snapshots.length === 1 ? '' : 's'} in ${inventory.base}` +
    (garbage.files > 0 ? `; garbage: ${garbage.files} file${garbage.files === 1 ? '' : 's'}, ${formatBytes(garbage.allocatedBytes)} reclaimable (gpfs-volumes gc)` : '') +
    (!all && inventory.files.length > files.length ? `; ${inventory.files.length - files.length} more with --all` : '');
  return `${files.length === 0 ? '' : formatTable(header, rows)}${summary}\n`;
}
