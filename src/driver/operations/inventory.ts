/**
 * inventory(): two round trips whatever the number of files and groups.
 *
 * 1. mount check, `mmlsfileset -Y`, `mmlssnapshot -Y`, and three listings: the base, every
 *    `consisgroup-*` directory (`find -path` glob, one command), and every group snapshot anchor directory
 *    (pruning `.snapshots`, so fileset snapshots are never walked); plus `imagesDir` when configured;
 * 2. `mmclone show` over every regular file found (split into several commands of one batch when long).
 *
 * Everything is read-only. The pure half is `buildInventory` in `src/inventory/`.
 *
 * @module
 */
import { errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import { buildInventory, type InventoryInput, type ScannedEntry } from '../../inventory/classify.js';
import type { Inventory } from '../../inventory/types.js';
import { parseMmlsfileset, parseMmlssnapshot } from '../../parsers/index.js';
import type { DriverContext } from '../context.js';
import type { GpfsError } from '../errors.js';
import { roundOutputs, sendRound, type RoundOutputs } from '../executor.js';
import { diagnoseMountFailure } from '../mount-check.js';
import { inventoryReadSteps } from '../plans/inventory.js';
import { succeededOutput } from '../plans/outputs.js';
import { cloneShowSteps, readCloneRows, readListing } from '../scan.js';
import type { TracedRunner } from '../trace.js';

/**
 * Lists the volumes, snapshots, tombstones, hidden parents, group snapshots and garbage under the base
 * (and the images directory), with clone trees and logical versus allocated bytes.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @returns The inventory.
 * @example
 * ```ts
 * inventory(context, runner).map((found) => found.orphans.map((file) => file.path));
 * ```
 */
export function inventory(context: DriverContext, runner: TracedRunner): ResultAsync<Inventory, GpfsError> {
  return scanInventory(context, runner, 'inventory');
}

/**
 * The two read round trips of inventory and garbage collection.
 *
 * @param context - The driver context.
 * @param runner - The operation's traced runner.
 * @param operation - The operation's name, for errors.
 * @returns The inventory.
 * @example
 * ```ts
 * scanInventory(context, runner, 'collectGarbage');
 * ```
 */
export function scanInventory(context: DriverContext, runner: TracedRunner, operation: string): ResultAsync<Inventory, GpfsError> {
  const { mountPointBase: base, imagesDir } = context.options;
  return context.ensureFacts(runner).andThen((facts) => {
    const reads = inventoryReadSteps(base, facts.base.device, imagesDir);
    return sendRound(runner, reads, false).andThen((outputs) => {
      const first = roundOutputs(reads, outputs);
      const mounted = first.output('check-mounted');
      if (mounted?.exitCode !== 0) return diagnoseMountFailure(runner, base, mounted?.stderr ?? '').andThen((error) => errAsync(error));
      const read = readFirstRound(first, operation, imagesDir !== null);
      if (read.isErr()) return errAsync(read.error);
      const shows = cloneShowSteps(read.value.entries.filter((entry) => entry.type === 'f').map((entry) => entry.path));
      return sendRound(runner, shows, false).andThen((showOutputs) => {
        const rows = readCloneRows(shows, showOutputs, operation);
        if (rows.isErr()) return errAsync(rows.error);
        const entries: ScannedEntry[] = read.value.entries.map((entry) => {
          const row = entry.type === 'f' ? rows.value.get(entry.path) : undefined;
          return { ...entry, clone: row !== undefined && (row.isParent || row.parentInode !== null) ? row : null };
        });
        const input: InventoryInput = { base, imagesDir, entries, filesets: read.value.filesets, filesetSnapshots: read.value.snapshots };
        const built = buildInventory(input);
        return built.isErr() ? errAsync(built.error) : okAsync(built.value);
      });
    });
  });
}

// --- Internal helpers ---

function readFirstRound(
  round: RoundOutputs,
  operation: string,
  withImages: boolean,
): Result<{ entries: ScannedEntry[]; filesets: InventoryInput['filesets']; snapshots: InventoryInput['filesetSnapshots'] }, GpfsError> {
  const filesets = succeededOutput(operation, round, 'read-filesets').andThen((output) => parseMmlsfileset(output.stdout));
  if (filesets.isErr()) return filesets.map(() => ({ entries: [], filesets: [], snapshots: [] }));
  const snapshotOutput = round.output('read-snapshots');
  const snapshots =
    snapshotOutput !== undefined && snapshotOutput.exitCode !== 0 && /no snapshots/i.test(snapshotOutput.stderr)
      ? ok([])
      : succeededOutput(operation, round, 'read-snapshots').andThen((output) => parseMmlssnapshot(output.stdout));
  if (snapshots.isErr()) return snapshots.map(() => ({ entries: [], filesets: [], snapshots: [] }));
  const entries: ScannedEntry[] = [];
  const seen = new Set<string>();
  for (const step of ['list-base', 'list-groups', 'list-anchors', ...(withImages ? ['list-images'] : [])]) {
    const listing = readListing(round.output(step), operation, step);
    if (listing.isErr()) return listing.map(() => ({ entries: [], filesets: [], snapshots: [] }));
    for (const entry of listing.value) {
      if (seen.has(entry.path)) continue;
      seen.add(entry.path);
      entries.push({ ...entry, clone: null });
    }
  }
  return ok({
    entries,
    filesets: filesets.value.map((record) => ({ filesetName: record.filesetName, status: String(record.status) })),
    snapshots: snapshots.value.map((record) => ({ name: record.directory, fileset: record.fileset ?? '' })),
  });
}
