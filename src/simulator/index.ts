/**
 * Barrel of the simulator area: explicit named exports only.
 *
 * @module
 */
export { createGpfsSimulator, tryCreateGpfsSimulator } from './simulator.js';
export { validateSimulatorOptions, DEFAULT_LATENCY } from './options.js';
export type { GpfsSimulator, SimulatorClock, SimulatorStats } from './simulator-types.js';
export type {
  LatencyModel,
  SimulatorFilesetOptions,
  SimulatorFilesystemOptions,
  SimulatorNodeOptions,
  SimulatorNodeState,
  SimulatorOptions,
  SimulatorPoolOptions,
  SimulatorRootDiskOptions,
} from './options-types.js';
export type { SimulatorError, SimulatorErrorReason } from './simulator-error.js';
export type { SeedFileSpec, SimulatorControl } from './control.js';
export type { FaultMatcher, FaultOutcome, FaultSpec, InjectedFault, SimulatorFaults } from './faults.js';
export type { CommandLogEntry, SimulatorCommandLog } from './command-log.js';
export type {
  ClusterStateInfo,
  FileCloneInfo,
  FilesetStateInfo,
  FilesystemSignatureInfo,
  FilesystemStateInfo,
  ListFilesOptions,
  MountInfo,
  NodeStateInfo,
  SimulatedCloneEntry,
  SimulatedFile,
  SimulatorInspector,
  SimulatorStateSnapshot,
  SnapshotStateInfo,
} from './inspect-types.js';
