import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.ts';
import { openDatabase } from './database.ts';
import { startWalCheckpointer } from './wal-checkpointer.ts';

const dir = mkdtempSync(join(tmpdir(), 'shortline-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startWalCheckpointer', () => {
  it('turns the automatic checkpoint off and checkpoints from a worker instead', async () => {
    const file = join(dir, 'wal.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE t (x TEXT)');
    const checkpointer = startWalCheckpointer(db, 20);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    for (let i = 0; i < 3_000; i++) insert.run('x'.repeat(200));
    // The worker copies the WAL into the database file, which grows while the writer idles.
    await eventually(() => expect(statSync(file).size).toBeGreaterThan(500_000), {
      timeoutMs: 10_000,
    });
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('keeps the WAL bounded while a writer never pauses', async () => {
    const file = join(dir, 'busy.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE t (x TEXT)');
    // Restart past 128 pages (512 KB).
    const checkpointer = startWalCheckpointer(db, 10, 128);
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    const walSize = () => statSync(`${file}-wal`).size;
    const write = async (ms: number) => {
      let largest = 0;
      let written = 0;
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        // Five commits every millisecond or so, a few MB a second as a busy service writes:
        // PASSIVE checkpoints alone never catch up with this.
        for (let i = 0; i < 5; i++) insert.run('x'.repeat(500));
        written += 2_500;
        largest = Math.max(largest, walSize());
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return { largest, written };
    };
    // The worker needs a moment to start; the WAL it finds by then is cut back at the first
    // restart (journal_size_limit), and from then on it stays small.
    await write(1_000);
    await eventually(async () => {
      await write(50);
      expect(walSize()).toBeLessThan(2_000_000);
    });
    const { largest, written } = await write(2_500);
    await checkpointer.stop();
    db.close();
    // More went through the WAL than it ever held at once.
    expect(written).toBeGreaterThan(3 * largest);
    expect(largest).toBeLessThan(3_000_000);
  });
});
