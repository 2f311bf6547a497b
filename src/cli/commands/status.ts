import type { Command } from 'commander';
import { processorStatus } from '../../kit/stream/index.ts';
import {
  DATA_DIR_FLAGS,
  DATA_DIR_HELP,
  formatDuration,
  table,
  withStreamData,
} from './stream-data.ts';

/**
 * `shortline status`: per processor, lag (age of the oldest unprocessed record), counters,
 * retry-queue and dead-letter depth. Reads the SQLite files directly, so it works while the
 * service runs.
 */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      'show each stream processor: lag, processed, failed, retried, queued, dead-lettered, DLQ depth',
    )
    .option(DATA_DIR_FLAGS, DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      "\nLag is the age of the oldest record after the processor's checkpoint (0s when caught up).",
    )
    .action(async (options: { dataDir?: string; json?: boolean }) => {
      const rows = await withStreamData(options.dataDir, async (storage) =>
        storage ? processorStatus(storage) : [],
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ processors: rows }, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) {
        process.stdout.write('no processors have run yet\n');
        return;
      }
      const header = [
        'PROCESSOR',
        'STREAM',
        'LAG',
        'PROCESSED',
        'FAILED',
        'RETRIED',
        'QUEUED',
        'DEAD-LETTERED',
        'RETRY-DEPTH',
        'DLQ-DEPTH',
      ];
      const body = rows.map((r) => [
        r.processor,
        r.stream,
        formatDuration(r.lagMs),
        String(r.processed),
        String(r.failed),
        String(r.retried),
        String(r.queued),
        String(r.deadLettered),
        String(r.retryQueueDepth),
        String(r.dlqDepth),
      ]);
      process.stdout.write(`${table([header, ...body])}\n`);
    });
}
