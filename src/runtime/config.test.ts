import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has sane defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({
      port: 3000,
      dataDir: './data',
      createRateLimit: 60,
      apiKeys: [],
    });
  });

  it('reads env, with flags winning', () => {
    const config = loadConfig({
      env: {
        PORT: '8080',
        SHORTLINE_API_KEYS: 'a-key, b-key',
        SHORTLINE_BASE_URL: 'https://sho.rt',
      },
      overrides: { port: '9090' },
    });
    expect(config).toMatchObject({
      port: 9090,
      apiKeys: ['a-key', 'b-key'],
      baseUrl: 'https://sho.rt',
    });
  });

  it('reports every bad value by the name the person used', () => {
    const error = (() => {
      try {
        loadConfig({
          env: { PORT: 'x', SHORTLINE_BASE_URL: 'ftp://nope', SHORTLINE_CREATE_RATE_LIMIT: '1.5' },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('SHORTLINE_BASE_URL');
    expect(message).toContain('SHORTLINE_CREATE_RATE_LIMIT');
  });

  it('refuses a __proto__ key in the config file instead of inheriting from it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shortline-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, '{"__proto__": {"apiKeys": ["injected"]}, "port": 4000}');
    try {
      expect(() => loadConfig({ env: {}, file })).toThrow(/unknown key\(s\) __proto__/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing config file clearly', () => {
    expect(() => loadConfig({ env: {}, file: '/nonexistent/shortline.json' })).toThrow(
      /cannot read config file/,
    );
  });
});
