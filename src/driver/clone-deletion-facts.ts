/**
 * Gathering the facts a clone-tree deletion needs: one listing of the directories, one `mmclone show`.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { CloneEntry, IsDisposable } from '../clone-tree/index.js';
import type { PlanError } from '../errors.js';
import { parseFileListing, parseMmcloneShow, type FileListingEntry, type MmcloneShowRow } from '../parsers/index.js';
import { runCommands } from '../runners/batch.js';
import type { BatchCommand, CommandOutput, CommandRunner } from '../runners/types.js';
import type { CloneDeletionError } from './clone-deletion.js';
import type { CommandFailedError } from './errors.js';
import { isWorkName } from './group-names.js';

/**
 * Checked options of a deletion, and how to make each of its commands.
 *
 * @example
 * ```ts
 * const settings: CloneDeletionSettings = {
 *   targetPath: '/gpfs0/volumes/volume-7', directories: ['/gpfs0/volumes'], isDisposable: isDisposableByName,
 *   operation: 'deleteVolume', preflight: [], command: (argv) => ({ argv, asRoot: true }),
 * };
 * ```
 */
export interface CloneDeletionSettings {
  /** Normalised absolute target path. */
  readonly targetPath: string;
  /** Normalised directories to list, the target's own first. */
  readonly directories: readonly string[];
  /** Which ancestors may be removed. */
  readonly isDisposable: IsDisposable;
  /** Operation name for errors. */
  readonly operation: string;
  /** Checks run before the listing, in the same round trip. */
  readonly preflight: readonly BatchCommand[];
  /**
   * Makes a command with the deletion's `asRoot` and `timeoutMs`.
   *
   * @param argv - Program and arguments.
   */
  command(argv: readonly string[]): BatchCommand;
}

/**
 * What the first two round trips found.
 *
 * @example
 * ```ts
 * const facts: CloneFacts = { entries: [{ path: '/gpfs0/volumes/volume-7', inode: 4102, isParent: false, depth: 1, parentInode: 4101 }], roundTrips: 2 };
 * ```
 */
export interface CloneFacts {
  /** One entry per regular file that `mmclone show` described (the target always included); `null` when the target is absent. */
  readonly entries: CloneEntry[] | null;
  /** Runner calls made so far. */
  readonly roundTrips: number;
  /** Work names (`.tmp.*`) of files that also have another name, by inode: removed with that file. */
  readonly secondNames?: ReadonlyMap<number, readonly string[]>;
}

/**
 * Builds the `find` listing argv used to list directories (`depth` 1) or to check given paths (`depth` 0).
 *
 * @param paths - Directories (depth 1) or files (depth 0); absolute, so none is read as an expression.
 * @param depth - 1 lists what is directly inside each path; 0 lists the paths themselves.
 * @returns The argv.
 * @example
 * ```ts
 * listingCommand(['/gpfs0/volumes'], 1);
 * // ['find', '/gpfs0/volumes', '-mindepth', '1', '-maxdepth', '1', '-printf', '%i %s %b %m %y %p\\0']
 * ```
 */
export function listingCommand(paths: readonly string[], depth: 0 | 1): string[] {
  const range = depth === 1 ? ['-mindepth', '1', '-maxdepth', '1'] : ['-maxdepth', '0'];
  return ['find', ...paths, ...range, '-printf', LISTING_FORMAT];
}

/**
 * Runs round trips 1 and 2 of a deletion: lists the directories, then describes every regular file with `mmclone show`.
 *
 * A listed directory that does not exist is empty. A file that vanished between the two round trips (a
 * concurrent deletion) has no `mmclone show` row and is left out; a parent it was is then treated as living
 * outside the listed directories, so nothing above it is removed.
 *
 * @param runner - The runner.
 * @param settings - The deletion's settings.
 * @returns The facts, or a typed error.
 * @example
 * ```ts
 * const facts = await gatherCloneFacts(runner, settings);
 * if (facts.isOk() && facts.value.entries === null) console.log('already gone');
 * ```
 */
export function gatherCloneFacts(runner: CommandRunner, settings: CloneDeletionSettings): ResultAsync<CloneFacts, CloneDeletionError> {
  const listing = settings.command(listingCommand(settings.directories, 1));
  const firstTrips = settings.preflight.length === 0 || runner.runBatch ? 1 : settings.preflight.length + 1;
  return firstRoundTrip(runner, settings, listing).andThen((output) => {
    if (output.exitCode !== 0 && !onlyMissingFileComplaints(output.stderr)) {
      return errAsync(commandFailed(settings, 'list-files', output, 'could not list the directories'));
    }
    const parsed = parseFileListing(output.stdout);
    if (parsed.isErr()) return errAsync(parsed.error);
    const target = parsed.value.find((entry) => entry.path === settings.targetPath);
    if (target === undefined) return okAsync({ entries: null, roundTrips: firstTrips });
    if (target.type !== 'f') {
      const error: PlanError = { kind: 'PlanError', reason: 'InvalidEntry', message: `${settings.targetPath} is not a regular file (type ${target.type})`, paths: [settings.targetPath] };
      return errAsync(error);
    }
    const { files, secondNames } = regularFiles(parsed.value, target);
    return showClones(runner, settings, files, firstTrips).map((facts) => ({ ...facts, secondNames }));
  });
}

/**
 * Tells whether every non-empty line of a standard error is a "No such file or directory" complaint.
 *
 * @param stderr - Standard error of `find`.
 * @returns `true` when nothing but missing paths was reported.
 * @example
 * ```ts
 * onlyMissingFileComplaints("find: '/gpfs0/old': No such file or directory\n"); // true
 * ```
 */
export function onlyMissingFileComplaints(stderr: string): boolean {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .every((line) => line.includes('No such file or directory'));
}

/**
 * Makes the `CommandFailed` error of a deletion step.
 *
 * @param settings - The deletion's settings.
 * @param step - The step, e.g. `'remove-target'`.
 * @param output - The failed command's output, when it ran.
 * @param what - What went wrong, for people.
 * @returns The error.
 * @example
 * ```ts
 * const error = commandFailed(settings, 'remove-target', output, '/gpfs0/volumes/volume-7 is still there after rm');
 * ```
 */
export function commandFailed(settings: CloneDeletionSettings, step: string, output: CommandOutput | undefined, what: string): CommandFailedError {
  const stderr = output?.stderr ?? '';
  const firstLine = stderr.trim().split('\n')[0] ?? '';
  return {
    kind: 'CommandFailed',
    operation: settings.operation,
    step,
    argv: output?.argv ?? [],
    exitCode: output?.exitCode ?? null,
    signal: output?.signal ?? null,
    stderr,
    message: `${settings.operation} failed at step ${step}: ${what}${firstLine === '' ? '' : ` (${firstLine})`}`,
  };
}

// --- Internal helpers ---

const LISTING_FORMAT = '%i %s %b %m %y %p\\0';
/** Keeps each `mmclone show` argv well below the smallest common ARG_MAX (128 KiB on old kernels). */
const MAX_ARGUMENT_CHARACTERS = 96 * 1024;

/** Runs the preflight checks and the listing in one round trip; returns the listing's output. */
function firstRoundTrip(runner: CommandRunner, settings: CloneDeletionSettings, listing: BatchCommand): ResultAsync<CommandOutput, CloneDeletionError> {
  if (settings.preflight.length === 0) return runner.run(listing);
  return runCommands(runner, [...settings.preflight, listing], { stopOnFailure: true }).andThen((batch) => {
    const failedCheck = batch.outputs.slice(0, settings.preflight.length).find((output) => output.exitCode !== 0);
    if (failedCheck !== undefined) return errAsync(commandFailed(settings, 'preflight', failedCheck, 'a preflight check failed'));
    const output = batch.outputs[settings.preflight.length];
    if (output === undefined) return errAsync(commandFailed(settings, 'list-files', batch.outputs.at(-1), 'the listing did not run'));
    return okAsync(output);
  });
}

/** Regular files, one path per inode (a hard link adds nothing; the target's own path wins). */
/**
 * One regular file per inode: the target for its own inode, otherwise a name that is not a work name
 * where there is one. The work names of an inode that has another name are its second names.
 */
function regularFiles(listing: readonly FileListingEntry[], target: FileListingEntry): { files: FileListingEntry[]; secondNames: Map<number, string[]> } {
  const byInode = new Map<number, FileListingEntry>([[target.inode, target]]);
  for (const entry of listing) {
    if (entry.type !== 'f') continue;
    const chosen = byInode.get(entry.inode);
    if (chosen === undefined || (chosen !== target && isWorkName(chosen.path) && !isWorkName(entry.path))) byInode.set(entry.inode, entry);
  }
  const secondNames = new Map<number, string[]>();
  for (const entry of listing) {
    const chosen = byInode.get(entry.inode);
    if (entry.type !== 'f' || chosen === undefined || chosen.path === entry.path || !isWorkName(entry.path)) continue;
    secondNames.set(entry.inode, [...(secondNames.get(entry.inode) ?? []), entry.path]);
  }
  return { files: [...byInode.values()], secondNames };
}

function showClones(runner: CommandRunner, settings: CloneDeletionSettings, files: readonly FileListingEntry[], previousTrips: number): ResultAsync<CloneFacts, CloneDeletionError> {
  const commands = chunkPaths(files.map((file) => file.path)).map((paths) => settings.command(['mmclone', 'show', ...paths]));
  const calls = commands.length === 1 || runner.runBatch ? 1 : commands.length;
  const outputs = commands.length === 1 ? runner.run(commands[0]!).map((output) => [output]) : runCommands(runner, commands).map((batch) => batch.outputs);
  return outputs.andThen((results) => {
    const rows = new Map<string, MmcloneShowRow>();
    for (const output of results) {
      const parsed = parseMmcloneShow(output.stdout);
      if (parsed.isErr()) return errAsync(parsed.error);
      if (output.exitCode !== 0 && parsed.value.length === 0) {
        return errAsync(commandFailed(settings, 'show-clones', output, 'mmclone show failed'));
      }
      for (const row of parsed.value) rows.set(row.fileName, row);
    }
    const entries: CloneEntry[] = [];
    for (const file of files) {
      const row = rows.get(file.path);
      if (row !== undefined) {
        entries.push({ path: file.path, inode: file.inode, isParent: row.isParent, depth: row.depth, parentInode: row.parentInode });
      } else if (file.path === settings.targetPath) {
        entries.push({ path: file.path, inode: file.inode, isParent: false, depth: null, parentInode: null });
      }
    }
    return okAsync({ entries, roundTrips: previousTrips + calls });
  });
}

function chunkPaths(paths: readonly string[]): string[][] {
  const chunks: string[][] = [[]];
  let characters = 0;
  for (const path of paths) {
    const current = chunks[chunks.length - 1]!;
    if (current.length > 0 && characters + path.length + 1 > MAX_ARGUMENT_CHARACTERS) {
      chunks.push([path]);
      characters = path.length + 1;
    } else {
      current.push(path);
      characters += path.length + 1;
    }
  }
  return chunks;
}
