import { describe, expect, it } from 'vitest';
import { createGpfsSimulator } from '../../src/index.js';
import { ok } from './support.js';

describe('simulator: find -delete', () => {
  // updateGroup undoes a publish with `find <volume> -samefile <work> -delete`: the simulator removed the
  // inode's first name in the directory (the work name) instead of the visited one.
  it('removes the visited name and keeps a hard link to the same file in the same directory', async () => {
    const sim = createGpfsSimulator();
    await ok(sim, ['truncate', '-s', '10', '/gpfs0/work']);
    await ok(sim, ['ln', '--', '/gpfs0/work', '/gpfs0/volume']);
    await ok(sim, ['find', '/gpfs0/volume', '-maxdepth', '0', '-samefile', '/gpfs0/work', '-delete']);
    expect((await ok(sim, ['find', '/gpfs0', '-mindepth', '1', '-maxdepth', '1', '-type', 'f'])).stdout).toBe('/gpfs0/work\n');
  });
});
