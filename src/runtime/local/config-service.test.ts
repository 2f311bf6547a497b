import { describe, expect, it } from 'vitest';
import { ApiKeys } from '../../shortener/api-keys.ts';
import { settingsFromConfig } from './config-service.ts';

const fallback = {
  redirectMaxAge: 300,
  apiKeys: new ApiKeys([]),
  appleAppSiteAssociation: '{"applinks":{"apps":[],"details":[]}}',
  assetLinks: '[]',
};

describe('settingsFromConfig', () => {
  it('falls back for every absent key', () => {
    const warned: string[] = [];
    expect(
      settingsFromConfig(
        () => undefined,
        fallback,
        (k) => warned.push(k),
      ),
    ).toEqual(fallback);
    expect(warned).toEqual([]);
  });

  it('takes well-formed values', () => {
    const values: Record<string, unknown> = {
      'redirect-max-age': 0,
      'api-keys': ['k1'],
      'apple-app-site-association': { applinks: { details: [] } },
      assetlinks: [{ relation: [] }],
    };
    const settings = settingsFromConfig(
      (k) => values[k],
      fallback,
      () => {},
    );
    expect(settings.redirectMaxAge).toBe(0);
    expect(settings.apiKeys.accepts('k1')).toBe(true);
    expect(settings.apiKeys.accepts('k2')).toBe(false);
    expect(JSON.parse(settings.appleAppSiteAssociation)).toEqual({ applinks: { details: [] } });
    expect(JSON.parse(settings.assetLinks)).toEqual([{ relation: [] }]);
  });

  it('falls back, naming the key, for values of the wrong shape', () => {
    const bad: Record<string, unknown> = {
      'redirect-max-age': 1.5,
      'api-keys': ['ok', ''],
      'apple-app-site-association': ['not', 'an', 'object'],
      assetlinks: { not: 'an array' },
    };
    const warned: string[] = [];
    const settings = settingsFromConfig(
      (k) => bad[k],
      fallback,
      (k) => warned.push(k),
    );
    expect(settings).toEqual(fallback);
    expect(warned.sort()).toEqual([
      'api-keys',
      'apple-app-site-association',
      'assetlinks',
      'redirect-max-age',
    ]);
    const negative = settingsFromConfig(
      (k) => (k === 'redirect-max-age' ? -1 : undefined),
      fallback,
      () => {},
    );
    expect(negative.redirectMaxAge).toBe(300);
  });
});
