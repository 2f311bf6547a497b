import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/runtime/config.ts';
import { type LocalService, startLocalService } from '../../src/runtime/local/service.ts';
import { CHROMIUM_MISSING, findChromium, isCi, launchChromium } from '../support/chromium.ts';
import { eventually } from '../support/eventually.ts';

// Without a browser the test skips with a reason, except on CI, where it fails (launchChromium
// throws) so a missing browser can never turn into a silently green run.
const skip = findChromium() === undefined && !isCi();
if (skip) console.warn(`skipping the browser test of the page: ${CHROMIUM_MISSING}`);

/** A free loopback port: the short links must name the port before the service starts. */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The site short links point at: a page the browser can land on, and a record of visits. */
async function startTargetSite(): Promise<{ origin: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Landing</title><h1 id="landed">You landed</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { origin: `http://127.0.0.1:${address.port}`, hits, server };
}

describe.skipIf(skip)('the page in Chromium', () => {
  let browser: Browser;
  let service: LocalService;
  let site: Awaited<ReturnType<typeof startTargetSite>>;
  let dataDir: string;
  // The short domain is `localhost` and the target site `127.0.0.1`: both loopback, but
  // different hosts, so the service's own-host (loop) rule lets the target through.
  let baseUrl: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'shortline-e2e-'));
    site = await startTargetSite();
    // The port is free when probed; another process could take it before the service binds
    // it, so try again with a new one if that happens.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      baseUrl = `http://localhost:${port}`;
      try {
        service = await startLocalService(
          loadConfig({
            env: {},
            overrides: { host: '127.0.0.1', port, baseUrl, dataDir, logLevel: 'silent' },
          }),
        );
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 3) throw error;
      }
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await new Promise((resolve) => site?.server.close(resolve));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  let context: BrowserContext;
  let page: Page;
  let cspViolations: string[];

  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    cspViolations = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    });
  });

  afterEach(async () => {
    // The inline script and style are allowed by hash; an edit that breaks a hash shows here.
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('shortens a typed URL, shows the short link, and the link lands on the target', async () => {
    const target = `${site.origin}/landing?run=${crypto.randomUUID()}`;
    await page.goto(`${baseUrl}/`);
    await page.locator('#url').fill(target);
    await page.locator('#submit').click();

    const short = page.locator('#short');
    await short.waitFor({ state: 'visible' });
    const shortUrl = (await short.textContent()) ?? '';
    expect(shortUrl).toMatch(new RegExp(`^${baseUrl}/[A-Za-z0-9_-]+$`));
    expect(await short.getAttribute('href')).toBe(shortUrl);
    await page.screenshot({ path: '/tmp/page.png', fullPage: true });

    const [response] = await Promise.all([page.waitForNavigation(), short.click()]);
    expect(page.url()).toBe(target);
    await expect(page.locator('#landed').textContent()).resolves.toBe('You landed');
    expect(site.hits).toContain(new URL(target).pathname + new URL(target).search);
    const redirect = await response?.request().redirectedFrom()?.response();
    expect(redirect?.status()).toBe(308);
    expect(redirect?.url()).toBe(shortUrl);

    // The visit made it through the links stream to the visit counter.
    const code = new URL(shortUrl).pathname.slice(1);
    await eventually(
      async () => {
        const details = await fetch(`${baseUrl}/api/links/${code}`);
        expect(await details.json()).toMatchObject({ code, url: target, visits: 1 });
      },
      { timeoutMs: 15_000 },
    );
  });

  it('gives the same short link when the same URL is shortened again', async () => {
    const target = `${site.origin}/landing?again=${crypto.randomUUID()}`;
    await page.goto(`${baseUrl}/`);
    const shorten = async () => {
      await page.locator('#url').fill(target);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.locator('#submit').click(),
      ]);
      // Submitting hides the previous result, so this waits for the new one.
      await page.locator('#short').waitFor({ state: 'visible' });
      return { status: response.status(), shortUrl: await page.locator('#short').textContent() };
    };
    const first = await shorten();
    const second = await shorten();
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.shortUrl).toBe(first.shortUrl);
  });

  it('shows an inline error for a URL that is not http(s), without a result', async () => {
    await page.goto(`${baseUrl}/`);
    await page.locator('#url').fill('ftp://files.example.com/report.pdf');
    await page.locator('#submit').click();

    const error = page.locator('#error');
    await expect.poll(() => error.textContent()).toBe('Only http and https URLs can be shortened');
    expect(await page.locator('#url').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#result').isHidden()).toBe(true);
    await page.screenshot({ path: '/tmp/page-error.png', fullPage: true });
  });

  it('refuses a link to the shortener itself, and asks for a URL when the field is empty', async () => {
    await page.goto(`${baseUrl}/`);
    await page.locator('#url').fill(`${baseUrl}/loop`);
    await page.locator('#submit').click();
    const error = page.locator('#error');
    await expect.poll(() => error.textContent()).toMatch(/this shortener itself/);

    await page.locator('#url').fill('');
    await page.locator('#submit').click();
    await expect.poll(() => error.textContent()).toBe('Enter a URL to shorten.');
    expect(await page.locator('#result').isHidden()).toBe(true);
  });

  it('copies the short link to the clipboard', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    await page.goto(`${baseUrl}/`);
    await page.locator('#url').fill(`${site.origin}/landing?copy=${crypto.randomUUID()}`);
    await page.locator('#submit').click();
    await page.locator('#short').waitFor({ state: 'visible' });
    const shortUrl = await page.locator('#short').textContent();

    await page.locator('#copy').click();
    await expect.poll(() => page.locator('#copied').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shortUrl);
  });

  it('selects the short link for a manual copy where the clipboard API is missing', async () => {
    // Plain http on a non-local host is not a secure context, and there browsers have no
    // navigator.clipboard; take it away to see the page fall back to selecting the link.
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
    });
    await page.goto(`${baseUrl}/`);
    await page.locator('#url').fill(`${site.origin}/landing?select=${crypto.randomUUID()}`);
    await page.locator('#submit').click();
    await page.locator('#short').waitFor({ state: 'visible' });
    const shortUrl = await page.locator('#short').textContent();

    await page.locator('#copy').click();
    await expect.poll(() => page.locator('#copied').textContent()).toMatch(/Ctrl\+C/);
    expect(await page.evaluate(() => getSelection()?.toString())).toBe(shortUrl);
  });
});
