import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../preload/contract/index.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { createRouter, type Handlers } from '../ipc/router.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { cookieName } from './serve-auth.ts';
import { isAllowedHost, isAllowedOrigin, isLoopbackAddress } from './serve-guard.ts';
import { startServeShell, type ServeShell, type ServeShellOptions } from './serve-shell.ts';

const TOKEN = 'S3cret-token_'.padEnd(64, 'x');
const info: AppInfo = {
  name: 'Threadscope',
  version: '0.0.0-test',
  shell: 'test',
  codexHome: '/tmp/codex',
  dataDir: '/tmp/data',
  platform: 'linux',
};
const handlers = { 'app:info': () => info } as Partial<Handlers> as Handlers;
const temp = makeTempDir('serve-security-');
const rendererDir = join(temp.dir, 'renderer');
const shells: ServeShell[] = [];

async function start(extra: Partial<ServeShellOptions> = {}): Promise<ServeShell> {
  const shell = await startServeShell({
    router: createRouter(handlers),
    bus: new EventBus(),
    rendererDir,
    token: TOKEN,
    onError: () => {},
    ...extra,
  });
  shells.push(shell);
  return shell;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Req {
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** Host header; defaults to the shell's own `127.0.0.1:<port>`. */
  host?: string;
  /** Source address of the client socket (any 127.x works on Linux). */
  from?: string;
  connectTo?: string;
}

/**
 * One request with exactly the headers given (Host and Origin can be forged). Resolves on the
 * response headers, so an accepted event stream is not waited for; the body is read only when it ends
 * promptly (every non-SSE answer here).
 */
function send(shell: ServeShell, r: Req = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: r.connectTo ?? '127.0.0.1',
        port: shell.port,
        path: r.path ?? '/__health',
        method: r.method ?? 'GET',
        localAddress: r.from,
        setHost: false,
        headers: { Host: r.host ?? `127.0.0.1:${shell.port}`, ...r.headers },
      },
      (res) => {
        const reply = { status: res.statusCode ?? 0, headers: res.headers, body: '' };
        // No CORS header on any response this suite sees.
        expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          res.destroy();
          return resolve(reply);
        }
        res.setEncoding('utf8');
        res.on('data', (c: string) => (reply.body += c));
        res.on('end', () => resolve(reply));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const bearer = (token = TOKEN): Record<string, string> => ({ Authorization: `Bearer ${token}` });

let shell: ServeShell;
beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  shell = await start();
});

afterAll(async () => {
  await Promise.all(shells.map((s) => s.close()));
  temp.cleanup();
});

describe('serve shell: token on every request', () => {
  it('refuses the page, static files, the bridge, the API and the event stream without a token', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/__serve/bridge.js', '/events', '/__health']) {
      const res = await send(shell, { path });
      expect(res.status, path).toBe(401);
      expect(res.body, path).not.toContain('console.log');
    }
    expect((await send(shell, { path: '/api/app:info', method: 'POST' })).status).toBe(401);
    const events = await send(shell, { path: '/events', headers: bearer() });
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    const page = await send(shell, { path: '/', headers: { Cookie: `${cookieName(shell.port)}=${TOKEN}` } });
    expect(page.status).toBe(200);
  });

  it('compares whole tokens whatever their length or encoding (no 500 from an unequal-length compare)', async () => {
    for (const wrong of [
      TOKEN.slice(0, -1),
      TOKEN + 'x',
      TOKEN.slice(0, 1),
      TOKEN.toUpperCase(),
      'é'.repeat(64),
      'x'.repeat(4096),
    ]) {
      const encoded = encodeURIComponent(wrong);
      const byQuery = await send(shell, { path: `/?token=${encoded}`, from: '127.0.0.9' });
      expect(byQuery.status, wrong.slice(0, 20)).toBe(401);
      const byCookie = await send(shell, {
        headers: { Cookie: `${cookieName(shell.port)}=${encoded}` },
        from: '127.0.0.10',
      });
      expect(byCookie.status).toBe(401);
      if (encoded !== wrong) continue;
      expect((await send(shell, { headers: bearer(wrong), from: '127.0.0.11' })).status).toBe(401);
    }
  });
});

describe('serve shell: Host header (DNS rebinding)', () => {
  it('accepts the loopback names with our port', async () => {
    const p = shell.port;
    for (const host of [`127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`, `LocalHost:${p}`]) {
      expect((await send(shell, { host, headers: bearer() })).status, host).toBe(200);
    }
  });

  it('answers 421 to any other Host, before looking at the token', async () => {
    const p = shell.port;
    for (const host of [
      `evil.example:${p}`,
      `localhost.evil.example:${p}`,
      `127.0.0.1.nip.io:${p}`,
      `127.0.0.1:${p + 1}`,
      '127.0.0.1',
      'localhost',
      `127.0.0.1:${p}@evil.example`,
      `[::1]:${p}x`,
      `192.168.1.20:${p}`,
      '',
    ]) {
      for (const path of ['/', '/__health', '/events', `/?token=${TOKEN}`]) {
        const res = await send(shell, { host, path, headers: bearer() });
        expect(res.status, `${host} ${path}`).toBe(421);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const api = await send(shell, { host, path: '/api/app:info', method: 'POST', headers: bearer() });
      expect(api.status, host).toBe(421);
      expect(api.body).not.toContain('0.0.0-test');
    }
  });

  it('accepts IP literals (never host names) only when bound to every interface', () => {
    expect(isAllowedHost('192.168.1.20:8787', 8787, '0.0.0.0')).toBe(true);
    expect(isAllowedHost('[fe80::1]:8787', 8787, '::')).toBe(true);
    expect(isAllowedHost('devbox.example:8787', 8787, '0.0.0.0')).toBe(false);
    expect(isAllowedHost('192.168.1.20:8787', 8787, '127.0.0.1')).toBe(false);
    expect(isAllowedHost('10.0.0.5:8787', 8787, '10.0.0.5')).toBe(true);
    expect(isAllowedHost('10.0.0.6:8787', 8787, '10.0.0.5')).toBe(false);
    expect(isAllowedHost('localhost', 80, '127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('128.0.0.1')).toBe(false);
  });
});

describe('serve shell: Origin and CORS', () => {
  it('refuses POSTs and the event stream from any other origin with 403, even with the token', async () => {
    const p = shell.port;
    for (const origin of [
      'http://evil.example',
      'null',
      `http://localhost:${p}`,
      `https://127.0.0.1:${p}`,
      `http://127.0.0.1:${p + 1}`,
      `http://127.0.0.1:${p}.evil.example`,
    ]) {
      const headers = { ...bearer(), Origin: origin };
      const api = await send(shell, { path: '/api/app:info', method: 'POST', headers });
      expect(api.status, origin).toBe(403);
      expect(api.body).not.toContain('0.0.0-test');
      expect((await send(shell, { path: '/events', headers })).status, origin).toBe(403);
      const preflight = await send(shell, {
        path: '/api/app:info',
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.status, origin).toBe(403);
    }
  });

  it('accepts no Origin, or exactly its own', async () => {
    const p = shell.port;
    const own = await send(shell, {
      path: '/api/app:info',
      method: 'POST',
      headers: { ...bearer(), Origin: `http://127.0.0.1:${p}` },
    });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toEqual({ ok: true, value: info });
    const viaLocalhost = await send(shell, {
      path: '/events',
      host: `localhost:${p}`,
      headers: { ...bearer(), Origin: `http://localhost:${p}` },
    });
    expect(viaLocalhost.status).toBe(200);
    expect(isAllowedOrigin(undefined, `127.0.0.1:${p}`)).toBe(true);
  });
});

describe('serve shell: failed attempts are rate-limited per address', () => {
  it('answers 429 after 10 wrong tokens in a minute, never to a valid token, and recovers after the cool-down', async () => {
    let now = 1_000_000;
    const limited = await start({ authLimits: { now: () => now } });
    const from = '127.0.0.2';
    const wrong = { headers: bearer('w'.repeat(64)), from };

    for (let i = 0; i < 10; i++) expect((await send(limited, wrong)).status, `attempt ${i + 1}`).toBe(401);
    const blocked = await send(limited, wrong);
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    expect((await send(limited, { path: `/?token=${'w'.repeat(64)}`, from })).status).toBe(429);
    expect((await send(limited, { from })).status).toBe(429);

    // The real user keeps working: a valid bearer, cookie or ?token= is served during the cool-down.
    expect((await send(limited, { headers: bearer(), from })).status).toBe(200);
    expect((await send(limited, { path: `/?token=${TOKEN}`, from })).status).toBe(302);
    // Other addresses are counted on their own.
    expect((await send(limited, { ...wrong, from: '127.0.0.3' })).status).toBe(401);

    now += 59_000;
    expect((await send(limited, wrong)).status).toBe(429);
    now += 1_000;
    expect((await send(limited, wrong)).status).toBe(401);
  });

  it('counts only failures within the window, and not requests without any credential', async () => {
    let now = 5_000_000;
    const limited = await start({ authLimits: { now: () => now } });
    const from = '127.0.0.4';
    const wrong = { headers: bearer('v'.repeat(64)), from };
    for (let i = 0; i < 9; i++) expect((await send(limited, wrong)).status).toBe(401);
    for (let i = 0; i < 20; i++) expect((await send(limited, { from })).status).toBe(401);
    for (let i = 0; i < 50; i++) expect((await send(limited, { headers: bearer(), from })).status).toBe(200);
    now += 60_000;
    for (let i = 0; i < 9; i++) expect((await send(limited, wrong)).status).toBe(401);
  });
});

describe('serve shell: listening address', () => {
  it('listens on the given loopback address only and accepts it as Host', async () => {
    const other = await start({ host: '127.0.0.5' });
    expect(other.host).toBe('127.0.0.5');
    expect(other.url).toBe(`http://127.0.0.5:${other.port}/?token=${TOKEN}`);
    const own = await send(other, {
      connectTo: '127.0.0.5',
      host: `127.0.0.5:${other.port}`,
      headers: bearer(),
    });
    expect(own.status).toBe(200);
    const refused = await new Promise<boolean>((resolve) => {
      const sock = connect({ host: '127.0.0.1', port: other.port });
      sock.once('connect', () => {
        sock.destroy();
        resolve(false);
      });
      sock.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
