/**
 * A server that stalls the extension's request (it answers the page's own image request, then goes silent for the
 * extension's fetch) ends in "Can't check" with the reason within 20 s, not "Checking…" forever.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, launch, startServers, tabIdOf, waitForChecks, type Servers, type Session } from './support/session.ts';

let servers: Servers;
let stalling: Server;
let session: Session;
let page: Page;

beforeAll(async () => {
  servers = await startServers();
  const png = readFileSync(join(REPO, 'demo/media/decoded_taef2_astronaut.png'));
  // The page's <img> asks with Sec-Fetch-Dest: image and gets the picture; the extension's fetch() gets headers only.
  stalling = createServer((request, response) => {
    if (request.headers['sec-fetch-dest'] === 'image') return void response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    response.writeHead(200, { 'content-type': 'image/png' });
    response.write(png.subarray(0, 100));
  });
  await new Promise<void>((done) => stalling.listen(0, 'localhost', done));
  session = await launch();
  page = await session.browser.newPage();
});

afterAll(async () => {
  await session?.browser.close();
  stalling?.closeAllConnections();
  stalling?.close();
  await servers?.close();
});

describe('a stalling server', () => {
  it('ends in "Can\'t check" with the reason within 20 s', async () => {
    const src = `http://localhost:${(stalling.address() as AddressInfo).port}/astronaut.png`;
    const started = Date.now();
    await page.goto(`${servers.main.origin}/tests/e2e/fixtures/menu.html?cross=none`);
    await page.evaluate((src) => {
      document.body.innerHTML = `<img id="stalled" src="${src}" width="256" height="256" alt="">`;
    }, src);
    const { items } = await waitForChecks(session, await tabIdOf(session, page.url()), 1, 30_000);
    const item = items.find((i) => i.url === src);
    expect(item?.result).toMatchObject({ status: 'cannot-check', reason: 'timed-out', detail: 'the server did not answer for 15 s' });
    expect(Date.now() - started).toBeLessThanOrEqual(20_000);
  });
});
