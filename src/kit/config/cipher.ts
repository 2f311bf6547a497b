import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A sealed secret: the value encrypted with a fresh data key (AES-256-GCM), and that data key
 * encrypted ("wrapped") by a key-encryption key the envelope names in `kid`. Only this JSON
 * shape is ever stored or sent over HTTP; the plaintext never leaves the process that seals
 * or opens it.
 */
export interface Envelope {
  /** Format version. */
  v: 1;
  /** Which key-encryption key wrapped the data key, e.g. `local:1a2b3c4d` or a KMS key ARN. */
  kid: string;
  /** The wrapped data key, base64. */
  edk: string;
  /** AES-GCM nonce of the value, base64 (12 bytes). */
  iv: string;
  /** AES-GCM authentication tag of the value, base64 (16 bytes). */
  tag: string;
  /** The encrypted value, base64. */
  ct: string;
}

/**
 * Envelope encryption, the port behind which the local AES key file and KMS sit.
 * `aad` (additional authenticated data) binds a ciphertext to where it belongs, e.g.
 * `shortener/api-keys`, so an envelope copied to another key fails to open.
 *
 * @example
 * const envelope = await cipher.encrypt(Buffer.from('s3cret'), 'shortener/db-password');
 * const plain = await cipher.decrypt(envelope, 'shortener/db-password');
 */
export interface Cipher {
  encrypt(plaintext: Uint8Array, aad?: string): Promise<Envelope>;
  decrypt(envelope: Envelope, aad?: string): Promise<Uint8Array>;
}

/** Raised when an envelope is malformed or cannot be opened (wrong key, tampered, wrong aad). */
export class CipherError extends Error {
  override name = 'CipherError';
  readonly code: 'invalid_envelope' | 'decrypt_failed' | 'wrong_key' | 'key_unavailable';

  constructor(code: CipherError['code'], message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether `value` has the shape of an {@link Envelope}. */
export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    v.v === 1 &&
    typeof v.kid === 'string' &&
    v.kid.length > 0 &&
    typeof v.edk === 'string' &&
    v.edk.length > 0 &&
    ['iv', 'tag', 'ct'].every((k) => typeof v[k] === 'string' && B64.test(v[k] as string))
  );
}

/**
 * Encrypt `plaintext` under a 32-byte data key. Shared by every Cipher adapter: they differ
 * only in how the data key is obtained and wrapped.
 */
export function sealWithDataKey(
  dataKey: Uint8Array,
  plaintext: Uint8Array,
  aad: string | undefined,
): Pick<Envelope, 'iv' | 'tag' | 'ct'> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  };
}

/** The inverse of {@link sealWithDataKey}. Throws CipherError when authentication fails. */
export function openWithDataKey(
  dataKey: Uint8Array,
  envelope: Pick<Envelope, 'iv' | 'tag' | 'ct'>,
  aad: string | undefined,
): Uint8Array {
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(envelope.iv, 'base64'));
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]);
  } catch (error) {
    throw new CipherError('decrypt_failed', 'the secret could not be decrypted', { cause: error });
  }
}

/**
 * Seal a JSON value: what the config service stores for a secret.
 *
 * @example
 * const envelope = await sealJson(cipher, { password: 'x' }, 'shortener/db');
 */
export async function sealJson(cipher: Cipher, value: unknown, aad?: string): Promise<Envelope> {
  return cipher.encrypt(Buffer.from(JSON.stringify(value), 'utf8'), aad);
}

/**
 * Open an envelope sealed by {@link sealJson} and parse the JSON inside.
 *
 * @example
 * const value = await openJson(cipher, envelope, 'shortener/db');
 */
export async function openJson(cipher: Cipher, envelope: unknown, aad?: string): Promise<unknown> {
  if (!isEnvelope(envelope)) throw new CipherError('invalid_envelope', 'not a sealed envelope');
  const plain = await cipher.decrypt(envelope, aad);
  return JSON.parse(Buffer.from(plain).toString('utf8'));
}
