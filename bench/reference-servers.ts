import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { BenchServer } from './server.ts';

const REDIRECT_HEADERS = {
  'cache-control': 'public, max-age=300',
  'x-robots-tag': 'noindex',
};

/**
 * The ceiling: the least a Node HTTP server can do per request. GET answers a fixed 308;
 * POST reads the body and answers a fixed 201, like a create that stores nothing.
 */
export async function startBare(): Promise<BenchServer> {
  const created = JSON.stringify({ code: 'aaaaa', shortUrl: 'https://sho.rt/aaaaa', url: 'x' });
  const server = createServer((req, res) => {
    if (req.method === 'POST') {
      req.resume();
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(created);
      });
      return;
    }
    res.writeHead(308, { location: 'https://example.com/', ...REDIRECT_HEADERS });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    codes: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * For reference: the least a hono app on @hono/node-server does for a redirect, a Map lookup
 * and a 308. The gap between it and the bare server is the framework's; the gap between it and
 * shortline is ours.
 */
export async function startHonoMap(seed: number): Promise<BenchServer> {
  const links = new Map<string, string>();
  for (let i = 0; i < seed; i++)
    links.set(`h${i.toString(36).padStart(4, '0')}`, `https://e${i}.com/`);
  const app = new Hono();
  app.get('/:code', (c) => {
    const url = links.get(c.req.param('code'));
    if (url === undefined) return c.json({ error: { code: 'not_found', message: 'no link' } }, 404);
    return new Response(null, { status: 308, headers: { location: url, ...REDIRECT_HEADERS } });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    codes: [...links.keys()],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
