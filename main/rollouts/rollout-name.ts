const NAME_TS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})-(\d{2})-(\d{2}))?$/;
const UUID_LENGTH = 36;

/** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits of either case. */
export function isUuid(value: string): boolean {
  if (value.length !== UUID_LENGTH) return false;
  for (let i = 0; i < UUID_LENGTH; i++) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46))) {
      return false;
    }
  }
  return true;
}

/** `^rollout-.+\.jsonl(\.zst)?$` without a regex: called for every file of every scan. */
export function isRolloutFileName(name: string): boolean {
  if (!name.startsWith('rollout-')) return false;
  if (name.endsWith('.jsonl')) return name.length > 14;
  return name.endsWith('.jsonl.zst') && name.length > 18;
}

/**
 * Seed §3.1: strip `rollout-` and `.jsonl` (`.jsonl.zst` too), then scan `-` from the right until the
 * suffix is a UUID (only the 36-character suffix can be); the rest is the creation time `YYYY-MM-DDThh-mm-ss`, read as UTC although Codex wrote
 * local wall-clock time. The date-only names of the first Rust builds (`rollout-2025-05-07-<uuid>`) are
 * accepted too, at midnight, so their ids are not lost.
 */
export function parseRolloutFileName(name: string): { timestamp: number; id: string } | null {
  if (!name.startsWith('rollout-')) return null;
  let core: string;
  if (name.endsWith('.jsonl')) core = name.slice(8, -6);
  else if (name.endsWith('.jsonl.zst')) core = name.slice(8, -10);
  else return null;
  // A UUID is 36 characters, so of all the suffixes after a `-` only the one at length 36 can be it.
  const dash = core.length - UUID_LENGTH - 1;
  if (dash <= 0 || core.charCodeAt(dash) !== 0x2d) return null;
  const id = core.slice(dash + 1);
  if (!isUuid(id)) return null;
  const timestamp = parseNameTimestamp(core.slice(0, dash));
  return timestamp === null ? null : { timestamp, id: id.toLowerCase() };
}

/** `YYYY-MM-DD` or `YYYY-MM-DDThh-mm-ss` (NAME_TS_RE, read without the regex) to epoch seconds. */
function parseNameTimestamp(text: string): number | null {
  const withTime = text.length === 19;
  if (!withTime && text.length !== 10) return null;
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d) return null;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  let h = 0;
  let mi = 0;
  let s = 0;
  if (withTime) {
    if (text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x2d || text.charCodeAt(16) !== 0x2d)
      return null;
    h = digitsAt(text, 11, 2);
    mi = digitsAt(text, 14, 2);
    s = digitsAt(text, 17, 2);
  }
  if (y < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  return Math.floor(Date.UTC(y, mo - 1, d, h, mi, s) / 1000);
}

/** The decimal number in `text[at, at + n)`, or -1 unless those are all ASCII digits. */
function digitsAt(text: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** RFC 3339 (or the file-name form `YYYY-MM-DDThh-mm-ss`) to epoch milliseconds; null when it does not parse. */
export function parseTimestampMs(text: unknown): number | null {
  if (typeof text !== 'string' || text.length < 10) return null;
  if (text.length === 24) {
    const ms = canonicalTimestampMs(text);
    if (ms !== null) return ms;
  }
  if (NAME_TS_RE.test(text)) {
    const s = parseNameTimestamp(text);
    return s === null ? null : s * 1000;
  }
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * `YYYY-MM-DDThh:mm:ss.sssZ` with every field in the range where Date.UTC and Date.parse agree (years from
 * 1000, no leap second, no 24:00), the form of nearly every stamp; null means "let Date.parse decide".
 */
function canonicalTimestampMs(text: string): number | null {
  if (
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(19) !== 0x2e ||
    text.charCodeAt(23) !== 0x5a
  )
    return null;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const s = digitsAt(text, 17, 2);
  const ms = digitsAt(text, 20, 3);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59) return null;
  if (s < 0 || s > 59 || ms < 0) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}
