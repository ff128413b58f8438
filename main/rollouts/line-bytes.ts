import { jsonStringEnd, matchesAt, matchesWords, parseTimestampBytes, wordsOf } from './envelope-skim.ts';

/** Byte-level helpers for reading a few values out of a JSONL line without parsing all of it. */

export const NOT_PARSED = Symbol('not parsed');

const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const MINUS = 0x2d;

export function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

export function parseLine(buf: Buffer, start: number, end: number): unknown {
  return parseText(buf.toString('utf8', start, end));
}

export function parseText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
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
    return readNumberAfterKey(buf, i, limit);
  }
  return null;
}

/** The integer after the `"total_tokens":` at `key`, read up to `limit`; null unless followed by `,` or `}`. */
function readNumberAfterKey(buf: Buffer, key: number, limit: number): number | null {
  let p = key + TOTAL_TOKENS_KEY.length;
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

// The members Codex writes up to `total_tokens`, in its order.
const INPUT_TOKENS = '{"input_tokens":';
const INPUT_TOKENS_WORDS = wordsOf(INPUT_TOKENS);
const CACHED_INPUT_TOKENS = ',"cached_input_tokens":';
const CACHED_INPUT_TOKENS_WORDS = wordsOf(CACHED_INPUT_TOKENS);
const OUTPUT_TOKENS = ',"output_tokens":';
const OUTPUT_TOKENS_WORDS = wordsOf(OUTPUT_TOKENS);
const REASONING_OUTPUT_TOKENS = ',"reasoning_output_tokens":';
const REASONING_OUTPUT_TOKENS_WORDS = wordsOf(REASONING_OUTPUT_TOKENS);
const TOTAL_TOKENS = ',"total_tokens":';
const TOTAL_TOKENS_WORDS = wordsOf(TOTAL_TOKENS);

/**
 * readTotalTokens for Codex's own layout (`{"input_tokens":N,…,"reasoning_output_tokens":N,"total_tokens":N`),
 * comparing words through `view` (a DataView over `buf`); any other layout goes to readTotalTokens. Before
 * `"total_tokens":` there are only those keys, digits and commas: no `}`, and no quote where the key matches.
 */
export function readTotalTokensAt(buf: Buffer, view: DataView, open: number, end: number): number | null {
  let p = skipMember(buf, view, open, end, INPUT_TOKENS_WORDS, INPUT_TOKENS.length);
  if (p !== -1) p = skipMember(buf, view, p, end, CACHED_INPUT_TOKENS_WORDS, CACHED_INPUT_TOKENS.length);
  if (p !== -1) p = skipMember(buf, view, p, end, OUTPUT_TOKENS_WORDS, OUTPUT_TOKENS.length);
  if (p !== -1)
    p = skipMember(buf, view, p, end, REASONING_OUTPUT_TOKENS_WORDS, REASONING_OUTPUT_TOKENS.length);
  const limit = Math.min(end, open + 1024);
  if (p === -1 || p + TOTAL_TOKENS.length > end || p + 1 >= limit) return readTotalTokens(buf, open, end);
  if (!matchesWords(view, p, TOTAL_TOKENS_WORDS, TOTAL_TOKENS.length - 4))
    return readTotalTokens(buf, open, end);
  return readNumberAfterKey(buf, p + 1, limit);
}

/** Past `text` (its words) at `p` and the digits after it; -1 when `text` is not there. */
function skipMember(
  buf: Buffer,
  view: DataView,
  p: number,
  end: number,
  words: number[],
  length: number,
): number {
  if (p + length > end || !matchesWords(view, p, words, length - 4)) return -1;
  p += length;
  while (p < end && isDigitByte(buf[p]!)) p++;
  return p;
}

function isDigitByte(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
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

const BASE_INSTRUCTIONS_TEXT = Buffer.from('"base_instructions":{"text":"');
const INSTRUCTIONS = Buffer.from('"instructions":"');
/** Members of session_meta that metadata never reads and that make up most of its bytes. */
export const SESSION_META_SKIPPED = [BASE_INSTRUCTIONS_TEXT, INSTRUCTIONS];
const COLON = 0x3a;

/**
 * `parseWithoutStrings(buf, start, end, SESSION_META_SKIPPED)`, without searching the system prompt for
 * `"instructions":"`. The first occurrence of that pattern cannot start inside the prompt's string: its quote
 * after `instructions` is unescaped, so it would be the prompt's closing quote, followed by `:`. When the byte
 * after the closing quote is anything else, the first occurrence lies before the prompt or after it.
 */
export function parseSessionMetaLine(buf: Buffer, start: number, end: number): unknown {
  const base = buf.subarray(start, end).indexOf(BASE_INSTRUCTIONS_TEXT);
  if (base === -1) return parseWithoutStrings(buf, start, end, SESSION_META_SKIPPED);
  const promptStart = start + base + BASE_INSTRUCTIONS_TEXT.length;
  const promptEnd = jsonStringEnd(buf, promptStart, end);
  if (promptEnd === -1) return parseLine(buf, start, end);
  if (buf[promptEnd + 1] === COLON) return parseWithoutStrings(buf, start, end, SESSION_META_SKIPPED);
  let other = buf.subarray(start, promptStart).indexOf(INSTRUCTIONS);
  if (other !== -1) other += start;
  else {
    other = buf.subarray(promptEnd, end).indexOf(INSTRUCTIONS);
    if (other !== -1) other += promptEnd;
  }
  if (other === -1) return parseWithCuts(buf, start, end, promptStart, promptEnd, -1, -1);
  const otherStart = other + INSTRUCTIONS.length;
  const otherEnd = jsonStringEnd(buf, otherStart, end);
  if (otherEnd === -1) return parseLine(buf, start, end);
  return otherStart < promptStart
    ? parseWithCuts(buf, start, end, otherStart, otherEnd, promptStart, promptEnd)
    : parseWithCuts(buf, start, end, promptStart, promptEnd, otherStart, otherEnd);
}

/** Parses `buf[start, end)` without the bytes `[a0, a1)` and `[b0, b1)` (b0 = -1: one cut), as parseWithoutStrings. */
function parseWithCuts(
  buf: Buffer,
  start: number,
  end: number,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
): unknown {
  if (b0 !== -1 && b0 < a1) return parseLine(buf, start, end);
  let text = buf.toString('utf8', start, a0);
  if (b0 === -1) text += buf.toString('utf8', a1, end);
  else text += buf.toString('utf8', a1, b0) + buf.toString('utf8', b1, end);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return parseLine(buf, start, end);
  }
}

/** Where LatestTimestamp spells out its maximum to parse it; used synchronously only. */
const STAMP_SCRATCH = Buffer.alloc(24);

/**
 * Running maximum of line timestamps. Canonical `YYYY-MM-DDThh:mm:ss.mmmZ` stamps order like their bytes,
 * so the common case is a short comparison (of big-endian words, which order like the bytes); epoch ms are
 * computed only when asked.
 */
export class LatestTimestamp {
  /** The maximum's 24 bytes as big-endian words, when `bytesValid`. */
  private readonly words = new Uint32Array(6);
  private bytesValid = false;
  private dirty = false;
  private ms: number | null;

  constructor(initialMs: number | null) {
    this.ms = initialMs;
  }

  offer(buf: Buffer, a: number, b: number): void {
    const canonical = b - a === 24 && buf[a + 10] === 0x54 && buf[a + 23] === 0x5a;
    if (canonical && this.bytesValid) {
      const words = this.words;
      for (let i = 0; i < 24; i++) {
        const d = buf[a + i]! - ((words[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff);
        if (d < 0) return;
        if (d > 0) {
          this.store(buf, a);
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
    if (canonical) this.store(buf, a);
  }

  /** `offer(buf, a, a + 24)`, reading words through `view` (a DataView over `buf`). */
  offer24(view: DataView, buf: Buffer, a: number): void {
    if (!this.bytesValid || buf[a + 10] !== 0x54 || buf[a + 23] !== 0x5a) {
      this.offer(buf, a, a + 24);
      return;
    }
    const words = this.words;
    for (let i = 0; i < 6; i++) {
      const x = view.getUint32(a + 4 * i);
      const y = words[i]!;
      if (x === y) continue;
      if (x < y) return;
      words[i] = x;
      for (let j = i + 1; j < 6; j++) words[j] = view.getUint32(a + 4 * j);
      this.dirty = true;
      return;
    }
  }

  offerMs(ms: number | null): void {
    const current = this.value();
    if (ms === null || (current !== null && ms <= current)) return;
    this.ms = ms;
    this.bytesValid = false;
  }

  value(): number | null {
    if (this.dirty) {
      for (let i = 0; i < 6; i++) STAMP_SCRATCH.writeUInt32BE(this.words[i]!, 4 * i);
      this.ms = parseTimestampBytes(STAMP_SCRATCH, 0, 24);
      this.dirty = false;
    }
    return this.ms;
  }

  private store(buf: Buffer, a: number): void {
    const words = this.words;
    for (let i = 0; i < 6; i++) {
      const p = a + 4 * i;
      words[i] = ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
    }
  }
}
