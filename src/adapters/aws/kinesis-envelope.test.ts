import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from './kinesis-envelope.ts';

describe('Kinesis record envelope', () => {
  it('round-trips any JSON data and string attributes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.string()), (data, attributes) => {
        const decoded = decodeRecord(encodeRecord(data, attributes));
        // JSON itself has no -0: it comes back as 0.
        expect(decoded).toEqual({ data: JSON.parse(JSON.stringify(data)), attributes });
      }),
    );
  });

  it('never throws on foreign bytes: JSON is data, anything else a string', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        const decoded = decodeRecord(bytes);
        expect(decoded.attributes).toEqual({});
      }),
    );
    expect(decodeRecord(Buffer.from('{"title":"x"}'))).toEqual({
      data: { title: 'x' },
      attributes: {},
    });
    expect(decodeRecord(Buffer.from('plain text'))).toEqual({ data: 'plain text', attributes: {} });
  });

  it('drops attribute values that are not strings', () => {
    const bytes = Buffer.from(
      JSON.stringify({ v: 'shortline/1', data: 1, attributes: { a: 'x', b: 2 } }),
    );
    expect(decodeRecord(bytes)).toEqual({ data: 1, attributes: { a: 'x' } });
  });
});
