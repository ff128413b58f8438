import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes as hex: the Jupyter-style secret printed once in the serve URL. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** Tokens given on the command line must still be hard to guess and safe inside a URL and a cookie. */
export function isAcceptableToken(token: string): boolean {
  return /^[A-Za-z0-9._~-]{16,256}$/.test(token);
}

/**
 * Constant-time comparison. Hashing both sides first gives equal-length buffers, so neither the
 * content nor the length of the expected token leaks through timing.
 */
export function tokensMatch(given: string | undefined, expected: string): boolean {
  if (given === undefined || given === '') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Cookies are not port-scoped, so two serve instances on 127.0.0.1 would overwrite each other's
 * cookie if they shared a name.
 */
export function cookieName(port: number): string {
  return `threadscope_token_${port}`;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function readBearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

export type AuthResult = 'ok' | 'missing' | 'wrong';

/**
 * A request is authorised by the bearer header or by the session cookie set from `?token=`.
 * `wrong` (a credential was presented and did not match) is what the failed-attempt limiter counts.
 */
export function authenticate(req: IncomingMessage, port: number, token: string): AuthResult {
  const bearer = readBearer(req);
  const cookie = readCookie(req, cookieName(port));
  // Evaluate both so the work done does not depend on which credential is present.
  const byHeader = tokensMatch(bearer, token);
  const byCookie = tokensMatch(cookie, token);
  if (byHeader || byCookie) return 'ok';
  return bearer === undefined && cookie === undefined ? 'missing' : 'wrong';
}

export function isAuthorized(req: IncomingMessage, port: number, token: string): boolean {
  return authenticate(req, port, token) === 'ok';
}
