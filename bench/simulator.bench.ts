/**
 * Simulator throughput: simple commands per second, in process (goal: at least 50,000/s).
 */
import { createGpfsSimulator } from '../src/index.js';

const WARMUP = 20_000;
const MEASURED = 200_000;

/** Runs the simulator benchmark and prints commands per second. */
export async function run(): Promise<void> {
  const sim = createGpfsSimulator({ commandLogLimit: 1000 });
  (await sim.run({ argv: ['truncate', '-s', '1G', '/gpfs0/volume-1'], asRoot: true }))._unsafeUnwrap();
  const mix: readonly (readonly string[])[] = [['test', '-e', '/gpfs0/volume-1'], ['stat', '-c', '%s', '/gpfs0/volume-1'], ['true'], ['mmclone', 'show', '/gpfs0/volume-1']];
  const once = async (count: number): Promise<number> => {
    const started = performance.now();
    for (let index = 0; index < count; index++) {
      const result = await sim.run({ argv: mix[index % mix.length] as string[], asRoot: true });
      if (result.isErr() || result.value.exitCode !== 0) throw new Error(`unexpected result for ${String(mix[index % mix.length])}`);
    }
    return performance.now() - started;
  };
  await once(WARMUP);
  const elapsedMs = await once(MEASURED);
  const perSecond = Math.round((MEASURED / elapsedMs) * 1000);
  console.log(`simulator: ${perSecond.toLocaleString('en-US')} simple commands/s in process (${MEASURED.toLocaleString('en-US')} runs of test -e, stat -c %s, true, mmclone show; goal >= 50,000/s)`);
  const batch = createGpfsSimulator({ commandLogLimit: 1000 });
  const commands = Array.from({ length: 100 }, () => ({ argv: ['test', '-d', '/gpfs0'], asRoot: true }));
  const batchStarted = performance.now();
  for (let index = 0; index < 1000; index++) (await batch.runBatch(commands))._unsafeUnwrap();
  const batchPerSecond = Math.round((100_000 / (performance.now() - batchStarted)) * 1000);
  console.log(`simulator: ${batchPerSecond.toLocaleString('en-US')} commands/s in batches of 100; virtual time for 1000 batches: ${(batch.stats().elapsedMs / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
