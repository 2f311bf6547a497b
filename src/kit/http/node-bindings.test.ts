import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addHeaderOnWriteHead } from './node-bindings.ts';

// Each path answers with one of the forms of writeHead node-server and others use.
const forms: Record<string, (res: ServerResponse) => void> = {
  '/object': (res) => res.writeHead(308, { Location: 'https://example.com/' }),
  '/none': (res) => res.writeHead(204),
  '/reason': (res) => res.writeHead(200, 'Fine', { 'Content-Type': 'text/plain' }),
  '/array': (res) => res.writeHead(200, ['Content-Type', 'text/plain']),
  '/app-wins': (res) => res.writeHead(200, { 'x-correlation-id': 'from-app' }),
};

const server = createServer((req, res) => {
  addHeaderOnWriteHead(res, 'x-correlation-id', 'added');
  forms[req.url ?? '']?.(res);
  res.end();
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('addHeaderOnWriteHead', () => {
  it('adds the header to every form of writeHead, keeping the others', async () => {
    const get = (path: string) => fetch(`${base}${path}`, { redirect: 'manual' });
    const object = await get('/object');
    expect([object.status, object.headers.get('location')]).toEqual([308, 'https://example.com/']);
    expect(object.headers.get('x-correlation-id')).toBe('added');
    expect((await get('/none')).headers.get('x-correlation-id')).toBe('added');
    const reason = await get('/reason');
    expect([reason.statusText, reason.headers.get('content-type')]).toEqual(['Fine', 'text/plain']);
    expect(reason.headers.get('x-correlation-id')).toBe('added');
    const array = await get('/array');
    expect(array.headers.get('content-type')).toBe('text/plain');
    expect(array.headers.get('x-correlation-id')).toBe('added');
  });

  it('leaves a header of the same name that the app sets alone', async () => {
    const res = await fetch(`${base}/app-wins`);
    expect(res.headers.get('x-correlation-id')).toBe('from-app');
  });
});
