/**
 * The record shapes shared by every stream adapter (SQLite, Kinesis) and the processor engine.
 * Nothing here knows about a particular backend.
 */

/**
 * One record read from a stream shard.
 *
 * `sequenceNumber` is a decimal string: Kinesis sequence numbers have up to 56 digits, so
 * compare them with {@link compareSequence} (BigInt), never as numbers or strings.
 */
export interface StreamRecord<T = unknown> {
  stream: string;
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  data: T;
  /** String attributes; the correlation context travels in one of them (see kit/context). */
  attributes: Record<string, string>;
  /** When the stream accepted the record, epoch milliseconds. */
  arrivedAt: number;
}

/** What a producer appends. */
export interface NewRecord<T = unknown> {
  partitionKey: string;
  data: T;
  attributes?: Record<string, string>;
}

/** Where an appended record landed. */
export interface AppendResult {
  shardId: string;
  sequenceNumber: string;
}

/** An error reduced to what can be stored and shown to a person. */
export interface ErrorInfo {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

/**
 * Compare two sequence numbers (decimal strings of any length).
 *
 * @example
 * compareSequence('9', '10'); // -1
 */
export function compareSequence(a: string, b: string): -1 | 0 | 1 {
  // Canonical decimals (no leading zero) order by length, then digit by digit: no BigInt
  // needed on the hot path. Anything else falls through to BigInt.
  if (a[0] !== '0' && b[0] !== '0') {
    if (a.length !== b.length) return a.length < b.length ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Reduce any thrown value to an {@link ErrorInfo}.
 *
 * @example
 * toErrorInfo(new Error('boom')); // { name: 'Error', message: 'boom', stack: '…' }
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const info: ErrorInfo = { name: error.name, message: error.message };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') info.code = code;
    if (error.stack !== undefined) info.stack = error.stack;
    return info;
  }
  return { name: 'NonError', message: String(error) };
}
