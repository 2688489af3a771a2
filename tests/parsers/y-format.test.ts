import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatMachineReadable, machineReadableRowKeys, parseMachineReadable, type YTable } from '../../src/parsers/y-format.js';

const fixture = (path: string): string => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
const tables = (text: string): YTable[] => parseMachineReadable(text)._unsafeUnwrap();

/** What a fixture must read as: per table, its key, column count, row lines and some rows (partial match). */
interface TableExpectation {
  readonly key: string;
  readonly columnCount: number;
  readonly rowLines: number[];
  readonly rows?: Record<number, Record<string, string>>;
  readonly extraFields?: Record<number, string[]>;
}

describe('parsers: -Y reader (parseMachineReadable)', () => {
  it.each<[string, TableExpectation[]]>([
    ['mmgetstate/single-node.txt', [{ key: 'mmgetstate:', columnCount: 8, rowLines: [2], rows: { 0: { nodeName: 'devstack', remarks: 'quorum node', cnfsState: '(undefined)' } } }]],
    ['mmgetstate/crlf-blank-lines.txt', [{ key: 'mmgetstate:', columnCount: 8, rowLines: [4], rows: { 0: { nodeName: 'node1', cnfsState: '(undefined)' } } }]],
    ['mmgetstate/warning-lines.txt', [{ key: 'mmgetstate:', columnCount: 8, rowLines: [4], rows: { 0: { nodeName: 'node1', totalNodes: '2' } } }]],
    ['mmgetstate/truncated.txt', [{ key: 'mmgetstate:', columnCount: 8, rowLines: [2, 3], rows: { 1: { nodeName: 'node2', state: 'act', quorum: '', cnfsState: '' } } }]],
    [
      'mmdf/full.txt',
      [
        { key: 'mmdf:nsd', columnCount: 11, rowLines: [7, 8], rows: { 0: { nsdName: 'P_META_VD102', diskAvailableForAlloc: '' } } },
        { key: 'mmdf:poolTotal', columnCount: 7, rowLines: [9, 12], rows: { 1: { poolName: 'data', maxDiskSize: '10143773212672' } } },
        { key: 'mmdf:data', columnCount: 5, rowLines: [10] },
        { key: 'mmdf:metadata', columnCount: 5, rowLines: [11] },
        { key: 'mmdf:fsTotal', columnCount: 5, rowLines: [13], rows: { 0: { fsSize: '3661677723648' } } },
        { key: 'mmdf:inode', columnCount: 4, rowLines: [14], rows: { 0: { maxInodes: '1332164000' } } },
      ],
    ],
    [
      'mmrepquota/banners-two-filesystems.txt',
      [
        { key: 'mmrepquota:', columnCount: 19, rowLines: [3, 4], rows: { 1: { name: 'PZS1003', fid: '', filesetname: '' } } },
        { key: 'mmrepquota:', columnCount: 19, rowLines: [7], rows: { 0: { filesystemName: 'scratch' } } },
      ],
    ],
    [
      'mmlsfileset/recent-longer-rows.txt',
      [
        {
          key: 'mmlsfileset:',
          columnCount: 85,
          rowLines: [2, 3, 4, 5, 6],
          rows: { 2: { path: '/gpfs1/data/foo', created: 'Tue Dec  5 10:44:05 2023', comment: 'end of project: 2026-11', reserved: '-', falStatus: '-' } },
          extraFields: { 0: [], 2: ['-', '-', '-', '-', '-', 'default'], 3: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', 'default'] },
        },
      ],
    ],
    ['mmcesstate/state-show.txt', [{ key: 'mmcesstate:', columnCount: 9, rowLines: [2], rows: { 0: { NODE: 'ib-protocol01.domain', SMB: 'FOO' } } }]],
    ['mmdiag/config-wrapped.txt', [{ key: 'mmdiag:config', columnCount: 3, rowLines: [2, 4, 5, 6], rows: { 0: { name: 'opensslLibName', changed: '' }, 1: { name: 'pagepool', changed: 'static' } } }]],
    [
      'mmdiag/deadlock.txt',
      [
        { key: 'mmdiag:deadlockThread', columnCount: 12, rowLines: [2], rows: { 0: { waitStartTime: '2025-08-25_06:11:57+0200', condVarAddr: ' for verbsPutCT calling ibv_destroy_qp' } } },
        { key: 'mmdiag:deadlockNodes', columnCount: 1, rowLines: [4] },
        { key: 'mmdiag:deadlockDetectionTimes', columnCount: 5, rowLines: [6], rows: { 0: { overloadIndex: '0.02473' } } },
      ],
    ],
    ['mmaudit/audit.txt', [{ key: 'mmaudit:', columnCount: 11, rowLines: [2, 3], rows: { 0: { complianceType: '', auditDeviceName: 'ess', filesets: '' }, 1: { filesets: 'fastest1,fastest2' } } }]],
    [
      'mmlsqos/qos.txt',
      [
        { key: 'mmlsqos:status', columnCount: 5, rowLines: [5] },
        { key: 'mmlsqos:config', columnCount: 1, rowLines: [6] },
        { key: 'mmlsqos:values', columnCount: 1, rowLines: [7], rows: { 0: { values_enc: 'pool=system,other=inf,maintenance/all_local=inf:pool=sas1,other=inf,maintenance/all_local=50000Iops' } } },
        { key: 'mmlsqos:stats', columnCount: 8, rowLines: [8, 9], rows: { 1: { ioql: '1,7781e+08' } } },
      ],
    ],
    [
      'mmcesnfslsexport/ipv6-unencoded.txt',
      [{ key: 'mmcesnfslsexport:nfsexports', columnCount: 14, rowLines: [2, 3], extraFields: { 0: [], 1: ['-2', '-2', 'SYS', 'FALSE', 'none', 'FALSE', 'FALSE'] } }],
    ],
    [
      'mmlsmgr/managers.txt',
      [
        { key: 'mmlsmgr:clusterManager', columnCount: 1, rowLines: [3], rows: { 0: { manager: 'filer1' } } },
        { key: 'mmlsmgr:filesystemManager', columnCount: 3, rowLines: [4, 5] },
      ],
    ],
    ['mmlsdisk/with-invalid-lines.txt', [{ key: 'mmlsdisk:', columnCount: 17, rowLines: [2, 3, 4, 5, 6, 7] }]],
    ['mmgetstate/empty.txt', []],
    ['mmgetstate/garbage.txt', []],
    ['mmrepquota/banner-only.txt', []],
  ])('reads %s', (path, expected) => {
    const result = tables(fixture(path));
    expect(result.map((table) => `${table.command}:${table.recordType}`)).toEqual(expected.map((table) => table.key));
    result.forEach((table, index) => {
      const wanted = expected[index]!;
      expect(table.columns).toHaveLength(wanted.columnCount);
      expect(table.rowLines).toEqual(wanted.rowLines);
      expect(table.rows).toHaveLength(wanted.rowLines.length);
      expect(table.extraFields).toHaveLength(wanted.rowLines.length);
      for (const [row, values] of Object.entries(wanted.rows ?? {})) expect(table.rows[Number(row)]).toMatchObject(values);
      for (const [row, extra] of Object.entries(wanted.extraFields ?? {})) expect(table.extraFields[Number(row)]).toEqual(extra);
      for (const row of table.rows) expect(Object.keys(row)).toHaveLength(wanted.columnCount);
    });
  });

  it.each<[string, number, RegExp]>([
    ['mmgetstate/row-before-header.txt', 1, /data row for mmgetstate before any HEADER/],
    ['mmdf/rows-before-headers.txt', 3, /data row for mmdf:fsTotal before any HEADER/],
    ['mmlsmount/row-only.txt', 1, /data row for mmlsmount before any HEADER/],
    ['mmlsfs/truncated-row.txt', 3, /malformed or truncated mmlsfs row/],
  ])('reports %s as an error at line %i', (path, line, message) => {
    const error = parseMachineReadable(fixture(path))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseMachineReadable', line });
    expect(error.message).toMatch(message);
    expect(error.text).toBe(fixture(path).split('\n')[line - 1]!.trimEnd());
  });

  it('reads a HEADER, rows and their line numbers through blank lines, CRLF and trailing white space', () => {
    const text = '\r\nmmlsfs::HEADER:version:reserved:reserved:deviceName:fieldName:data:remarks: \t\r\n\r\n  \nmmlsfs::0:1:::gpfs0:blockSize:4194304:: \r\n';
    expect(tables(text)).toEqual([
      {
        command: 'mmlsfs',
        recordType: '',
        columns: ['deviceName', 'fieldName', 'data', 'remarks'],
        rows: [{ deviceName: 'gpfs0', fieldName: 'blockSize', data: '4194304', remarks: '' }],
        headerLine: 2,
        rowLines: [5],
        extraFields: [[]],
      },
    ]);
  });

  it('reads lines with and without a trailing colon alike', () => {
    const text = 'mmlsconfig::HEADER:version:reserved:reserved:configParameter:value:nodeList\nmmlsconfig::0:1:::a:1:\nmmlsconfig::0:1:::b:2::\nmmlsconfig::0:1:::c:3:n1';
    expect(tables(text)[0]!.rows).toEqual([
      { configParameter: 'a', value: '1', nodeList: '' },
      { configParameter: 'b', value: '2', nodeList: '' },
      { configParameter: 'c', value: '3', nodeList: 'n1' },
    ]);
    expect(tables(text)[0]!.extraFields).toEqual([[], [], []]);
  });

  it('pads short rows with empty strings and keeps decoded extra fields', () => {
    const text = 'x::HEADER:version:reserved:reserved:a:b:c:\nx::0:1:::1:\nx::0:1:::1:2:3:4%3A5::\n';
    const [table] = tables(text);
    expect(table!.rows).toEqual([
      { a: '1', b: '', c: '' },
      { a: '1', b: '2', c: '3' },
    ]);
    expect(table!.extraFields).toEqual([[], ['4:5', '']]);
  });

  it('de-duplicates repeated column names and keeps the printed columns as they are', () => {
    const [table] = tables('x::HEADER:version:reserved:reserved:reserved:a:reserved:reserved_2:reserved:\nx::0:1:::r1:a:r2:r2b:r3:\n');
    expect(table!.columns).toEqual(['reserved', 'a', 'reserved', 'reserved_2', 'reserved']);
    expect(table!.rows[0]).toEqual({ reserved: 'r1', a: 'a', reserved_3: 'r2', reserved_2: 'r2b', reserved_4: 'r3' });
    expect(machineReadableRowKeys(['reserved', 'a', 'reserved', 'reserved_2', 'reserved'])).toEqual(['reserved', 'a', 'reserved_3', 'reserved_2', 'reserved_4']);
  });

  it('keeps a column named __proto__ as an own key', () => {
    const [table] = tables('x::HEADER:version:reserved:reserved:__proto__:constructor:\nx::0:1:::p:c:\n');
    const row = table!.rows[0]!;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.hasOwn(row, '__proto__')).toBe(true);
    expect(row['__proto__']).toBe('p');
    expect(row['constructor']).toBe('c');
  });

  it('starts a new table when a HEADER repeats, and the newest HEADER wins', () => {
    const text = ['x::HEADER:version:reserved:reserved:a:b:', 'x::0:1:::1:2:', 'x::HEADER:version:reserved:reserved:b:a:c:', 'x::0:1:::3:4:5:'].join('\n');
    const result = tables(text);
    expect(result.map((table) => table.rows)).toEqual([[{ a: '1', b: '2' }], [{ b: '3', a: '4', c: '5' }]]);
    expect(result.map((table) => table.rowLines)).toEqual([[2], [4]]);
  });

  it('routes rows to the HEADER of their record type when record types interleave', () => {
    const text = ['m:p:HEADER:version:reserved:reserved:a:', 'm:q:HEADER:version:reserved:reserved:b:', 'm:q:0:1:::1:', 'm:p:0:1:::2:', 'm:q:0:1:::3:'].join('\n');
    expect(tables(text).map((table) => table.rows)).toEqual([[{ a: '2' }], [{ b: '1' }, { b: '3' }]]);
  });

  it('splits on colons before decoding, decodes strict %XX only, and keeps + and malformed %', () => {
    const [table] = tables('x::HEADER:version:reserved:reserved:a:b:c:d:\nx::0:1:::10%3A43%3A29:%2Ffs%2Fproject%:+0200 %zz %4:%25%32%35:\n');
    expect(table!.rows[0]).toEqual({ a: '10:43:29', b: '/fs/project%', c: '+0200 %zz %4', d: '%25' });
  });

  it('decodes the column names of a HEADER', () => {
    expect(tables('x::HEADER:version:reserved:reserved:a%3Ab:\nx::0:1:::v:\n')[0]!.rows[0]).toEqual({ 'a:b': 'v' });
  });

  it('ignores banners, warnings, short garbage and lines of other shapes', () => {
    const text = [
      '*** Report for USR GRP FILESET quotas on gpfs1',
      'mmlsfs: [W] something: odd',
      'Warning: permanently added host key',
      'mmlsdisk:invalid',
      'x y::HEADER:version:reserved:reserved:a:',
      'mmfoo:bar baz:0:1:::v:',
      'mmfoo::x:1:::v:',
      'mmfoo::0:1::',
      '9mm::0:1:::v:',
    ].join('\n');
    expect(tables(text)).toEqual([]);
  });

  it('reports a row-shaped line of an unknown key as a row before its HEADER, even after other HEADERs', () => {
    const text = 'x::HEADER:version:reserved:reserved:a:\nx::0:1:::1:\ny::0:1:::2:\n';
    expect(parseMachineReadable(text)._unsafeUnwrapErr()).toMatchObject({ line: 3, text: 'y::0:1:::2:', message: 'data row for y before any HEADER line for it' });
  });

  it('reports a truncated line of a known key with its line number', () => {
    const text = 'x:t:HEADER:version:reserved:reserved:a:\n\nx:t:0:1:::1:\nx:t:0\n';
    expect(parseMachineReadable(text)._unsafeUnwrapErr()).toMatchObject({ line: 4, message: 'malformed or truncated x:t row' });
  });

  it('accepts empty and numeric prefix fields other than 0:1 (mmaudit rows are :3)', () => {
    expect(tables('a::HEADER:version:reserved:reserved:v:\na:::3:::x:\na::12:7:::y:\n')[0]!.rows).toEqual([{ v: 'x' }, { v: 'y' }]);
  });
});

describe('parsers: -Y writer (formatMachineReadable)', () => {
  it('writes a HEADER line and one line per row, each ending with a colon', () => {
    const text = formatMachineReadable([
      { command: 'mmlsconfig', recordType: '', columns: ['configParameter', 'value', 'nodeList'], rows: [['clusterId', '13882361916354541312', '']] },
      { command: 'mmdf', recordType: 'fsTotal', columns: ['fsSize'], rows: [{ fsSize: '1024' }, {}], extraFields: [['x'], []] },
    ])._unsafeUnwrap();
    expect(text).toBe(
      'mmlsconfig::HEADER:version:reserved:reserved:configParameter:value:nodeList:\n' +
        'mmlsconfig::0:1:::clusterId:13882361916354541312::\n' +
        'mmdf:fsTotal:HEADER:version:reserved:reserved:fsSize:\n' +
        'mmdf:fsTotal:0:1:::1024:x:\n' +
        'mmdf:fsTotal:0:1::::\n',
    );
  });

  it('encodes %, :, CR and LF always, and further characters per column', () => {
    const text = formatMachineReadable([{ command: 'mmlsfileset', recordType: '', columns: ['path', 'created', 'comment'], rows: [['/gpfs0/a b', 'Wed May 18 10:41:35 2016', '100% /x\r\n']] }], {
      alsoEncode: { path: '/', '*': '(' },
    })._unsafeUnwrap();
    expect(text.split('\n')[1]).toBe('mmlsfileset::0:1:::%2Fgpfs0%2Fa b:Wed May 18 10%3A41%3A35 2016:100%25 /x%0D%0A:');
  });

  it('refuses a command or record type the reader would not accept', () => {
    for (const [command, recordType] of [
      ['mm:ls', ''],
      ['', ''],
      ['mmdf', 'a b'],
      ['1mm', ''],
    ] as const) {
      expect(formatMachineReadable([{ command, recordType, columns: [], rows: [] }])._unsafeUnwrapErr()).toMatchObject({ kind: 'ParseError', parser: 'formatMachineReadable' });
    }
  });

  it.each(['mmlsfileset/recent-longer-rows.txt', 'mmdf/full.txt', 'mmrepquota/banners-two-filesystems.txt', 'mmhealth/event-extra-fields.txt', 'mmlsfs/all.txt'])(
    'writes what it reads from %s so that it reads back the same',
    (path) => {
      const read = tables(fixture(path));
      const written = formatMachineReadable(read)._unsafeUnwrap();
      const reread = tables(written);
      // Line numbers differ (banners and blank lines are not written back); everything else is the same.
      const withoutLines = ({ rowLines: _rowLines, headerLine: _headerLine, ...rest }: YTable) => rest;
      expect(reread.map(withoutLines)).toEqual(read.map(withoutLines));
    },
  );
});
