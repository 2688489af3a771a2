/**
 * Speed of the `-Y` reader on a generated ~50 MB `mmlsfileset -Y` output, next to the plain baseline
 * `text.split('\n').map((line) => line.split(':'))` on the same input, in the same run.
 *
 * Each figure is the best of several rounds (rounds alternate between the contenders, and each result is
 * dropped before the next round), so that garbage collection of an earlier result weighs on no one in particular.
 * Run with `npx tsx bench/index.ts parsers-y`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseMachineReadable, parseMmlsfileset } from '../src/parsers/index.js';

const TARGET_BYTES = 50 * 1024 * 1024;
const ROUNDS = 7;

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  const text = generateMmlsfilesetOutput(TARGET_BYTES);
  const megabytes = Buffer.byteLength(text) / (1024 * 1024);
  const lineCount = text.split('\n').length;
  console.log(`input: generated mmlsfileset -Y output, ${megabytes.toFixed(1)} MiB, ${lineCount} lines, 4 file systems`);

  const contenders: Record<string, () => unknown> = {
    'baseline split': () => text.split('\n').map((line) => line.split(':')),
    parseMachineReadable: () => parseMachineReadable(text),
    'parseMmlsfileset (typed)': () => parseMmlsfileset(text),
  };
  const check = parseMmlsfileset(text);
  if (check.isErr()) throw new Error(`bench input did not parse: ${check.error.message}`);

  const bestMs: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, contender] of Object.entries(contenders)) {
      collectGarbage();
      const started = performance.now();
      const result = contender();
      const elapsedMs = performance.now() - started;
      if (result === undefined) throw new Error(`${name} returned nothing`);
      bestMs[name] = Math.min(bestMs[name] ?? Number.POSITIVE_INFINITY, elapsedMs);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  const baselineMs = bestMs['baseline split'] ?? Number.NaN;
  for (const [name, elapsedMs] of Object.entries(bestMs)) {
    const rate = megabytes / (elapsedMs / 1000);
    const ratio = elapsedMs / baselineMs;
    console.log(`${name.padEnd(26)} ${rate.toFixed(1).padStart(7)} MiB/s  ${elapsedMs.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2)}x baseline time`);
  }
  console.log(`(best of ${ROUNDS} rounds; goal: parseMachineReadable at most 2x the baseline time)`);
}

// --- Internal helpers ---

/** A full garbage collection between rounds, so that no contender pays for the garbage of the one before. */
const collectGarbage: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return gc as () => void;
  } catch {
    // Fall through: rounds then run without a collection in between.
  }
  return () => undefined;
})();

/** The 85-column header of a recent release (the AFM columns and a second `reserved` included). */
const COLUMNS = [
  'filesystemName',
  'filesetName',
  'id',
  'rootInode',
  'status',
  'path',
  'parentId',
  'created',
  'inodes',
  'dataInKB',
  'comment',
  'filesetMode',
  'afmTarget',
  'afmState',
  'afmMode',
  'afmFileLookupRefreshInterval',
  'afmFileOpenRefreshInterval',
  'afmDirLookupRefreshInterval',
  'afmDirOpenRefreshInterval',
  'afmAsyncDelay',
  'afmNeedsRecovery',
  'afmExpirationTimeout',
  'afmRPO',
  'afmLastPSnapId',
  'inodeSpace',
  'isInodeSpaceOwner',
  'maxInodes',
  'allocInodes',
  'inodeSpaceMask',
  'afmShowHomeSnapshots',
  'afmNumReadThreads',
  'reserved',
  'afmReadBufferSize',
  'afmWriteBufferSize',
  'afmReadSparseThreshold',
  'afmParallelReadChunkSize',
  'afmParallelReadThreshold',
  'snapId',
  'afmNumFlushThreads',
  'afmPrefetchThreshold',
  'afmEnableAutoEviction',
  'permChangeFlag',
  'afmParallelWriteThreshold',
  'freeInodes',
  'afmNeedsResync',
  'afmParallelWriteChunkSize',
  'afmNumWriteThreads',
  'afmPrimaryID',
  'afmDRState',
  'afmAssociatedPrimaryId',
  'afmDIO',
  'afmGatewayNode',
  'afmIOFlags',
  'afmVerifyDmapi',
  'afmSkipHomeACL',
  'afmSkipHomeMtimeNsec',
  'afmForceCtimeChange',
  'afmSkipResyncRecovery',
  'afmSkipConflictQDrop',
  'afmRefreshAsync',
  'afmParallelMounts',
  'afmRefreshOnce',
  'afmSkipHomeCtimeNsec',
  'afmReaddirOnce',
  'afmResyncVer2',
  'afmSnapUncachedRead',
  'afmFastCreate',
  'afmObjectXattr',
  'afmObjectVHB',
  'afmObjectNoDirectoryObj',
  'afmSkipHomeRefresh',
  'afmObjectGCS',
  'afmObjectUserKeys',
  'afmWriteOnClose',
  'afmObjectSSL',
  'afmObjectACL',
  'afmMUPromoted',
  'afmMUAutoRemove',
  'afmObjFastReaddir',
  'afmObjectBlkIO',
  'preventSnapshotRestore',
  'permInheritFlag',
  'afmIOFlags2',
  'afmRemoteUpdate',
  'falStatus',
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Builds `mmlsfileset -Y` output of about `targetBytes`, in the shapes real output has. */
function generateMmlsfilesetOutput(targetBytes: number): string {
  const header = `mmlsfileset::HEADER:version:reserved:reserved:${COLUMNS.join(':')}:\n`;
  const devices = ['gpfs0', 'gpfs1', 'scratch', 'project'];
  const perDevice = targetBytes / devices.length;
  const chunks: string[] = [];
  let seed = 12345;
  const random = (limit: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % limit;
  };
  for (const device of devices) {
    chunks.push(header);
    let bytes = header.length;
    for (let id = 0; bytes < perDevice; id++) {
      const name = id === 0 ? 'root' : `vol-${device}-${id.toString(36)}_${random(100000)}`;
      const linked = random(20) !== 0 || id === 0;
      const path = linked ? `%2F${device}%2Fvols%2F${name}` : '%2D%2D';
      const created = `${DAYS[random(7)]} ${MONTHS[random(12)]} ${String(1 + random(28)).padStart(2, ' ')} ${String(random(24)).padStart(2, '0')}%3A${String(random(60)).padStart(2, '0')}%3A${String(random(60)).padStart(2, '0')} ${2015 + random(10)}`;
      const comment = random(4) === 0 ? `end of project%3A 20${30 + random(10)}-${String(1 + random(12)).padStart(2, '0')}` : '';
      const maxInodes = 1_000_000 + random(300_000_000);
      const values = [
        device,
        name,
        String(id),
        String(3 + id * 524288 + random(1000)),
        linked ? 'Linked' : 'Unlinked',
        path,
        id === 0 ? '--' : '0',
        created,
        '-',
        '-',
        comment,
        'off',
        ...Array<string>(12).fill('-'),
        String(random(200)),
        String(random(2)),
        String(maxInodes),
        String(random(maxInodes)),
        '66846720',
        ...Array<string>(8).fill('-'),
        '0',
        '-',
        '-',
        '-',
        'chmodAndSetacl',
        '-',
        String(random(maxInodes)),
        ...Array<string>(COLUMNS.length - 49).fill('-'),
        'no',
        'inheritAclOnly',
        '-',
        '-',
        'default',
      ];
      // Recent releases print extra '-' fields beyond the header on some rows.
      const extra = random(3) === 0 ? '-:-:-:-:-:-:' : '';
      const line = `mmlsfileset::0:1:::${values.join(':')}:${extra}\n`;
      chunks.push(line);
      bytes += line.length;
    }
  }
  return chunks.join('');
}
