/**
 * Kinesis records carry only bytes and a partition key, so the record's attributes (the
 * correlation context among them) travel in a small JSON envelope around the data.
 */

/** Marks our envelope, so data written by anything else is still read (as plain data). */
const MARK = 'shortline/1';

interface Envelope {
  v: typeof MARK;
  data: unknown;
  attributes?: Record<string, string>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The bytes of one record.
 *
 * @example
 * encodeRecord({ type: 'link.visited' }, { 'shortline-context': '{…}' });
 */
export function encodeRecord(data: unknown, attributes: Record<string, string>): Uint8Array {
  const envelope: Envelope = { v: MARK, data: data ?? null };
  if (Object.keys(attributes).length > 0) envelope.attributes = attributes;
  return encoder.encode(JSON.stringify(envelope));
}

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && (value as { v?: unknown }).v === MARK;
}

/**
 * Data and attributes back from a record's bytes. JSON without our envelope is data with no
 * attributes; bytes that are not JSON are returned as a string, so a foreign record never
 * throws here (the handler decides what to do with it).
 *
 * @example
 * decodeRecord(Buffer.from(record.kinesis.data, 'base64'));
 */
export function decodeRecord(bytes: Uint8Array): {
  data: unknown;
  attributes: Record<string, string>;
} {
  const text = decoder.decode(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { data: text, attributes: {} };
  }
  if (!isEnvelope(parsed)) return { data: parsed, attributes: {} };
  // fromEntries defines own properties, so a key such as `__proto__` stays an attribute
  // instead of being taken as the object's prototype by an assignment.
  const attributes: Record<string, string> = Object.fromEntries(
    Object.entries(parsed.attributes ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return { data: parsed.data, attributes };
}
