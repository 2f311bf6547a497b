import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidAlphabet, randomAlphabet } from '../../shortener/codes.ts';
import { ConfigError } from '../config.ts';

/**
 * The installation's code alphabet: the configured one, or a random one made on first start
 * and kept in the data dir (mode 0600), so codes stay unguessable and stable across restarts.
 */
export function resolveCodeAlphabet(dataDir: string, configured: string | undefined): string {
  if (configured !== undefined) {
    if (!isValidAlphabet(configured)) {
      throw new ConfigError(
        'SHORTLINE_CODE_ALPHABET: expected a permutation of the 62 characters A-Z a-z 0-9',
      );
    }
    return configured;
  }
  const file = join(dataDir, 'code-alphabet');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (!isValidAlphabet(stored))
      throw new ConfigError(`${file} is corrupt: expected 62 distinct A-Z a-z 0-9 characters`);
    return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const alphabet = randomAlphabet();
  // 'wx': never overwrite one another process wrote in between.
  try {
    writeFileSync(file, `${alphabet}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return resolveCodeAlphabet(dataDir, undefined);
    throw error;
  }
  return alphabet;
}
