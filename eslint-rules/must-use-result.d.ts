import type { Rule } from 'eslint';

/** `local/must-use-result`: a neverthrow Result or ResultAsync that is made and then dropped is an error. */
declare const rule: Rule.RuleModule;
export default rule;
