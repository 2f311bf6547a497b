import type { SqliteDatabase } from '../src/adapters/sqlite/database.ts';
import { SqliteLinkStore } from '../src/adapters/sqlite/link-store.ts';
import type { InsertResult, Link, LinkStore, NewLink } from '../src/shortener/ports.ts';

interface Waiting {
  link: NewLink;
  resolve: (result: InsertResult) => void;
  reject: (error: unknown) => void;
}

interface Row {
  code: string;
  url: string;
  created_at: string;
}

/**
 * A PROTOTYPE for the benchmark, not used by the service: the SQLite LinkStore with group
 * commit. Inserts that arrive in the same event-loop turn are written in one transaction, so
 * concurrent creates share one WAL commit instead of paying one each. Each caller still gets
 * its own result, only after the commit, and the same rules hold as in `SqliteLinkStore`
 * (insert-or-existing by URL hash, inside the transaction), so it stays race-free.
 *
 * @example
 * const store = new GroupCommitLinkStore(openDatabase(file));
 */
export class GroupCommitLinkStore implements LinkStore {
  readonly #inner: SqliteLinkStore;
  readonly #writeBatch: (links: NewLink[]) => InsertResult[];
  #waiting: Waiting[] = [];

  constructor(db: SqliteDatabase) {
    // The adapter creates the schema and serves reads and counter blocks unchanged.
    this.#inner = new SqliteLinkStore(db);
    const insert = db.prepare<[string, string, string, string]>(
      'INSERT INTO links (code, url, url_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    const byHash = db.prepare<[string], Row>(
      'SELECT code, url, created_at FROM links WHERE url_hash = ?',
    );
    const toLink = (row: Row): Link => ({
      code: row.code,
      url: row.url,
      createdAt: row.created_at,
    });
    this.#writeBatch = db.transaction((links: NewLink[]) =>
      links.map((link): InsertResult => {
        if (insert.run(link.code, link.url, link.urlHash, link.createdAt).changes === 1) {
          return {
            status: 'created',
            link: { code: link.code, url: link.url, createdAt: link.createdAt },
          };
        }
        const existing = byHash.get(link.urlHash);
        return existing ? { status: 'exists', link: toLink(existing) } : { status: 'code-taken' };
      }),
    );
  }

  insert(link: NewLink): Promise<InsertResult> {
    return new Promise((resolve, reject) => {
      // setImmediate runs after the I/O phase: every request parsed in this turn joins.
      if (this.#waiting.length === 0) setImmediate(() => this.#flush());
      this.#waiting.push({ link, resolve, reject });
    });
  }

  #flush(): void {
    const batch = this.#waiting;
    this.#waiting = [];
    try {
      const results = this.#writeBatch(batch.map((w) => w.link));
      for (const [i, w] of batch.entries()) w.resolve(results[i] as InsertResult);
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  getByCode(code: string): Promise<Link | undefined> {
    return this.#inner.getByCode(code);
  }

  getByUrlHash(urlHash: string): Promise<Link | undefined> {
    return this.#inner.getByUrlHash(urlHash);
  }

  reserveBlock(size: number): Promise<number> {
    return this.#inner.reserveBlock(size);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
