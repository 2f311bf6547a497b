import { createHash } from 'node:crypto';
import { type CodeCodec, CounterBlocks } from './codes.ts';
import { ShortenerError } from './errors.ts';
import { LruCache } from './lru-cache.ts';
import type { Link, LinkStore } from './ports.ts';

/** The key of the reverse lookup: SHA-256 of the normalised URL, base64url. */
export function hashUrl(url: string): string {
  return createHash('sha256').update(url).digest('base64url');
}

/** How many generated codes to try before giving up (each skips a code already taken by a slug). */
const MAX_CODE_ATTEMPTS = 20;

export interface LinkServiceOptions {
  store: LinkStore;
  codec: CodeCodec;
  /** Hot codes kept in memory. 0 turns the cache off. */
  cacheSize?: number;
  /** Counter values taken from the store at a time. */
  blockSize?: number;
  now?: () => Date;
}

/**
 * The shortener's use cases on top of the LinkStore port: create a link (or return the one the
 * URL already has) and resolve a code, with hot codes served from memory.
 *
 * @example
 * const links = new LinkService({ store, codec });
 * const { link, created } = await links.shorten('https://example.com/');
 */
export class LinkService {
  readonly #store: LinkStore;
  readonly #codec: CodeCodec;
  readonly #counter: CounterBlocks;
  readonly #cache: LruCache<string, string>;
  readonly #now: () => Date;

  constructor(options: LinkServiceOptions) {
    this.#store = options.store;
    this.#codec = options.codec;
    this.#counter = new CounterBlocks(options.store, options.blockSize ?? 100);
    this.#cache = new LruCache(options.cacheSize ?? 10_000);
    this.#now = options.now ?? (() => new Date());
  }

  /** Cache statistics, for metrics. */
  get cache(): { hits: number; misses: number; size: number } {
    return { hits: this.#cache.hits, misses: this.#cache.misses, size: this.#cache.size };
  }

  /**
   * Shorten a URL that has already passed `checkUrl`. The same URL always gets the same code.
   * With a `slug`, that code is used; 409 if it is taken by another URL, or if the URL already
   * has a different code.
   */
  async shorten(url: string, slug?: string): Promise<{ link: Link; created: boolean }> {
    const urlHash = hashUrl(url);
    const existing = await this.#store.getByUrlHash(urlHash);
    if (existing) return this.#existing(existing, slug);
    const createdAt = this.#now().toISOString();
    for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
      // Most values come from the block in hand: no await (each one costs a promise).
      const code = slug ?? this.#codec.encode(this.#counter.take() ?? (await this.#counter.next()));
      const result = await this.#store.insert({ code, url, urlHash, createdAt });
      if (result.status === 'created') {
        this.#cache.set(code, url);
        return { link: result.link, created: true };
      }
      if (result.status === 'exists') return this.#existing(result.link, slug);
      if (slug !== undefined) {
        throw new ShortenerError('slug_taken', `the slug "${slug}" is already used`, 409);
      }
      // A custom slug already took this generated code: move on to the next counter value.
    }
    throw new Error(`no free code after ${MAX_CODE_ATTEMPTS} attempts`);
  }

  /**
   * The target URL of a code if it is in memory, without touching the store: the redirect
   * answers a hit without awaiting anything (each promise costs, more so with
   * AsyncLocalStorage on Node 20).
   */
  cached(code: string): string | undefined {
    return this.#cache.get(code);
  }

  /** The target URL of a code, from memory when hot. */
  async resolve(code: string): Promise<string | undefined> {
    const cached = this.cached(code);
    if (cached !== undefined) return cached;
    const link = await this.#store.getByCode(code);
    if (link) this.#cache.set(code, link.url);
    return link?.url;
  }

  /** The stored link of a code. */
  async get(code: string): Promise<Link | undefined> {
    return this.#store.getByCode(code);
  }

  #existing(link: Link, slug: string | undefined): { link: Link; created: boolean } {
    if (slug !== undefined && slug !== link.code) {
      throw new ShortenerError(
        'url_exists',
        `this URL is already shortened as "${link.code}"; a URL has one code`,
        409,
      );
    }
    return { link, created: false };
  }
}
