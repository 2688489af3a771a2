/**
 * The error the simulator's own control and inspection APIs return (not a command failure: commands
 * report failures the way the real tools do, through exit codes and stderr).
 *
 * @module
 */

/** Why a simulator API call was refused. */
export type SimulatorErrorReason = 'InvalidOptions' | 'InvalidArgument' | 'NotFound' | 'AlreadyExists' | 'InvalidState' | 'InvalidStateFile';

/**
 * A simulator API call was refused.
 *
 * @example
 * ```ts
 * const error: SimulatorError = { kind: 'SimulatorError', reason: 'NotFound', message: 'no such file: /gpfs0/x', path: '/gpfs0/x' };
 * ```
 */
export interface SimulatorError {
  /** Always `'SimulatorError'`. */
  readonly kind: 'SimulatorError';
  /** Machine-readable reason. */
  readonly reason: SimulatorErrorReason;
  /** What is wrong, for people. */
  readonly message: string;
  /** The path involved, where there is one. */
  readonly path?: string;
  /** Every problem found, for `InvalidOptions`. */
  readonly problems?: readonly string[];
}

/**
 * Builds a {@link SimulatorError}.
 *
 * @internal
 */
export function simulatorError(reason: SimulatorErrorReason, message: string, path?: string): SimulatorError {
  return path === undefined ? { kind: 'SimulatorError', reason, message } : { kind: 'SimulatorError', reason, message, path };
}
