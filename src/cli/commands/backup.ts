/**
 * `gpfs-volumes backup` and `restore`: a volume's content to a local file and back, streamed through
 * the runner. These are the transfers with real byte progress: the CLI moves the bytes itself.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { err, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import type { GpfsDriver } from '../../driver/driver.js';
import type { GpfsError } from '../../driver/errors.js';
import type { VolumeRef } from '../../driver/types.js';
import type { BackupResult } from '../../driver/image-backup-types.js';
import { formatBytes } from '../../inventory/render.js';
import type { CommandReport, ReportableError } from '../output.js';
import type { ActionSession, RunCommand } from '../session.js';
import type { VolumeCommandOptions } from './volume-options.js';

/**
 * Adds `backup` and `restore` to the program.
 *
 * @param program - The root command.
 * @param run - Runs the handler against the target.
 */
export function registerBackupCommands(program: Command, run: RunCommand): void {
  program
    .command('backup')
    .description("write a volume's content (a point-in-time clone of it) to a local file")
    .argument('<volume>', 'the volume')
    .argument('<file>', 'the local file to write (refused when it exists, unless --force)')
    .option('--group <id>', 'consistency group of the volume')
    .option('--force', 'overwrite the file')
    .action((name: string, file: string, options: VolumeCommandOptions & { force?: boolean }, command: Command) =>
      run(command, { showsProgress: true }, (session) => backup(session, volumeRef(name, options), resolve(file), options.force === true)),
    );
  program
    .command('restore')
    .description("overwrite a volume's content with a local backup file (the volume keeps its size)")
    .argument('<volume>', 'the volume')
    .argument('<file>', 'the backup file')
    .option('--group <id>', 'consistency group of the volume')
    .action((name: string, file: string, options: VolumeCommandOptions, command: Command) =>
      run(command, { showsProgress: true }, (session) => restore(session, volumeRef(name, options), resolve(file))),
    );
}

// --- Internal helpers ---

function volumeRef(name: string, options: VolumeCommandOptions): VolumeRef {
  return { name, ...(options.group === undefined ? {} : { groupId: options.group }) };
}

async function backup(session: ActionSession, volume: VolumeRef, file: string, force: boolean): Promise<Result<CommandReport, ReportableError>> {
  const { driver, progress } = session;
  const valid = driver.plan.backupVolume(volume);
  if (valid.isErr()) return err(valid.error);
  let handle: FileHandle;
  try {
    handle = await open(file, force ? 'w' : 'wx', 0o600);
  } catch (error) {
    return err({ kind: 'InvalidArgument', message: `cannot write ${file}: ${error instanceof Error ? error.message : String(error)}` });
  }
  let result: Result<BackupResult, GpfsError>;
  try {
    const size = progress.mode === 'none' ? okAsync<number | null, GpfsError>(null) : volumeSize(driver, volume);
    result = await size.andThen((totalBytes) => {
      const transfer = progress.transfer(`backup ${volume.name}`, totalBytes);
      return driver
        .backupVolume(volume, async (chunk) => {
          await handle.write(chunk);
          transfer.add(chunk.byteLength);
        })
        .map((done) => {
          transfer.finish();
          return done;
        });
    });
  } finally {
    await handle.close();
  }
  if (result.isErr()) {
    // A partial file must not pass for a backup.
    await rm(file, { force: true });
    return err(result.error);
  }
  const done = result.value;
  return ok({ json: { ...done, file }, human: `backed up volume ${done.name} to ${file} (${formatBytes(done.bytes)})\n` });
}

async function restore(session: ActionSession, volume: VolumeRef, file: string): Promise<Result<CommandReport, ReportableError>> {
  const { driver, progress } = session;
  const valid = driver.plan.restoreBackup(volume);
  if (valid.isErr()) return err(valid.error);
  let totalBytes: number;
  try {
    totalBytes = (await stat(file)).size;
  } catch (error) {
    return err({ kind: 'InvalidArgument', message: `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}` });
  }
  const transfer = progress.transfer(`restore ${volume.name}`, totalBytes);
  const counted = async function* (): AsyncGenerator<Uint8Array> {
    for await (const chunk of createReadStream(file)) {
      const bytes = chunk as Buffer;
      transfer.add(bytes.byteLength);
      yield bytes;
    }
  };
  const result = await driver.restoreBackup(counted(), volume);
  if (result.isErr()) return err(result.error);
  transfer.finish();
  const done = result.value;
  return ok({ json: { ...done, file }, human: `restored volume ${done.name} from ${file} (${formatBytes(done.bytes)} written, volume size ${formatBytes(done.sizeBytes)})\n` });
}

/** The volume's size from the inventory, for the progress total (`null` when it is not listed). */
function volumeSize(driver: GpfsDriver, volume: VolumeRef): ResultAsync<number | null, GpfsError> {
  return driver.inventory().andThen((inventory) => {
    const file = inventory.files.find((candidate) => candidate.name === volume.name && candidate.groupId === (volume.groupId ?? null) && candidate.kind === 'volume');
    // Not found: no total; the backup itself reports the missing volume.
    return okAsync<number | null, GpfsError>(file?.sizeBytes ?? null);
  });
}
