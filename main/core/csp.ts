/**
 * The renderer's Content-Security-Policy (renderer/index.html carries the same in a meta tag), sent as a
 * header by the Electron window, its app:// protocol and the serve shell, with the header-only
 * clickjacking guard: our own scripts and styles only, no eval, no plugin, no remote anything.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
