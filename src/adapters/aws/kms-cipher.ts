import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import {
  type Cipher,
  CipherError,
  type Envelope,
  openWithDataKey,
  sealWithDataKey,
} from '../../kit/config/cipher.ts';

export interface KmsCipherOptions {
  client: KMSClient;
  /** Key id, ARN or alias of the KMS key that wraps data keys. Needed to encrypt only. */
  keyId?: string;
}

// KMS binds the wrapped data key to this encryption context; the same string is the AES-GCM
// additional data, so a sealed value cannot be moved to another key at either layer.
const context = (aad: string | undefined) => (aad === undefined ? undefined : { aad });

/**
 * The AWS Cipher: KMS `GenerateDataKey` gives a fresh AES-256 data key per value (plaintext
 * and wrapped); the value is sealed locally with AES-256-GCM and only the wrapped key is kept.
 * Opening calls KMS `Decrypt` on the wrapped key, so only principals allowed to decrypt with
 * that KMS key can read secrets.
 *
 * @example
 * const cipher = new KmsCipher({ client: new KMSClient({}), keyId: 'alias/shortline-config' });
 */
export class KmsCipher implements Cipher {
  readonly #client: KMSClient;
  readonly #keyId: string | undefined;

  constructor(options: KmsCipherOptions) {
    this.#client = options.client;
    this.#keyId = options.keyId;
  }

  async encrypt(plaintext: Uint8Array, aad?: string): Promise<Envelope> {
    if (!this.#keyId) throw new CipherError('key_unavailable', 'no KMS key id to encrypt with');
    const encryptionContext = context(aad);
    const out = await this.#client.send(
      new GenerateDataKeyCommand({
        KeyId: this.#keyId,
        KeySpec: 'AES_256',
        ...(encryptionContext ? { EncryptionContext: encryptionContext } : {}),
      }),
    );
    if (!out.Plaintext || !out.CiphertextBlob) {
      throw new CipherError('key_unavailable', 'KMS returned no data key');
    }
    try {
      const sealed = sealWithDataKey(out.Plaintext, plaintext, aad);
      return {
        v: 1,
        kid: out.KeyId ?? this.#keyId,
        edk: Buffer.from(out.CiphertextBlob).toString('base64'),
        ...sealed,
      };
    } finally {
      out.Plaintext.fill(0);
    }
  }

  async decrypt(envelope: Envelope, aad?: string): Promise<Uint8Array> {
    const encryptionContext = context(aad);
    let dataKey: Uint8Array | undefined;
    try {
      const out = await this.#client.send(
        new DecryptCommand({
          CiphertextBlob: Buffer.from(envelope.edk, 'base64'),
          // Naming the key makes KMS refuse an envelope wrapped by some other key.
          KeyId: envelope.kid,
          ...(encryptionContext ? { EncryptionContext: encryptionContext } : {}),
        }),
      );
      dataKey = out.Plaintext;
    } catch (error) {
      throw new CipherError('decrypt_failed', 'KMS could not decrypt the data key', {
        cause: error,
      });
    }
    if (!dataKey) throw new CipherError('decrypt_failed', 'KMS returned no data key');
    try {
      return openWithDataKey(dataKey, envelope, aad);
    } finally {
      dataKey.fill(0);
    }
  }
}
