/**
 * A mock runner scripted to answer the conformance vocabulary (printf '%s\0', cat, test, true,
 * false, sleep) the way the real programs do, so that the mock runs the conformance suite.
 */
import { createMockRunner, type MockOutput, type MockRunner } from '../../src/index.js';

/**
 * Makes a strict mock that answers the conformance vocabulary.
 *
 * @returns The mock.
 */
export function createVocabularyMock(): MockRunner {
  return createMockRunner({ strict: true })
    .on({ prefix: ['printf', '%s\\0'] }, (command) => {
      const values = command.argv.slice(2);
      return { stdout: (values.length === 0 ? [''] : values).map((value) => `${value}\u0000`).join('') };
    })
    .on(
      (command) => command.argv[0] === 'cat' && command.argv.length > 1,
      (command) => ({
        exitCode: 1,
        stderr: command.argv
          .slice(1)
          .map((path) => `cat: ${path}: No such file or directory\n`)
          .join(''),
      }),
    )
    .on(['cat'], (_command, context) => ({ stdout: context.stdinBytes ?? '' }))
    .on({ prefix: ['test'] }, (command) => answerTest(command.argv.slice(1)))
    .on(['true'], {})
    .on(['false'], { exitCode: 1 })
    .on(
      (command) => command.argv[0] === 'sleep' && command.argv.length === 2,
      (command, context) =>
        new Promise<MockOutput>((resolve) => {
          const timer = setTimeout(() => resolve({}), Number(command.argv[1]) * 1000);
          context.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve({});
          });
        }),
    );
}

// --- Internal helpers ---

function answerTest(operands: readonly string[]): MockOutput {
  const [left, operator, right] = operands;
  if (operands.length === 3 && operator === '-eq') return { exitCode: Number(left) === Number(right) ? 0 : 1 };
  if (operands.length === 2 && left === '-e') return { exitCode: 1 }; // the mock has no files
  return { exitCode: 2, stderr: 'test: unsupported expression\n' };
}
