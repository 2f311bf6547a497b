/**
 * The stream side of the local service, run in a worker thread (started by streams.ts): the
 * links stream's appends, the visit counter and its retry worker, and stream maintenance.
 * Keeping them off the main thread leaves that thread to HTTP: a visit costs the request one
 * structured-cloned record, and counting it happens on another core.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStreamStorage, streamsFile } from '../../adapters/sqlite/stream-storage.ts';
import { SqliteVisitStats } from '../../adapters/sqlite/visit-stats.ts';
import { createLogger, linesPerTurn } from '../../kit/log/index.ts';
import { createMetrics } from '../../kit/metrics/index.ts';
import { startProcessors } from '../../kit/stream/index.ts';
import { LINKS_STREAM, visitCounterProcessor } from '../../shortener/visit-counter.ts';
import type { FromWorker, StreamWorkerData, ToWorker } from './streams-protocol.ts';

const MAINTENANCE_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

if (!parentPort) throw new Error('streams-worker runs only as a worker thread (see streams.ts)');
const port = parentPort;
const data = workerData as StreamWorkerData;
const post = (message: FromWorker): void => {
  port.postMessage(message);
};

// Lines go to the main thread once per event-loop turn, which writes them to its own log
// destination: one writer per file descriptor, so lines of the two threads never interleave.
const lines = linesPerTurn((text) => post({ type: 'log', text }));
const logger = createLogger({
  name: data.name,
  level: data.logLevel,
  destination: lines,
});
// No default dimensions here: the main thread's metrics add its own when it records these.
const metrics = createMetrics({
  sinks: [
    {
      write(points) {
        post({ type: 'metrics', points: [...points] });
      },
    },
  ],
  onError: (error) => logger.warn({ err: error }, 'metrics sink failed'),
});

const { storage, stats, running } = await start().catch((error: unknown) => {
  // Errors thrown here reach the main thread stripped of their message (a SqliteError arrives
  // as { code }), so say what went wrong in a message of our own, then stop.
  const text = error instanceof Error ? error.message : String(error);
  post({ type: 'failed', message: `${streamsFile(data.dataDir)}: ${text}` });
  port.close();
  return new Promise<never>(() => {});
});

async function start() {
  const storage = openStreamStorage(streamsFile(data.dataDir), { offloadWalCheckpoints: true });
  try {
    storage.log.createStream(LINKS_STREAM, { shards: data.shards });
    const stats = new SqliteVisitStats(storage.db);
    const running = await startProcessors([visitCounterProcessor(stats)], {
      ...storage,
      logger,
      metrics,
    });
    return { storage, stats, running };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
// Trimming runs rarely and deletes only what expired; counted positions outlive the stream's
// retention by an hour so a record can never be counted again after its position is gone.
const maintenance = setInterval(() => {
  try {
    storage.log.trim();
    stats.trim(Date.now() - DAY_MS - 60 * 60 * 1000);
  } catch (error) {
    logger.error({ err: error }, 'stream maintenance failed');
  }
}, MAINTENANCE_MS);
maintenance.unref();

let closing = false;
async function close(): Promise<void> {
  closing = true;
  clearInterval(maintenance);
  await running.stop();
  await storage.close();
  await metrics.close({ budgetMs: Number.POSITIVE_INFINITY });
  lines.flush();
  post({ type: 'closed' });
  port.close();
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'append') {
    if (closing) {
      post({ type: 'append-failed', id: message.id, message: 'the stream worker is closing' });
      return;
    }
    try {
      const results = storage.log.appendSync(message.stream, message.records);
      post({ type: 'appended', id: message.id, results });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      post({ type: 'append-failed', id: message.id, message: text });
    }
  } else if (message.type === 'close' && !closing) {
    void close();
  }
});
post({ type: 'ready' });
