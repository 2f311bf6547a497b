import type { InsertResult, Link, LinkStore, NewLink } from '../../shortener/ports.ts';
import type { SqliteDatabase } from './database.ts';

interface LinkRow {
  code: string;
  url: string;
  created_at: string;
}

const toLink = (row: LinkRow): Link => ({
  code: row.code,
  url: row.url,
  createdAt: row.created_at,
});

/**
 * LinkStore on SQLite. The unique index on `url_hash` makes the reverse lookup race-free:
 * an insert for a URL that already has a link does nothing and the existing link is returned.
 *
 * Group commit: inserts that arrive in the same event-loop turn are written in one
 * transaction, so concurrent creates share one WAL commit instead of paying one each. Each
 * caller still gets its own result, only after the commit, and each insert is checked on its
 * own inside the transaction (a later insert in a batch sees the earlier ones).
 *
 * @example
 * const store = new SqliteLinkStore(openDatabase('./data/shortline.db'));
 */
export class SqliteLinkStore implements LinkStore {
  readonly #db: SqliteDatabase;
  readonly #insert;
  readonly #byCode;
  readonly #byHash;
  readonly #takeBlock;
  readonly #writeBatch: (links: readonly NewLink[]) => InsertResult[];
  #waiting: Array<{
    link: NewLink;
    resolve: (result: InsertResult) => void;
    reject: (error: unknown) => void;
  }> = [];

  constructor(db: SqliteDatabase) {
    this.#db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS links (
        code TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        url_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS counters (
        name TEXT PRIMARY KEY,
        next INTEGER NOT NULL
      );
    `);
    this.#insert = db.prepare<[string, string, string, string]>(
      'INSERT INTO links (code, url, url_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.#byCode = db.prepare<[string], LinkRow>(
      'SELECT code, url, created_at FROM links WHERE code = ?',
    );
    this.#byHash = db.prepare<[string], LinkRow>(
      'SELECT code, url, created_at FROM links WHERE url_hash = ?',
    );
    // One transaction per batch: SQLite serialises writers, so a check and its insert cannot
    // interleave with another insert of the same URL or code.
    this.#writeBatch = db.transaction((links: readonly NewLink[]) =>
      links.map((link): InsertResult => {
        const result = this.#insert.run(link.code, link.url, link.urlHash, link.createdAt);
        if (result.changes === 1) return { status: 'created', link: toLink(this.#row(link)) };
        const existing = this.#byHash.get(link.urlHash);
        if (existing) return { status: 'exists', link: toLink(existing) };
        return { status: 'code-taken' };
      }),
    );
    this.#takeBlock = db.prepare<[number, number], { next: number }>(
      `INSERT INTO counters (name, next) VALUES ('links', ?) 
       ON CONFLICT(name) DO UPDATE SET next = next + ? RETURNING next`,
    );
  }

  insert(link: NewLink): Promise<InsertResult> {
    return new Promise((resolve, reject) => {
      // setImmediate runs after the I/O phase, so every request parsed in this turn joins.
      if (this.#waiting.length === 0) setImmediate(() => this.#flush());
      this.#waiting.push({ link, resolve, reject });
    });
  }

  async getByCode(code: string): Promise<Link | undefined> {
    const row = this.#byCode.get(code);
    return row ? toLink(row) : undefined;
  }

  async getByUrlHash(urlHash: string): Promise<Link | undefined> {
    const row = this.#byHash.get(urlHash);
    return row ? toLink(row) : undefined;
  }

  async reserveBlock(size: number): Promise<number> {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`block size ${size}`);
    // `next` is the first value not yet handed out; the row returned is the value after our block.
    const row = this.#takeBlock.get(size + 1, size);
    if (!row) throw new Error('counter update returned no row');
    return row.next - size;
  }

  async close(): Promise<void> {
    this.#flush();
    if (this.#db.open) this.#db.close();
  }

  #flush(): void {
    const batch = this.#waiting;
    if (batch.length === 0) return;
    this.#waiting = [];
    try {
      const results = this.#writeBatch(batch.map((waiting) => waiting.link));
      for (const [i, waiting] of batch.entries()) waiting.resolve(results[i] as InsertResult);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // The batch rolled back: write each on its own, so one bad insert fails only its caller.
      for (const waiting of batch) {
        try {
          waiting.resolve(this.#writeBatch([waiting.link])[0] as InsertResult);
        } catch (single) {
          waiting.reject(single);
        }
      }
    }
  }

  #row(link: NewLink): LinkRow {
    return { code: link.code, url: link.url, created_at: link.createdAt };
  }
}
