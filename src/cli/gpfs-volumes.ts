#!/usr/bin/env node
/**
 * `gpfs-volumes`: the operator CLI. Commands run against the gpfs-sim simulator (`--sim <state-dir>`)
 * or GPFS nodes over SSH (`--ssh user@host`).
 *
 * ```text
 * gpfs-volumes doctor | ls [--all] | tree [--mermaid] | gc [--apply]
 * gpfs-volumes create <name> --size <GiB> | snapshot <volume> <snapshot> | clone <source> <name>
 * gpfs-volumes delete <volume>|<volume>@<snapshot> | extend <volume> --size <GiB>
 * gpfs-volumes backup <volume> <file> | restore <volume> <file>
 * ```
 *
 * @module
 */
import { homedir } from 'node:os';
import { runCli } from './program.js';

// A reader that went away (`gpfs-volumes ls | head -1`) is not an error of the command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

runCli(process.argv.slice(2), {
  streams: { stdout: process.stdout, stderr: process.stderr },
  host: { environment: process.env, homeDirectory: homedir() },
  stderrIsTerminal: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gpfs-volumes: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
