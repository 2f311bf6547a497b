import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { ConfigItem } from '../kit/config/wire.ts';
import { ConfigServiceError } from './errors.ts';
import type { StoredEntry } from './ports.ts';

/** The JSON shape of a stored entry: a secret goes out only as its envelope. */
export function toItem(entry: StoredEntry): ConfigItem {
  const base = {
    namespace: entry.namespace,
    key: entry.key,
    version: entry.version,
    secret: entry.secret,
    updatedAt: entry.updatedAt,
    updatedBy: entry.updatedBy,
  };
  return entry.secret
    ? { ...base, envelope: entry.value as never }
    : { ...base, value: entry.value };
}

/** A strong ETag for one version. */
export const versionTag = (version: number) => `"${version}"`;

/** A weak ETag for a listing: changes whenever any key's version does or a key comes or goes. */
export function listTag(entries: readonly StoredEntry[]): string {
  const hash = createHash('sha256');
  for (const entry of entries) hash.update(`${entry.key}\u0000${entry.version}\u0000`);
  return `W/"${hash.digest('base64url').slice(0, 22)}"`;
}

function parseVersion(text: string, where: string): number {
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(text.trim());
  if (!match?.[1]) {
    throw new ConfigServiceError('invalid_request', `${where} must be a version like "3"`, 400);
  }
  return Number(match[1]);
}

/**
 * The version a write expects, from `If-Match: "<v>"`, `If-None-Match: *` (there must be no
 * value yet: 0), or a `version` field in the body. Undefined when none is given.
 */
export function expectedVersion(c: Context, bodyVersion: number | undefined): number | undefined {
  const ifMatch = c.req.header('if-match');
  const ifNoneMatch = c.req.header('if-none-match');
  let fromHeader: number | undefined;
  if (ifMatch !== undefined) fromHeader = parseVersion(ifMatch, 'If-Match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') {
      throw new ConfigServiceError('invalid_request', 'If-None-Match on a write must be *', 400);
    }
    if (fromHeader !== undefined) {
      throw new ConfigServiceError(
        'invalid_request',
        'give If-Match or If-None-Match, not both',
        400,
      );
    }
    fromHeader = 0;
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new ConfigServiceError('invalid_request', 'If-Match and body version disagree', 400);
  }
  return fromHeader ?? bodyVersion;
}

/** A 409 telling the caller which version is there now (0: none). */
export function conflict(current: number): ConfigServiceError {
  return new ConfigServiceError(
    'version_conflict',
    current === 0 ? 'there is no value at this version' : `the current version is ${current}`,
    409,
    { details: { currentVersion: current } },
  );
}

/** Parse a JSON request body, mapping every failure to a 4xx. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ConfigServiceError(
      'unsupported_media_type',
      'send Content-Type: application/json',
      415,
    );
  }
  try {
    return await c.req.json();
  } catch (error) {
    throw new ConfigServiceError('invalid_request', 'the body is not valid JSON', 400, {
      cause: error,
    });
  }
}
