// @ts-check
/**
 * `local/must-use-result`: a neverthrow `Result` or `ResultAsync` that is made and then dropped is an error.
 *
 * A Result carries its failure as a value: dropping it drops the error without a trace (a `ResultAsync`
 * dropped without `await` also never settles anyone's attention). The rule reports
 * - an expression statement whose value is an `Ok`, `Err` or `ResultAsync` from the `neverthrow` package
 *   (`driver.deleteVolume(ref);`, `await driver.deleteVolume(ref);`, `result.map(log);`, each branch of
 *   `a ? f() : g()`, `cond && f()`, `f(), g()`), unless it is an assignment;
 * - an arrow function whose expression body is such a value where the function's contextual type returns
 *   `void`, so the caller throws the value away (`refs.forEach((ref) => driver.deleteVolume(ref))`).
 *
 * A value that is returned, assigned, passed to a function, awaited and then used, or matched
 * (`.match(...)`, `.unwrapOr(...)`, `.isErr()` give something else than a Result) is used.
 * `void expression` discards a Result on purpose and is allowed (option `allowVoid`, default true).
 *
 * eslint-plugin-neverthrow 1.1.4 (the only published plugin, 2021 code) cannot run on ESLint 9+: it reads
 * `context.parserServices` and calls `context.getScope()`, both removed in ESLint 9, and it depends on
 * tsutils 3 (TypeScript <= 4). Hence this small rule.
 */
import ts from 'typescript';

const NEVERTHROW_TYPES = new Set(['Ok', 'Err', 'ResultAsync']);
const NEVERTHROW_FILE = /[\\/]node_modules[\\/]neverthrow[\\/]/;

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Require every neverthrow Result and ResultAsync to be used (returned, assigned, passed on, matched or unwrapped).',
    },
    messages: {
      dropped: 'This {{type}} is dropped, and with it any error it holds. Return it, assign it, pass it on, or match/unwrap it; write `void` before it to discard it on purpose.',
      droppedByCallback: 'This callback returns a {{type}} where its caller expects nothing, so any error it holds is dropped. Handle it in the callback (match/unwrap) or use a loop.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          allowVoid: { type: 'boolean', description: 'Allow `void expression` as an explicit discard.' },
          checkCallbacks: { type: 'boolean', description: 'Also report arrow functions returning a Result where the contextual type returns void.' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ allowVoid: true, checkCallbacks: true }],
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    const program = services?.program;
    const nodeMap = services?.esTreeNodeToTSNodeMap;
    if (!program || !nodeMap) {
      throw new Error('local/must-use-result needs type information: set parserOptions.projectService (typescript-eslint parser).');
    }
    const checker = program.getTypeChecker();
    const [{ allowVoid = true, checkCallbacks = true } = {}] = /** @type {[{ allowVoid?: boolean; checkCallbacks?: boolean }?]} */ (context.options);

    /**
     * @param {import('estree').Node} node
     * @returns {string | undefined} The neverthrow type name when the node's value is one.
     */
    const resultTypeOf = (node) => _neverthrowTypeName(checker, checker.getTypeAtLocation(nodeMap.get(/** @type {never} */ (node))));

    /** @param {import('estree').Expression} expression */
    const checkDropped = (expression) => {
      if (expression.type === 'AssignmentExpression') return;
      if (expression.type === 'UnaryExpression' && expression.operator === 'void') {
        if (!allowVoid) checkDropped(expression.argument);
        return;
      }
      if (expression.type === 'SequenceExpression') {
        for (const part of expression.expressions) checkDropped(part);
        return;
      }
      const type = resultTypeOf(expression);
      if (type !== undefined) context.report({ node: expression, messageId: 'dropped', data: { type } });
    };

    return {
      ExpressionStatement(node) {
        if ('directive' in node && node.directive !== undefined) return;
        checkDropped(node.expression);
      },
      'ArrowFunctionExpression[expression=true]'(/** @type {import('estree').ArrowFunctionExpression} */ node) {
        if (!checkCallbacks || node.body.type === 'BlockStatement') return;
        const body = node.body.type === 'UnaryExpression' && node.body.operator === 'void' && !allowVoid ? node.body.argument : node.body;
        const type = resultTypeOf(body);
        if (type === undefined) return;
        const tsNode = /** @type {ts.Expression} */ (nodeMap.get(/** @type {never} */ (node)));
        const contextual = checker.getContextualType(tsNode);
        if (contextual !== undefined && _returnsVoid(contextual)) context.report({ node: body, messageId: 'droppedByCallback', data: { type } });
      },
    };
  },
};

export default rule;

// --- Internal helpers ---

/**
 * Names the neverthrow type (`Result` for Ok/Err, `ResultAsync`) the type is or may be, if any.
 *
 * @param {ts.TypeChecker} checker
 * @param {ts.Type} type
 * @returns {string | undefined}
 */
function _neverthrowTypeName(checker, type) {
  let found;
  for (const part of type.isUnion() ? type.types : [type]) {
    const concrete = part.flags & ts.TypeFlags.TypeParameter ? (checker.getBaseConstraintOfType(part) ?? part) : part;
    if (concrete !== part) {
      const inner = _neverthrowTypeName(checker, concrete);
      if (inner === 'ResultAsync') return inner;
      found ??= inner;
      continue;
    }
    const symbol = part.getSymbol();
    if (symbol === undefined || !NEVERTHROW_TYPES.has(symbol.getName())) continue;
    if (!(symbol.getDeclarations() ?? []).some((declaration) => NEVERTHROW_FILE.test(declaration.getSourceFile().fileName))) continue;
    if (symbol.getName() === 'ResultAsync') return 'ResultAsync';
    found = 'Result';
  }
  return found;
}

/**
 * Tells whether every call signature of the contextual type returns `void` (and there is at least one).
 *
 * @param {ts.Type} contextual
 * @returns {boolean}
 */
function _returnsVoid(contextual) {
  const signatures = (contextual.isUnion() ? contextual.types : [contextual]).flatMap((part) => part.getCallSignatures());
  return signatures.length > 0 && signatures.every((signature) => (signature.getReturnType().flags & ts.TypeFlags.Void) !== 0);
}
