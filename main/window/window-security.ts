import { RENDERER_HOST, RENDERER_SCHEME } from './renderer-protocol.ts';

/**
 * The Electron window's trust decisions as plain functions (no `electron` import), shared by the
 * window, the IPC sender check and the tests.
 */

export interface RendererSource {
  /** The built renderer folder (`out/renderer`). */
  rendererDir: string;
  /** electron-vite's dev server, only when running `electron-vite dev`. */
  devServerUrl: string | undefined;
}

/**
 * The dev server URL electron-vite passes in `ELECTRON_RENDERER_URL`, honoured only in an unpackaged
 * app and only for plain http on a loopback name: an installed app never loads a page from the network.
 */
export function devServerUrlFrom(value: string | undefined, isPackaged: boolean): string | undefined {
  if (isPackaged || !value) return undefined;
  try {
    const url = new URL(value);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol === 'http:' && loopback ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True for a page of our own renderer: `app://threadscope/…` (served from the renderer folder, see
 * renderer-protocol.ts), or the dev server's origin when running `electron-vite dev`. Never file://.
 */
export function isRendererUrl(url: string, source: RendererSource): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (source.devServerUrl) return parsed.origin === new URL(source.devServerUrl).origin;
  return (
    parsed.protocol === `${RENDERER_SCHEME}:` &&
    parsed.host === RENDERER_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Links the renderer may hand to the system browser: http(s) only, never file:, javascript: or custom schemes. */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The one permission the app uses (Copy id / path); everything else, and any other page, is denied. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  source: RendererSource,
): boolean {
  return (
    ALLOWED_PERMISSIONS.has(permission) && requestingUrl !== undefined && isRendererUrl(requestingUrl, source)
  );
}
