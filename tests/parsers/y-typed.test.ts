import { describe, expect, it } from 'vitest';
import type { ParseError } from '../../src/errors.js';
import { parseMachineReadable } from '../../src/parsers/y-format.js';
import { convertRows, MACHINE_READABLE_PLACEHOLDERS, recordTypeKey, type YValue } from '../../src/parsers/y-typed.js';

const convert = (values: string[]): { records: Record<string, YValue>[]; error: ParseError | undefined } => {
  const text = `t::HEADER:version:reserved:reserved:n:b:s:\n${values.map((value) => `t::0:1:::${value}:`).join('\n')}\n`;
  const [table] = parseMachineReadable(text)._unsafeUnwrap();
  const records: Record<string, YValue>[] = [];
  const error = convertRows(table!, 'parseTest', { required: ['n'], integers: ['n'], booleans: ['b'] }, records);
  return { records, error };
};

describe('parsers: typed -Y columns', () => {
  it('reads whole numbers, signs and surrounding blanks', () => {
    const { records, error } = convert(['12:yes:x', '-5:no:x', '-0:Yes:x', ' 42 :No:x', '9007199254740991:1:x', '007:0:x']);
    expect(error).toBeUndefined();
    expect(records.map((record) => record['n'])).toEqual([12, -5, 0, 42, 9007199254740991, 7]);
    expect(Object.is(records[2]!['n'], -0)).toBe(false);
    expect(records.map((record) => record['b'])).toEqual([true, false, true, false, true, false]);
    expect(records.map((record) => record['s'])).toEqual(['x', 'x', 'x', 'x', 'x', 'x']);
  });

  it.each([...MACHINE_READABLE_PLACEHOLDERS])('reads the placeholder %j as null in number and yes/no columns', (placeholder) => {
    const { records, error } = convert([`${placeholder}:${placeholder}:${placeholder}`]);
    expect(error).toBeUndefined();
    expect(records).toEqual([{ n: null, b: null, s: placeholder }]);
  });

  it.each([
    ['1*', 'n'],
    ['33,267', 'n'],
    ['4.5', 'n'],
    ['9007199254740993', 'n'],
    ['1e3', 'n'],
    ['0x10', 'n'],
  ])('refuses %j in a number column, with the line of the row', (value, column) => {
    const { error } = convert(['1:yes:x', `${value}:yes:x`]);
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseTest', line: 3, message: expect.stringContaining(`column '${column}' holds ${JSON.stringify(value)}`) });
  });

  it('refuses a value other than yes or no in a yes/no column', () => {
    expect(convert(['1:on:x']).error).toMatchObject({ line: 2, message: 't column \'b\' holds "on", expected yes or no or a placeholder' });
  });

  it('refuses a HEADER that lacks a required column', () => {
    const [table] = parseMachineReadable('t:r:HEADER:version:reserved:reserved:a:\n')._unsafeUnwrap();
    expect(convertRows(table!, 'parseTest', { required: ['a', 'b'] }, [])).toMatchObject({ message: "the t:r HEADER has no 'b' column" });
  });

  it('names record types with their first letter lower-cased', () => {
    expect(['State', 'poolTotal', '', 'X'].map(recordTypeKey)).toEqual(['state', 'poolTotal', '', 'x']);
  });
});
