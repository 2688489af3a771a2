/**
 * Reading `qemu-img info --output=json`.
 *
 * @module
 */
import { ok, Result } from 'neverthrow';
import type { ParseError } from '../errors.js';
import { failParse } from './parse-error.js';

/** What the driver needs to know about a disk image. */
export interface QemuImgInfo {
  /** Image format as detected or given with `-f`: `raw`, `qcow2`, `vmdk`, ... */
  readonly format: string;
  /** Size of the virtual disk in bytes (`virtual-size`). */
  readonly virtualSizeBytes: number;
  /** Space the image file takes on disk in bytes (`actual-size`), when qemu-img reports it. */
  readonly actualSizeBytes?: number;
  /** The backing file recorded in the image (`backing-filename`), when it has one. */
  readonly backingFile?: string;
  /** The format recorded for the backing file (`backing-filename-format`), when there is one. */
  readonly backingFileFormat?: string;
}

/**
 * Reads the JSON that `qemu-img info --output=json <image>` prints.
 *
 * Raw sample:
 * ```text
 * {
 *     "virtual-size": 10737418240,
 *     "format": "raw",
 * ```
 *
 * Invalid JSON never throws: it is a {@link ParseError} at the line where JSON parsing stopped. Types are
 * checked: `format` must be a non-empty string and `virtual-size` (and `actual-size` when present) a
 * non-negative safe integer. With `--backing-chain` qemu-img prints an array, top image first; the first
 * element is read. Other keys (`filename`, `cluster-size`, `format-specific`, ...) are ignored.
 *
 * @param text - Standard output of `qemu-img info --output=json`.
 * @returns The image information, or a {@link ParseError} with the 1-based line of the JSON error or of the
 *   offending key.
 * @example
 * ```ts
 * const info = parseQemuImgInfo(stdout)._unsafeUnwrap();
 * if (info.format !== 'raw' || info.backingFile !== undefined) {
 *   // refuse to clone this image
 * }
 * ```
 */
export function parseQemuImgInfo(text: string): Result<QemuImgInfo, ParseError> {
  const parsed = _parseJson(text);
  if (parsed.isErr()) {
    const message = parsed.error instanceof Error ? parsed.error.message : String(parsed.error);
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : /end of JSON input/.test(message) ? text.length : 0;
    const line = _lineAt(text, offset);
    return failParse(PARSER, `invalid JSON: ${message}`, line);
  }
  let document: unknown = parsed.value;
  if (Array.isArray(document)) {
    if (document.length === 0) return failParse(PARSER, 'empty backing chain array', 1);
    document = document[0];
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return failParse(PARSER, 'expected a JSON object', 1);
  }
  const record = document as Record<string, unknown>;
  const format = record['format'];
  if (typeof format !== 'string' || format === '') return _badKey(text, 'format', 'a non-empty string');
  const virtualSize = record['virtual-size'];
  if (!_isSize(virtualSize)) return _badKey(text, 'virtual-size', 'a non-negative whole number of bytes');
  const actualSize = record['actual-size'];
  if (actualSize !== undefined && !_isSize(actualSize)) {
    return _badKey(text, 'actual-size', 'a non-negative whole number of bytes');
  }
  const backingFile = record['backing-filename'];
  if (backingFile !== undefined && typeof backingFile !== 'string') return _badKey(text, 'backing-filename', 'a string');
  const backingFileFormat = record['backing-filename-format'];
  if (backingFileFormat !== undefined && typeof backingFileFormat !== 'string') {
    return _badKey(text, 'backing-filename-format', 'a string');
  }
  return ok({
    format,
    virtualSizeBytes: virtualSize,
    ...(actualSize === undefined ? {} : { actualSizeBytes: actualSize }),
    ...(backingFile === undefined ? {} : { backingFile }),
    ...(backingFileFormat === undefined ? {} : { backingFileFormat }),
  });
}

// --- Internal helpers ---

const PARSER = 'parseQemuImgInfo';

const _parseJson = Result.fromThrowable(
  (text: string): unknown => JSON.parse(text),
  (error) => error,
);

function _isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function _badKey(text: string, key: string, expected: string): Result<never, ParseError> {
  const at = text.indexOf(`"${key}"`);
  return failParse(PARSER, `'${key}' must be ${expected}`, at === -1 ? 1 : _lineAt(text, at));
}

/** 1-based line of a character offset. */
function _lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) line++;
  return line;
}
