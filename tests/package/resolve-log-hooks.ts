/**
 * The source of a Node module-customization hook that appends every URL the ESM loader resolves to a log
 * file (`register(hooksUrl, { data: { logPath } })`): how the package tests see which modules an import
 * of the root entry loads.
 */
export const RESOLVE_LOG_HOOKS_SOURCE = [
  "import { appendFileSync } from 'node:fs';",
  'let logPath;',
  'export function initialize(data) { logPath = data.logPath; }',
  'export async function resolve(specifier, context, next) {',
  '  const result = await next(specifier, context);',
  "  appendFileSync(logPath, result.url + '\\n');",
  '  return result;',
  '}',
].join('\n');
