import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Checks creation API keys in constant time. Keys are kept only as SHA-256 digests, and every
 * configured key is compared on every call, so timing reveals neither which key nor how much
 * of it matched.
 *
 * @example
 * const keys = new ApiKeys(['k1-secret', 'k2-secret']);
 * keys.required; // true
 * keys.accepts(request.headers.get('x-api-key')); // boolean
 */
export class ApiKeys {
  readonly #digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.#digests = keys.filter((key) => key.length > 0).map(digest);
  }

  /** False when no key is configured: creation is open. */
  get required(): boolean {
    return this.#digests.length > 0;
  }

  accepts(candidate: string | undefined | null): boolean {
    if (!this.required) return true;
    const given = digest(candidate ?? '');
    let match = false;
    for (const key of this.#digests) match = timingSafeEqual(key, given) || match;
    return match && typeof candidate === 'string' && candidate.length > 0;
  }
}
