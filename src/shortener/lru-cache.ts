/**
 * A small least-recently-used map for hot redirect codes. A Map keeps insertion order, so
 * re-inserting on a hit moves the key to the end and the first key is the coldest.
 *
 * @example
 * const cache = new LruCache<string, string>(10_000);
 * cache.set('abc', 'https://example.com/');
 */
export class LruCache<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();
  hits = 0;
  misses = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.#max <= 0) return;
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) {
      const coldest = this.#map.keys().next();
      if (!coldest.done) this.#map.delete(coldest.value);
    }
  }

  get size(): number {
    return this.#map.size;
  }
}
