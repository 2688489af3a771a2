/**
 * collectGarbage: finds the disposable clone parents nobody uses any more, across the base and every
 * group directory, and (with `apply: true`) removes them through the clone-tree executor.
 *
 * Round trips: 2 for the dry run (the inventory scan); with `apply`, plus 3 per orphan (each deletion
 * re-reads the facts it acts on, so a parent that got a child since the scan is kept, never removed),
 * 1 per deleted group snapshot finished (its anchor directory and its fileset snapshot), 3 per
 * disposable work file with a name of its own and 1 for all work files that are second names.
 *
 * @module
 */
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { GarbageTarget } from '../../inventory/garbage.js';
import { planGarbage } from '../../inventory/garbage.js';
import type { Inventory } from '../../inventory/types.js';
import { isDisposableByName } from '../../clone-tree/index.js';
import { deleteWithCloneTree } from '../clone-deletion.js';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { sendRound } from '../executor.js';
import { anchorDirectory, groupDirectory, groupFilesetName } from '../group-names.js';
import { diagnoseMountFailure, mountCheck } from '../mount-check.js';
import { directoryOf } from '../scan.js';
import type { TracedRunner } from '../trace.js';
import { scanInventory } from './inventory.js';

/**
 * Options of collectGarbage.
 *
 * @example
 * ```ts
 * const options: CollectGarbageOptions = { apply: true };
 * ```
 */
export interface CollectGarbageOptions {
  /** Remove the garbage; otherwise only report it. @defaultValue false */
  readonly apply?: boolean;
}

/**
 * What collectGarbage found and did.
 *
 * @example
 * ```ts
 * const report: GarbageReport = { applied: false, candidates: [], reclaimableBytes: 0, groupSnapshots: [], removed: [], kept: [], temporaries: [] };
 * ```
 */
export interface GarbageReport {
  /** Whether anything was removed (`apply: true`). */
  readonly applied: boolean;
  /** The orphans, each with the chain of files its removal takes and their allocated bytes. */
  readonly candidates: readonly GarbageTarget[];
  /** Allocated bytes of every candidate chain. */
  readonly reclaimableBytes: number;
  /** Deleted group snapshots whose last anchors are garbage: their fileset snapshots go too. */
  readonly groupSnapshots: readonly {
    /** The group snapshot id. */
    readonly id: string;
    /** Its group. */
    readonly groupId: string;
  }[];
  /** Files (and fileset snapshots, as `fileset snapshot <fileset>:<id>`) removed. */
  readonly removed: readonly string[];
  /** Candidates that stayed, and why (a clone was made from one since the scan, ...). */
  readonly kept: readonly {
    /** The file. */
    readonly path: string;
    /** Why it stayed. */
    readonly reason: string;
  }[];
  /**
   * Work files of interrupted operations (`.tmp.*`). With `apply`, those that are garbage whoever left
   * them are removed (listed in `removed`): a revert's old and new content and a restore's new content
   * (the volume's name never depends on them: a restore still writing one fails at its rename, leaving
   * the volume as it was), a backup's source clone, and any work name that is only a second name of
   * another file. The others (a create, copy or move that may still be running in another process) are
   * only reported.
   */
  readonly temporaries: readonly string[];
}

/**
 * Reports (and with `apply: true` removes) orphaned `.snap`/`.ts` clone parents and the anchors of deleted
 * group snapshots, with their allocated bytes.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param options - `apply`.
 * @returns The report.
 * @example
 * ```ts
 * collectGarbage(context, runner, { apply: false }).map((report) => report.reclaimableBytes);
 * ```
 */
export function collectGarbage(context: DriverContext, runner: TracedRunner, options: CollectGarbageOptions = {}): ResultAsync<GarbageReport, GpfsError> {
  const apply = options?.apply === true;
  return scanInventory(context, runner, 'collectGarbage').andThen((found) => {
    const plan = planGarbage(found.files);
    if (plan.isErr()) return errAsync(plan.error);
    const finishing = finishableGroupSnapshots(found, plan.value.targets);
    const report: GarbageReport = {
      applied: apply,
      candidates: plan.value.targets,
      reclaimableBytes: plan.value.reclaimableBytes,
      groupSnapshots: finishing,
      removed: [],
      kept: [],
      temporaries: found.files.filter((file) => file.kind === 'temporary').map((file) => file.path),
    };
    if (!apply) return okAsync(report);
    return context.ensureFacts(runner).andThen((facts) =>
      removeTargets(runner, context.options.mountPointBase, plan.value.targets, 0, { removed: [], kept: [] })
        .andThen((outcome) => finishGroupSnapshots(runner, context.options.mountPointBase, facts.base.device, finishing, found, outcome))
        .andThen((outcome) => removeWorkFiles(runner, context.options.mountPointBase, disposableWorkFiles(found), outcome))
        .map((outcome) => ({ ...report, removed: outcome.removed, kept: outcome.kept })),
    );
  });
}

// --- Internal helpers ---

/** Disposable clone parents: `.snap`, `.ts`, and the anchors of a deleted (`.ts`) group snapshot. */
function isCollectable(path: string): boolean {
  return isDisposableByName(path) || /\/\.group-snapshots\/[^/]+\.ts\/[^/]+$/.test(path);
}

interface Outcome {
  removed: string[];
  kept: { path: string; reason: string }[];
}

function removeTargets(runner: TracedRunner, base: string, targets: readonly GarbageTarget[], index: number, outcome: Outcome): ResultAsync<Outcome, GpfsError> {
  const target = targets[index];
  if (target === undefined) return okAsync(outcome);
  // Each deletion re-checks the mount in its first round trip: nothing is removed from an unmounted base.
  const preflight = [{ argv: mountCheck(base).argv, asRoot: true }];
  // The chain may cross from a group directory into a deleted group snapshot's anchors: list both, and
  // let the executor remove those anchors too.
  const directories = [...new Set(target.chain.map((link) => directoryOf(link.path)))];
  return deleteWithCloneTree(runner, { targetPath: target.path, directories, isDisposable: isCollectable, operation: 'collectGarbage', preflight })
    .map((report): Outcome => ({
      removed: [...outcome.removed, ...report.removed],
      kept: [...outcome.kept, ...(report.targetFound ? [] : [{ path: target.path, reason: 'already gone' }])],
    }))
    .orElse((error) => {
      if (error.kind === 'CommandFailed' && error.step === 'preflight') {
        return diagnoseMountFailure(runner, base, error.stderr).andThen((diagnosed) => errAsync<Outcome, GpfsError>(diagnosed));
      }
      return okAsync<Outcome, GpfsError>({
        removed: outcome.removed,
        kept: [...outcome.kept, { path: target.path, reason: error.kind === 'PlanError' && error.reason === 'TargetHasChildren' ? 'a clone was made from it since the scan' : error.message }],
      });
    })
    .andThen((next) => removeTargets(runner, base, targets, index + 1, next));
}

/** A work file that is garbage whoever left it. */
interface DisposableWorkFile {
  readonly path: string;
  /** Another file shares its inode: removing this name frees nothing and touches no clone tree. */
  readonly secondName: boolean;
}

/**
 * Work files of a revert (`.tmp.revert-old.*`, `.tmp.revert-new.*`), of a restore (`.tmp.restore.*`) and of
 * a backup (`.tmp.backup-*`, a clone read from: a backup still reading it keeps its open file), and work
 * names that repeat another file.
 */
function disposableWorkFiles(found: Inventory): DisposableWorkFile[] {
  const namesPerInode = new Map<number, number>();
  for (const file of found.files) namesPerInode.set(file.inode, (namesPerInode.get(file.inode) ?? 0) + 1);
  return found.files
    .filter((file) => file.kind === 'temporary')
    .map((file) => ({ path: file.path, name: file.name, secondName: (namesPerInode.get(file.inode) ?? 0) > 1 }))
    .filter((file) => file.secondName || /^\.tmp\.(revert-(old|new)\.|restore\.|backup-)/.test(file.name))
    .map(({ path, secondName }) => ({ path, secondName }));
}

function removeWorkFiles(runner: TracedRunner, base: string, files: readonly DisposableWorkFile[], outcome: Outcome): ResultAsync<Outcome, GpfsError> {
  const secondNames = files.filter((file) => file.secondName);
  const own = files
    .filter((file) => !file.secondName)
    .map((file): GarbageTarget => ({ path: file.path, kind: 'temporary', groupId: null, chain: [{ path: file.path, allocatedBytes: 0 }], allocatedBytes: 0 }));
  if (secondNames.length === 0) return removeTargets(runner, base, own, 0, outcome);
  const commands = [mountCheck(base), ...secondNames.map((file) => ({ step: 'remove-work-name', argv: ['rm', '-f', '--', file.path], asRoot: true }))];
  return sendRound(runner, commands, true).andThen((outputs) => {
    if (outputs[0]?.exitCode !== 0) return diagnoseMountFailure(runner, base, outputs[0]?.stderr ?? '').andThen((diagnosed) => errAsync<Outcome, GpfsError>(diagnosed));
    const next: Outcome = { removed: [...outcome.removed], kept: [...outcome.kept] };
    secondNames.forEach((file, index) => {
      const output = outputs[index + 1];
      if (output?.exitCode === 0) next.removed.push(file.path);
      else next.kept.push({ path: file.path, reason: (output?.stderr ?? '').trim() || 'not removed' });
    });
    return removeTargets(runner, base, own, 0, next);
  });
}

/** Deleted group snapshots all of whose remaining anchors are garbage. */
function finishableGroupSnapshots(found: Inventory, targets: readonly GarbageTarget[]): { id: string; groupId: string }[] {
  const garbage = new Set(targets.flatMap((target) => target.chain.map((link) => link.path)));
  return found.groupSnapshots
    .filter((snapshot) => snapshot.state === 'deleted')
    .filter((snapshot) => {
      const directory = anchorDirectory(groupDirectory(found.base, snapshot.groupId), snapshot.id, true);
      return found.files.filter((file) => file.directory === directory).every((file) => garbage.has(file.path));
    })
    .map((snapshot) => ({ id: snapshot.id, groupId: snapshot.groupId }));
}

function finishGroupSnapshots(
  runner: TracedRunner,
  base: string,
  device: string,
  snapshots: readonly { id: string; groupId: string }[],
  found: Inventory,
  outcome: Outcome,
): ResultAsync<Outcome, GpfsError> {
  const [snapshot, ...rest] = snapshots;
  if (snapshot === undefined) return okAsync(outcome);
  const directory = anchorDirectory(groupDirectory(base, snapshot.groupId), snapshot.id, true);
  const filesetName = groupFilesetName(snapshot.groupId);
  const hasFilesetSnapshot = found.groupSnapshots.some((candidate) => candidate.id === snapshot.id && candidate.groupId === snapshot.groupId && candidate.filesetSnapshot);
  const commands = [
    // Fails unless every anchor is gone, which keeps mmdelsnapshot from running under a live clone.
    { step: 'remove-anchor-directory', argv: ['rm', '-d', '--', directory], asRoot: true },
    ...(hasFilesetSnapshot ? [{ step: 'delete-fileset-snapshot', argv: ['mmdelsnapshot', device, snapshot.id, '-j', filesetName], asRoot: true }] : []),
  ];
  return sendRound(runner, commands, true)
    .map((outputs): Outcome => {
      const ok = outputs.length === commands.length && outputs.every((output) => output.exitCode === 0);
      return ok
        ? { removed: [...outcome.removed, directory, ...(hasFilesetSnapshot ? [`fileset snapshot ${filesetName}:${snapshot.id}`] : [])], kept: outcome.kept }
        : { removed: outcome.removed, kept: [...outcome.kept, { path: directory, reason: (outputs.find((output) => output.exitCode !== 0)?.stderr ?? '').trim() || 'not finished' }] };
    })
    .andThen((next) => finishGroupSnapshots(runner, base, device, rest, found, next));
}
