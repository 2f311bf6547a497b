import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { limitBody } from './body-limit.ts';

const app = new Hono();
app.use('*', limitBody({ maxBytes: 10, onTooLarge: (c) => c.json({ error: 'too large' }, 413) }));
app.post('/', async (c) => c.text(await c.req.text()));

const chunked = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const char of text) controller.enqueue(new TextEncoder().encode(char));
      controller.close();
    },
  });

describe('limitBody', () => {
  it('judges a declared length by the header and leaves the body to the handler', async () => {
    const ok = await app.request('/', {
      method: 'POST',
      body: '0123456789',
      headers: { 'content-length': '10' },
    });
    expect(await ok.text()).toBe('0123456789');
    const over = await app.request('/', {
      method: 'POST',
      body: '01234567890',
      headers: { 'content-length': '11' },
    });
    expect(over.status).toBe(413);
  });

  it('counts a body without a declared length as it streams', async () => {
    const init = { method: 'POST', duplex: 'half' } as RequestInit;
    const ok = await app.request('/', { ...init, body: chunked('0123456789') });
    expect(await ok.text()).toBe('0123456789');
    const over = await app.request('/', { ...init, body: chunked('0123456789abc') });
    expect(over.status).toBe(413);
  });
});
