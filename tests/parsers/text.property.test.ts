import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Result } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { ParseError } from '../../src/errors.js';
import { parseDf, type DfRow } from '../../src/parsers/df.js';
import { formatFileListing, parseFileListing, parseNulSeparated, type FileListingEntry, type FileTypeLetter } from '../../src/parsers/listings.js';
import { formatMmcloneShow, parseMmcloneShow, type MmcloneShowRow } from '../../src/parsers/mmclone.js';
import { parseMmlsattr, type MmlsattrRecord } from '../../src/parsers/mmlsattr.js';
import { parseMmlsattrReplication } from '../../src/parsers/mmlsattr-replication.js';
import { parseMmlspool, type MmlspoolPool } from '../../src/parsers/mmlspool.js';
import { parseQemuImgInfo } from '../../src/parsers/qemu-img.js';
import { parseStatFilesystemCapacity, parseStatFilesystemIds } from '../../src/parsers/stat.js';

const parsers: Record<string, (text: string) => Result<unknown, ParseError>> = {
  parseMmcloneShow,
  parseMmlsattr,
  parseMmlsattrReplication,
  parseMmlspool,
  parseDf,
  parseQemuImgInfo,
  parseNulSeparated,
  parseFileListing,
  parseStatFilesystemIds,
  parseStatFilesystemCapacity,
};

const fixturesRoot = new URL('../fixtures/', import.meta.url);
const fixtures = ['mmclone', 'mmlsattr', 'mmlspool', 'df', 'qemu-img', 'find', 'stat'].flatMap((directory) =>
  readdirSync(new URL(`${directory}/`, fixturesRoot))
    .filter((name) => name.endsWith('.txt'))
    .map((name) => readFileSync(new URL(`${directory}/${name}`, fixturesRoot), 'utf8')),
);

/** Every parser returns a Result; an Err is a ParseError whose line lies inside the input. */
function expectWellBehaved(text: string): void {
  const lineCount = text.split('\n').length;
  for (const [name, parse] of Object.entries(parsers)) {
    const result = parse(text);
    if (result.isErr()) {
      expect(result.error.kind, name).toBe('ParseError');
      expect(result.error.parser, name).toBe(name);
      const line = result.error.line ?? Number.NaN;
      expect(Number.isInteger(line) && line >= 1 && line <= lineCount, `${name} line ${line} of ${lineCount}`).toBe(true);
    }
  }
}

const mutatedFixture = fc
  .tuple(fc.constantFrom(...fixtures), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('cut', 'insert', 'replace', 'repeat'))
  .map(([text, a, b, insert, operation]) => {
    const start = text.length === 0 ? 0 : a % text.length;
    const end = text.length === 0 ? 0 : start + (b % (text.length - start + 1));
    if (operation === 'cut') return text.slice(0, start) + text.slice(end);
    if (operation === 'insert') return text.slice(0, start) + insert + text.slice(start);
    if (operation === 'replace') return text.slice(0, start) + insert + text.slice(end);
    return text.slice(0, end) + text.slice(start, end) + text.slice(end);
  });

describe('parsers: text formats, properties', () => {
  it('never throws and reports in-range lines for any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), expectWellBehaved), { numRuns: 500 });
  });

  it('never throws and reports in-range lines for mutated fixtures', () => {
    fc.assert(fc.property(mutatedFixture, expectWellBehaved), { numRuns: 1500 });
  });

  it('never throws on lines built from the tokens these formats use', () => {
    const token = fc.constantFrom(
      ...[' ', '  ', '\n', '\r\n', '\0', ':', '%', '(', ')', '-', '---', 'yes', 'no', '0', '148488', '8 MB', '( 5%)'],
      ...['Filesystem', '1K-blocks', 'file name:', 'Parent', '{', '}', '"format"', '[', ']'],
    );
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 60 }).map((tokens) => tokens.join('')),
        expectWellBehaved,
      ),
      { numRuns: 500 },
    );
  });

  const fileName = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((name) => !name.includes('\n') && !name.endsWith('\r') && name.trim() !== '');

  it('reads back what formatMmcloneShow prints', () => {
    const row: fc.Arbitrary<MmcloneShowRow> = fc.record({
      isParent: fc.boolean(),
      depth: fc.option(fc.integer({ min: 0, max: 99_999 }), { nil: null }),
      parentInode: fc.option(fc.integer({ min: 0, max: 99_999_999_999_999 }), { nil: null }),
      fileName,
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        expect(parseMmcloneShow(formatMmcloneShow(rows))._unsafeUnwrap()).toEqual(rows);
      }),
    );
  });

  it('reads back what formatFileListing prints, whatever the path holds', () => {
    const entry: fc.Arbitrary<FileListingEntry> = fc.record({
      inode: fc.maxSafeNat(),
      sizeBytes: fc.maxSafeNat(),
      allocatedBytes: fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 512) }).map((blocks) => blocks * 512),
      mode: fc.integer({ min: 0, max: 0o7777 }),
      type: fc.constantFrom<FileTypeLetter>('f', 'd', 'l', 'b', 'c', 'p', 's', 'D', 'U'),
      path: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).filter((path) => !path.includes('\0')),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), (entries) => {
        const text = formatFileListing(entries);
        expect(parseFileListing(text)._unsafeUnwrap()).toEqual(entries);
        expect(parseNulSeparated(text)._unsafeUnwrap()).toHaveLength(entries.length);
      }),
    );
  });

  it('reads back mmlsattr -L blocks printed the way GPFS lays them out', () => {
    const otherLabel = fc.stringMatching(/^[a-z][A-Za-z ]{0,15}[a-z]$/).filter((label) => !KNOWN.has(label.toLowerCase().replace(/\s+/g, ' ')));
    const name = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
    const replication = fc.record({ current: fc.integer({ min: 1, max: 3 }), max: fc.integer({ min: 1, max: 3 }) });
    const record: fc.Arbitrary<MmlsattrRecord> = fc.record(
      {
        fileName: fc.string({ unit: 'grapheme', maxLength: 40 }).filter((value) => !value.includes('\n') && !value.endsWith('\r')),
        metadataReplication: replication,
        dataReplication: replication,
        immutable: fc.boolean(),
        appendOnly: fc.boolean(),
        flags: fc.array(fc.constantFrom('illreplicated', 'illplaced', 'unbalanced', 'illcompressed'), { maxLength: 3 }),
        storagePoolName: name,
        filesetName: name,
        snapshotName: fc.oneof(fc.constant(''), name),
        creationTime: fc.option(fc.constantFrom('Wed Mar  9 10:08:00 2022', 'Fri Jun 21 13:45:43 2019'), { nil: null }),
        miscAttributes: fc.array(fc.constantFrom('ARCHIVE', 'READONLY', 'DIRECTORY', 'COMPRESSION (library z)'), { maxLength: 3 }),
        encrypted: fc.boolean(),
        other: fc.dictionary(otherLabel, name, { maxKeys: 2 }),
      },
      { requiredKeys: REQUIRED_KEYS },
    );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), (records) => {
        expect(parseMmlsattr(records.map(printMmlsattr).join(''))._unsafeUnwrap()).toEqual(records);
      }),
    );
  });

  it('reads back df -P -B 1 tables and mmlspool tables', () => {
    const count = fc.maxSafeNat();
    const dfRow: fc.Arbitrary<DfRow> = fc.record({
      filesystem: fc.stringMatching(/^[A-Za-z0-9/_.:-]{1,30}$/),
      totalBytes: count,
      usedBytes: count,
      availableBytes: count,
      capacityPercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      mountedOn: fc.stringMatching(/^\/[^\n\r]{0,30}$/),
    });
    fc.assert(
      fc.property(fc.array(dfRow, { maxLength: 10 }), (rows) => {
        const text = ['Filesystem     1-blocks  Used Available Capacity Mounted on', ...rows.map(printDfRow)].join('\n');
        expect(parseDf(`${text}\n`)._unsafeUnwrap()).toEqual(rows);
      }),
    );
    const kb = fc.integer({ min: 0, max: 2 ** 40 });
    const pool: fc.Arbitrary<MmlspoolPool> = fc.record({
      name: fc.stringMatching(/^[A-Za-z0-9_]{1,20}$/),
      id: fc.integer({ min: 0, max: 2 ** 20 }),
      blockSizeBytes: fc.constantFrom(256 * 1024, 1024 * 1024, 4 * 1024 * 1024, 16 * 1024 * 1024),
      data: fc.boolean(),
      meta: fc.boolean(),
      totalDataKB: kb,
      freeDataKB: kb,
      totalMetaKB: kb,
      freeMetaKB: kb,
    });
    fc.assert(
      fc.property(fc.array(pool, { minLength: 1, maxLength: 6 }), (pools) => {
        const text = ["Storage pools in file system at '/gpfs0':", POOL_HEADER, ...pools.map(printPool)].join('\n');
        expect(parseMmlspool(text)._unsafeUnwrap()).toEqual({ mountPoint: '/gpfs0', pools });
      }),
    );
  });
});

// --- Printers that follow the layouts in ../shared/reference/gpfs-output-formats.md ---

const KNOWN = new Set(
  ['file name', 'metadata replication', 'data replication', 'immutable', 'appendonly', 'flags', 'storage pool name'].concat([
    'fileset name',
    'snapshot name',
    'creation time',
    'misc attributes',
    'windows attributes',
    'encrypted',
  ]),
);
const REQUIRED_KEYS: (keyof MmlsattrRecord)[] = ['fileName', 'metadataReplication', 'dataReplication', 'immutable', 'appendOnly'];
REQUIRED_KEYS.push('flags', 'storagePoolName', 'filesetName', 'snapshotName', 'creationTime', 'miscAttributes', 'other');
const POOL_HEADER = 'Name                    Id   BlkSize Data Meta Total Data in (KB)   Free Data in (KB)   Total Meta in (KB)    Free Meta in (KB)';

function printMmlsattr(record: MmlsattrRecord): string {
  // Labels are padded to column 22; an empty value leaves the bare label (`flags:`).
  const line = (label: string, value: string): string => (value === '' ? `${label}:\n` : `${`${label}:`.padEnd(22)}${value}\n`);
  const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
  return [
    line('file name', record.fileName),
    line('metadata replication', `${record.metadataReplication.current} max ${record.metadataReplication.max}`),
    line('data replication', `${record.dataReplication.current} max ${record.dataReplication.max}`),
    line('immutable', yesNo(record.immutable)),
    line('appendOnly', yesNo(record.appendOnly)),
    ...Object.entries(record.other).map(([label, value]) => line(label, value)),
    line('flags', record.flags.join(' ')),
    line('storage pool name', record.storagePoolName),
    line('fileset name', record.filesetName),
    line('snapshot name', record.snapshotName),
    record.creationTime === null ? '' : line('creation time', record.creationTime),
    line('Misc attributes', record.miscAttributes.join(' ')),
    record.encrypted === undefined ? '' : line('Encrypted', yesNo(record.encrypted)),
  ].join('');
}

function printDfRow(row: DfRow): string {
  const capacity = row.capacityPercent === null ? '-' : `${row.capacityPercent}%`;
  return `${row.filesystem.padEnd(14)} ${row.totalBytes} ${row.usedBytes} ${row.availableBytes} ${capacity} ${row.mountedOn}`;
}

function printPool(pool: MmlspoolPool): string {
  const MiB = 1024 * 1024;
  const number = (value: number): string => String(value).padStart(14);
  const percent = (free: number, total: number): string => `(${String(total === 0 ? 0 : Math.floor((free * 100) / total)).padStart(3)}%)`;
  const blockSize = pool.blockSizeBytes % MiB === 0 ? `${pool.blockSizeBytes / MiB} MB` : `${pool.blockSizeBytes / 1024} KB`;
  const yesNo = (value: boolean): string => (value ? 'yes' : 'no').padStart(4);
  return [
    `${pool.name.padEnd(20)}${String(pool.id).padStart(6)}${blockSize.padStart(10)} ${yesNo(pool.data)} ${yesNo(pool.meta)}`,
    `${number(pool.totalDataKB)} ${number(pool.freeDataKB)} ${percent(pool.freeDataKB, pool.totalDataKB)}`,
    `${number(pool.totalMetaKB)} ${number(pool.freeMetaKB)} ${percent(pool.freeMetaKB, pool.totalMetaKB)}`,
  ].join(' ');
}
