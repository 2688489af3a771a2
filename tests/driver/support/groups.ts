/**
 * Helpers for the issue 8 tests: writing data into simulated files, digests, and a runner that lets a
 * "concurrent writer" act between two round trips of an operation.
 */
import { ResultAsync } from 'neverthrow';
import type { BatchCommand, BatchOptions, Command, CommandRunner } from '../../../src/runners/types.js';
import type { GpfsSimulator } from '../../../src/simulator/index.js';

/** Writes `megabytes` MiB of bytes derived from `seed` at the start of `path` (keeps the size). */
export async function writeData(sim: GpfsSimulator, path: string, seed: string, megabytes = 1): Promise<void> {
  const chunk = new TextEncoder().encode(`${seed}:`.repeat(Math.ceil((1024 * 1024) / (seed.length + 1))).slice(0, 1024 * 1024));
  const bytes = new Uint8Array(megabytes * 1024 * 1024);
  for (let offset = 0; offset < bytes.length; offset += chunk.length) bytes.set(chunk.subarray(0, Math.min(chunk.length, bytes.length - offset)), offset);
  const result = await sim.run({ argv: ['dd', `of=${path}`, 'bs=1M', `count=${megabytes}`, 'conv=notrunc'], asRoot: true, stdin: bytes });
  const output = result._unsafeUnwrap();
  if (output.exitCode !== 0) throw new Error(`dd into ${path} failed: ${output.stderr}`);
}

/** The content digest of a file (throws when it cannot be read). */
export function digestOf(sim: GpfsSimulator, path: string): string {
  return sim.inspect.digest(path)._unsafeUnwrap();
}

/** Runs `argv` as root on the simulator (outside any driver) and returns its exit code. */
export async function raw(sim: GpfsSimulator, ...argv: string[]): Promise<number | null> {
  return (await sim.run({ argv, asRoot: true }))._unsafeUnwrap().exitCode;
}

/** A hook that runs, once, before the first round trip whose commands match `when`. */
export interface Interleaving {
  readonly when: (argvs: readonly (readonly string[])[]) => boolean;
  readonly act: () => Promise<void>;
}

/**
 * Wraps a runner so that each hook acts (once) just before the first round trip it matches: a writer that
 * runs between two round trips of an operation, as a concurrent consumer of the volumes would.
 */
export function interleave(inner: CommandRunner, hooks: readonly Interleaving[]): CommandRunner & { readonly fired: () => number } {
  const pending = [...hooks];
  let fired = 0;
  const before = async (argvs: readonly (readonly string[])[]) => {
    for (const hook of [...pending]) {
      if (!hook.when(argvs)) continue;
      pending.splice(pending.indexOf(hook), 1);
      fired += 1;
      await hook.act();
    }
  };
  const runner: CommandRunner & { readonly fired: () => number } = {
    name: 'interleaving',
    fired: () => fired,
    run(command: Command) {
      return new ResultAsync(before([command.argv]).then(() => inner.run(command)));
    },
  };
  if (inner.runBatch) {
    const runBatch = inner.runBatch.bind(inner);
    (runner as { runBatch?: CommandRunner['runBatch'] }).runBatch = (commands: readonly BatchCommand[], options?: BatchOptions) =>
      new ResultAsync(before(commands.map((command) => command.argv)).then(() => runBatch(commands, options)));
  }
  return runner;
}
