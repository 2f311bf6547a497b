import { readFileSync } from 'node:fs';
import { z } from 'zod';

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: 'expected a number' })
    .int({ error: 'expected a whole number' })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` });

const list = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value,
  z.array(z.string().min(1)),
);

const flag = z.preprocess(
  (value) =>
    typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value,
  z.boolean(),
);

/** Every setting of the service, with its default. Unknown keys are refused. */
export const ServiceConfigSchema = z.strictObject({
  port: wholeNumber(0, 65_535).default(3000),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./data'),
  baseUrl: z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' }).optional(),
  redirectMaxAge: wholeNumber(0, 31_536_000).default(300),
  createRateLimit: wholeNumber(0).default(60),
  apiKeys: list.default([]),
  maxBodyBytes: wholeNumber(256, 1_048_576).default(8192),
  trustProxy: flag.default(false),
  cacheSize: wholeNumber(0).default(10_000),
  codeMinLength: wholeNumber(1, 20).default(5),
  codeAlphabet: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  appleAppIds: list.default([]),
  applePaths: list.default([]),
  aasaFile: z.string().min(1).optional(),
  androidPackage: z.string().min(1).optional(),
  androidFingerprints: list.default([]),
  assetLinksFile: z.string().min(1).optional(),
});

export type ServiceConfig = z.infer<typeof ServiceConfigSchema>;

/** Which environment variable sets which key. */
export const ENV_NAMES: Readonly<Record<keyof ServiceConfig, string>> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'SHORTLINE_DATA_DIR',
  baseUrl: 'SHORTLINE_BASE_URL',
  redirectMaxAge: 'SHORTLINE_REDIRECT_MAX_AGE',
  createRateLimit: 'SHORTLINE_CREATE_RATE_LIMIT',
  apiKeys: 'SHORTLINE_API_KEYS',
  maxBodyBytes: 'SHORTLINE_MAX_BODY_BYTES',
  trustProxy: 'SHORTLINE_TRUST_PROXY',
  cacheSize: 'SHORTLINE_CACHE_SIZE',
  codeMinLength: 'SHORTLINE_CODE_MIN_LENGTH',
  codeAlphabet: 'SHORTLINE_CODE_ALPHABET',
  logLevel: 'LOG_LEVEL',
  appleAppIds: 'SHORTLINE_APPLE_APP_IDS',
  applePaths: 'SHORTLINE_APPLE_PATHS',
  aasaFile: 'SHORTLINE_AASA_FILE',
  androidPackage: 'SHORTLINE_ANDROID_PACKAGE',
  androidFingerprints: 'SHORTLINE_ANDROID_CERT_FINGERPRINTS',
  assetLinksFile: 'SHORTLINE_ASSETLINKS_FILE',
};

/** A configuration that cannot be used; the message lists every bad value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly code = 'invalid_config';
}

/**
 * Load the configuration: defaults, then the JSON config file (`SHORTLINE_CONFIG_FILE` or
 * `file`), then environment variables, then `overrides` (command-line flags). Every bad value
 * is reported at once, named as the person wrote it (env name or file key).
 *
 * @example
 * const config = loadConfig({ env: process.env, overrides: { port: 8080 } });
 */
export function loadConfig({
  env = process.env,
  file = env.SHORTLINE_CONFIG_FILE,
  overrides = {},
}: {
  env?: NodeJS.ProcessEnv;
  file?: string | undefined;
  overrides?: Partial<Record<keyof ServiceConfig, unknown>>;
} = {}): ServiceConfig {
  // No prototype: a `__proto__` key in the file is then just an unknown key, refused below.
  const merged: Record<string, unknown> = Object.create(null);
  const source: Record<string, string> = Object.create(null);
  if (file) {
    for (const [key, value] of Object.entries(readConfigFile(file))) {
      merged[key] = value;
      source[key] = `${file}: "${key}"`;
    }
  }
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      merged[key] = value;
      source[key] = name;
    }
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) {
      merged[key] = value;
      source[key] = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    }
  }
  const parsed = ServiceConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      if (issue.code === 'unrecognized_keys') {
        return `  ${file ?? 'config'}: unknown key(s) ${issue.keys.join(', ')}`;
      }
      const shown = key in merged ? ` (got ${JSON.stringify(merged[key])})` : '';
      return `  ${source[key] ?? key}: ${issue.message}${shown}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`config file ${file} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}
