/**
 * Text parsers bench: MB/s and rows/s for `parseMmcloneShow` and `parseMmlsattr` on the output of 100,000 files,
 * next to a plain split-lines baseline (`text.split('\n')`) on the same input, in the same run, and to split-lines plus
 * one small object per line (the allocation any row parser pays).
 */
import { performance } from 'node:perf_hooks';
import { formatMmcloneShow, parseMmcloneShow, type MmcloneShowRow } from '../src/parsers/mmclone.js';
import { parseMmlsattr } from '../src/parsers/mmlsattr.js';

const FILE_COUNT = 100_000;

/** Runs the bench and prints its figures. */
export async function run(): Promise<void> {
  const clones = formatMmcloneShow(syntheticCloneRows(FILE_COUNT));
  report('mmclone show', clones, FILE_COUNT, () => parseMmcloneShow(clones)._unsafeUnwrap().length);
  const attributes = syntheticMmlsattr(FILE_COUNT);
  report('mmlsattr -L', attributes, FILE_COUNT, () => parseMmlsattr(attributes)._unsafeUnwrap().length);
  await Promise.resolve();
}

// --- Internal helpers ---

function report(label: string, text: string, rowCount: number, parse: () => number): void {
  const megabytes = Buffer.byteLength(text) / 1e6;
  if (parse() !== rowCount) throw new Error(`${label}: parser returned the wrong number of rows`);
  const parseMs = medianMs(7, parse);
  const splitMs = medianMs(7, () => text.split('\n').length);
  // What merely allocating one small object and one substring per line costs, for scale.
  const objectsMs = medianMs(7, () => text.split('\n').map((line) => ({ rest: line.slice(1) })).length);
  const rate = (ms: number): string => {
    const seconds = ms / 1000;
    return `${(megabytes / seconds).toFixed(0).padStart(5)} MB/s ${(rowCount / seconds / 1e6).toFixed(2).padStart(6)} M rows/s`;
  };
  console.log(`${label}: ${rowCount} files, ${megabytes.toFixed(1)} MB`);
  console.log(`  parse:               ${parseMs.toFixed(1).padStart(7)} ms  ${rate(parseMs)}`);
  console.log(`  split-lines baseline: ${splitMs.toFixed(1).padStart(6)} ms  ${rate(splitMs)}`);
  console.log(`  split + object/line:  ${objectsMs.toFixed(1).padStart(6)} ms  ${rate(objectsMs)}`);
  console.log(`  parse / baseline:    ${(parseMs / splitMs).toFixed(1)}x`);
}

function medianMs(runs: number, work: () => unknown): number {
  work();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Parents with depth 0, clones of them at depth 1-3, and plain files; names with spaces and digits. */
function syntheticCloneRows(count: number): MmcloneShowRow[] {
  const rows: MmcloneShowRow[] = [];
  for (let index = 0; index < count; index++) {
    const kind = index % 10;
    const fileName = `/gpfs0/cinder-vols/${kind === 7 ? `volume ${index} copy` : `volume-${index}`}${kind === 0 ? '.snap' : ''}`;
    if (kind === 0) rows.push({ isParent: true, depth: 0, parentInode: null, fileName });
    else if (kind === 9) rows.push({ isParent: false, depth: null, parentInode: null, fileName });
    else rows.push({ isParent: false, depth: 1 + (index % 3), parentInode: 148_000 + index - kind, fileName });
  }
  return rows;
}

/** `mmlsattr -L` blocks as GPFS 5 prints them (12 lines per file). */
function syntheticMmlsattr(count: number): string {
  const parts: string[] = [];
  for (let index = 0; index < count; index++) {
    parts.push(
      `file name:            /gpfs0/cinder-vols/volume-${index}\n` +
        'metadata replication: 1 max 2\n' +
        'data replication:     1 max 2\n' +
        `immutable:            ${index % 10 === 0 ? 'yes' : 'no'}\n` +
        'appendOnly:           no\n' +
        `flags:${index % 50 === 0 ? '                illreplicated' : ''}\n` +
        'storage pool name:    system\n' +
        'fileset name:         cinder-vols\n' +
        'snapshot name:\n' +
        'creation time:        Wed Mar  9 10:08:00 2022\n' +
        `Misc attributes:      ARCHIVE${index % 10 === 0 ? ' READONLY' : ''}\n` +
        'Encrypted:            no\n',
    );
  }
  return parts.join('');
}
