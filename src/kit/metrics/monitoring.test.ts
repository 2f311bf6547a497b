import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atSecond, pointArb } from './arbitraries.test-support.ts';
import { MetricsError } from './errors.ts';
import { formatMonitoringLine, parseMonitoringLine } from './monitoring.ts';
import { parseMetricLine } from './parse.ts';

describe('MONITORING lines', () => {
  it('have the classic shape, with dimensions in an optional sixth field', () => {
    const point = {
      name: 'links.created',
      value: 1,
      type: 'count' as const,
      timestamp: 1_700_000_000_999,
    };
    expect(formatMonitoringLine({ ...point, dimensions: {} })).toBe(
      'MONITORING|1700000000|1|count|links.created',
    );
    expect(formatMonitoringLine({ ...point, dimensions: { status: '201', route: '/a|b' } })).toBe(
      'MONITORING|1700000000|1|count|links.created|route=/a%7Cb,status=201',
    );
  });

  it('round-trip any point at whole-second precision', () => {
    fc.assert(
      fc.property(pointArb, (point) => {
        const line = formatMonitoringLine(point);
        expect(line).not.toContain('\n');
        expect(parseMonitoringLine(line)).toEqual(atSecond(point));
        expect(parseMetricLine(line)).toEqual([atSecond(point)]);
      }),
      { numRuns: 500 },
    );
  });

  it('are found after a Lambda log prefix, and not inside other log lines', () => {
    const line = '2026-01-01T00:00:00.000Z\tabc-123\tINFO\tMONITORING|1700000000|2.5|timing|t';
    expect(parseMetricLine(line)).toEqual([
      { name: 't', value: 2.5, type: 'timing', timestamp: 1_700_000_000_000, dimensions: {} },
    ]);
    expect(parseMetricLine('{"msg":"wrote MONITORING|1|1|count|x"}')).toEqual([]);
    expect(parseMetricLine('hello')).toEqual([]);
  });

  it('reject malformed lines with MALFORMED_LINE', () => {
    for (const line of [
      'MONITORING|x|1|count|n',
      'MONITORING|1|NaN|count|n',
      'MONITORING|1||count|n',
      'MONITORING|1|1|histogram|n',
      'MONITORING|1|1|count|',
      'MONITORING|1|1|count|n|novalue',
      'MONITORING|1|1|count|n|a=%ZZ',
      'MONITORING|1|1|count|n|a=b|extra',
    ]) {
      expect(() => parseMonitoringLine(line), line).toThrow(
        expect.objectContaining({ name: 'MetricsError', code: 'MALFORMED_LINE' }),
      );
    }
    expect(() => parseMonitoringLine('nope')).toThrow(MetricsError);
  });
});
