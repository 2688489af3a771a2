// @ts-check
/**
 * A local typedoc plugin: groups every export of the documentation by topic, from the directory of the
 * source file that declares it, so that no source file needs a `@group` tag.
 *
 *   src/driver/**, src/inventory/**  -> Driver        src/runners/**    -> Runners
 *   src/simulator/**                 -> Simulator     src/parsers/**    -> Parsers
 *   src/clone-tree/**                -> Clone tree    src/errors.ts, src/driver/errors.ts -> Errors
 *
 * It adds a `@group <topic>` block tag to the comment of each top-level export (a child of a module)
 * just before typedoc's GroupPlugin reads the tags. A `@group` written in a doc comment wins. An
 * export without a comment gets no tag, so that `notDocumented` validation still reports it (an added
 * tag would count as documentation). It also names the three modules after their import paths
 * (`gpfs-volumes`, `gpfs-volumes/local`, `gpfs-volumes/ssh`) instead of their file paths.
 *
 * Listed in typedoc.json `plugin`; the topic order is typedoc.json `groupOrder`.
 */
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** The project root (this file is in tools/). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** First match wins: a file path relative to the project root, with `/` separators. */
const TOPICS = [
  { topic: 'Errors', test: (file) => file === 'src/errors.ts' || file === 'src/driver/errors.ts' },
  { topic: 'Parsers', test: (file) => file.startsWith('src/parsers/') },
  { topic: 'Clone tree', test: (file) => file.startsWith('src/clone-tree/') },
  { topic: 'Runners', test: (file) => file.startsWith('src/runners/') },
  { topic: 'Simulator', test: (file) => file.startsWith('src/simulator/') },
  { topic: 'Driver', test: (file) => file.startsWith('src/driver/') || file.startsWith('src/inventory/') },
];

/** Module names typedoc derives from the entry points, and the import paths users write. */
const MODULE_NAMES = new Map([
  ['index', 'gpfs-volumes'],
  ['runners/local', 'gpfs-volumes/local'],
  ['runners/ssh', 'gpfs-volumes/ssh'],
]);

/**
 * The topic of a source file.
 *
 * @param {string} file - Path relative to the project root, `/` separators.
 * @returns {string | null} The topic, or `null` outside src/.
 */
export function topicOf(file) {
  return TOPICS.find((entry) => entry.test(file))?.topic ?? null;
}

/**
 * Plugin entry point.
 *
 * @param {import('typedoc').Application} app - The typedoc application.
 */
export function load(app) {
  /** @type {Map<number, string>} reflection id -> topic, for the top-level exports */
  const topics = new Map();
  /** @type {string[]} */
  const unplaced = [];

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (reflection.kindOf(ReflectionKind.Module)) {
      const name = MODULE_NAMES.get(reflection.name);
      if (name !== undefined) reflection.name = name;
      return;
    }
    if (!reflection.parent?.kindOf(ReflectionKind.SomeModule)) return;
    const declaration = context.getSymbolFromReflection(reflection)?.declarations?.[0];
    if (declaration === undefined) return;
    const file = relative(ROOT, declaration.getSourceFile().fileName).split(sep).join('/');
    const topic = topicOf(file);
    if (topic === null) unplaced.push(`${reflection.name} (${file})`);
    else topics.set(reflection.id, topic);
  });

  // Before typedoc's GroupPlugin (priority -100), after the comments are final (CommentPlugin).
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      for (const [id, topic] of topics) {
        const reflection = context.project.getReflectionById(id);
        if (reflection === undefined || !reflection.isDeclaration()) continue;
        const comment = documentedComment(reflection);
        if (comment === undefined) continue; // undocumented: left for notDocumented validation to report
        if (hasGroupTag(reflection)) continue; // an explicit @group wins
        comment.blockTags.push(new CommentTag('@group', [{ kind: 'text', text: topic }]));
      }
      for (const entry of unplaced) app.logger.warn(`typedoc-topics: no topic for ${entry}; add its directory to tools/typedoc-topics.mjs`);
      topics.clear();
      unplaced.length = 0;
    },
    -50,
  );
}

// --- Internal helpers ---

/**
 * The comment GroupPlugin reads for a reflection: its own, or its first signature's (functions).
 *
 * @param {import('typedoc').DeclarationReflection} reflection - A top-level export.
 * @returns {Comment | undefined} A comment with visible content, or `undefined`.
 */
function documentedComment(reflection) {
  const candidates = [reflection.comment, ...(reflection.signatures ?? []).map((signature) => signature.comment)];
  return candidates.find((comment) => comment instanceof Comment && comment.hasVisibleComponent());
}

/**
 * Whether a doc comment of the reflection already has a `@group` tag.
 *
 * @param {import('typedoc').DeclarationReflection} reflection - A top-level export.
 * @returns {boolean} `true` when one does.
 */
function hasGroupTag(reflection) {
  const comments = [reflection.comment, ...(reflection.signatures ?? []).map((signature) => signature.comment)];
  return comments.some((comment) => comment?.blockTags.some((tag) => tag.tag === '@group') === true);
}
