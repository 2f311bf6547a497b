import { KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { CipherError } from '../../kit/config/cipher.ts';
import { KmsCipher } from './kms-cipher.ts';

// There is no KMS emulator on npm (checked: local-kms, kms-local, kms-mock, aws-kms-mock,
// local-kms-server, kms-emulator). So this runs only against a real key, or against
// nsmithuk/local-kms if one is running: set SHORTLINE_TEST_KMS_KEY_ID (and, for local-kms,
// SHORTLINE_TEST_KMS_ENDPOINT).
const keyId = process.env.SHORTLINE_TEST_KMS_KEY_ID;
const endpoint = process.env.SHORTLINE_TEST_KMS_ENDPOINT;
const reason = 'SHORTLINE_TEST_KMS_KEY_ID is not set and no KMS emulator exists on npm';
if (!keyId) console.log(`KmsCipher tests skipped: ${reason}`);

describe.skipIf(!keyId)('KmsCipher (real KMS or local-kms)', () => {
  const client = new KMSClient(endpoint ? { endpoint } : {});
  const cipher = new KmsCipher({ client, keyId: keyId ?? '' });

  it('seals with a KMS data key and opens through KMS Decrypt', async () => {
    const envelope = await cipher.encrypt(Buffer.from('kms secret'), 'ns/key');
    expect(envelope.edk).not.toContain('kms secret');
    expect(Buffer.from(await cipher.decrypt(envelope, 'ns/key')).toString()).toBe('kms secret');
    // A reader needs no key id: the wrapped key names its KMS key.
    const reader = new KmsCipher({ client });
    expect(Buffer.from(await reader.decrypt(envelope, 'ns/key')).toString()).toBe('kms secret');
  });

  it('refuses another encryption context', async () => {
    const envelope = await cipher.encrypt(Buffer.from('bound'), 'ns/a');
    await expect(cipher.decrypt(envelope, 'ns/b')).rejects.toBeInstanceOf(CipherError);
  });
});
