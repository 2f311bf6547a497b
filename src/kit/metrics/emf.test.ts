import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atSecond, pointArb } from './arbitraries.test-support.ts';
import {
  EMF_MAX_METRICS,
  EMF_MAX_VALUES,
  emfSink,
  fromEmfDocument,
  toEmfDocuments,
} from './emf.ts';
import { MetricsError } from './errors.ts';
import { parseMetricLine } from './parse.ts';
import type { MetricPoint } from './types.ts';

const sortKey = (p: MetricPoint) =>
  JSON.stringify([p.timestamp, p.name, p.type, p.value, Object.entries(p.dimensions).sort()]);
const sorted = (points: MetricPoint[]) =>
  [...points].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));

describe('EMF documents', () => {
  it('round-trip any batch of points at whole-second precision', () => {
    fc.assert(
      fc.property(fc.array(pointArb, { maxLength: 30 }), (points) => {
        // A name reused with another type in one dimension set still comes back apart.
        const docs = toEmfDocuments(points, 'ns');
        const back = docs.flatMap((doc) => parseMetricLine(JSON.stringify(doc)));
        expect(sorted(back)).toEqual(sorted(points.map(atSecond)));
      }),
      { numRuns: 300 },
    );
  });

  it('group by dimension set and split at 100 metrics and 100 values', () => {
    const at = 1_700_000_000_000;
    const points: MetricPoint[] = [];
    for (let i = 0; i < 250; i++)
      points.push({
        name: `m${i}`,
        value: i,
        type: 'gauge',
        timestamp: at,
        dimensions: { a: '1' },
      });
    for (let i = 0; i < 150; i++)
      points.push({ name: 'same', value: i, type: 'timing', timestamp: at, dimensions: {} });
    const docs = toEmfDocuments(points, 'ns');
    for (const doc of docs) {
      const metrics = doc._aws.CloudWatchMetrics.flatMap((d) => d.Metrics);
      expect(metrics.length).toBeLessThanOrEqual(EMF_MAX_METRICS);
      for (const m of metrics) {
        const v = doc[m.Name];
        expect(Array.isArray(v) ? v.length : 1).toBeLessThanOrEqual(EMF_MAX_VALUES);
      }
    }
    // 250 metrics -> 3 documents; 150 values of one metric -> 2 documents.
    expect(docs).toHaveLength(5);
    expect(docs[0]).toMatchObject({
      _aws: { Timestamp: at, CloudWatchMetrics: [{ Namespace: 'ns', Dimensions: [['a']] }] },
      a: '1',
      m0: 0,
    });
  });

  it('writes one JSON line per document and rejects a bad namespace', () => {
    let out = '';
    emfSink({
      namespace: 'shortline',
      write: (t) => {
        out += t;
      },
    }).write([
      { name: 'x', value: 1, type: 'count', timestamp: 5000, dimensions: { s: 'a' } },
      { name: 'x', value: 2, type: 'count', timestamp: 5000, dimensions: { s: 'b' } },
    ]);
    expect(
      out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).s),
    ).toEqual(['a', 'b']);
    expect(() => emfSink({ namespace: ' ' })).toThrow(MetricsError);
    expect(() => emfSink({ namespace: 'x'.repeat(256) })).toThrow(MetricsError);
  });

  it('reject documents that claim to be EMF but are not', () => {
    expect(() => fromEmfDocument({ _aws: {} })).toThrow(MetricsError);
    expect(() =>
      fromEmfDocument({
        _aws: {
          Timestamp: 1,
          CloudWatchMetrics: [{ Namespace: 'n', Dimensions: [['d']], Metrics: [{ Name: 'm' }] }],
        },
        m: 1,
      }),
    ).toThrow(/dimension d/);
    expect(() =>
      fromEmfDocument({
        _aws: {
          Timestamp: 1,
          CloudWatchMetrics: [{ Namespace: 'n', Dimensions: [], Metrics: [{ Name: 'm' }] }],
        },
        m: 'x',
      }),
    ).toThrow(/numeric/);
    expect(parseMetricLine('{"msg":"mentions \\"_aws\\""}')).toEqual([]);
  });
});
