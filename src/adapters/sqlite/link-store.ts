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
 * @example
 * const store = new SqliteLinkStore(openDatabase('./data/shortline.db'));
 */
export class SqliteLinkStore implements LinkStore {
  readonly #db: SqliteDatabase;
  readonly #insert;
  readonly #byCode;
  readonly #byHash;
  readonly #takeBlock;

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
    this.#takeBlock = db.prepare<[number, number], { next: number }>(
      `INSERT INTO counters (name, next) VALUES ('links', ?) 
       ON CONFLICT(name) DO UPDATE SET next = next + ? RETURNING next`,
    );
  }

  async insert(link: NewLink): Promise<InsertResult> {
    // One transaction: SQLite serialises writers, so the check and the insert cannot interleave
    // with another insert of the same URL or code.
    return this.#db.transaction((): InsertResult => {
      const result = this.#insert.run(link.code, link.url, link.urlHash, link.createdAt);
      if (result.changes === 1) return { status: 'created', link: toLink(this.#row(link)) };
      const existing = this.#byHash.get(link.urlHash);
      if (existing) return { status: 'exists', link: toLink(existing) };
      return { status: 'code-taken' };
    })();
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
    if (this.#db.open) this.#db.close();
  }

  #row(link: NewLink): LinkRow {
    return { code: link.code, url: link.url, created_at: link.createdAt };
  }
}
