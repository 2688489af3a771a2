/**
 * The `gpfs-volumes` program: commander setup, the shared options, the subcommands, and how every way
 * of ending maps to an exit code (0 success, 1 failure, 2 usage error, 70 internal error).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerBackupCommands } from './commands/backup.js';
import { registerCloneCommand } from './commands/clone.js';
import { registerCreateCommand } from './commands/create.js';
import { registerDeleteCommand } from './commands/delete.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerExtendCommand } from './commands/extend.js';
import { registerGcCommand } from './commands/gc.js';
import { registerListCommand } from './commands/ls.js';
import { registerSnapshotCommand } from './commands/snapshot.js';
import { registerTreeCommand } from './commands/tree.js';
import { addCommonOptions, readCommonOptions } from './common-options.js';
import { oneLine, printError, USAGE_EXIT } from './output.js';
import { runAction, type CliProcess, type RunCommand } from './session.js';

/** Exit code of an unexpected failure of the CLI itself (a defect). */
export const INTERNAL_EXIT = 70;

/**
 * Runs the CLI.
 *
 * @param argv - Arguments after the script name.
 * @param cliProcess - Streams, environment and terminal.
 * @returns The exit code.
 */
export async function runCli(argv: readonly string[], cliProcess: CliProcess): Promise<number> {
  const { streams } = cliProcess;
  // Known before commander has parsed anything, so that usage errors too come out as JSON.
  const json = argv.includes('--json');
  let exitCode = 0;
  const program = new Command('gpfs-volumes')
    .description('Operate file-clone volumes on IBM Storage Scale (GPFS), on a cluster over SSH or on the gpfs-sim simulator.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
      outputError: (text, write) => {
        if (!json) write(`${oneLine(text)}\n`);
      },
    })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText(
      'after',
      '\nTargets: --sim <state-dir> (gpfs-sim) or --ssh <user@host> (SSH password from GPFS_VOLUMES_SSH_PASSWORD).\n' +
        'Snapshots are named <volume>@<snapshot>. Exit codes: 0 ok, 1 failed, 2 usage error.\n',
    );
  addCommonOptions(program);

  const run: RunCommand = async (command, spec, handler) => {
    const options = readCommonOptions(command.optsWithGlobals(), cliProcess.host.environment, cliProcess.host.homeDirectory);
    if (options.isErr()) command.error(`error: ${options.error}`, { exitCode: USAGE_EXIT, code: 'gpfs-volumes.usage' });
    else exitCode = await runAction(options.value, spec, handler, cliProcess);
  };
  registerDoctorCommand(program, run);
  registerListCommand(program, run);
  registerTreeCommand(program, run);
  registerGcCommand(program, run);
  registerCreateCommand(program, run);
  registerSnapshotCommand(program, run);
  registerCloneCommand(program, run);
  registerDeleteCommand(program, run);
  registerExtendCommand(program, run);
  registerBackupCommands(program, run);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      const message = error.code === 'commander.help' ? 'a command is required (see gpfs-volumes --help)' : oneLine(error.message).replace(/^error: /, '');
      if (json) printError({ kind: 'UsageError', message }, true, streams, USAGE_EXIT);
      return USAGE_EXIT;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (json) printError({ kind: 'Internal', message: `internal error in gpfs-volumes: ${oneLine(message)}` }, true, streams);
    else streams.stderr.write(`gpfs-volumes: internal error: ${message}\n`);
    return INTERNAL_EXIT;
  }
}

// --- Internal helpers ---

/** The package's version, from package.json two levels up (dist/cli/ or src/cli/). */
function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
