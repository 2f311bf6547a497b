import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type Cipher,
  CipherError,
  type Envelope,
  openWithDataKey,
  sealWithDataKey,
} from '../../kit/config/cipher.ts';

/** The environment variable holding a base64 32-byte master key; it wins over the key file. */
export const MASTER_KEY_ENV = 'SHORTLINE_MASTER_KEY';

function parseKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) {
    throw new CipherError('key_unavailable', `${where} must hold a base64 32-byte key`);
  }
  return key;
}

/**
 * Read the master key from `SHORTLINE_MASTER_KEY`, else from `file`, creating the file with a
 * fresh random key (mode 0600) the first time. A key file readable by group or others is
 * refused, as ssh refuses a private key: it would let any local user decrypt every secret.
 *
 * @example
 * const key = loadOrCreateMasterKey('./data/master.key');
 */
export function loadOrCreateMasterKey(file: string, env = process.env): Buffer {
  const fromEnv = env[MASTER_KEY_ENV];
  if (fromEnv) return parseKey(fromEnv, MASTER_KEY_ENV);
  mkdirSync(dirname(file), { recursive: true });
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot both create it.
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new CipherError(
      'key_unavailable',
      `master key file ${file} has mode 0${mode.toString(8)}; run: chmod 600 ${file}`,
    );
  }
  return parseKey(readFileSync(file, 'utf8'), `master key file ${file}`);
}

/**
 * The local Cipher: a fresh AES-256-GCM data key per value, wrapped by a 32-byte master key
 * (also AES-256-GCM). `kid` is `local:` plus a fingerprint of the master key, so opening an
 * envelope with another master key says so instead of failing obscurely.
 *
 * @example
 * const cipher = new AesCipher(loadOrCreateMasterKey('./data/master.key'));
 */
export class AesCipher implements Cipher {
  readonly #masterKey: Buffer;
  readonly kid: string;

  constructor(masterKey: Uint8Array) {
    if (masterKey.length !== 32)
      throw new CipherError('key_unavailable', 'master key must be 32 bytes');
    this.#masterKey = Buffer.from(masterKey);
    this.kid = `local:${createHash('sha256').update(this.#masterKey).digest('hex').slice(0, 16)}`;
  }

  async encrypt(plaintext: Uint8Array, aad?: string): Promise<Envelope> {
    const dataKey = randomBytes(32);
    const sealed = sealWithDataKey(dataKey, plaintext, aad);
    const wrapped = sealWithDataKey(this.#masterKey, dataKey, this.kid);
    dataKey.fill(0);
    return { v: 1, kid: this.kid, edk: `${wrapped.iv}.${wrapped.tag}.${wrapped.ct}`, ...sealed };
  }

  async decrypt(envelope: Envelope, aad?: string): Promise<Uint8Array> {
    if (envelope.kid !== this.kid) {
      throw new CipherError('wrong_key', `sealed with key ${envelope.kid}, this is ${this.kid}`);
    }
    const [iv, tag, ct] = envelope.edk.split('.');
    if (iv === undefined || tag === undefined || ct === undefined) {
      throw new CipherError('invalid_envelope', 'malformed wrapped data key');
    }
    const dataKey = openWithDataKey(this.#masterKey, { iv, tag, ct }, this.kid);
    try {
      return openWithDataKey(dataKey, envelope, aad);
    } finally {
      Buffer.from(dataKey.buffer, dataKey.byteOffset, dataKey.byteLength).fill(0);
    }
  }
}
