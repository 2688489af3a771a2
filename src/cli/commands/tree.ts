/**
 * `gpfs-volumes tree`: the clone trees of every directory the driver uses, as text or Mermaid.
 *
 * @module
 */
import type { Command } from 'commander';
import { renderCloneTree } from '../../inventory/render.js';
import type { CommandReport } from '../output.js';
import type { RunCommand } from '../session.js';

/**
 * Adds `tree` to the program.
 *
 * @param program - The root command.
 * @param run - Runs the handler against the target.
 */
export function registerTreeCommand(program: Command, run: RunCommand): void {
  program
    .command('tree')
    .description('draw the clone trees (with --json: the whole inventory)')
    .option('--mermaid', 'a Mermaid flowchart instead of an indented tree')
    .action((options: { mermaid?: boolean }, command: Command) =>
      run(command, { showsProgress: false }, ({ driver }) =>
        driver.inventory().map((inventory): CommandReport => ({ json: inventory, human: renderCloneTree(inventory, { format: options.mermaid === true ? 'mermaid' : 'text' }) })),
      ),
    );
}
