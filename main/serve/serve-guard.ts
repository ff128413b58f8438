import { isIP } from 'node:net';

/**
 * Request guards of the serve shell that run before the token check: the Host header (DNS
 * rebinding), the Origin header (cross-site requests) and the failed-attempt limiter.
 */

export const DEFAULT_HOST = '127.0.0.1';

/** 127.0.0.0/8 and ::1 (also written as an IPv4-mapped address). */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '');
  if (isIP(a) === 4) return a.startsWith('127.');
  return a === '::1';
}

/** `0.0.0.0` or `::`: every interface. */
export function isWildcardAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** How an address appears in a URL or a Host header: IPv6 in brackets. */
export function urlHost(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

function splitHostHeader(header: string): { name: string; port: string | undefined } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(header.trim().toLowerCase());
  return m ? { name: m[1]!, port: m[2] } : null;
}

/**
 * A DNS-rebinding page reaches us under its own host name, so only names that cannot be rebound
 * are accepted, with the port we listen on: the loopback names, the address we are bound to and,
 * when bound to every interface (remote access), any IP address literal.
 */
export function isAllowedHost(header: string | undefined, port: number, boundHost: string): boolean {
  if (!header) return false;
  const parsed = splitHostHeader(header);
  if (!parsed) return false;
  const portMatches = parsed.port === undefined ? port === 80 : Number(parsed.port) === port;
  if (!portMatches) return false;
  const { name } = parsed;
  if (LOOPBACK_NAMES.has(name) || name === urlHost(boundHost).toLowerCase()) return true;
  if (!isWildcardAddress(boundHost)) return false;
  return isIP(name.replace(/^\[|\]$/g, '')) !== 0;
}

/**
 * Browsers send Origin on every cross-origin request and on same-origin POSTs; it must then be this
 * very origin (the Host header was checked before). No Origin (curl, a same-origin GET) is fine.
 */
export function isAllowedOrigin(origin: string | undefined, host: string): boolean {
  if (origin === undefined) return true;
  return origin.toLowerCase() === `http://${host.trim().toLowerCase()}`;
}

export interface AuthLimits {
  /** Failed attempts from one address within `windowMs` that start a cool-down (default 10). */
  maxFailures?: number;
  windowMs?: number;
  /** How long an address that hit the limit is answered 429 (default 60 s). */
  cooldownMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry {
  failures: number[];
  blockedUntil: number;
}

/** Addresses tracked at most; the oldest entry is forgotten past this. */
const MAX_TRACKED = 10_000;

/** Counts failed token checks per client address; valid credentials are never counted or blocked. */
export class AuthFailureLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(limits: AuthLimits = {}) {
    this.maxFailures = limits.maxFailures ?? 10;
    this.windowMs = limits.windowMs ?? 60_000;
    this.cooldownMs = limits.cooldownMs ?? 60_000;
    this.now = limits.now ?? Date.now;
  }

  /** Milliseconds left in this address's cool-down, 0 when it may try again. */
  blockedFor(address: string): number {
    const entry = this.entries.get(address);
    return entry ? Math.max(0, entry.blockedUntil - this.now()) : 0;
  }

  recordFailure(address: string): void {
    const now = this.now();
    let entry = this.entries.get(address);
    if (!entry) {
      if (this.entries.size >= MAX_TRACKED) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      entry = { failures: [], blockedUntil: 0 };
      this.entries.set(address, entry);
    }
    entry.failures = entry.failures.filter((t) => now - t < this.windowMs);
    entry.failures.push(now);
    if (entry.failures.length >= this.maxFailures) {
      entry.blockedUntil = now + this.cooldownMs;
      entry.failures = [];
    }
  }
}
