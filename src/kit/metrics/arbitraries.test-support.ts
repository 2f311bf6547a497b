import fc from 'fast-check';
import { METRIC_TYPES, type MetricPoint } from './types.ts';

/** Text with the characters the line formats treat as syntax mixed in. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('|', ',', '=', '%', '\n', '/', ':', ' ', '%2C'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 12,
});

/** Points as the recorder makes them (finite values, names unlike their dimensions). */
export const pointArb: fc.Arbitrary<MetricPoint> = fc
  .record({
    name: text.filter((n) => n !== '_aws' && n !== '__proto__'),
    value: fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v)),
    type: fc.constantFrom(...METRIC_TYPES),
    timestamp: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    dimensions: fc.dictionary(text, text, { maxKeys: 4, noNullPrototype: true }),
  })
  .filter(
    (p) =>
      !Object.hasOwn(p.dimensions, p.name) &&
      !Object.hasOwn(p.dimensions, '_aws') &&
      !Object.hasOwn(p.dimensions, '__proto__'),
  );

/** The timestamp the line formats keep: whole seconds. */
export const atSecond = (p: MetricPoint): MetricPoint => ({
  ...p,
  timestamp: Math.floor(p.timestamp / 1000) * 1000,
});
