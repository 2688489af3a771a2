/**
 * The local ESLint rule `local/must-use-result` (eslint-rules/must-use-result.js), run by ESLint's RuleTester
 * with type information: each case is linted as tests/lint/fixtures/file.ts, whose tsconfig resolves
 * `neverthrow` from this checkout's node_modules.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import rule from '../../eslint-rules/must-use-result.js';

RuleTester.describe = describe;
RuleTester.it = it;

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const filename = join(fixtures, 'file.ts');
const HEADER = "import { err, errAsync, ok, okAsync, Result, ResultAsync } from 'neverthrow';\n";

const ruleTester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { projectService: true, tsconfigRootDir: fixtures },
  },
});

type Options = [{ allowVoid?: boolean; checkCallbacks?: boolean }];

const valid = (code: string, options?: Options) => ({ code: HEADER + code, filename, ...(options === undefined ? {} : { options }) });
const invalid = (code: string, errors: { messageId: 'dropped' | 'droppedByCallback'; type: 'Result' | 'ResultAsync' }[], options?: Options) => ({
  code: HEADER + code,
  filename,
  errors: errors.map(({ messageId, type }) => ({ messageId, data: { type } })),
  ...(options === undefined ? {} : { options }),
});

describe('lint: local/must-use-result', () => {
  ruleTester.run('must-use-result', rule, {
    valid: [
      // Returned, assigned, passed on.
      valid('export function make(): Result<number, string> { return ok(1); }'),
      valid('export const made = ok(1);'),
      valid('let later: Result<number, string>;\nlater = ok(1);\nexport { later };'),
      valid('console.log(okAsync(1));'),
      valid('export const chained = ok(1).map((n) => n + 1);'),
      // Awaited and then used.
      valid('export async function f(g: () => ResultAsync<number, string>) {\n  const result = await g();\n  return result.isOk();\n}'),
      // Consumed in the statement itself: match, unwrapOr, isErr give something else than a Result.
      valid('ok(1).match((n) => n, () => 0);'),
      valid('ok(1).unwrapOr(0);'),
      valid("if (err('x').isErr()) console.log('failed');"),
      valid('export async function f() {\n  (await okAsync(1))._unsafeUnwrap();\n}'),
      // An explicit discard.
      valid('void okAsync(1);'),
      // Callbacks whose caller uses what they return.
      valid('export const results = [1, 2].map((n) => ok(n));'),
      valid('export const later = () => okAsync(1);'),
      valid('[1, 2].forEach((n) => okAsync(n));', [{ checkCallbacks: false }]),
      valid('[1, 2].forEach((n) => void okAsync(n));'),
      // Not neverthrow: a class of the same name, and plain promises (no-floating-promises' business).
      valid('class Ok {}\nnew Ok();'),
      valid('declare function later(): Promise<number>;\nexport async function f() {\n  await later();\n}'),
    ],
    invalid: [
      invalid('ok(1);', [{ messageId: 'dropped', type: 'Result' }]),
      invalid("errAsync('x');", [{ messageId: 'dropped', type: 'ResultAsync' }]),
      invalid('export async function f(g: () => ResultAsync<number, string>) {\n  await g();\n}', [{ messageId: 'dropped', type: 'Result' }]),
      invalid('ok(1).map((n) => n + 1);', [{ messageId: 'dropped', type: 'Result' }]),
      invalid("declare const flag: boolean;\nflag ? ok(1) : errAsync('x');", [{ messageId: 'dropped', type: 'ResultAsync' }]),
      invalid('declare const flag: boolean;\nflag && ok(1);', [{ messageId: 'dropped', type: 'Result' }]),
      invalid("ok(1), err('x');", [
        { messageId: 'dropped', type: 'Result' },
        { messageId: 'dropped', type: 'Result' },
      ]),
      invalid('declare const maybe: (() => Result<number, string>) | undefined;\nmaybe?.();', [{ messageId: 'dropped', type: 'Result' }]),
      invalid('export function f<T extends Result<number, string>>(g: () => T) {\n  g();\n}', [{ messageId: 'dropped', type: 'Result' }]),
      invalid('new ResultAsync(Promise.resolve(ok(1)));', [{ messageId: 'dropped', type: 'ResultAsync' }]),
      invalid('void okAsync(1);', [{ messageId: 'dropped', type: 'ResultAsync' }], [{ allowVoid: false }]),
      invalid('[1, 2].forEach((n) => void okAsync(n));', [{ messageId: 'droppedByCallback', type: 'ResultAsync' }], [{ allowVoid: false }]),
      invalid('[1, 2].forEach((n) => okAsync(n));', [{ messageId: 'droppedByCallback', type: 'ResultAsync' }]),
      invalid('export function each(run: (n: number) => void) {\n  run(1);\n}\neach((n) => ok(n));', [{ messageId: 'droppedByCallback', type: 'Result' }]),
    ],
  });
});
