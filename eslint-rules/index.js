// @ts-check
/**
 * The project's own ESLint rules, loaded by eslint.config.js as the plugin `local`.
 */
import mustUseResult from './must-use-result.js';

/** @type {import('eslint').ESLint.Plugin} */
const plugin = {
  meta: { name: 'gpfs-volumes-local' },
  rules: { 'must-use-result': mustUseResult },
};

export default plugin;
