/**
 * Runner contract and the runners that live in the root entry (no zx, no ssh2).
 *
 * @module
 */
export type { ByteSink, ByteSource, BatchCommand, BatchOptions, BatchOutput, Command, CommandOutput, CommandRunner } from './types.js';
export { runCommands, succeeded } from './batch.js';
export { quotePosix, joinPosix, formatCommand } from './quote.js';
export { createMockRunner, type MockCall, type MockRunner, type MockRunnerOptions } from './mock.js';
export type { ArgvMatcher, MockOutput, MockReply, MockReplyContext, MockReplyFunction, MockRunnerError, MockScript } from './mock-script.js';
export { countRoundTrips, type CountingRunner, type RoundTrip } from './counting.js';
