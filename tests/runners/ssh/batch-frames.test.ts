import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatchFrameReader, type BatchFrame } from '../../../src/runners/ssh/batch-frames.js';

const TOKEN = 'gv0123456789abcdef0123456789abcdef';

/** Frames as the batch script writes them (see batchScript). */
function encode(records: readonly { stdout: Uint8Array; stderr: Uint8Array; status: number }[]): Buffer {
  const parts: Buffer[] = [];
  records.forEach((record, index) => {
    parts.push(Buffer.from(`\n${TOKEN} ${index} exit ${record.status} - ${record.stdout.length} ${record.stderr.length}\n`), Buffer.from(record.stdout), Buffer.from(record.stderr));
  });
  parts.push(Buffer.from(`\n${TOKEN} end\n`));
  return Buffer.concat(parts);
}

function readInPieces(bytes: Buffer, cuts: readonly number[]): BatchFrame[] {
  const reader = createBatchFrameReader(TOKEN);
  const frames: BatchFrame[] = [];
  let offset = 0;
  for (const cut of [...cuts.map((value) => value % (bytes.length + 1))].sort((a, b) => a - b)) {
    frames.push(...reader.push(bytes.subarray(offset, Math.max(offset, cut))));
    offset = Math.max(offset, cut);
  }
  frames.push(...reader.push(bytes.subarray(offset)));
  return frames;
}

describe('runners: ssh batch frames', () => {
  it('reads back any outputs, even ones that contain frame headers, however the stream is cut (property)', () => {
    const output = fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.constant(new Uint8Array(Buffer.from(`\n${TOKEN} 0 exit 0 - 3 3\nabc\n${TOKEN} end\n`))));
    fc.assert(
      fc.property(fc.array(fc.record({ stdout: output, stderr: output, status: fc.integer({ min: 0, max: 128 }) }), { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 8 }), fc.uint8Array({ maxLength: 50 }), (records, cuts, noise) => {
        const noiseWithoutMarker = Buffer.from(noise).toString('latin1').includes(TOKEN) ? Buffer.alloc(0) : Buffer.from(noise);
        const frames = readInPieces(Buffer.concat([noiseWithoutMarker, encode(records)]), cuts);
        expect(frames).toEqual([
          ...records.map((record, index) => ({ type: 'exit', index, status: record.status, signalName: null, stdout: Buffer.from(record.stdout), stderr: Buffer.from(record.stderr) })),
          { type: 'end' },
        ]);
      }),
    );
  });

  it('reads signal names and spawn failures', () => {
    const bytes = Buffer.from(`\n${TOKEN} 0 exit 143 TERM 0 0\n\n${TOKEN} 1 exit 137 SIGKILL 1 0\nx\n${TOKEN} 2 spawn EACCES\n\n${TOKEN} end\n`);
    expect(readInPieces(bytes, [5, 40])).toEqual([
      { type: 'exit', index: 0, status: 143, signalName: 'SIGTERM', stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) },
      { type: 'exit', index: 1, status: 137, signalName: 'SIGKILL', stdout: Buffer.from('x'), stderr: Buffer.alloc(0) },
      { type: 'spawn', index: 2, code: 'EACCES' },
      { type: 'end' },
    ]);
  });
});
