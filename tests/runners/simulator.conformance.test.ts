import { createGpfsSimulator } from '../../src/index.js';
import { describeRunnerConformance } from './conformance.js';

// The simulator runs no processes (no sh, kill or process trees), and its `sleep` runs on a virtual
// clock: a timeout ends it, but there is no wall-clock moment at which to abort it while it runs.
describeRunnerConformance({
  name: 'simulator',
  create: () => createGpfsSimulator(),
  dispose: (runner) => runner.dispose?.(),
  capabilities: { realProcesses: false, abortWhileRunning: false, signals: false, largeOutputBytes: 50 * 1024 * 1024 },
});
