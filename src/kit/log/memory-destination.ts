/** A log destination that keeps lines in memory, for tests that assert on log output. */
export interface MemoryDestination {
  /** What pino writes to (a `DestinationStream`). */
  write(line: string): void;
  /** Every line written so far, parsed as JSON (non-JSON lines are skipped). */
  records(): Array<Record<string, unknown>>;
  /** Every raw line written so far. */
  lines(): string[];
  /** Forget what was written. */
  clear(): void;
}

/**
 * Capture log lines in memory instead of stdout.
 *
 * @example
 * const out = memoryDestination();
 * const logger = createLogger({ destination: out });
 * logger.info('hi');
 * out.records()[0]?.msg; // 'hi'
 */
export function memoryDestination(): MemoryDestination {
  let chunks: string[] = [];
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '');
  return {
    write(line) {
      chunks.push(line);
    },
    lines,
    records() {
      const out: Array<Record<string, unknown>> = [];
      for (const line of lines()) {
        try {
          out.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // Metric lines (MONITORING|...) share stdout with JSON logs; they are not records.
        }
      }
      return out;
    },
    clear() {
      chunks = [];
    },
  };
}
