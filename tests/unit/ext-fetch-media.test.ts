import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancelled } from '../../src/offscreen/work-pool.ts';
import { fetchMedia } from '../../src/offscreen/fetch-media.ts';

let server: Server;
let origin: string;
const STALL_MS = 300;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/silent') return; // never answers
    if (request.url === '/stalls-mid-body') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.write(Buffer.alloc(10));
      return; // and nothing more
    }
    // A slow but steady body: every chunk comes well inside the stall deadline, the whole takes longer than it.
    response.writeHead(200, { 'content-type': 'image/png' });
    let sent = 0;
    const timer = setInterval(() => {
      response.write(Buffer.alloc(100, 1));
      if (++sent === 6) {
        clearInterval(timer);
        response.end();
      }
    }, STALL_MS / 3);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('fetching media', () => {
  it('ends a check whose server stays silent, before or during the body, with the reason', async () => {
    for (const path of ['/silent', '/stalls-mid-body']) {
      await expect(fetchMedia(`${origin}${path}`, 'image', undefined, STALL_MS)).rejects.toMatchObject({
        reason: 'timed-out',
        detail: `the server did not answer for ${STALL_MS / 1000} s`,
      });
    }
  });

  it('lets a slow download finish as long as bytes keep coming', async () => {
    const { bytes, contentType } = await fetchMedia(`${origin}/slow`, 'image', undefined, STALL_MS);
    expect(bytes.length).toBe(600);
    expect(contentType).toBe('image/png');
  });

  it('stops a download when its check is cancelled, before or during it', async () => {
    const before = new AbortController();
    before.abort();
    await expect(fetchMedia(`${origin}/slow`, 'image', before.signal)).rejects.toBeInstanceOf(Cancelled);
    const during = new AbortController();
    const download = fetchMedia(`${origin}/stalls-mid-body`, 'image', during.signal);
    setTimeout(() => during.abort(), 50);
    await expect(download).rejects.toBeInstanceOf(Cancelled);
  });
});
