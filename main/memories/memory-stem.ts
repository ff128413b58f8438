import { AppError } from '../core/app-error.ts';

/**
 * Seed §5.13 "File stem" of a rollout summary (`rollout_summaries/<stem>.md`), and the value helpers the
 * artifact files and the citation parser share: Codex's UUID parsing (`Uuid::parse_str`), its RFC 3339 and
 * `%Y-%m-%dT%H-%M-%S` renderings of epoch seconds (chrono), and Rust's `str::trim`.
 */

const SLUG_MAX_LEN = 60;
const SHORT_HASH_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** 62⁴: the short hash is exactly four base-62 digits. */
const SHORT_HASH_SPACE = 14_776_336;
/** 100 ns ticks between the Gregorian epoch (1582-10-15) and the Unix epoch, as the `uuid` crate uses. */
const GREGORIAN_TO_UNIX_TICKS = 0x01b2_1dd2_1381_4000n;
const LOW_32_BITS = 0xffff_ffffn;

function parseHex(hex: string): bigint | null {
  return /^[0-9a-fA-F]{32}$/.test(hex) ? BigInt(`0x${hex}`) : null;
}

function parseHyphenated(text: string): bigint | null {
  if (text.length !== 36) return null;
  if (text[8] !== '-' || text[13] !== '-' || text[18] !== '-' || text[23] !== '-') return null;
  return parseHex(
    text.slice(0, 8) + text.slice(9, 13) + text.slice(14, 18) + text.slice(19, 23) + text.slice(24),
  );
}

/**
 * The 128-bit value of a UUID in any form `Uuid::parse_str` accepts (how Codex parses a thread id):
 * simple (32 hex digits), hyphenated, `{hyphenated}` and `urn:uuid:hyphenated`; hex of either case.
 * `null` when the text is not a UUID.
 */
export function parseUuid(text: string): bigint | null {
  if (text.length === 32) return parseHex(text);
  if (text.length === 36) return parseHyphenated(text);
  if (text.length === 38 && text.startsWith('{') && text.endsWith('}'))
    return parseHyphenated(text.slice(1, 37));
  if (text.length === 45 && text.startsWith('urn:uuid:')) return parseHyphenated(text.slice(9));
  return null;
}

/** Lowercase hyphenated form of a 128-bit UUID value (Codex's `ThreadId` display). */
export function formatUuid(value: bigint): string {
  const hex = value.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A thread id as Codex writes it (lowercase hyphenated) when the text parses as a UUID, else `null`. */
export function parseThreadId(text: string): string | null {
  const value = parseUuid(text);
  return value === null ? null : formatUuid(value);
}

/**
 * Unix seconds embedded in a UUID, as `Uuid::get_timestamp()` + `to_unix()`: v7 (48-bit milliseconds) and
 * v1/v6 (60-bit Gregorian 100 ns ticks); `null` for every other version. Sub-second parts are dropped, as the
 * stem's format has none. A v1/v6 time before 1970 also gives `null` (the Rust code would underflow there).
 */
export function uuidTimestampSeconds(value: bigint): number | null {
  const version = Number((value >> 76n) & 0xfn);
  let ticks: bigint;
  if (version === 7) return Number((value >> 80n) / 1000n);
  if (version === 1) {
    const timeLow = (value >> 96n) & LOW_32_BITS;
    const timeMid = (value >> 80n) & 0xffffn;
    const timeHigh = (value >> 64n) & 0xfffn;
    ticks = (timeHigh << 48n) | (timeMid << 32n) | timeLow;
  } else if (version === 6) {
    const high48 = value >> 80n;
    const low12 = (value >> 64n) & 0xfffn;
    ticks = (high48 << 12n) | low12;
  } else {
    return null;
  }
  if (ticks < GREGORIAN_TO_UNIX_TICKS) return null;
  return Number((ticks - GREGORIAN_TO_UNIX_TICKS) / 10_000_000n);
}

interface UtcParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** chrono's year rendering: four digits within 0..=9999, otherwise an explicit sign (`+10000`, `-0001`). */
function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, '0');
  return (year < 0 ? '-' : '+') + String(Math.abs(year)).padStart(4, '0');
}

function utcParts(seconds: number): UtcParts {
  const date = Number.isSafeInteger(seconds) ? new Date(seconds * 1000) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new AppError('INVALID_INPUT', `${seconds} is not a representable timestamp (epoch seconds)`);
  }
  return {
    year: formatYear(date.getUTCFullYear()),
    month: pad2(date.getUTCMonth() + 1),
    day: pad2(date.getUTCDate()),
    hour: pad2(date.getUTCHours()),
    minute: pad2(date.getUTCMinutes()),
    second: pad2(date.getUTCSeconds()),
  };
}

/** Epoch seconds as chrono's `to_rfc3339()` of a whole-second UTC time: `2025-02-11T15:35:19+00:00`. */
export function formatRfc3339(seconds: number): string {
  const p = utcParts(seconds);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}+00:00`;
}

/** Epoch seconds as `%Y-%m-%dT%H-%M-%S` (UTC), the stem's timestamp. */
export function formatStemTimestamp(seconds: number): string {
  const p = utcParts(seconds);
  return `${p.year}-${p.month}-${p.day}T${p.hour}-${p.minute}-${p.second}`;
}

/** Rust's `char::is_whitespace` (Unicode White_Space), which `str::trim` strips; JS `trim()` differs (U+FEFF, U+0085). */
const RUST_WS = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const RUST_TRIM = new RegExp(`^${RUST_WS}+|${RUST_WS}+$`, 'g');

/** Rust's `str::trim`. */
export function trimRust(text: string): string {
  return text.replace(RUST_TRIM, '');
}

/** Four base-62 digits of `seed mod 62⁴`, most significant first. */
export function shortHash(seed: number): string {
  let value = seed % SHORT_HASH_SPACE;
  const chars: string[] = [];
  for (let i = 0; i < 4; i++) {
    chars.unshift(SHORT_HASH_ALPHABET[value % 62] ?? '0');
    value = Math.floor(value / 62);
  }
  return chars.join('');
}

/** 32-bit wrapping `h = h*31 + byte` over the UTF-8 bytes of a non-UUID id. */
function bytesHash(text: string): number {
  let h = 0;
  for (const byte of Buffer.from(text, 'utf8')) h = (Math.imul(h, 31) + byte) >>> 0;
  return h;
}

/** Slug step 4: ASCII alphanumerics lowercased, anything else `_`, at most 60 produced, trailing `_` stripped. */
export function sanitizeSlug(raw: string): string {
  let slug = '';
  for (const ch of raw) {
    if (slug.length >= SLUG_MAX_LEN) break;
    slug += /^[A-Za-z0-9]$/.test(ch) ? ch.toLowerCase() : '_';
  }
  return slug.replace(/_+$/, '');
}

/**
 * Seed §5.13 file stem for (thread id, source_updated_at, slug): `<timestamp>-<hash4>[-<slug>]`. The timestamp
 * is the one embedded in a v7/v1/v6 UUID id, else `sourceUpdatedAt` (epoch seconds); the hash seed is the low
 * 32 bits of the UUID, or the byte hash of a non-UUID id. A null, empty or all-symbol slug gives the prefix only.
 */
export function memoryFileStem(
  threadId: string,
  sourceUpdatedAt: number,
  rolloutSlug: string | null,
): string {
  const uuid = parseUuid(threadId);
  let timestamp: number;
  let seed: number;
  if (uuid === null) {
    timestamp = sourceUpdatedAt;
    seed = bytesHash(threadId);
  } else {
    timestamp = uuidTimestampSeconds(uuid) ?? sourceUpdatedAt;
    seed = Number(uuid & LOW_32_BITS);
  }
  const prefix = `${formatStemTimestamp(timestamp)}-${shortHash(seed)}`;
  if (rolloutSlug === null) return prefix;
  const slug = sanitizeSlug(rolloutSlug);
  return slug === '' ? prefix : `${prefix}-${slug}`;
}
