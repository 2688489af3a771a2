/**
 * `gpfs-volumes doctor`: the setup checks as a report; exit 1 when any check fails.
 *
 * @module
 */
import { ok } from 'neverthrow';
import type { Command } from 'commander';
import { buildDoctorReport, renderDoctorReport } from '../doctor-report.js';
import { describeTarget } from '../describe.js';
import type { RunCommand } from '../session.js';
import { FAILURE_EXIT } from '../output.js';

/**
 * Adds `doctor` to the program.
 *
 * @param program - The root command.
 * @param run - Runs the handler against the target.
 */
export function registerDoctorCommand(program: Command, run: RunCommand): void {
  program
    .command('doctor')
    .description('check the cluster, the directories and the options (the driver setup) and report each check')
    .action((_options: unknown, command: Command) =>
      run(command, { showsProgress: false }, async ({ driver, options }) => {
        const setup = driver.configError === null ? await driver.setup() : null;
        const report = buildDoctorReport({
          target: describeTarget(options.target),
          mountPointBase: options.mountPointBase,
          imagesDir: options.imagesDir ?? null,
          storagePool: options.storagePool ?? 'system',
          maxCloneDepth: options.maxCloneDepth ?? 0,
          configError: driver.configError,
          setup,
        });
        return ok({ json: report, human: renderDoctorReport(report), exitCode: report.ok ? 0 : FAILURE_EXIT });
      }),
    );
}
