import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmlsattr, type MmlsattrRecord } from '../../src/parsers/mmlsattr.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmlsattr/${name}`, import.meta.url), 'utf8');
const oneMaxTwo = { current: 1, max: 2 };
const base = {
  metadataReplication: oneMaxTwo,
  dataReplication: oneMaxTwo,
  immutable: false,
  appendOnly: false,
  flags: [],
  storagePoolName: 'system',
  filesetName: 'root',
  snapshotName: '',
  creationTime: null,
  miscAttributes: [],
  other: {},
} satisfies Omit<MmlsattrRecord, 'fileName'>;

describe('parsers: mmlsattr -L', () => {
  it.each<[string, MmlsattrRecord[]]>([
    [
      'ncar-compressed.txt',
      [
        {
          ...base,
          fileName: '1GB.dat',
          metadataReplication: { current: 2, max: 2 },
          storagePoolName: 'DATA',
          filesetName: 'csg',
          creationTime: 'Wed Mar  9 10:08:00 2022',
          miscAttributes: ['ARCHIVE', 'COMPRESSION (library z)'],
          encrypted: false,
        },
      ],
    ],
    [
      'ncar-illcompressed.txt',
      [
        {
          ...base,
          fileName: '1GB_deferred.dat',
          metadataReplication: { current: 2, max: 2 },
          flags: ['illcompressed'],
          storagePoolName: 'DATA',
          filesetName: 'csg',
          creationTime: 'Wed Mar  9 10:07:17 2022',
          miscAttributes: ['ARCHIVE', 'COMPRESSION (library z)'],
          encrypted: false,
        },
      ],
    ],
    [
      'immutable-iam.txt',
      [
        {
          ...base,
          fileName: '/mnt/gpfs01/testimmutability/51/51',
          immutable: true,
          filesetName: 'testimmutability',
          creationTime: 'Fri Jun 21 13:45:43 2019',
          miscAttributes: ['ARCHIVE', 'READONLY'],
          encrypted: false,
          other: { indefiniteRetention: 'no', 'expiration Time': 'Fri Jun 28 00:00:00 2019' },
        },
      ],
    ],
    ['cinder-windows-attributes.txt', [{ ...base, fileName: '/gpfs0', miscAttributes: ['DIRECTORY'] }]],
    [
      'multiple-files.txt',
      [
        {
          ...base,
          fileName: '/gpfs0/cinder-vols/volume-1',
          filesetName: 'cinder-vols',
          creationTime: 'Mon Jan  6 09:01:02 2025',
          miscAttributes: ['ARCHIVE'],
          encrypted: false,
        },
        {
          ...base,
          fileName: '/gpfs0/cinder-vols/consisgroup-1.2/volume 2.snap',
          immutable: true,
          flags: ['illreplicated', 'unbalanced'],
          filesetName: 'consisgroup-1.2',
          creationTime: 'Mon Jan  6 09:01:03 2025',
          miscAttributes: ['ARCHIVE', 'READONLY'],
          encrypted: true,
        },
        {
          ...base,
          fileName: '/gpfs0/.snapshots/nightly/volume-3',
          storagePoolName: 'fast_ssd',
          snapshotName: 'nightly',
          creationTime: 'Sun Jan  5 23:00:00 2025',
          encrypted: false,
        },
      ],
    ],
    ['empty.txt', []],
  ])('reads %s', (name, expected) => {
    expect(parseMmlsattr(fixture(name))._unsafeUnwrap()).toEqual(expected);
  });

  it('reads CRLF output like LF output', () => {
    expect(parseMmlsattr(fixture('crlf.txt'))._unsafeUnwrap()).toEqual(parseMmlsattr(fixture('ncar-compressed.txt'))._unsafeUnwrap());
  });

  it.each<[string, number, RegExp]>([
    // Cinder's test replaces `fileset name:` with `*** name:`; the block then lacks its fileset.
    ['cinder-fileset-label-garbled.txt', 1, /no 'fileset name:' line/],
    ['truncated.txt', 13, /no 'appendOnly:' line/],
    ['garbage-line.txt', 13, /label: value/],
    ['bad-replication.txt', 3, /data replication/],
    ['plain-sample.txt', 1, /parseMmlsattrReplication/],
    ['error-text.txt', 1, /expected `file name:`/],
  ])('reports %s as an error at line %i', (name, line, message) => {
    const error = parseMmlsattr(fixture(name))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseMmlsattr', line });
    expect(error.message).toMatch(message);
  });

  it('splits on the first colon only, keeping colons in values', () => {
    const text = fixture('ncar-compressed.txt').replace('Encrypted:            no', 'retention note:       until: 2030-01-01 00:00');
    expect(parseMmlsattr(text)._unsafeUnwrap()[0]?.other).toEqual({ 'retention note': 'until: 2030-01-01 00:00' });
  });

  it('keeps a file name with spaces and colons whole', () => {
    const text = fixture('cinder-windows-attributes.txt').replace('/gpfs0', '/gpfs0/a: b  c ');
    expect(parseMmlsattr(text)._unsafeUnwrap()[0]?.fileName).toBe('/gpfs0/a: b  c ');
  });

  it('keeps leading spaces of a file name that start at the value column', () => {
    const text = fixture('cinder-windows-attributes.txt').replace('file name:            /gpfs0', 'file name:              x');
    expect(parseMmlsattr(text)._unsafeUnwrap()[0]?.fileName).toBe('  x');
  });

  it('accepts blank lines between blocks', () => {
    const text = `${fixture('ncar-compressed.txt')}\n\n${fixture('ncar-illcompressed.txt')}`;
    expect(
      parseMmlsattr(text)
        ._unsafeUnwrap()
        .map((record) => record.fileName),
    ).toEqual(['1GB.dat', '1GB_deferred.dat']);
  });

  it('matches labels without regard to case or repeated spaces', () => {
    const text = fixture('cinder-windows-attributes.txt').replace('fileset name:', 'Fileset  Name:').replace('appendOnly:', 'appendonly:');
    expect(parseMmlsattr(text)._unsafeUnwrap()[0]).toMatchObject({ filesetName: 'root', appendOnly: false });
  });

  it('keeps a label named __proto__ as data', () => {
    const text = `${fixture('cinder-windows-attributes.txt')}\n__proto__:            polluted`;
    const [record] = parseMmlsattr(text)._unsafeUnwrap();
    expect(Object.getOwnPropertyDescriptor(record?.other, '__proto__')?.value).toBe('polluted');
    expect(Object.getPrototypeOf(record?.other)).toBe(Object.prototype);
  });

  const cinder = fixture('cinder-windows-attributes.txt');
  it.each<[string, string, number, RegExp]>([
    ['a repeated label', `${cinder}\nflags:                illplaced`, 11, /repeated/],
    ['a line before any file name', `storage pool name:    system\n${cinder}`, 1, /file name/],
    ['an empty label', `${cinder}\n: value`, 11, /label before the colon/],
    ['an immutable value that is not yes or no', cinder.replace('immutable:            no', 'immutable:            maybe'), 4, /immutable/],
    ['an Encrypted value that is not yes or no', `${cinder}\nEncrypted:            sometimes`, 11, /Encrypted/],
  ])('rejects %s', (_name, text, line, message) => {
    const error = parseMmlsattr(text)._unsafeUnwrapErr();
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
  });

  it('reads a multi-token Misc attributes line with nested and unbalanced parentheses', () => {
    const misc = 'Misc attributes:      A (x (y z)) B (open';
    const text = fixture('cinder-windows-attributes.txt').replace('Windows attributes:   DIRECTORY', misc);
    expect(parseMmlsattr(text)._unsafeUnwrap()[0]?.miscAttributes).toEqual(['A (x (y z))', 'B (open']);
  });
});
