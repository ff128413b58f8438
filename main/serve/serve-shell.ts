import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { EventBus } from '../ipc/event-bus.ts';
import type { Router } from '../ipc/router.ts';
import { authenticate, generateToken, sessionCookie, tokensMatch } from './serve-auth.ts';
import { BRIDGE_PATH, bridgeScript } from './serve-bridge.ts';
import { readRequestBody } from './serve-body.ts';
import {
  AuthFailureLimiter,
  DEFAULT_HOST,
  isAllowedHost,
  isAllowedOrigin,
  isWildcardAddress,
  urlHost,
  type AuthLimits,
} from './serve-guard.ts';
import { injectBridge, readStaticFile } from './serve-static.ts';
import { CONTENT_SECURITY_POLICY } from '../core/csp.ts';

const DEFAULT_MAX_BODY = 1024 * 1024;
const DEFAULT_HEARTBEAT_MS = 15_000;
/** A client that stops reading events is dropped rather than buffered without bound. */
const MAX_SSE_BACKLOG = 8 * 1024 * 1024;

export interface ServeShellOptions {
  router: Router;
  bus: EventBus;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Address to listen on: 127.0.0.1 unless remote access was asked for explicitly (serve-args). */
  host?: string;
  /** Defaults to 32 random bytes as hex. */
  token?: string;
  maxBodyBytes?: number;
  heartbeatMs?: number;
  /** Failed token checks per client address before a cool-down (tests shorten the clock). */
  authLimits?: AuthLimits;
  /** Unexpected server-side failures (500s); defaults to stderr. */
  onError?: (err: unknown) => void;
}

export interface ServeShell {
  /** `http://127.0.0.1:PORT/?token=…`: the one URL to open. */
  readonly url: string;
  readonly port: number;
  /** The address listened on. */
  readonly host: string;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * The headless shell: the router over HTTP and the bus over SSE, loopback only, token required.
 * Every request, the page and its static files included, passes in order: a loopback Host header
 * with our port (421 otherwise: DNS rebinding), no Origin or exactly our own (403), then the token
 * (`?token=` once, then the cookie or a bearer header; 401, or 429 while the client's address is
 * cooling down after too many wrong tokens). No CORS header is ever sent.
 */
export async function startServeShell(opts: ServeShellOptions): Promise<ServeShell> {
  const token = opts.token ?? generateToken();
  const host = opts.host ?? DEFAULT_HOST;
  const limiter = new AuthFailureLimiter(opts.authLimits);
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const onError = opts.onError ?? ((err: unknown) => console.error('[serve]', err));
  const streams = new Set<ServerResponse>();
  let port = 0;

  const sendText = (
    res: ServerResponse,
    status: number,
    text: string,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    res.end(text + '\n');
  };
  const sendJson = (res: ServerResponse, status: number, value: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(value));
  };
  const unauthorized = (res: ServerResponse): void =>
    sendText(
      res,
      401,
      'Threadscope: access token required. Open the URL printed by "threadscope serve" (it ends with ?token=…).',
      { 'WWW-Authenticate': 'Bearer realm="threadscope"' },
    );
  /** A wrong token: counted against the client's address, which cools down past the limit. */
  const refuse = (req: IncomingMessage, res: ServerResponse, wrong: boolean): void => {
    const address = req.socket.remoteAddress ?? 'unknown';
    let wait = limiter.blockedFor(address);
    if (wait === 0 && wrong) {
      limiter.recordFailure(address);
      wait = limiter.blockedFor(address);
      // The attempt that reaches the limit is still answered 401; the next ones get 429.
      if (wait > 0) return unauthorized(res);
    }
    if (wait === 0) return unauthorized(res);
    const seconds = Math.ceil(wait / 1000);
    sendText(
      res,
      429,
      `Threadscope: too many wrong access tokens from this address; try again in ${seconds} s with the URL printed by "threadscope serve".`,
      { 'Retry-After': String(seconds) },
    );
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    if (req.method !== 'POST') return sendText(res, 405, 'Use POST for /api/<channel>.', { Allow: 'POST' });
    const body = await readRequestBody(req, maxBody);
    if (!body.ok) {
      res.setHeader('Connection', 'close');
      return sendJson(res, 413, {
        ok: false,
        error: { code: 'INVALID_INPUT', message: `Request body is larger than ${maxBody} bytes` },
      });
    }
    let input: unknown;
    try {
      input = body.text.trim() === '' ? undefined : JSON.parse(body.text);
    } catch {
      return sendJson(res, 400, {
        ok: false,
        error: { code: 'INVALID_INPUT', message: 'Request body is not valid JSON' },
      });
    }
    let channel: string;
    try {
      channel = decodeURIComponent(pathname.slice('/api/'.length));
    } catch {
      channel = pathname;
    }
    sendJson(res, 200, await opts.router.dispatch(channel, input, { transport: 'http' }));
  };

  const handleEvents = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);
    const write = (chunk: string): void => {
      if (res.writableLength > MAX_SSE_BACKLOG) {
        res.destroy();
        return;
      }
      res.write(chunk);
    };
    const unsubscribe = opts.bus.subscribe((name, payload) => {
      write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
    heartbeat.unref();
    let cleaned = false;
    const cleanup = (): void => {
      if (cleaned) return;
      cleaned = true;
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  };

  const handleIndex = async (res: ServerResponse, head: boolean): Promise<void> => {
    let html: string;
    try {
      html = await readFile(join(opts.rendererDir, 'index.html'), 'utf8');
    } catch {
      return sendText(
        res,
        503,
        `Threadscope: the renderer is not built (no index.html in ${opts.rendererDir}). Run "npm run build" first.`,
      );
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(head ? undefined : injectBridge(html));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    if (!target.startsWith('/')) return sendText(res, 400, 'Bad request target.');
    // Prefixing (not resolving against a base) keeps `//x/y` a path instead of a host.
    const url = new URL(`http://${DEFAULT_HOST}${target}`);
    const method = req.method ?? 'GET';
    const isRead = method === 'GET' || method === 'HEAD';

    const hostHeader = req.headers.host ?? '';
    if (!isAllowedHost(hostHeader, port, host)) {
      return sendText(
        res,
        421,
        `Threadscope: unknown Host "${hostHeader.slice(0, 100)}". Open the URL printed by "threadscope serve"; other host names are refused (DNS rebinding).`,
      );
    }
    if (!isAllowedOrigin(req.headers.origin, hostHeader)) {
      return sendText(res, 403, 'Threadscope: requests from other origins are refused.');
    }

    // Opening the printed URL trades the query token for a cookie, then drops it from the address bar.
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && isRead) {
      if (!tokensMatch(queryToken, token)) return refuse(req, res, true);
      url.searchParams.delete('token');
      // Collapse leading slashes so `//host` can never turn this into a redirect to another site.
      const location = '/' + url.pathname.replace(/^\/+/, '') + url.search;
      res.writeHead(302, { 'Set-Cookie': sessionCookie(port, token), Location: location });
      return void res.end();
    }
    const auth = authenticate(req, port, token);
    if (auth !== 'ok') return refuse(req, res, auth === 'wrong');

    const { pathname } = url;
    if (pathname.startsWith('/api/')) return handleApi(req, res, pathname);
    if (!isRead) return sendText(res, 405, `${method} is not allowed here.`, { Allow: 'GET, HEAD' });
    if (pathname === '/__health') return sendJson(res, 200, { ok: true });
    if (pathname === '/events') return handleEvents(req, res);
    if (pathname === BRIDGE_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      return void res.end(method === 'HEAD' ? undefined : bridgeScript());
    }
    if (pathname === '/' || pathname === '/index.html') return handleIndex(res, method === 'HEAD');

    const file = await readStaticFile(opts.rendererDir, pathname);
    if (!file) return sendText(res, 404, 'Not found.');
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': String(file.body.length),
      'Cache-Control': file.immutable ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(method === 'HEAD' ? undefined : file.body);
  };

  const server = createServer((req, res) => {
    // Every response, errors included: no framing, no sniffing, no referrer carrying the token, no CORS.
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    handle(req, res).catch((err: unknown) => {
      onError(err);
      if (!res.headersSent) sendText(res, 500, 'Internal server error.');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  const shown = isWildcardAddress(host) ? (host === '::' ? '[::1]' : DEFAULT_HOST) : urlHost(host);
  return {
    url: `http://${shown}:${port}/?token=${token}`,
    port,
    host,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Give in-flight API calls a moment, then cut whatever is left.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      return closing;
    },
  };
}
