/**
 * The labels of `mmlsattr -L` and how their values are read (internal to `parseMmlsattr`).
 *
 * @module
 */
import type { MmlsattrRecord, Replication } from './mmlsattr.js';
import { toBoolean } from './values.js';

/** A record field that a label fills. */
export type MmlsattrField = Exclude<keyof MmlsattrRecord, 'fileName' | 'other'>;
/** A converted value. */
export type MmlsattrValue = Replication | boolean | string | string[];

/** Known labels, lower-cased with single spaces. */
const FIELDS: ReadonlyMap<string, MmlsattrField | 'fileName'> = new Map<string, MmlsattrField | 'fileName'>([
  ['file name', 'fileName'],
  ['metadata replication', 'metadataReplication'],
  ['data replication', 'dataReplication'],
  ['immutable', 'immutable'],
  ['appendonly', 'appendOnly'],
  ['flags', 'flags'],
  ['storage pool name', 'storagePoolName'],
  ['fileset name', 'filesetName'],
  ['snapshot name', 'snapshotName'],
  ['creation time', 'creationTime'],
  ['misc attributes', 'miscAttributes'],
  ['windows attributes', 'miscAttributes'],
  ['encrypted', 'encrypted'],
]);

/** Fast path: the labels exactly as GPFS prints them. */
export const MMLSATTR_LABELS: ReadonlyMap<string, MmlsattrField | 'fileName'> = new Map(
  [
    'file name',
    'metadata replication',
    'data replication',
    'immutable',
    'appendOnly',
    'flags',
    'storage pool name',
    'fileset name',
    'snapshot name',
    'creation time',
    'Misc attributes',
    'Windows attributes',
    'Encrypted',
  ].map((label) => [label, FIELDS.get(label.toLowerCase())!]),
);

/** Looks a label up without regard to case or repeated spaces. */
export function fieldOfLabel(printed: string): MmlsattrField | 'fileName' | undefined {
  return FIELDS.get(printed.trim().toLowerCase().replace(/\s+/g, ' '));
}

/** Converts the value of a known label, or `undefined` when it cannot be read. */
export function readMmlsattrValue(field: MmlsattrField, value: string): MmlsattrValue | undefined {
  switch (field) {
    case 'metadataReplication':
    case 'dataReplication': {
      const match = /^(\d+)\s+max\s+(\d+)$/.exec(value);
      return match ? { current: Number(match[1]), max: Number(match[2]) } : undefined;
    }
    case 'immutable':
    case 'appendOnly':
    case 'encrypted':
      return toBoolean(value) ?? undefined;
    case 'flags':
      return value.split(/[\s,]+/).filter((token) => token !== '');
    case 'miscAttributes':
      if (value.includes('(')) return _splitAttributes(value);
      return value.split(/\s+/).filter((token) => token !== '');
    default:
      return value;
  }
}

// --- Internal helpers ---

/** Splits on white space, keeping a parenthesised group with the token before it: `COMPRESSION (library z)`. */
function _splitAttributes(value: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let depth = 0;
  for (const character of value) {
    if (depth === 0 && /\s/.test(character)) {
      if (current !== '') tokens.push(current);
      current = '';
      continue;
    }
    if (character === '(') {
      if (depth === 0 && current === '' && tokens.length > 0) current = `${tokens.pop()!} `;
      depth++;
    } else if (character === ')' && depth > 0) {
      depth--;
    }
    current += character;
  }
  if (current !== '') tokens.push(current);
  return tokens;
}
