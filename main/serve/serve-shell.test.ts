import { request as httpRequest } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo, Thread } from '../../preload/contract/index.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { createRouter, type Handlers } from '../ipc/router.ts';
import { cookieName } from './serve-auth.ts';
import { startServeShell, type ServeShell } from './serve-shell.ts';

const TOKEN = 'a'.repeat(64);
const info: AppInfo = {
  name: 'Threadscope',
  version: '0.0.0-test',
  shell: 'test',
  codexHome: '/tmp/codex',
  dataDir: '/tmp/data',
  platform: 'linux',
};

// Only the channels this test calls; the router never touches the others.
const fakeHandlers = {
  'app:info': () => info,
  'threads:list': (input) => ({ items: [] as Thread[], nextCursor: input.searchTerm ?? null }),
} as Partial<Handlers> as Handlers;

let root: string;
let rendererDir: string;
let shell: ServeShell;
/** Counts live subscriptions so the test can see SSE clients unsubscribe. */
class CountingBus extends EventBus {
  active = 0;
  override subscribe(listener: Parameters<EventBus['subscribe']>[0]): () => void {
    this.active++;
    const off = super.subscribe(listener);
    return () => {
      this.active--;
      off();
    };
  }
}
const bus = new CountingBus();

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP so paths like `/../x` reach the server exactly as written (fetch would normalise them). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: shell.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const auth = { Authorization: `Bearer ${TOKEN}` };
const base = (): string => `http://127.0.0.1:${shell.port}`;
const post = (channel: string, body: string, headers: Record<string, string> = auth): Promise<Response> =>
  fetch(`${base()}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'serve-shell-'));
  rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>',
  );
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  await writeFile(join(rendererDir, 'assets', 'app.css'), 'body{}');
  await writeFile(join(root, 'secret.txt'), 'top secret');
  shell = await startServeShell({
    router: createRouter(fakeHandlers),
    bus,
    rendererDir,
    port: 0,
    token: TOKEN,
    heartbeatMs: 50,
    onError: () => {},
  });
});

afterAll(async () => {
  await shell?.close();
  await rm(root, { recursive: true, force: true });
});

describe('serve shell', () => {
  it('listens on 127.0.0.1 only and prints a tokenised URL', async () => {
    expect(shell.url).toBe(`http://127.0.0.1:${shell.port}/?token=${TOKEN}`);
    const others = Object.values(networkInterfaces())
      .flat()
      .flatMap((a) => (a && !a.internal && a.family === 'IPv4' ? [a.address] : []));
    for (const host of [...others, '::1']) {
      const refused = await new Promise<boolean>((resolve) => {
        const sock = connect({ host, port: shell.port });
        sock.once('connect', () => {
          sock.destroy();
          resolve(false);
        });
        sock.once('error', () => resolve(true));
      });
      expect(refused, `reachable on ${host}`).toBe(true);
    }
  });

  it('answers 401 without a token and with a wrong one', async () => {
    expect((await raw('/')).status).toBe(401);
    expect((await raw('/__health')).status).toBe(401);
    expect((await raw('/__health', { Authorization: `Bearer ${'b'.repeat(64)}` })).status).toBe(401);
    expect((await raw('/__health', { Cookie: `${cookieName(shell.port)}=nope` })).status).toBe(401);
    expect((await raw(`/?token=${'b'.repeat(64)}`)).status).toBe(401);
    expect((await post('app:info', '{}', {})).status).toBe(401);
    expect((await raw('/events')).status).toBe(401);
    const ok = await raw('/__health', auth);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true });
  });

  it('trades ?token= for an HttpOnly SameSite=Strict cookie and redirects to the clean URL', async () => {
    const res = await raw(`/?token=${TOKEN}&x=1`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/?x=1');
    expect((await raw(`//evil.example/x?token=${TOKEN}`)).headers.location).toBe('/evil.example/x');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`${cookieName(shell.port)}=${TOKEN}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await raw('/', { Cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    // The bridge comes before the app's own script, so window.api exists when the app starts.
    expect(page.body.indexOf('/__serve/bridge.js')).toBeGreaterThan(0);
    expect(page.body.indexOf('/__serve/bridge.js')).toBeLessThan(page.body.indexOf('./assets/app.js'));
  });

  it('serves the bridge and static assets with their content types', async () => {
    const bridge = await raw('/__serve/bridge.js', auth);
    expect(bridge.status).toBe(200);
    expect(bridge.headers['content-type']).toMatch(/^text\/javascript/);
    expect(bridge.body).toContain('threads:list');
    expect(() => new Function(bridge.body)).not.toThrow();
    const js = await raw('/assets/app.js', auth);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await raw('/assets/app.css', auth)).headers['content-type']).toMatch(/^text\/css/);
    expect((await raw('/assets/missing.js', auth)).status).toBe(404);
  });

  it('returns the router envelope for valid calls, bad input and unknown channels', async () => {
    const ok = await post('app:info', '{}');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, value: info });

    const empty = await post('app:info', '');
    expect(await empty.json()).toEqual({ ok: true, value: info });

    const listed = await post(encodeURIComponent('threads:list'), JSON.stringify({ searchTerm: 'x' }));
    expect(await listed.json()).toEqual({ ok: true, value: { items: [], nextCursor: 'x' } });

    const bad = await post('threads:list', JSON.stringify({ limit: 'many' }));
    expect(bad.status).toBe(200);
    const badBody = (await bad.json()) as { ok: boolean; error: { code: string } };
    expect(badBody.ok).toBe(false);
    expect(badBody.error.code).toBe('INVALID_INPUT');

    const unknown = (await (await post('nope:nothing', '{}')).json()) as { error: { code: string } };
    expect(unknown.error.code).toBe('UNKNOWN_CHANNEL');
  });

  it('rejects invalid JSON with 400, oversized bodies with 413 and non-POST API calls with 405', async () => {
    const invalid = await post('app:info', '{nope');
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');

    const huge = await post('threads:list', JSON.stringify({ searchTerm: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    // The connection stays usable after a drained oversized upload.
    expect((await post('app:info', '{}')).status).toBe(200);

    expect((await raw('/api/app:info', auth)).status).toBe(405);
  });

  it('never serves files outside the renderer dir', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00index.html',
      '//etc/passwd',
    ]) {
      const res = await raw(path, auth);
      expect(res.status, path).not.toBe(200);
      expect(res.body, path).not.toContain('top secret');
    }
  });

  it('streams bus events as server-sent events and unsubscribes on close', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base()}/events`, { headers: auth, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string): Promise<void> => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil(': connected');
    bus.emit('threads:changed', { ids: ['t1'], all: false });
    await readUntil('event: threads:changed\ndata: {"ids":["t1"],"all":false}\n\n');
    // A quiet stream still carries heartbeats (shortened for the test).
    await readUntil(': ping');
    controller.abort();
    // Once the client is gone the bus has no SSE subscriber left.
    await new Promise((r) => setTimeout(r, 100));
    expect(bus.active).toBe(0);
  });
});
