import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseQemuImgInfo, type QemuImgInfo } from '../../src/parsers/qemu-img.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/qemu-img/${name}`, import.meta.url), 'utf8');

describe('parsers: qemu-img info --output=json', () => {
  it.each<[string, QemuImgInfo]>([
    ['raw.txt', { format: 'raw', virtualSizeBytes: 10737418240, actualSizeBytes: 4096 }],
    ['qcow2-backing.txt', { format: 'qcow2', virtualSizeBytes: 1073741824, actualSizeBytes: 200704, backingFile: 'base.img', backingFileFormat: 'raw' }],
    ['backing-chain.txt', { format: 'qcow2', virtualSizeBytes: 1073741824, actualSizeBytes: 200704, backingFile: 'base.img' }],
    ['no-actual-size.txt', { format: 'raw', virtualSizeBytes: 21474836480 }],
  ])('reads %s', (name, expected) => {
    const info = parseQemuImgInfo(fixture(name))._unsafeUnwrap();
    expect(info).toStrictEqual(expected);
  });

  it.each<[string, number, RegExp]>([
    ['invalid-json.txt', 5, /invalid JSON/],
    ['truncated.txt', 4, /invalid JSON/],
    ['wrong-type.txt', 4, /'virtual-size' must be/],
    ['empty.txt', 1, /invalid JSON/],
    ['error-text.txt', 1, /invalid JSON/],
  ])('reports %s as an error at line %i', (name, line, message) => {
    const error = parseQemuImgInfo(fixture(name))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'ParseError', parser: 'parseQemuImgInfo', line });
    expect(error.message).toMatch(message);
  });

  it.each<[string, string, RegExp]>([
    ['a JSON array that is empty', '[]', /empty backing chain/],
    ['a JSON value that is not an object', '"raw"', /JSON object/],
    ['null', 'null', /JSON object/],
    ['a missing format', '{"virtual-size": 1}', /'format'/],
    ['an empty format', '{"format": "", "virtual-size": 1}', /'format'/],
    ['a negative size', '{"format": "raw", "virtual-size": -1}', /'virtual-size'/],
    ['a fractional size', '{"format": "raw", "virtual-size": 1.5}', /'virtual-size'/],
    ['a size beyond 2^53', '{"format": "raw", "virtual-size": 18446744073709551616}', /'virtual-size'/],
    ['a non-numeric actual size', '{"format": "raw", "virtual-size": 1, "actual-size": "4k"}', /'actual-size'/],
    ['a non-string backing file', '{"format": "raw", "virtual-size": 1, "backing-filename": 7}', /'backing-filename'/],
    ['a non-string backing format', '{"format": "raw", "virtual-size": 1, "backing-filename-format": null}', /'backing-filename-format'/],
  ])('rejects %s', (_name, text, message) => {
    expect(parseQemuImgInfo(text)._unsafeUnwrapErr().message).toMatch(message);
  });

  it('ignores keys it does not need, including __proto__', () => {
    const text = '{"format": "raw", "virtual-size": 512, "__proto__": {"polluted": true}, "encrypted": false}';
    const info = parseQemuImgInfo(text)._unsafeUnwrap();
    expect(info).toStrictEqual({ format: 'raw', virtualSizeBytes: 512 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
