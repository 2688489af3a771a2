import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatchStdoutReader, createRequestStderrReader, splitBatchStderr, type BatchEvent } from '../../../src/runners/ssh/batch-frames.js';

const TOKEN = 'gv0123456789abcdef0123456789abcdef';

/** Standard output as the batch script writes it (see batchScript). */
function encodeStdout(records: readonly { stdout: Uint8Array; status: number }[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`${TOKEN} start\n`)];
  records.forEach((record, index) => parts.push(Buffer.from(record.stdout), Buffer.from(`\n${TOKEN} ${index} exit ${record.status} -\n`)));
  parts.push(Buffer.from(`\n${TOKEN} end\n`));
  return Buffer.concat(parts);
}

function readInPieces(bytes: Buffer, cuts: readonly number[]): BatchEvent[] {
  const reader = createBatchStdoutReader(TOKEN);
  const events: BatchEvent[] = [];
  let offset = 0;
  for (const cut of [...cuts.map((value) => value % (bytes.length + 1))].sort((a, b) => a - b)) {
    events.push(...reader.push(bytes.subarray(offset, Math.max(offset, cut))));
    offset = Math.max(offset, cut);
  }
  events.push(...reader.push(bytes.subarray(offset)));
  return events;
}

/** Bytes that look like separators of another batch, or like the start of ours without the token's end. */
const lookalikes = [`\ngv0000 0 exit 0 -\n`, `\n${TOKEN.slice(0, 20)} 0 exit 0 -\n`, `${TOKEN.slice(0, -1)}`, `\n\n\n`, `gv`].map((text) => new Uint8Array(Buffer.from(text)));

describe('runners: ssh batch output', () => {
  it('reads back any stdout that does not contain the token, however the stream is cut (property)', () => {
    const output = fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...lookalikes));
    fc.assert(
      fc.property(
        fc.array(fc.record({ stdout: output, status: fc.integer({ min: 0, max: 128 }) }), { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 50 }),
        (records, cuts, noise) => {
          fc.pre(!records.some((record) => Buffer.from(record.stdout).includes(TOKEN)) && !Buffer.from(noise).includes(TOKEN));
          expect(readInPieces(Buffer.concat([Buffer.from(noise), encodeStdout(records)]), cuts)).toEqual([
            ...records.map((record, index) => ({ type: 'exit', index, status: record.status, signalName: null, stdout: Buffer.from(record.stdout) })),
            { type: 'end' },
          ]);
        },
      ),
    );
  });

  it('keeps a separator line that is out of order as output', () => {
    const bytes = Buffer.from(`${TOKEN} start\na\n${TOKEN} 3 exit 0 -\nb\n${TOKEN} 0 exit 1 -\n\n${TOKEN} end\n`);
    expect(readInPieces(bytes, [])).toEqual([{ type: 'exit', index: 0, status: 1, signalName: null, stdout: Buffer.from(`a\n${TOKEN} 3 exit 0 -\nb`) }, { type: 'end' }]);
  });

  it('reads signal names and spawn failures', () => {
    const bytes = Buffer.from(`noise${TOKEN} start\n\n${TOKEN} 0 exit 143 TERM\nx\n${TOKEN} 1 exit 137 SIGKILL\n\n${TOKEN} 2 spawn EACCES\n\n${TOKEN} end\n`);
    expect(readInPieces(bytes, [3, 40])).toEqual([
      { type: 'exit', index: 0, status: 143, signalName: 'SIGTERM', stdout: Buffer.alloc(0) },
      { type: 'exit', index: 1, status: 137, signalName: 'SIGKILL', stdout: Buffer.from('x') },
      { type: 'spawn', index: 2, code: 'EACCES' },
      { type: 'end' },
    ]);
  });

  it('reads the pid lines of a reused shell, keeping output before them with the command', () => {
    const bytes = Buffer.from(`${TOKEN} start\n\n${TOKEN} 0 pid 4242\nout\n${TOKEN} 0 exit 0 -\nstray\n${TOKEN} 1 pid 4243\n\n${TOKEN} 1 pid x\n\n${TOKEN} 1 exit 143 SIGTERM\n\n${TOKEN} end\n`);
    expect(readInPieces(bytes, [5, 60])).toEqual([
      { type: 'pid', index: 0, pid: 4242 },
      { type: 'exit', index: 0, status: 0, signalName: null, stdout: Buffer.from('out') },
      { type: 'pid', index: 1, pid: 4243 },
      { type: 'exit', index: 1, status: 143, signalName: 'SIGTERM', stdout: Buffer.from(`stray\n${TOKEN} 1 pid x\n`) },
      { type: 'end' },
    ]);
  });

  it('reads one request of a reused shell from its standard error, however the stream is cut (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), (before, body, after, cuts) => {
        fc.pre(![before, body, after].some((part) => Buffer.from(part).includes(TOKEN)));
        const bytes = Buffer.concat([Buffer.from(before), Buffer.from(`${TOKEN} start\n`), Buffer.from(body), Buffer.from(`\n${TOKEN} end\n`), Buffer.from(after)]);
        const reader = createRequestStderrReader(TOKEN);
        let ended = false;
        let offset = 0;
        for (const cut of [...cuts.map((value) => value % (bytes.length + 1)), bytes.length].sort((a, b) => a - b)) {
          ended = reader.push(bytes.subarray(offset, Math.max(offset, cut))) || ended;
          offset = Math.max(offset, cut);
        }
        expect(ended).toBe(true);
        expect(reader.bytes().equals(Buffer.from(body))).toBe(true);
      }),
    );
  });

  it('splits standard error by command, separators in order only', () => {
    const stderr = Buffer.from(`first\n${TOKEN} 5\n\n${TOKEN} 0\nno newline\n${TOKEN} 1\n\n${TOKEN} 2\n`);
    expect(splitBatchStderr(stderr, TOKEN)).toEqual(
      new Map([
        [0, Buffer.from(`first\n${TOKEN} 5\n`)],
        [1, Buffer.from('no newline')],
        [2, Buffer.alloc(0)],
      ]),
    );
  });
});
