import { randomInt } from 'node:crypto';
import Sqids, { defaultOptions } from 'sqids';
import type { LinkStore } from './ports.ts';

/** Sqids' own alphabet: 62 URL-safe characters. Installations use a private shuffle of it. */
export const BASE_ALPHABET = defaultOptions.alphabet;

/**
 * A random permutation of the base alphabet. Codes are only as unguessable as this secret:
 * with the public default alphabet anyone could decode a code back to its counter value.
 */
export function randomAlphabet(): string {
  const chars = [...BASE_ALPHABET];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

/** True when `alphabet` is a permutation of the base alphabet (what Sqids needs here). */
export function isValidAlphabet(alphabet: string): boolean {
  return (
    alphabet.length === BASE_ALPHABET.length &&
    [...alphabet].sort().join('') === [...BASE_ALPHABET].sort().join('')
  );
}

const BLOCKED_WORDS: ReadonlySet<string> = new Set(
  [...defaultOptions.blocklist].map((word) => word.toLowerCase()),
);
const SHORTEST_WORD = Math.min(...[...BLOCKED_WORDS].map((word) => word.length));
const LONGEST_WORD = Math.max(...[...BLOCKED_WORDS].map((word) => word.length));

/**
 * True when some blocked word occurs anywhere in `code` (ignoring case). Sqids blocks a code in
 * fewer cases (short words only as the whole code, words with digits only at either end), so
 * this is a superset of its rule: false means Sqids would not block the code either.
 */
export function containsBlockedWord(code: string): boolean {
  const lower = code.toLowerCase();
  for (let start = 0; start + SHORTEST_WORD <= lower.length; start++) {
    const longest = Math.min(LONGEST_WORD, lower.length - start);
    for (let length = SHORTEST_WORD; length <= longest; length++) {
      if (BLOCKED_WORDS.has(lower.slice(start, start + length))) return true;
    }
  }
  return false;
}

/**
 * Turns counter values into short codes and back. Consecutive values give unrelated-looking
 * codes, codes grow by about one character per 62x more links, and Sqids' blocklist keeps
 * common profanity out of them.
 *
 * @example
 * const codec = new CodeCodec({ alphabet: randomAlphabet(), minLength: 5 });
 * codec.decode(codec.encode(42)); // 42
 */
export class CodeCodec {
  readonly #sqids: Sqids;
  /** The same encoder without the blocklist: the codes are identical unless one is blocked. */
  readonly #unchecked: Sqids;

  constructor({ alphabet, minLength }: { alphabet: string; minLength: number }) {
    this.#sqids = new Sqids({ alphabet, minLength });
    this.#unchecked = new Sqids({ alphabet, minLength, blocklist: new Set() });
  }

  encode(value: number): string {
    // Sqids checks a code against each of its 560 blocked words in turn (about 40 µs a code);
    // looking its substrings up in a set says "certainly not blocked" far faster. Only a code
    // that contains a blocked word goes through Sqids' own check, which then picks the code.
    const code = this.#unchecked.encode([value]);
    return containsBlockedWord(code) ? this.#sqids.encode([value]) : code;
  }

  /** The counter value of a generated code, or undefined for anything else. */
  decode(code: string): number | undefined {
    const values = this.#sqids.decode(code);
    if (values.length !== 1 || this.encode(values[0] as number) !== code) return undefined;
    return values[0];
  }
}

/**
 * Hands out counter values, taking them from the store in blocks so that a remote store pays
 * one atomic write per `blockSize` links. Values of an unused block are simply skipped after a
 * restart; uniqueness is what matters, not density.
 */
export class CounterBlocks {
  readonly #store: LinkStore;
  readonly #blockSize: number;
  #next = 0;
  #end = 0;
  #pending: Promise<void> | undefined;

  constructor(store: LinkStore, blockSize = 100) {
    this.#store = store;
    this.#blockSize = blockSize;
  }

  /** The next value when the current block has one, without waiting; else undefined. */
  take(): number | undefined {
    return this.#next < this.#end ? this.#next++ : undefined;
  }

  async next(): Promise<number> {
    while (this.#next >= this.#end) {
      // Concurrent callers share one in-flight reservation instead of each taking a block.
      this.#pending ??= this.#store.reserveBlock(this.#blockSize).then(
        (start) => {
          this.#next = start;
          this.#end = start + this.#blockSize;
          this.#pending = undefined;
        },
        (error: unknown) => {
          this.#pending = undefined;
          throw error;
        },
      );
      await this.#pending;
    }
    return this.#next++;
  }
}
