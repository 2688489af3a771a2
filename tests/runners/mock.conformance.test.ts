import { describeRunnerConformance } from './conformance.js';
import { createVocabularyMock } from './vocabulary-mock.js';

// The mock runs no processes: the process-only checks are skipped by capability, the rest apply.
describeRunnerConformance({
  name: 'mock',
  create: () => createVocabularyMock(),
  capabilities: { realProcesses: false, abortWhileRunning: true, signals: false, largeOutputBytes: 50 * 1024 * 1024 },
});
