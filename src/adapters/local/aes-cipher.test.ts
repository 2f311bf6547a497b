import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CipherError } from '../../kit/config/cipher.ts';
import { AesCipher, loadOrCreateMasterKey, MASTER_KEY_ENV } from './aes-cipher.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-aes-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadOrCreateMasterKey', () => {
  it('creates a 32-byte key file with mode 0600 on first use and reads the same key after', () => {
    const file = join(tempDir(), 'nested', 'master.key');
    const first = loadOrCreateMasterKey(file, {});
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateMasterKey(file, {}).equals(first)).toBe(true);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first)).toBe(true);
  });

  it('prefers SHORTLINE_MASTER_KEY and creates no file then', () => {
    const key = randomBytes(32);
    const file = join(tempDir(), 'master.key');
    const loaded = loadOrCreateMasterKey(file, { [MASTER_KEY_ENV]: key.toString('base64') });
    expect(loaded.equals(key)).toBe(true);
    expect(() => statSync(file)).toThrow();
    expect(() => loadOrCreateMasterKey(file, { [MASTER_KEY_ENV]: 'c2hvcnQ=' })).toThrow(/32-byte/);
  });

  it('refuses a key file others can read', () => {
    const file = join(tempDir(), 'master.key');
    loadOrCreateMasterKey(file, {});
    chmodSync(file, 0o644);
    expect(() => loadOrCreateMasterKey(file, {})).toThrow(/chmod 600/);
  });
});

describe('AesCipher', () => {
  const cipher = new AesCipher(randomBytes(32));

  it('round-trips any bytes, with a fresh data key and nonce each time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.string(), async (plain, aad) => {
        const envelope = await cipher.encrypt(plain, aad);
        expect(Buffer.from(await cipher.decrypt(envelope, aad)).equals(Buffer.from(plain))).toBe(
          true,
        );
      }),
      { numRuns: 50 },
    );
    const a = await cipher.encrypt(Buffer.from('same'));
    const b = await cipher.encrypt(Buffer.from('same'));
    expect(a.ct).not.toBe(b.ct);
    expect(a.edk).not.toBe(b.edk);
  });

  it('fails to open with another aad, another master key, or a tampered envelope', async () => {
    const envelope = await cipher.encrypt(Buffer.from('secret'), 'ns/a');
    await expect(cipher.decrypt(envelope, 'ns/b')).rejects.toBeInstanceOf(CipherError);
    await expect(new AesCipher(randomBytes(32)).decrypt(envelope, 'ns/a')).rejects.toMatchObject({
      code: 'wrong_key',
    });
    const flipped = Buffer.from(envelope.ct, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await expect(
      cipher.decrypt({ ...envelope, ct: flipped.toString('base64') }, 'ns/a'),
    ).rejects.toMatchObject({ code: 'decrypt_failed' });
    await expect(cipher.decrypt({ ...envelope, edk: 'x' }, 'ns/a')).rejects.toMatchObject({
      code: 'invalid_envelope',
    });
  });
});
