/**
 * Helpers for the simulator tests.
 */
import { expect } from 'vitest';
import type { Command, CommandOutput, GpfsSimulator, RunnerError } from '../../src/index.js';

/** Runs a command as root and returns its output (fails the test on a runner error). */
export async function root(sim: GpfsSimulator, argv: readonly string[], extra: Omit<Command, 'argv'> = {}): Promise<CommandOutput> {
  const result = await sim.run({ argv, asRoot: true, ...extra });
  if (result.isErr()) throw new Error(`runner error for ${argv.join(' ')}: ${result.error.kind} ${result.error.message}`);
  return result.value;
}

/** Runs a command as root and expects exit code 0 and no stderr noise it did not expect. */
export async function ok(sim: GpfsSimulator, argv: readonly string[], extra: Omit<Command, 'argv'> = {}): Promise<CommandOutput> {
  const output = await root(sim, argv, extra);
  expect(output.exitCode, `${argv.join(' ')}: ${output.stderr}`).toBe(0);
  return output;
}

/** Runs a command as the unprivileged user. */
export async function user(sim: GpfsSimulator, argv: readonly string[]): Promise<CommandOutput> {
  const result = await sim.run({ argv });
  if (result.isErr()) throw new Error(`runner error for ${argv.join(' ')}: ${result.error.kind}`);
  return result.value;
}

/** Runs a command and returns its runner error (fails the test when it succeeds). */
export async function runnerError(sim: GpfsSimulator, command: Command): Promise<RunnerError> {
  const result = await sim.run(command);
  if (result.isOk()) throw new Error(`expected a runner error for ${command.argv.join(' ')}, got exit ${result.value.exitCode}`);
  return result.error;
}

/** Unwraps an Ok result of the simulator's APIs. */
export function value<T>(result: { isOk(): boolean; _unsafeUnwrap(): T }): T {
  return result._unsafeUnwrap();
}
