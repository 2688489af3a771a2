import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmlsfileset, type MmlsfilesetRecord } from '../../src/parsers/mmlsfileset.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmlsfileset/${name}`, import.meta.url), 'utf8');

describe('parsers: mmlsfileset -Y', () => {
  it.each<[string, number, Partial<MmlsfilesetRecord>[]]>([
    [
      'gpfs4-header.txt',
      53,
      [
        {
          filesystemName: 'project',
          filesetName: 'root',
          id: 0,
          rootInode: 3,
          status: 'Linked',
          path: '/fs/project',
          parentId: null,
          created: 'Wed May 18 10:41:35 2016',
          inodes: null,
          dataInKB: null,
          comment: 'root fileset',
          filesetMode: 'off',
          inodeSpace: 0,
          isInodeSpaceOwner: true,
          maxInodes: 300000000,
          allocInodes: 102052224,
          inodeSpaceMask: 2692530176,
          snapId: 0,
          permChangeFlag: 'chmodAndSetacl',
          freeInodes: 102045986,
          afmTarget: '-',
        },
        { filesetName: 'ibtest', id: 1, parentId: 0, path: '/fs/project/ibtest', comment: '' },
        { filesetName: 'PAS1136', status: 'Unlinked', path: '--', rootInode: 17255366659, parentId: null, inodeSpace: 164 },
      ],
    ],
    [
      'recent-longer-rows.txt',
      85,
      [
        { filesetName: 'public', id: 271, rootInode: 73014444035, falStatus: 'default', permInheritFlag: 'inheritAclOnly', preventSnapshotRestore: 'no' },
        { filesetName: 'work', allocInodes: 260063232 },
        { filesetName: 'data_foo', path: '/gpfs1/data/foo', created: 'Tue Dec  5 10:44:05 2023', comment: 'end of project: 2026-11', falStatus: '-' },
        { filesetName: 'data_db', comment: 'end of project: 2042-12' },
        { filesetName: 'data_db_foo', parentId: 49, isInodeSpaceOwner: false, maxInodes: 0, freeInodes: 0 },
      ],
    ],
    [
      'gpfs35-short-rows.txt',
      38,
      [
        { filesetName: 'root', snapId: 0, reserved: '-', afmNumReadGWs: '-' },
        { filesetName: 'cinder-vols', path: '/gpfs0/cinder-vols', maxInodes: 100000, allocInodes: 100000, inodeSpaceMask: null, snapId: null },
        { filesetName: 'images.v2', created: 'Tue Mar  4 11:00:00 2014', inodes: null, comment: '', isInodeSpaceOwner: null, afmNumReadGWs: '' },
      ],
    ],
    [
      'several-filesystems.txt',
      11,
      [
        { filesystemName: 'gpfs0', filesetName: 'root', inodes: 2048, dataInKB: 1048576 },
        { filesystemName: 'gpfs0', filesetName: 'cinder-vols', comment: 'volumes (cinder)', dataInKB: 73400320 },
        { filesystemName: 'gpfs1', filesetName: 'root' },
        { filesystemName: 'gpfs1', filesetName: 'old', status: 'Deleted', path: '--', id: 3 },
      ],
    ],
  ])('reads %s', (name, columnCount, expected) => {
    const records = parseMmlsfileset(fixture(name))._unsafeUnwrap();
    expect(records).toHaveLength(expected.length);
    records.forEach((record, index) => {
      expect(record).toMatchObject(expected[index]!);
      expect(Object.keys(record)).toHaveLength(columnCount);
    });
  });

  it('keeps fileset names with dashes and dots whole', () => {
    const names = parseMmlsfileset(fixture('gpfs35-short-rows.txt'))
      ._unsafeUnwrap()
      .map((record) => record.filesetName);
    expect(names).toEqual(['root', 'cinder-vols', 'images.v2']);
  });

  it('reports a shifted row (a number column holding text) with its line number', () => {
    const error = parseMmlsfileset(fixture('malformed-number.txt'))._unsafeUnwrapErr();
    expect(error).toMatchObject({ parser: 'parseMmlsfileset', line: 3 });
    expect(error.message).toBe('mmlsfileset column \'rootInode\' holds "Linked", expected a whole number or a placeholder');
  });

  it('reports output without an mmlsfileset HEADER (a failed command prints none)', () => {
    expect(parseMmlsfileset(fixture('empty.txt'))._unsafeUnwrapErr().message).toMatch(/no mmlsfileset HEADER line/);
    // The whole output is at fault: the error points at its first line.
    expect(parseMmlsfileset('mmlsfileset: Fileset named vols does not exist.\n')._unsafeUnwrapErr()).toMatchObject({
      line: 1,
      text: 'mmlsfileset: Fileset named vols does not exist.',
    });
  });

  it('refuses a yes/no column that holds something else', () => {
    const text =
      'mmlsfileset::HEADER:version:reserved:reserved:filesystemName:filesetName:id:rootInode:status:path:parentId:created:inodes:dataInKB:comment:isInodeSpaceOwner:\n' +
      'mmlsfileset::0:1:::g:f:1:3:Linked:%2Fg:0:now:-:-::maybe:\n';
    expect(parseMmlsfileset(text)._unsafeUnwrapErr()).toMatchObject({ line: 2, message: expect.stringMatching(/'isInodeSpaceOwner' holds "maybe", expected yes or no/) });
  });
});
