/**
 * Ports owned by the shortener domain. Adapters (SQLite, DynamoDB) implement them; the domain
 * never imports an adapter.
 */

/** One stored short link. */
export interface Link {
  /** The short code, e.g. `Xk9aQ2`. Unique. */
  code: string;
  /** The absolute http(s) URL the code redirects to. */
  url: string;
  /** ISO-8601 creation time. */
  createdAt: string;
}

/** What the store is asked to insert. `urlHash` is the indexed reverse-lookup key. */
export interface NewLink extends Link {
  urlHash: string;
}

/** The outcome of an insert: the link now stored for that URL, and whether this call made it. */
export type InsertResult =
  | { status: 'created'; link: Link }
  /** The URL already had a link (reverse lookup): that link is returned and nothing is written. */
  | { status: 'exists'; link: Link }
  /** The code is already used by another URL (a custom slug that is taken). */
  | { status: 'code-taken' };

/**
 * Storage for links and the code counter.
 *
 * @example
 * const start = await store.reserveBlock(100); // values start .. start+99 are ours alone
 * const r = await store.insert({ code, url, urlHash, createdAt });
 */
export interface LinkStore {
  /**
   * Insert a link unless its URL (by `urlHash`) already has one. Must be race-free: two
   * concurrent inserts of the same URL end with one stored link, both callers seeing it.
   */
  insert(link: NewLink): Promise<InsertResult>;
  /** The link for a code, or undefined. */
  getByCode(code: string): Promise<Link | undefined>;
  /** Reverse lookup by URL hash, or undefined. */
  getByUrlHash(urlHash: string): Promise<Link | undefined>;
  /**
   * Atomically take `size` consecutive counter values for this caller alone and return the
   * first. One atomic write per block, so a remote store pays once per `size` links.
   */
  reserveBlock(size: number): Promise<number>;
  /** Release resources (close the database, stop clients). */
  close(): Promise<void>;
}

/** Domain events the shortener emits. The partition key is the link code. */
export type LinkEvent =
  | { type: 'link.created'; code: string; url: string; at: string }
  | { type: 'link.visited'; code: string; at: string; userAgent?: string };

/**
 * Where the shortener sends its events. `publish` must not block the request: it returns at
 * once and the adapter delivers in the background (or appends synchronously to a local log).
 */
export interface LinkEventPublisher {
  publish(event: LinkEvent): void;
}

/** Read side of link statistics, fed by the visit-counter processor. */
export interface LinkStats {
  /** Visits counted so far for a code (0 when none). */
  visits(code: string): Promise<number>;
}
