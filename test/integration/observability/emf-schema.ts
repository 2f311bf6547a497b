import { z } from 'zod';

/**
 * The CloudWatch Embedded Metric Format as its specification documents it
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * a root `_aws` member with a millisecond `Timestamp` and `CloudWatchMetrics` directives;
 * each directive has a `Namespace` (1-255 characters, not only whitespace), `Dimensions`
 * (sets of at most 30 names) and `Metrics` (at most 100 definitions, `Name` 1-1024
 * characters, an optional `Unit` from the fixed list, `StorageResolution` 1 or 60).
 */
const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;

const MetricDirective = z.strictObject({
  Namespace: z.string().min(1).max(255).regex(/\S/),
  Dimensions: z.array(z.array(z.string().min(1).max(255)).max(30)),
  Metrics: z
    .array(
      z.strictObject({
        Name: z.string().min(1).max(1024),
        Unit: z.enum(UNITS).optional(),
        StorageResolution: z.union([z.literal(1), z.literal(60)]).optional(),
      }),
    )
    .max(100),
});

const EmfRoot = z.looseObject({
  _aws: z.looseObject({
    Timestamp: z.number().int().nonnegative(),
    CloudWatchMetrics: z.array(MetricDirective).min(1),
  }),
});

/** Every way `doc` breaks the specification; empty when it is a valid EMF document. */
export function emfProblems(doc: unknown): string[] {
  const parsed = EmfRoot.safeParse(doc);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const root = parsed.data as Record<string, unknown> & z.infer<typeof EmfRoot>;
  const problems: string[] = [];
  for (const directive of root._aws.CloudWatchMetrics) {
    // Dimension names and metric names are references to root members of the right type.
    for (const name of directive.Dimensions.flat()) {
      const value = Object.hasOwn(root, name) ? root[name] : undefined;
      if (typeof value !== 'string') problems.push(`dimension ${name} is not a string member`);
      else if (value.length > 1024) problems.push(`dimension ${name} is longer than 1024`);
    }
    for (const { Name } of directive.Metrics) {
      const value = Object.hasOwn(root, Name) ? root[Name] : undefined;
      const values = Array.isArray(value) ? value : [value];
      if (values.length > 100) problems.push(`metric ${Name} has more than 100 values`);
      if (values.length === 0 || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        problems.push(`metric ${Name} is not a number or an array of numbers`);
      }
    }
  }
  return problems;
}
