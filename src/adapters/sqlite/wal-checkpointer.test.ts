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
});
