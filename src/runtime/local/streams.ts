import { openStreamStorage, streamsFile } from '../../adapters/sqlite/stream-storage.ts';
import { SqliteVisitStats } from '../../adapters/sqlite/visit-stats.ts';
import type { Metrics } from '../../kit/metrics/index.ts';
import { type StreamLogger, startProcessors } from '../../kit/stream/index.ts';
import type { LinkEventPublisher, LinkStats } from '../../shortener/ports.ts';
import { StreamEventPublisher } from '../../shortener/stream-event-publisher.ts';
import { LINKS_STREAM, visitCounterProcessor } from '../../shortener/visit-counter.ts';

/** The stream side of the local service. */
export interface LocalStreams {
  events: LinkEventPublisher;
  stats: LinkStats;
  /** Graceful: deliver buffered events, let processors finish and checkpoint, close the file. */
  close(): Promise<void>;
}

const MAINTENANCE_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Open `<dataDir>/streams.db`, create the `links` stream, and run the visit counter and its
 * retry worker in this process. Events are published in one append per tick, off the request.
 *
 * @example
 * const streams = await startLocalStreams({ dataDir: './data', logger });
 * composeShortener({ ..., events: streams.events, stats: streams.stats });
 */
export async function startLocalStreams(options: {
  dataDir: string;
  logger: StreamLogger;
  /** Processor metrics (processed, failed, retried, queued, dead-lettered, lag). */
  metrics?: Pick<Metrics, 'count' | 'gauge'>;
  shards?: number;
}): Promise<LocalStreams> {
  const storage = openStreamStorage(streamsFile(options.dataDir), { offloadWalCheckpoints: true });
  storage.log.createStream(LINKS_STREAM, { shards: options.shards ?? 2 });
  const stats = new SqliteVisitStats(storage.db);
  const events = new StreamEventPublisher({
    producer: storage.log,
    stream: LINKS_STREAM,
    logger: options.logger,
  });
  const running = await startProcessors([visitCounterProcessor(stats)], {
    ...storage,
    logger: options.logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  // Trimming runs rarely and deletes only what expired; counted positions outlive the stream's
  // retention by an hour so a record can never be counted again after its position is gone.
  const maintenance = setInterval(() => {
    try {
      storage.log.trim();
      stats.trim(Date.now() - DAY_MS - 60 * 60 * 1000);
    } catch (error) {
      options.logger.error({ err: error }, 'stream maintenance failed');
    }
  }, MAINTENANCE_MS);
  maintenance.unref();

  let closing: Promise<void> | undefined;
  return {
    events,
    stats,
    close() {
      closing ??= (async () => {
        clearInterval(maintenance);
        await events.flush();
        await running.stop();
        await storage.close();
      })();
      return closing;
    },
  };
}
