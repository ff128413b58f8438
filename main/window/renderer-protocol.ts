import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../core/csp.ts';

/**
 * The built renderer is served to the window from `app://threadscope/`, not from file:// (Electron
 * security checklist 18): a page of ours gets its own origin instead of file://'s access to every
 * file, and the GrantFileProtocolExtraPrivileges fuse can be turned off. No `electron` import here:
 * main/index.ts registers the scheme and hands requests to `rendererResponse`.
 */
export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'threadscope';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_ENTRY_URL = `${RENDERER_ORIGIN}/index.html`;

/** What registerSchemesAsPrivileged is given, before the app is ready. */
export const RENDERER_SCHEME_PRIVILEGES = {
  scheme: RENDERER_SCHEME,
  // standard: relative URLs and an origin like http's; secure: a secure context; no CORS, no fetch
  // from other origins, no service workers: the renderer needs none of them.
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The file under `rendererDir` an `app://threadscope/…` URL names, or null for another scheme or host,
 * a path that leaves the folder (`..`, encoded or not), an absolute or NUL-bearing path. `/` is the
 * page itself; the renderer routes in the hash, so no other path falls back to it.
 */
export function rendererFileFor(url: string, rendererDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${RENDERER_SCHEME}:` || parsed.host !== RENDERER_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const file = join(rendererDir, path);
  const rel = relative(rendererDir, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return file;
}

const headers = (type: string): Record<string, string> => ({
  'Content-Type': type,
  // webRequest's header hook does not see custom-scheme responses: the CSP travels here too.
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
});

const plain = (status: number, text: string): Response =>
  new Response(text, { status, headers: headers('text/plain; charset=utf-8') });

/** Answers one request of the window for `app://threadscope/…` from the built renderer folder. */
export async function rendererResponse(request: Request, rendererDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
  const file = rendererFileFor(request.url, rendererDir);
  if (!file) return plain(404, 'Not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR'
      ? plain(404, 'Not found')
      : plain(500, `Cannot read ${relative(rendererDir, file)}: ${code ?? 'error'}`);
  }
  const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: { ...headers(type), 'Content-Length': String(body.byteLength) },
  });
}
