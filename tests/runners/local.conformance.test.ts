import { createLocalRunner } from '../../src/runners/local/index.js';
import { describeRunnerConformance } from './conformance.js';

describeRunnerConformance({
  name: 'local',
  create: () => createLocalRunner(),
  dispose: (runner) => runner.dispose?.(),
  capabilities: { realProcesses: true, abortWhileRunning: true, signals: true, largeOutputBytes: 50 * 1024 * 1024 },
});
