/**
 * `gpfs-volumes gc`: garbage collection of orphaned clone parents; a dry run unless `--apply`.
 *
 * @module
 */
import type { Command } from 'commander';
import type { GarbageReport } from '../../driver/operations/collect-garbage.js';
import { formatBytes } from '../../inventory/render.js';
import type { CommandReport } from '../output.js';
import type { RunCommand } from '../session.js';

/**
 * Adds `gc` to the program.
 *
 * @param program - The root command.
 * @param run - Runs the handler against the target.
 */
export function registerGcCommand(program: Command, run: RunCommand): void {
  program
    .command('gc')
    .description('find orphaned clone parents (hidden .snap parents, .ts tombstones, anchors of deleted group snapshots); a dry run unless --apply')
    .option('--apply', 'remove them')
    .action((options: { apply?: boolean }, command: Command) => {
      const apply = options.apply === true;
      return run(command, { showsProgress: apply }, ({ driver }) => driver.collectGarbage({ apply }).map((report): CommandReport => ({ json: report, human: renderGarbage(report) })));
    });
}

// --- Internal helpers ---

function renderGarbage(report: GarbageReport): string {
  const lines: string[] = [];
  const count = report.candidates.length;
  lines.push(count === 0 ? 'no garbage' : `${count} orphan${count === 1 ? '' : 's'}, ${formatBytes(report.reclaimableBytes)} reclaimable:`);
  for (const candidate of report.candidates) {
    const more =
      candidate.chain.length > 1
        ? ` (with ${candidate.chain
            .slice(1)
            .map((entry) => entry.path)
            .join(', ')})`
        : '';
    lines.push(`  ${candidate.path}  [${candidate.kind}]  ${formatBytes(candidate.allocatedBytes)}${more}`);
  }
  for (const snapshot of report.groupSnapshots) lines.push(`  fileset snapshot of deleted group snapshot ${snapshot.id} (group ${snapshot.groupId})`);
  if (report.applied) {
    for (const path of report.removed) lines.push(`removed ${path}`);
    for (const kept of report.kept) lines.push(`kept ${kept.path}: ${kept.reason}`);
  } else if (count > 0 || report.groupSnapshots.length > 0) {
    lines.push('dry run: nothing removed (run gc --apply to remove them)');
  }
  if (report.temporaries.length > 0) {
    lines.push(`work files of interrupted operations, never removed by gc (check them by hand): ${report.temporaries.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
