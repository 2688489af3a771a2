/**
 * `npm run bench`: runs every bench/*.bench.ts in one process, one after another, so that the figures each prints
 * (ratios measured side by side) come from the same run on the same machine.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(benchDirectory)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.includes(wanted)))
  .sort();

for (const name of files) {
  console.log(`\n=== ${name} ===`);
  const module = (await import(pathToFileURL(join(benchDirectory, name)).href)) as { run?: () => Promise<void> };
  if (typeof module.run === 'function') await module.run();
}
