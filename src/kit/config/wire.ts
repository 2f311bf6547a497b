import type { Envelope } from './cipher.ts';

/**
 * One config value as the config service sends it. A plain value is in `value`; a secret is
 * only ever in `envelope` (ciphertext), never in `value`.
 */
export interface ConfigItem {
  namespace: string;
  key: string;
  /** Starts at 1 and grows by one on every write; also sent as the ETag `"<version>"`. */
  version: number;
  secret: boolean;
  value?: unknown;
  envelope?: Envelope;
  /** ISO-8601 time of the last write. */
  updatedAt: string;
  /** Id of the API key (or `local` for the CLI on the database file) that wrote it. */
  updatedBy: string;
}

/** The body of `GET /config/{namespace}`. */
export interface ConfigList {
  namespace: string;
  items: ConfigItem[];
}

/** Namespaces and keys: lower-case letters, digits, `.`, `_`, `-`; not starting with `_`. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** The additional authenticated data a secret is sealed with: `namespace/key`. */
export function secretAad(namespace: string, key: string): string {
  return `${namespace}/${key}`;
}
