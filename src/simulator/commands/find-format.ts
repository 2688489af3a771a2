/**
 * Helpers of `find`: shell glob matching for `-name`, and `-printf` directives (the attributes stat
 * prints too come from file-fields.ts).
 *
 * @module
 */
import { allocatedBytes } from '../model/allocation.js';
import type { Inode } from '../model/types.js';
import { interpretEscapes } from './escapes.js';
import { fileFieldText, typeLetter, type FileField } from './file-fields.js';
import { asctime } from './format.js';

/** One file `find` visits. */
export interface Visit {
  readonly inode: Inode;
  /** Path as find prints it. */
  readonly path: string;
  /** Start point it was reached from. */
  readonly start: string;
  readonly depth: number;
}

/**
 * Compiles a shell glob (`*`, `?`, `[...]`, backslash escapes) into a regular expression.
 *
 * @param pattern - Glob.
 * @param ignoreCase - Match case-insensitively.
 * @param matchSlash - Let `*` match `/` (for `-path`).
 * @returns The expression.
 */
export function globToRegExp(pattern: string, ignoreCase = false, matchSlash = true): RegExp {
  let source = '^';
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index] as string;
    if (character === '\\' && index + 1 < pattern.length) source += escapeRegExp(pattern[++index] as string);
    else if (character === '*') source += matchSlash ? '[\\s\\S]*' : '[^/]*';
    else if (character === '?') source += matchSlash ? '[\\s\\S]' : '[^/]';
    else if (character === '[') {
      const close = pattern.indexOf(']', index + 2);
      if (close < 0) source += '\\[';
      else {
        let body = pattern.slice(index + 1, close);
        const negate = body.startsWith('!') || body.startsWith('^');
        if (negate) body = body.slice(1);
        source += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
        index = close;
      }
    } else source += escapeRegExp(character);
  }
  return new RegExp(`${source}$`, ignoreCase ? 'is' : 's');
}

/**
 * The last path component, as `%f` prints it.
 *
 * @param path - A find path.
 * @returns Its name.
 */
export function baseName(path: string): string {
  if (path === '/') return '/';
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? trimmed : trimmed.slice(slash + 1);
}

/**
 * Expands a `-printf` format for one visited file.
 *
 * @param format - The format (escapes and directives).
 * @param visit - The file.
 * @returns The text, and whether `\c` asked to stop output.
 */
export function expandPrintf(format: string, visit: Visit): { text: string; stop: boolean } {
  let result = '';
  const pattern = /%([-+ #0]*)(\d*)(?:\.(\d+))?([a-zA-Z%@]|[ACT].)|%$/g;
  let last = 0;
  for (let match = pattern.exec(format); match !== null; match = pattern.exec(format)) {
    const literal = interpretEscapes(format.slice(last, match.index), true);
    result += literal.text;
    if (literal.stopped) return { text: result, stop: true };
    last = pattern.lastIndex;
    const directive = match[4];
    if (directive === undefined) {
      result += '%';
      continue;
    }
    const value = directive === '%' ? '%' : directiveValue(directive, visit);
    const width = Number(match[2] || 0);
    result += (match[1] ?? '').includes('-') ? value.padEnd(width) : value.padStart(width);
  }
  const tail = interpretEscapes(format.slice(last), true);
  return { text: result + tail.text, stop: tail.stopped };
}

// --- Internal helpers ---

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Directives that mean what the stat `-c` directive of the same field means. */
const SHARED_DIRECTIVES: ReadonlyMap<string, FileField> = new Map<string, FileField>([
  ['i', 'inodeNumber'],
  ['s', 'sizeBytes'],
  ['b', 'allocatedBlocks512'],
  ['m', 'modeOctal'],
  ['M', 'modeSymbolic'],
  ['n', 'linkCount'],
  ['U', 'uid'],
  ['u', 'userName'],
  ['G', 'gid'],
  ['g', 'groupName'],
  ['D', 'deviceNumber'],
]);

function directiveValue(directive: string, visit: Visit): string {
  const { inode, path } = visit;
  const letter = directive[0] as string;
  const shared = SHARED_DIRECTIVES.get(letter);
  if (shared !== undefined) return fileFieldText(inode, shared);
  switch (letter) {
    case 'p':
      return path;
    case 'f':
      return baseName(path);
    case 'h': {
      const trimmed = path.replace(/\/+$/, '');
      const slash = trimmed.lastIndexOf('/');
      return slash < 0 ? '.' : slash === 0 ? '/' : trimmed.slice(0, slash);
    }
    case 'P':
      return path === visit.start ? '' : path.slice(visit.start.replace(/\/+$/, '').length + 1);
    case 'H':
      return visit.start;
    case 'k':
      return String(Math.ceil(allocatedBytes(inode) / 1024));
    case 'y':
    case 'Y':
      return typeLetter(inode);
    case 'd':
      return String(visit.depth);
    case 'l':
      return inode.symlinkTarget ?? '';
    case 'F':
      return inode.fs.fsType === 'ext2/ext3' ? 'ext4' : inode.fs.fsType;
    case 'a':
    case 'c':
    case 't':
      return asctime(letter === 'c' ? inode.ctimeMs : inode.mtimeMs);
    case 'A':
    case 'C':
    case 'T': {
      const time = letter === 'C' ? inode.ctimeMs : inode.mtimeMs;
      return directive[1] === '@' ? `${Math.floor(time / 1000)}.${String(time % 1000).padStart(3, '0')}0000000` : new Date(time).toISOString();
    }
    default:
      return '';
  }
}
