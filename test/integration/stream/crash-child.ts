/**
 * The consumer the crash test kills. It records every handled record (with its run id) in an
 * `effects` table of the same file, one transaction per record, like a real side effect.
 * Usage: node --import tsx crash-child.ts <streams.db> <run id>
 */
import { openStreamStorage } from '../../../src/adapters/sqlite/stream-storage.ts';
import { defineProcessor, startProcessors } from '../../../src/kit/stream/index.ts';

const [file, run] = process.argv.slice(2);
if (!file || !run) throw new Error('usage: crash-child.ts <streams.db> <run>');
const storage = openStreamStorage(file);
storage.db.exec(
  'CREATE TABLE IF NOT EXISTS effects (id INTEGER PRIMARY KEY, shard TEXT, seq INTEGER, run INTEGER)',
);
const effect = storage.db.prepare<[string, number, number]>(
  'INSERT INTO effects (shard, seq, run) VALUES (?, ?, ?)',
);
const attempts = new Map<string, number>();

const processor = defineProcessor<number>({
  name: 'crash',
  stream: 'crash',
  policy: {
    kind: 'retry',
    retries: 2,
    backoff: { initialMs: 1, factor: 2, maxMs: 5, jitter: 'none' },
  },
  batchSize: 50,
  handler: (record) => {
    // Every 97th record fails once, to crash in the middle of in-process retries too.
    const key = `${record.shardId}/${record.sequenceNumber}`;
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (record.data % 97 === 0 && n === 1) throw new Error('transient');
    effect.run(record.shardId, Number(record.sequenceNumber), Number(run));
  },
});

// No top-level await: the test bundles this file as CommonJS so each restart starts fast.
void startProcessors([processor], { ...storage, pollMs: 50 }).then((running) => {
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void running.stop().then(() => {
      storage.close();
      process.exit(0);
    });
  });
});
