/**
 * Garbage collection on the built-in GPFS simulator: `npx tsx examples/collect-garbage.ts`.
 *
 * Leaks clone parents the way crashes and older drivers do (a hidden `.snap` parent and a `.ts`
 * tombstone whose children were removed behind the driver's back), then runs a dry run, which only
 * reports them with the bytes they hold, and an `apply: true` run, which removes them through the
 * clone-tree executor.
 */
import { createGpfsDriver, createGpfsSimulator, formatBytes, formatError } from 'gpfs-volumes';

const BASE = '/gpfs0/volumes';
const sim = createGpfsSimulator();
sim.control.mkdir(BASE)._unsafeUnwrap();
const root = (...argv: string[]) => sim.run({ argv, asRoot: true });
for (const [child, parents] of [
  ['crashed-clone', ['crashed-clone.snap']],
  ['old-volume', ['old-volume.snap', 'snapshot-7.ts']],
] as const) {
  (await root('truncate', '-s', '1G', `${BASE}/${child}`))._unsafeUnwrap();
  (await root('dd', 'if=/dev/urandom', `of=${BASE}/${child}`, 'bs=1M', 'count=8', 'conv=notrunc'))._unsafeUnwrap();
  for (const parent of parents) (await root('mmclone', 'snap', `${BASE}/${child}`, `${BASE}/${parent}`))._unsafeUnwrap();
  (await root('rm', '-f', `${BASE}/${child}`))._unsafeUnwrap();
}
const driver = createGpfsDriver({ runner: sim, mountPointBase: BASE });
(await driver.createVolume({ name: 'live-volume', sizeGiB: 1 }))._unsafeUnwrap();

for (const apply of [false, true]) {
  const report = await driver.collectGarbage({ apply });
  if (report.isErr()) throw new Error(formatError(report.error));
  console.log(`collectGarbage({ apply: ${apply} }): ${report.value.candidates.length} orphan(s), ${formatBytes(report.value.reclaimableBytes)} reclaimable`);
  for (const candidate of report.value.candidates) console.log(`  ${candidate.chain.map((link) => link.path).join(' -> ')}  (${formatBytes(candidate.allocatedBytes)})`);
  if (apply) console.log(`  removed: ${report.value.removed.join(', ')}`);
}
console.log(
  'files now:',
  sim.inspect
    .files({ under: BASE })
    .filter((file) => file.type === 'file')
    .map((file) => file.path)
    .join(', '),
);
