import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMmgetstate, type MmgetstateRecord } from '../../src/parsers/mmgetstate.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mmgetstate/${name}`, import.meta.url), 'utf8');

describe('parsers: mmgetstate -Y', () => {
  it.each<[string, Partial<MmgetstateRecord>[]]>([
    ['single-node.txt', [{ nodeName: 'devstack', nodeNumber: 3, state: 'active', quorum: '2', nodesUp: 3, totalNodes: 3, remarks: 'quorum node', cnfsState: '(undefined)' }]],
    ['older-header-empty-remarks.txt', [{ nodeName: 'ib-proj-nsd05.domain', nodeNumber: 11, quorum: '4', nodesUp: 7, totalNodes: 1122, remarks: '' }]],
    ['daemon-short-name.txt', [{ nodeName: 'filer1', totalNodes: 88, daemonShortName: 'filer1' }]],
    [
      'all-nodes.txt',
      [
        { nodeName: 'ec01', state: 'active', daemonNodeName: 'ec01' },
        { nodeName: 'ec02', state: 'arbitrating' },
        { nodeName: 'ec03', state: 'down' },
        { nodeName: 'ec04', state: 'unresponsive', remarks: '' },
        { nodeName: 'ec05', nodeNumber: 5, state: 'initializing', quorum: '', nodesUp: null, totalNodes: null },
      ],
    ],
    [
      'quorum-asterisk.txt',
      [
        { nodeName: 'ltfs1.ltfs.net', quorum: '1*', nodesUp: 2 },
        { nodeName: 'ltfs2.ltfs.net', quorum: '1*', nodesUp: 2 },
      ],
    ],
    ['crlf-blank-lines.txt', [{ nodeName: 'node1', state: 'active', cnfsState: '(undefined)' }]],
    ['warning-lines.txt', [{ nodeName: 'node1', totalNodes: 2 }]],
    [
      'truncated.txt',
      [
        { nodeName: 'node1', state: 'active' },
        { nodeName: 'node2', nodeNumber: 2, state: 'act', quorum: '', nodesUp: null, totalNodes: null, remarks: '' },
      ],
    ],
  ])('reads %s', (name, expected) => {
    const records = parseMmgetstate(fixture(name))._unsafeUnwrap();
    expect(records).toHaveLength(expected.length);
    records.forEach((record, index) => expect(record).toMatchObject(expected[index]!));
  });

  it('gives whole records with every column of the HEADER', () => {
    expect(parseMmgetstate(fixture('single-node.txt'))._unsafeUnwrap()).toEqual([
      { nodeName: 'devstack', nodeNumber: 3, state: 'active', quorum: '2', nodesUp: 3, totalNodes: 3, remarks: 'quorum node', cnfsState: '(undefined)' },
    ]);
  });

  it.each<[string, number | undefined, RegExp]>([
    ['row-before-header.txt', 1, /before any HEADER/],
    ['bad-node-number.txt', 3, /column 'nodeNumber' holds "two", expected a whole number/],
    ['empty.txt', 1, /no mmgetstate HEADER line/],
    ['garbage.txt', 1, /no mmgetstate HEADER line/],
  ])('reports %s as an error (line %s)', (name, line, message) => {
    const error = parseMmgetstate(fixture(name))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseMmgetstate' });
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
  });

  it('refuses output whose HEADER lacks a column it needs', () => {
    const error = parseMmgetstate('mmgetstate::HEADER:version:reserved:reserved:nodeName:nodeNumber:\nmmgetstate::0:1:::n1:1:\n')._unsafeUnwrapErr();
    expect(error.message).toBe("the mmgetstate HEADER has no 'state', 'quorum', 'nodesUp', 'totalNodes', 'remarks' columns");
  });

  it('ignores the tables of other commands in the same output', () => {
    const text = `mmlsconfig::HEADER:version:reserved:reserved:configParameter:value:nodeList:\nmmlsconfig::0:1:::clusterId:1::\n${fixture('single-node.txt')}`;
    expect(
      parseMmgetstate(text)
        ._unsafeUnwrap()
        .map((record) => record.nodeName),
    ).toEqual(['devstack']);
  });

  it('keeps columns that newer releases add, as strings', () => {
    const text = 'mmgetstate::HEADER:version:reserved:reserved:nodeName:nodeNumber:state:quorum:nodesUp:totalNodes:remarks:futureColumn:\nmmgetstate::0:1:::n1:1:active:1:1:1::42:\n';
    expect(parseMmgetstate(text)._unsafeUnwrap()[0]!['futureColumn']).toBe('42');
  });

  it('gives an empty list for a HEADER without rows', () => {
    expect(parseMmgetstate('mmgetstate::HEADER:version:reserved:reserved:nodeName:nodeNumber:state:quorum:nodesUp:totalNodes:remarks:\n')._unsafeUnwrap()).toEqual([]);
  });
});
