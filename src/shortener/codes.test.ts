import fc from 'fast-check';
import Sqids, { defaultOptions } from 'sqids';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../adapters/sqlite/database.ts';
import { SqliteLinkStore } from '../adapters/sqlite/link-store.ts';
import {
  BASE_ALPHABET,
  CodeCodec,
  CounterBlocks,
  containsBlockedWord,
  isValidAlphabet,
  randomAlphabet,
} from './codes.ts';

const codec = new CodeCodec({ alphabet: randomAlphabet(), minLength: 5 });

describe('CodeCodec', () => {
  it('round-trips every counter value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const code = codec.encode(n);
        expect(code).toMatch(/^[A-Za-z0-9]+$/);
        expect(codec.decode(code)).toBe(n);
      }),
    );
  });

  it('gives distinct values distinct codes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(), { minLength: 2, maxLength: 200 }), (values) => {
        expect(new Set(values.map((v) => codec.encode(v))).size).toBe(values.length);
      }),
    );
  });

  it('gives exactly the codes Sqids with its blocklist gives, blocked ones included', () => {
    const alphabet = randomAlphabet();
    const ours = new CodeCodec({ alphabet, minLength: 5 });
    const reference = new Sqids({ alphabet, minLength: 5 });
    const unchecked = new Sqids({ alphabet, minLength: 5, blocklist: new Set() });
    let blocked = 0;
    for (let n = 0; n < 20_000; n++) {
      if (containsBlockedWord(unchecked.encode([n]))) blocked++;
      expect(ours.encode(n)).toBe(reference.encode([n]));
    }
    // The range holds codes that needed Sqids' own check, so both paths were compared.
    expect(blocked).toBeGreaterThan(0);
  });

  it('flags every code that Sqids blocks (a superset of its rule)', () => {
    const sqids = new Sqids() as unknown as { isBlockedId(id: string): boolean };
    const word = fc.constantFrom(...defaultOptions.blocklist);
    const code = fc
      .tuple(fc.string({ maxLength: 4 }), word, fc.string({ maxLength: 4 }), fc.boolean())
      .map(([a, w, b, upper]) => `${a}${upper ? w.toUpperCase() : w}${b}`);
    fc.assert(
      fc.property(fc.oneof(code, fc.string({ maxLength: 12 })), (id) => {
        if (sqids.isBlockedId(id)) expect(containsBlockedWord(id)).toBe(true);
      }),
    );
    expect(containsBlockedWord('xxSHITxx')).toBe(true);
    expect(containsBlockedWord('Xk9aQ2')).toBe(false);
  });

  it('keeps codes short as the count grows', () => {
    expect(codec.encode(1)).toHaveLength(5);
    expect(codec.encode(1_000_000).length).toBeLessThanOrEqual(6);
    expect(codec.encode(1_000_000_000).length).toBeLessThanOrEqual(7);
  });

  it('decodes nothing that it did not make', () => {
    expect(codec.decode('not-a-code!')).toBeUndefined();
    expect(codec.decode('')).toBeUndefined();
  });

  it('makes random alphabets that are permutations of the base one', () => {
    const a = randomAlphabet();
    expect(isValidAlphabet(a)).toBe(true);
    expect(a).not.toBe(randomAlphabet());
    expect(isValidAlphabet(`${BASE_ALPHABET.slice(1)}${BASE_ALPHABET[1]}`)).toBe(false);
    expect(isValidAlphabet(BASE_ALPHABET.slice(1))).toBe(false);
  });
});

describe('CounterBlocks', () => {
  it('takes values without waiting only from a block in hand, never one twice', async () => {
    const blocks = new CounterBlocks(new SqliteLinkStore(openDatabase(':memory:')), 3);
    expect(blocks.take()).toBeUndefined();
    const first = await blocks.next();
    const taken = [blocks.take(), blocks.take()];
    expect(taken).toEqual([first + 1, first + 2]);
    expect(blocks.take()).toBeUndefined();
    expect(await blocks.next()).toBeGreaterThan(first + 2);
  });

  it('hands out unique values to concurrent callers with one store write per block', async () => {
    const store = new SqliteLinkStore(openDatabase(':memory:'));
    let reservations = 0;
    const counting = Object.assign(Object.create(store), {
      reserveBlock: (size: number) => {
        reservations++;
        return store.reserveBlock(size);
      },
    });
    const blocks = new CounterBlocks(counting, 10);
    const values = await Promise.all(Array.from({ length: 95 }, () => blocks.next()));
    expect(new Set(values).size).toBe(95);
    expect(reservations).toBe(10);
  });
});
