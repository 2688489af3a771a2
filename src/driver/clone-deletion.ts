/**
 * Deleting a file and the clone parents it leaves unused, in at most three round trips whatever the clone depth.
 *
 * @module
 */
import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import { buildCloneForest, planCloneDeletion } from '../clone-tree/index.js';
import type { CloneForest, DeletionPlan, IsDisposable, KeptReason } from '../clone-tree/index.js';
import { isDisposableByName } from '../clone-tree/index.js';
import type { ParseError, PlanError, RunnerError } from '../errors.js';
import { parseFileListing } from '../parsers/index.js';
import { runCommands } from '../runners/batch.js';
import type { BatchCommand, CommandOutput, CommandRunner } from '../runners/types.js';
import { commandFailed, gatherCloneFacts, listingCommand, onlyMissingFileComplaints, type CloneDeletionSettings } from './clone-deletion-facts.js';
import type { CommandFailedError, InvalidArgumentError } from './errors.js';

/**
 * Options of {@link deleteWithCloneTree}.
 *
 * @example
 * ```ts
 * const options: DeleteWithCloneTreeOptions = { targetPath: '/gpfs0/volumes/volume-7', directories: ['/gpfs0/volumes', '/gpfs0/old'], asRoot: true };
 * ```
 */
export interface DeleteWithCloneTreeOptions {
  /** Absolute path of the file to delete. */
  readonly targetPath: string;
  /**
   * Absolute directories to list for clone parents and siblings (the target's own directory is always added).
   * A parent outside them is never removed.
   */
  readonly directories: readonly string[];
  /** Which ancestors may be removed. @defaultValue {@link isDisposableByName} (name ends in `.snap` or `.ts`) */
  readonly isDisposable?: IsDisposable;
  /** Run every command through the runner's root helper. @defaultValue true */
  readonly asRoot?: boolean;
  /** Limit for each command, in milliseconds. */
  readonly timeoutMs?: number;
  /** Operation name put in errors. @defaultValue 'deleteWithCloneTree' */
  readonly operation?: string;
  /**
   * Checks to run in the first round trip, before the listing (a mount check, for instance). The batch stops at
   * the first that fails, and the result is a `CommandFailed` error with step `'preflight'`; nothing is removed.
   */
  readonly preflight?: readonly BatchCommand[];
}

/**
 * An ancestor that is still there after the deletion, and why.
 *
 * @example
 * ```ts
 * const kept: CloneDeletionKept = { path: '/gpfs0/volumes/volume-7.snap', inode: 4101, reason: 'RemovalRefused', stderr: "rm: cannot remove '/gpfs0/volumes/volume-7.snap': Read-only file system" };
 * ```
 */
export interface CloneDeletionKept {
  /** Its path; `null` for a parent outside the listed directories (path unknown). */
  readonly path: string | null;
  /** Its inode when the facts were gathered. */
  readonly inode: number;
  /**
   * Why it stays: a reason from the plan, or `'RemovalRefused'` when the plan removed it but `rm` did not (a
   * clone was made from it meanwhile: GPFS refuses to remove a parent with children).
   */
  readonly reason: KeptReason | 'RemovalRefused';
  /** Standard error of the refused `rm`, for `'RemovalRefused'`. */
  readonly stderr?: string;
}

/**
 * What {@link deleteWithCloneTree} did.
 *
 * @example
 * ```ts
 * const report: DeletionReport = {
 *   targetPath: '/gpfs0/volume-2', targetFound: true,
 *   removed: ['/gpfs0/volume-2', '/gpfs0/volume-2.snap'],
 *   kept: [{ path: '/gpfs0/snapshot-1', inode: 4100, reason: 'NotDisposable' }],
 *   plan: null, roundTrips: 3,
 * };
 * ```
 */
export interface DeletionReport {
  /** The path asked for. */
  readonly targetPath: string;
  /** `false` when the target did not exist: nothing was removed and that is success (deletion is idempotent). */
  readonly targetFound: boolean;
  /** Paths seen gone after the removal, children before parents. */
  readonly removed: readonly string[];
  /** The first ancestor that remains, if any. */
  readonly kept: readonly CloneDeletionKept[];
  /** The plan made from the facts gathered (`null` when the target was not found). */
  readonly plan: DeletionPlan | null;
  /** Runner calls made (one per `run` or `runBatch`): at most 3 with a batching runner. */
  readonly roundTrips: number;
}

/**
 * Every error {@link deleteWithCloneTree} can return. Switch on `kind`.
 *
 * @example
 * ```ts
 * const result = await deleteWithCloneTree(runner, { targetPath: '/gpfs0/volumes/volume-7', directories: [] });
 * if (result.isErr() && result.error.kind === 'CommandFailed') console.error(result.error.argv, result.error.stderr);
 * ```
 */
export type CloneDeletionError = CommandFailedError | InvalidArgumentError | ParseError | PlanError | RunnerError;

/**
 * Deletes `targetPath`, then every disposable clone parent above it that no longer has children.
 *
 * Three round trips whatever the depth of the clone chain (the 2014 driver needs about 1 + 4 per level):
 * 1. one `find <dirs> -mindepth 1 -maxdepth 1 -printf '%i %s %b %m %y %p\0'` listing of the directories;
 *    a target that is not there ends the call here with `targetFound: false` (idempotent);
 * 2. one `mmclone show` over every regular file listed (a file's children can be any file in those
 *    directories, so this is the cheapest set that tells which parents still have children), split into
 *    several commands of one batch when the argument list is long; then {@link buildCloneForest} and
 *    {@link planCloneDeletion} (a target with clone children is refused with a `TargetHasChildren` PlanError);
 * 3. one batch: `rm -f` of the target, then of each disposable ancestor in the listed directories in order,
 *    children first (also those the plan saw with other children: a sibling deleted at the same time may
 *    have gone since, and GPFS refuses `rm` of a parent that still has children, so a parent is only ever
 *    removed at an instant when it is childless), then one `find` of those paths to see what is gone.
 *
 * Removing the target must succeed: if it is still there, the result is a `CommandFailed` error with the `rm`
 * argv, exit code and stderr. Ancestors that stay are reported in `kept`, never as errors.
 *
 * @param runner - Any runner; a `runBatch` runner keeps each step to one round trip.
 * @param options - Target, directories, `isDisposable`, `asRoot`, `timeoutMs`.
 * @returns A {@link DeletionReport}, or a {@link CloneDeletionError}.
 * @example
 * ```ts
 * const report = await deleteWithCloneTree(runner, { targetPath: '/gpfs0/volumes/volume-7', directories: ['/gpfs0/volumes'] });
 * if (report.isOk()) console.log(report.value.removed); // ['/gpfs0/volumes/volume-7', '/gpfs0/volumes/volume-7.snap']
 * ```
 */
export function deleteWithCloneTree(runner: CommandRunner, options: DeleteWithCloneTreeOptions): ResultAsync<DeletionReport, CloneDeletionError> {
  const settings = readSettings(options);
  if (settings.isErr()) return errAsync(settings.error);
  const context = settings.value;
  return gatherCloneFacts(runner, context).andThen((facts) => {
    if (facts.entries === null) {
      return okAsync({ targetPath: context.targetPath, targetFound: false, removed: [], kept: [], plan: null, roundTrips: facts.roundTrips });
    }
    const planned = buildCloneForest(facts.entries, { directories: context.directories, parentsOutsideListedDirectories: 'all-unlisted' }).andThen((forest) =>
      planCloneDeletion(forest, context.targetPath, { isDisposable: context.isDisposable }).map((plan) => ({ forest, plan })),
    );
    if (planned.isErr()) return errAsync(planned.error);
    const { forest, plan } = planned.value;
    const attempts = removalAttempts(forest, plan, context.isDisposable);
    // Work names that repeat a file removed here (an interrupted create's `.tmp.create.<tag>`) go with it.
    const secondNames = attempts.flatMap((path) => facts.secondNames?.get(forest.inodeByPath.get(path) ?? -1) ?? []);
    const commands: BatchCommand[] = [
      ...secondNames.map((path) => context.command(['rm', '-f', '--', path])),
      ...attempts.map((path) => context.command(['rm', '-f', '--', path])),
      context.command(listingCommand([...attempts, ...secondNames], 0)),
    ];
    const roundTrips = facts.roundTrips + (runner.runBatch ? 1 : commands.length);
    return runCommands(runner, commands, { stopOnFailure: false }).andThen((batch) => readOutcome(context, forest, plan, attempts, secondNames, batch.outputs, roundTrips));
  });
}

// --- Internal helpers ---

function readSettings(options: DeleteWithCloneTreeOptions): Result<CloneDeletionSettings, InvalidArgumentError> {
  const targetPath = normalisePath(options.targetPath);
  if (targetPath === undefined || targetPath === '/') {
    return err({ kind: 'InvalidArgument', argument: 'targetPath', message: `targetPath must be an absolute file path (got ${JSON.stringify(options.targetPath)})` });
  }
  const directories = [targetPath.slice(0, targetPath.lastIndexOf('/')) || '/'];
  for (const directory of Array.isArray(options.directories) ? options.directories : [null]) {
    const normalised = typeof directory === 'string' ? normalisePath(directory) : undefined;
    if (normalised === undefined) {
      return err({ kind: 'InvalidArgument', argument: 'directories', message: `directories must be absolute paths (got ${JSON.stringify(directory)})` });
    }
    if (!directories.includes(normalised)) directories.push(normalised);
  }
  const asRoot = options.asRoot ?? true;
  const timeoutMs = options.timeoutMs;
  return ok({
    targetPath,
    directories,
    isDisposable: neverThrowing(options.isDisposable ?? isDisposableByName),
    operation: options.operation ?? 'deleteWithCloneTree',
    preflight: options.preflight ?? [],
    command: (argv: readonly string[]): BatchCommand => ({ argv, asRoot, ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
  });
}

/** A predicate that throws counts as "not disposable": the safe answer. */
function neverThrowing(isDisposable: IsDisposable): IsDisposable {
  return (path) => {
    try {
      return isDisposable(path) === true;
    } catch {
      return false;
    }
  };
}

/** Absolute, without repeated or trailing slashes; `undefined` when not absolute or holding a NUL. */
function normalisePath(path: unknown): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('\0')) return undefined;
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/** The target, then each ancestor up to (not including) the first that is outside or not disposable. */
function removalAttempts(forest: CloneForest, plan: DeletionPlan, isDisposable: IsDisposable): string[] {
  const attempts = plan.removals.map((removal) => removal.path);
  const stop = plan.kept[0];
  if (stop === undefined || stop.reason !== 'StillHasChildren') return attempts;
  for (let node = forest.nodes.get(stop.inode); node !== undefined; node = node.parentInode === null ? undefined : forest.nodes.get(node.parentInode)) {
    if (node.path === null || node.outsideListedDirectories || !isDisposable(node.path)) break;
    attempts.push(node.path);
  }
  return attempts;
}

function readOutcome(
  context: CloneDeletionSettings,
  forest: CloneForest,
  plan: DeletionPlan,
  attempts: readonly string[],
  secondNames: readonly string[],
  allOutputs: readonly CommandOutput[],
  roundTrips: number,
): Result<DeletionReport, CloneDeletionError> {
  const secondNameRms = allOutputs.slice(0, secondNames.length);
  const outputs = allOutputs.slice(secondNames.length);
  const verify = outputs[attempts.length];
  const targetRm = outputs[0];
  if (verify === undefined || targetRm === undefined) return err(commandFailed(context, 'verify-removal', outputs.at(-1), 'the removal batch stopped early'));
  const stillThere = existingPaths(verify.stdout);
  if (stillThere.isErr()) return err(stillThere.error);
  if (verify.exitCode !== 0 && !onlyMissingFileComplaints(verify.stderr)) {
    return err(commandFailed(context, 'verify-removal', verify, 'could not check which files are gone'));
  }
  if (stillThere.value.has(context.targetPath)) {
    return err(commandFailed(context, 'remove-target', targetRm, `${context.targetPath} is still there after rm`));
  }
  const keptSecondName = secondNames.findIndex((path) => stillThere.value.has(path));
  if (keptSecondName !== -1) {
    return err(commandFailed(context, 'remove-second-name', secondNameRms[keptSecondName], `${secondNames[keptSecondName] ?? ''} (a second name of a file being removed) is still there after rm`));
  }
  const removed: string[] = [];
  for (const path of attempts) {
    if (stillThere.value.has(path)) break;
    removed.push(path);
  }
  const kept = firstRemaining(forest, plan, attempts, removed.length, outputs[removed.length]?.stderr ?? '');
  return ok({ targetPath: context.targetPath, targetFound: true, removed: [...secondNames, ...removed], kept, plan, roundTrips });
}

/** The first file on the chain that is still there: the first attempt that failed, or the ancestor above the last attempt. */
function firstRemaining(forest: CloneForest, plan: DeletionPlan, attempts: readonly string[], removedCount: number, stderr: string): CloneDeletionKept[] {
  const failedPath = attempts[removedCount];
  if (failedPath !== undefined) {
    const inode = forest.inodeByPath.get(failedPath) ?? -1;
    const planned = plan.removals.some((removal) => removal.path === failedPath);
    return [planned ? { path: failedPath, inode, reason: 'RemovalRefused', stderr } : { path: failedPath, inode, reason: 'StillHasChildren' }];
  }
  const last = forest.nodes.get(forest.inodeByPath.get(attempts[attempts.length - 1] ?? '') ?? -1);
  const above = last?.parentInode === null || last?.parentInode === undefined ? undefined : forest.nodes.get(last.parentInode);
  if (above === undefined) return [];
  return [{ path: above.path, inode: above.inode, reason: above.path === null || above.outsideListedDirectories ? 'OutsideListedDirectories' : 'NotDisposable' }];
}

function existingPaths(stdout: string): Result<Set<string>, ParseError> {
  return parseFileListing(stdout).map((entries) => new Set(entries.map((entry) => entry.path)));
}
