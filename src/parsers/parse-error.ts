/**
 * Building {@link ParseError} values.
 *
 * @module
 */
import { err, type Err } from 'neverthrow';
import type { ParseError } from '../errors.js';

/**
 * Makes a {@link ParseError}, leaving out `line` and `text` when they are not known.
 *
 * @param parser - Name of the parser, e.g. `'parseMmlspool'`.
 * @param message - What is wrong, for people.
 * @param line - 1-based line number of the offending input.
 * @param text - The offending line.
 * @returns The error object.
 */
export function parseError(parser: string, message: string, line?: number, text?: string): ParseError {
  return {
    kind: 'ParseError',
    parser,
    message,
    ...(line === undefined ? {} : { line }),
    ...(text === undefined ? {} : { text: text.length > 500 ? `${text.slice(0, 500)}...` : text }),
  };
}

/**
 * Makes an `Err` holding a {@link ParseError}; see {@link parseError}.
 *
 * @param parser - Name of the parser.
 * @param message - What is wrong.
 * @param line - 1-based line number.
 * @param text - The offending line.
 * @returns `err(parseError(...))`.
 */
export function failParse(parser: string, message: string, line?: number, text?: string): Err<never, ParseError> {
  return err(parseError(parser, message, line, text));
}
