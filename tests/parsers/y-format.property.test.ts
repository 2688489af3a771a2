import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatMachineReadable,
  parseFilesystemFormatVersion,
  parseMachineReadable,
  parseMmdf,
  parseMmgetstate,
  parseMmhealth,
  parseMmlscluster,
  parseMmlsconfig,
  parseMmlsdisk,
  parseMmlsfileset,
  parseMmlsfs,
  parseMmlsmount,
  parseMmlssnapshot,
  parseMmrepquota,
  type MmlsconfigEntry,
  type YTable,
} from '../../src/parsers/index.js';
import { decodeMachineReadableField, encodeMachineReadableField } from '../../src/parsers/y-encoding.js';

const PARSERS: readonly [string, (text: string) => unknown][] = [
  ['parseMachineReadable', parseMachineReadable],
  ['parseMmgetstate', parseMmgetstate],
  ['parseMmlsconfig', parseMmlsconfig],
  ['parseMmlsfs', parseMmlsfs],
  ['parseFilesystemFormatVersion', parseFilesystemFormatVersion],
  ['parseMmlsfileset', parseMmlsfileset],
  ['parseMmlssnapshot', parseMmlssnapshot],
  ['parseMmdf', parseMmdf],
  ['parseMmrepquota', parseMmrepquota],
  ['parseMmlscluster', parseMmlscluster],
  ['parseMmlsmount', parseMmlsmount],
  ['parseMmhealth', parseMmhealth],
  ['parseMmlsdisk', parseMmlsdisk],
  ['decodeMachineReadableField', decodeMachineReadableField],
];

const FIXTURE_DIRECTORIES = [
  'mmgetstate',
  'mmlsconfig',
  'mmlsfs',
  'mmlsfileset',
  'mmlssnapshot',
  'mmdf',
  'mmrepquota',
  'mmlscluster',
  'mmlsmount',
  'mmhealth',
  'mmlsdisk',
  'mmcesstate',
  'mmdiag',
  'mmaudit',
  'mmlsqos',
  'mmcesnfslsexport',
  'mmlsmgr',
];
const FIXTURES: readonly string[] = FIXTURE_DIRECTORIES.flatMap((directory) => {
  const url = new URL(`../fixtures/${directory}/`, import.meta.url);
  return readdirSync(url).map((name) => readFileSync(new URL(name, url), 'utf8'));
});

/** Characters that matter to the -Y format, lone surrogates, and any other code point. */
const character = fc.oneof(
  { arbitrary: fc.constantFrom(':', '%', '\n', '\r', ' ', '\t', '+', '/', '-', '0', '1', 'A', 'f', 'H', 'E', 'D', 'R', '*', '_'), weight: 5 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 3 },
);
const anyText = fc.string({ unit: character, maxLength: 40 });
const lineOfTokens = fc
  .array(fc.constantFrom('mmlsfs', 'mmdf', 'nsd', 'HEADER', '0', '1', '', 'version', 'reserved', 'a', '%3A', '%', '*** Report', ' '), { maxLength: 12 })
  .map((fields) => fields.join(':'));
const yLikeText = fc.tuple(fc.array(fc.oneof(lineOfTokens, anyText), { maxLength: 12 }), fc.constantFrom('\n', '\r\n')).map(([lines, separator]) => lines.join(separator));

/** Mutations of real fixtures: cut, insert, delete, replace and shuffle pieces. */
const mutatedFixture = fc
  .tuple(fc.constantFrom(...FIXTURES), fc.array(fc.tuple(fc.constantFrom('cut', 'insert', 'delete', 'replace', 'swap-lines'), fc.nat(), fc.nat(), anyText), { minLength: 1, maxLength: 5 }))
  .map(([text, mutations]) =>
    mutations.reduce((current, [kind, first, second, insert]) => {
      const at = current.length === 0 ? 0 : first % current.length;
      const to = current.length === 0 ? 0 : second % current.length;
      if (kind === 'cut') return current.slice(0, at);
      if (kind === 'insert') return current.slice(0, at) + insert + current.slice(at);
      if (kind === 'delete') return current.slice(0, Math.min(at, to)) + current.slice(Math.max(at, to));
      if (kind === 'replace') return current.slice(0, at) + insert + current.slice(at + insert.length);
      const lines = current.split('\n');
      const a = first % lines.length;
      const b = second % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }, text),
  );

/** The row keys of a column list, written from the documented rule (independently of the implementation). */
function expectedKeys(columns: readonly string[]): string[] {
  const used: string[] = [];
  for (const name of columns) {
    let key = name;
    let suffix = 2;
    while (used.includes(key)) {
      do key = `${name}_${suffix++}`;
      while (columns.includes(key));
    }
    used.push(key);
  }
  return used;
}

function record(keys: readonly string[], values: readonly string[]): Record<string, string> {
  const row: Record<string, string> = {};
  keys.forEach((key, index) => Object.defineProperty(row, key, { value: values[index], enumerable: true, writable: true, configurable: true }));
  return row;
}

const command = fc.stringMatching(/^[A-Za-z][\w.-]{0,7}$/);
const recordType = fc.oneof(fc.constant(''), fc.stringMatching(/^[\w.-]{1,8}$/));
const columnName = fc.oneof(fc.constantFrom('reserved', 'reserved_2', '__proto__', 'constructor', '0', 'toString', ''), anyText);
const table: fc.Arbitrary<YTable> = fc.tuple(command, recordType, fc.array(columnName, { maxLength: 6 })).chain(([tableCommand, tableRecordType, columns]) =>
  fc.array(fc.tuple(fc.array(anyText, { minLength: columns.length, maxLength: columns.length }), fc.array(anyText, { maxLength: 3 })), { maxLength: 4 }).map((rows) => {
    const keys = expectedKeys(columns);
    return {
      command: tableCommand,
      recordType: tableRecordType,
      columns,
      rows: rows.map(([values]) => record(keys, values)),
      headerLine: 0,
      rowLines: [],
      extraFields: rows.map(([, extra]) => extra),
    };
  }),
);

describe('parsers: -Y properties', () => {
  it.each(PARSERS)('%s never throws, whatever string it is given', (_name, parse) => {
    fc.assert(
      fc.property(fc.oneof(anyText, yLikeText, mutatedFixture), (text) => {
        const result = parse(text) as { isOk?: () => boolean } | string;
        expect(typeof result === 'string' || typeof result.isOk === 'function').toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reads back every table it writes, whatever characters names and values hold', () => {
    fc.assert(
      fc.property(fc.array(table, { maxLength: 4 }), (tables) => {
        const text = formatMachineReadable(tables)._unsafeUnwrap();
        let line = 0;
        const expected = tables.map((written) => {
          line += 1;
          const headerLine = line;
          return { ...written, headerLine, rowLines: written.rows.map(() => ++line) };
        });
        expect(parseMachineReadable(text)._unsafeUnwrap()).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('reads back tables written from value arrays and with extra characters encoded', () => {
    fc.assert(
      fc.property(table, anyText, (written, alsoEncode) => {
        const valueRows = written.rows.map((row) => expectedKeys(written.columns).map((key) => row[key] ?? ''));
        const text = formatMachineReadable([{ ...written, rows: valueRows }], { alsoEncode: { '*': alsoEncode } })._unsafeUnwrap();
        const [read] = parseMachineReadable(text)._unsafeUnwrap();
        expect(read?.rows).toEqual(written.rows);
        expect(read?.extraFields).toEqual(written.extraFields);
      }),
    );
  });

  it('decodes every encoded field back to itself', () => {
    fc.assert(
      fc.property(anyText, anyText, (value, alsoEncode) => {
        const encoded = encodeMachineReadableField(value, alsoEncode);
        expect(encoded).not.toMatch(/[:\n\r]/);
        expect(decodeMachineReadableField(encoded)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('reads back mmlsconfig entries written in -Y form', () => {
    const entry = fc.record({ configParameter: anyText, value: anyText, nodeList: anyText });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), (entries: MmlsconfigEntry[]) => {
        const text = formatMachineReadable([{ command: 'mmlsconfig', recordType: '', columns: ['configParameter', 'value', 'nodeList'], rows: entries as Record<string, string>[] }]);
        expect(parseMmlsconfig(text._unsafeUnwrap())._unsafeUnwrap()).toEqual(entries);
      }),
    );
  });
});
