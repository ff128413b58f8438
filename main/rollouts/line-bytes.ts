import { jsonStringEnd, matchesAt, parseTimestampBytes } from './envelope-skim.ts';

/** Byte-level helpers for reading a few values out of a JSONL line without parsing all of it. */

export const NOT_PARSED = Symbol('not parsed');

const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const MINUS = 0x2d;

export function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

export function parseLine(buf: Buffer, start: number, end: number): unknown {
  try {
    return JSON.parse(buf.toString('utf8', start, end)) as unknown;
  } catch {
    return NOT_PARSED;
  }
}

const TOTAL_TOKENS_KEY = Buffer.from('"total_tokens":');

/** `total_tokens` of the flat number-only object whose `{` is at `open`; null when it is not that simple. */
export function readTotalTokens(buf: Buffer, open: number, end: number): number | null {
  const limit = Math.min(end, open + 1024);
  for (let i = open + 1; i < limit; i++) {
    const c = buf[i];
    if (c === CLOSE_BRACE) return null;
    if (c !== QUOTE || !matchesAt(buf, i, end, TOTAL_TOKENS_KEY)) continue;
    let p = i + TOTAL_TOKENS_KEY.length;
    const negative = buf[p] === MINUS;
    if (negative) p++;
    let n = 0;
    let digits = 0;
    for (; p < limit; p++, digits++) {
      const d = buf[p]! - 0x30;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    const next = buf[p];
    if (digits === 0 || (next !== 0x2c && next !== CLOSE_BRACE)) return null;
    return negative ? -n : n;
  }
  return null;
}

/** A short escape-free ASCII string value starting at `from`, or null. */
export function readPlainString(buf: Buffer, from: number, end: number): string | null {
  const limit = Math.min(end, from + 256);
  for (let i = from; i < limit; i++) {
    const c = buf[i]!;
    if (c === QUOTE) return buf.toString('latin1', from, i);
    if (c === 0x5c || c >= 0x80) return null;
  }
  return null;
}

/**
 * Parses a line with the string values of the given members blanked first. session_meta lines carry the
 * whole system prompt (tens of KB, repeated on every resume) that metadata never uses.
 * Each pattern is the member head up to the opening quote of its value, e.g. `"instructions":"`.
 */
export function parseWithoutStrings(buf: Buffer, start: number, end: number, patterns: Buffer[]): unknown {
  const view = buf.subarray(start, end);
  const cuts: [number, number][] = [];
  for (const pattern of patterns) {
    const at = view.indexOf(pattern);
    if (at === -1) continue;
    const valueStart = start + at + pattern.length;
    const valueEnd = jsonStringEnd(buf, valueStart, end);
    if (valueEnd === -1) return parseLine(buf, start, end);
    cuts.push([valueStart, valueEnd]);
  }
  if (cuts.length === 0) return parseLine(buf, start, end);
  cuts.sort((a, b) => a[0] - b[0]);
  let text = '';
  let from = start;
  for (const [cutStart, cutEnd] of cuts) {
    if (cutStart < from) return parseLine(buf, start, end);
    text += buf.toString('utf8', from, cutStart);
    from = cutEnd;
  }
  text += buf.toString('utf8', from, end);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A pattern may have matched somewhere unexpected; the plain parse decides.
    return parseLine(buf, start, end);
  }
}

/**
 * Running maximum of line timestamps. Canonical `YYYY-MM-DDThh:mm:ss.mmmZ` stamps order like their bytes,
 * so the common case is a short byte comparison; epoch ms are computed only when asked.
 */
export class LatestTimestamp {
  private readonly bytes = Buffer.alloc(24);
  private bytesValid = false;
  private dirty = false;
  private ms: number | null;

  constructor(initialMs: number | null) {
    this.ms = initialMs;
  }

  offer(buf: Buffer, a: number, b: number): void {
    const canonical = b - a === 24 && buf[a + 10] === 0x54 && buf[a + 23] === 0x5a;
    if (canonical && this.bytesValid) {
      for (let i = 0; i < 24; i++) {
        const d = buf[a + i]! - this.bytes[i]!;
        if (d < 0) return;
        if (d > 0) {
          buf.copy(this.bytes, 0, a, b);
          this.dirty = true;
          return;
        }
      }
      return;
    }
    const ms = parseTimestampBytes(buf, a, b);
    if (ms === null) return;
    const current = this.value();
    if (current !== null && ms <= current) return;
    this.ms = ms;
    this.bytesValid = canonical;
    if (canonical) buf.copy(this.bytes, 0, a, b);
  }

  offerMs(ms: number | null): void {
    const current = this.value();
    if (ms === null || (current !== null && ms <= current)) return;
    this.ms = ms;
    this.bytesValid = false;
  }

  value(): number | null {
    if (this.dirty) {
      this.ms = parseTimestampBytes(this.bytes, 0, 24);
      this.dirty = false;
    }
    return this.ms;
  }
}
