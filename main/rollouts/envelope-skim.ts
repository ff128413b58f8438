/**
 * Reads the head of an envelope line (`{"timestamp":"…","type":"…","payload":{"type":"…"`) straight from
 * the bytes, so most lines are classified without decoding or parsing them. Only the kinds that can change
 * thread metadata or carry a memory signal get their own code; everything else is `Other`.
 */
export const LineKind = {
  Other: 0,
  SessionMeta: 1,
  TurnContext: 2,
  EventMsg: 3,
  /** Only its payload head matters, for the memory signals (memory-signals.ts). */
  ResponseItem: 4,
} as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

export const EventKind = {
  /** The payload does not start with `"type"`: the caller must parse to know. */
  Unknown: -1,
  Other: 0,
  TokenCount: 1,
  UserMessage: 2,
  ItemCompleted: 3,
  ThreadSettingsApplied: 4,
  /** `mcp_tool_call_begin` / `mcp_tool_call_end`: a memory pollution trigger (seed §5.4). */
  McpToolCall: 5,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export interface SkimmedEnvelope {
  /** Bytes [tsStart, tsEnd) hold the line timestamp (without quotes). */
  tsStart: number;
  tsEnd: number;
  kind: LineKind;
  event: EventKind;
  /** Index just past what was read: after the payload type's closing quote, or after `"payload":`. */
  cursor: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const TIMESTAMP_HEAD = Buffer.from('{"timestamp":"');
const TYPE_KEY = Buffer.from(',"type":"');
const ORDINAL_KEY = Buffer.from(',"ordinal":');
const PAYLOAD_KEY = Buffer.from(',"payload":');
const PAYLOAD_TYPE_KEY = Buffer.from('{"type":"');
/** Longest timestamp / type name we expect; longer means the prefix is not what we think. */
const MAX_NAME = 64;

const SESSION_META = Buffer.from('session_meta');
const TURN_CONTEXT = Buffer.from('turn_context');
const EVENT_MSG = Buffer.from('event_msg');
const RESPONSE_ITEM = Buffer.from('response_item');
const TOKEN_COUNT = Buffer.from('token_count');
const USER_MESSAGE = Buffer.from('user_message');
const ITEM_COMPLETED = Buffer.from('item_completed');
const THREAD_SETTINGS_APPLIED = Buffer.from('thread_settings_applied');
const MCP_TOOL_CALL_BEGIN = Buffer.from('mcp_tool_call_begin');
const MCP_TOOL_CALL_END = Buffer.from('mcp_tool_call_end');

export function matchesAt(buf: Buffer, pos: number, end: number, pattern: Buffer): boolean {
  if (pos + pattern.length > end) return false;
  for (let i = 0; i < pattern.length; i++) if (buf[pos + i] !== pattern[i]) return false;
  return true;
}

/** Index of the closing quote of a short escape-free string starting at `pos`, or -1. */
function shortStringEnd(buf: Buffer, pos: number, end: number): number {
  const limit = Math.min(end, pos + MAX_NAME);
  for (let i = pos; i < limit; i++) {
    const c = buf[i];
    if (c === QUOTE) return i;
    if (c === BACKSLASH) return -1;
  }
  return -1;
}

/** The line kind named by `buf[start, end)`; a switch on length and first byte keeps most lines to one compare. */
function lineKind(buf: Buffer, start: number, end: number): LineKind {
  switch (end - start) {
    case 12:
      if (buf[start] === 0x73)
        return matchesAt(buf, start, end, SESSION_META) ? LineKind.SessionMeta : LineKind.Other;
      if (buf[start] === 0x74)
        return matchesAt(buf, start, end, TURN_CONTEXT) ? LineKind.TurnContext : LineKind.Other;
      return LineKind.Other;
    case 9:
      return matchesAt(buf, start, end, EVENT_MSG) ? LineKind.EventMsg : LineKind.Other;
    case 13:
      return matchesAt(buf, start, end, RESPONSE_ITEM) ? LineKind.ResponseItem : LineKind.Other;
    default:
      return LineKind.Other;
  }
}

function eventKind(buf: Buffer, start: number, end: number): EventKind {
  switch (end - start) {
    case 11:
      return matchesAt(buf, start, end, TOKEN_COUNT) ? EventKind.TokenCount : EventKind.Other;
    case 12:
      return matchesAt(buf, start, end, USER_MESSAGE) ? EventKind.UserMessage : EventKind.Other;
    case 14:
      return matchesAt(buf, start, end, ITEM_COMPLETED) ? EventKind.ItemCompleted : EventKind.Other;
    case 17:
      return matchesAt(buf, start, end, MCP_TOOL_CALL_END) ? EventKind.McpToolCall : EventKind.Other;
    case 19:
      return matchesAt(buf, start, end, MCP_TOOL_CALL_BEGIN) ? EventKind.McpToolCall : EventKind.Other;
    case 23:
      return matchesAt(buf, start, end, THREAD_SETTINGS_APPLIED)
        ? EventKind.ThreadSettingsApplied
        : EventKind.Other;
    default:
      return EventKind.Other;
  }
}

function readDigits(buf: Buffer, i: number, len: number): number {
  let n = 0;
  for (let k = i; k < i + len; k++) {
    const d = buf[k]! - 0x30;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** `YYYY-MM-DDThh:mm:ss.mmmZ` decoded from bytes; other shapes go through Date.parse. Epoch ms or null. */
export function parseTimestampBytes(buf: Buffer, start: number, end: number): number | null {
  if (
    end - start === 24 &&
    buf[start + 4] === 0x2d &&
    buf[start + 7] === 0x2d &&
    buf[start + 10] === 0x54 &&
    buf[start + 13] === 0x3a &&
    buf[start + 16] === 0x3a &&
    buf[start + 19] === 0x2e &&
    buf[start + 23] === 0x5a
  ) {
    const ms = Date.UTC(
      readDigits(buf, start, 4),
      readDigits(buf, start + 5, 2) - 1,
      readDigits(buf, start + 8, 2),
      readDigits(buf, start + 11, 2),
      readDigits(buf, start + 14, 2),
      readDigits(buf, start + 17, 2),
      readDigits(buf, start + 20, 3),
    );
    if (Number.isFinite(ms)) return ms;
  }
  const ms = Date.parse(buf.toString('latin1', start, end));
  return Number.isFinite(ms) ? ms : null;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** Fills `out` and returns true when the line starts like an envelope; false means "parse it fully". */
export function skimEnvelope(buf: Buffer, start: number, end: number, out: SkimmedEnvelope): boolean {
  if (!matchesAt(buf, start, end, TIMESTAMP_HEAD)) return false;
  const tsStart = start + TIMESTAMP_HEAD.length;
  const tsEnd = shortStringEnd(buf, tsStart, end);
  if (tsEnd < 0) return false;
  let p = tsEnd + 1;
  if (matchesAt(buf, p, end, ORDINAL_KEY)) {
    p += ORDINAL_KEY.length;
    while (p < end && isDigit(buf[p])) p++;
  }
  if (!matchesAt(buf, p, end, TYPE_KEY)) return false;
  p += TYPE_KEY.length;
  const typeEnd = shortStringEnd(buf, p, end);
  if (typeEnd < 0) return false;
  const kind = lineKind(buf, p, typeEnd);
  p = typeEnd + 1;
  if (!matchesAt(buf, p, end, PAYLOAD_KEY)) return false;
  out.tsStart = tsStart;
  out.tsEnd = tsEnd;
  out.kind = kind;
  out.event = EventKind.Other;
  out.cursor = p + PAYLOAD_KEY.length;
  if (kind !== LineKind.EventMsg) return true;
  out.event = EventKind.Unknown;
  if (matchesAt(buf, out.cursor, end, PAYLOAD_TYPE_KEY)) {
    const nameStart = out.cursor + PAYLOAD_TYPE_KEY.length;
    const nameEnd = shortStringEnd(buf, nameStart, end);
    if (nameEnd >= 0) {
      out.event = eventKind(buf, nameStart, nameEnd);
      out.cursor = nameEnd + 1;
    }
  }
  return true;
}

/** The little-endian 32-bit word of `text[at, at + 4)`, as DataView#getInt32(…, true) reads it. */
function word(text: string, at: number): number {
  return (
    text.charCodeAt(at) |
    (text.charCodeAt(at + 1) << 8) |
    (text.charCodeAt(at + 2) << 16) |
    (text.charCodeAt(at + 3) << 24)
  );
}

// The layout Codex writes, by offset from the line start (words may overlap to cover odd lengths):
// 0 `{"timestamp":"`, 14 the 24-byte stamp, 38 `","type":"`, 48 the kind and `","payload":`.
const HEAD = '{"timestamp":"';
const HEAD_0 = word(HEAD, 0);
const HEAD_4 = word(HEAD, 4);
const HEAD_8 = word(HEAD, 8);
const HEAD_10 = word(HEAD, 10);
const STAMP_AT = HEAD.length;
const TYPE = '","type":"';
const TYPE_0 = word(TYPE, 0);
const TYPE_4 = word(TYPE, 4);
const TYPE_6 = word(TYPE, 6);
const KIND_AT = STAMP_AT + 24 + TYPE.length;
const RESPONSE_ITEM_HEAD = 'response_item","payload":';
const RESPONSE_ITEM_WORDS = wordsOf(RESPONSE_ITEM_HEAD);
const EVENT_MSG_HEAD = 'event_msg","payload":{"type":"';
const EVENT_MSG_WORDS = wordsOf(EVENT_MSG_HEAD);
const TURN_CONTEXT_HEAD = 'turn_context","payload":';
const TURN_CONTEXT_WORDS = wordsOf(TURN_CONTEXT_HEAD);
const EVENT_NAME_AT = KIND_AT + EVENT_MSG_HEAD.length;

/**
 * Words of `text` at 0, 4, 8, … and a last one ending with the text (overlapping the one before unless the
 * length is a multiple of 4); `text` must be at least 4 characters. See matchesWords.
 */
export function wordsOf(text: string): number[] {
  const words: number[] = [];
  for (let at = 0; at + 4 < text.length; at += 4) words.push(word(text, at));
  words.push(word(text, text.length - 4));
  return words;
}

/**
 * Whether the bytes at `at` are the text that `words` (from wordsOf) was made of; `tail` is its length - 4.
 * `view` must cover `at + tail + 4`.
 */
export function matchesWords(view: DataView, at: number, words: readonly number[], tail: number): boolean {
  const last = words.length - 1;
  for (let i = 0; i < last; i++) if (view.getInt32(at + 4 * i, true) !== words[i]) return false;
  return view.getInt32(at + tail, true) === words[last];
}

/** SWAR: whether any byte of `x` is a quote or a backslash. */
function hasQuoteOrBackslash(x: number): boolean {
  const q = x ^ 0x22222222;
  const b = x ^ 0x5c5c5c5c;
  return ((((q - 0x01010101) & ~q) | ((b - 0x01010101) & ~b)) & 0x80808080) !== 0;
}

/**
 * skimEnvelope for the layout Codex writes, `{"timestamp":"<24 bytes>","type":"<kind>","payload":`, where kind
 * is response_item, event_msg or turn_context: most lines of a file. Compares words instead of bytes. When it
 * returns true, `out` is exactly what skimEnvelope would fill; false means only "not this layout".
 * `view` is a DataView over the same bytes as `buf`.
 */
export function skimTemplate(
  buf: Buffer,
  view: DataView,
  start: number,
  end: number,
  out: SkimmedEnvelope,
): boolean {
  if (end - start < EVENT_NAME_AT + 2) return false;
  if (
    view.getInt32(start, true) !== HEAD_0 ||
    view.getInt32(start + 4, true) !== HEAD_4 ||
    view.getInt32(start + 8, true) !== HEAD_8 ||
    view.getInt32(start + 10, true) !== HEAD_10
  )
    return false;
  const stamp = start + STAMP_AT;
  if (
    hasQuoteOrBackslash(view.getInt32(stamp, true)) ||
    hasQuoteOrBackslash(view.getInt32(stamp + 4, true)) ||
    hasQuoteOrBackslash(view.getInt32(stamp + 8, true)) ||
    hasQuoteOrBackslash(view.getInt32(stamp + 12, true)) ||
    hasQuoteOrBackslash(view.getInt32(stamp + 16, true)) ||
    hasQuoteOrBackslash(view.getInt32(stamp + 20, true))
  )
    return false;
  // TYPE starts with the stamp's closing quote, and rules out the `,"ordinal":` variant.
  const type = stamp + 24;
  if (
    view.getInt32(type, true) !== TYPE_0 ||
    view.getInt32(type + 4, true) !== TYPE_4 ||
    view.getInt32(type + 6, true) !== TYPE_6
  )
    return false;
  const kind = start + KIND_AT;
  out.tsStart = stamp;
  out.tsEnd = stamp + 24;
  switch (buf[kind]) {
    case 0x72:
      if (!matchesWords(view, kind, RESPONSE_ITEM_WORDS, RESPONSE_ITEM_HEAD.length - 4)) return false;
      out.kind = LineKind.ResponseItem;
      out.event = EventKind.Other;
      out.cursor = kind + RESPONSE_ITEM_HEAD.length;
      return true;
    case 0x74:
      if (!matchesWords(view, kind, TURN_CONTEXT_WORDS, TURN_CONTEXT_HEAD.length - 4)) return false;
      out.kind = LineKind.TurnContext;
      out.event = EventKind.Other;
      out.cursor = kind + TURN_CONTEXT_HEAD.length;
      return true;
    case 0x65: {
      if (!matchesWords(view, kind, EVENT_MSG_WORDS, EVENT_MSG_HEAD.length - 4)) return false;
      out.kind = LineKind.EventMsg;
      const nameStart = start + EVENT_NAME_AT;
      const nameEnd = shortStringEnd(buf, nameStart, end);
      if (nameEnd >= 0) {
        out.event = eventKind(buf, nameStart, nameEnd);
        out.cursor = nameEnd + 1;
      } else {
        out.event = EventKind.Unknown;
        // After `"payload":`, before its `{"type":"`.
        out.cursor = nameStart - PAYLOAD_TYPE_KEY.length;
      }
      return true;
    }
    default:
      return false;
  }
}

/** Latin-1 text is one byte per char, so string indices map straight back to buffer offsets. */
const STRING_WINDOW = 1 << 16;

/**
 * Finds the closing quote of the JSON string whose first content byte is at `pos`; -1 if none before `end`.
 * Long strings (system prompts) hold many escaped quotes; a Latin-1 view searched with String#indexOf costs
 * far less per quote than Buffer#indexOf, so the search moves to one after the first escaped quote.
 */
export function jsonStringEnd(buf: Buffer, pos: number, end: number): number {
  const first = buf.indexOf(QUOTE, pos);
  if (first === -1 || first >= end) return -1;
  if (!isEscaped(buf, pos, first)) return first;
  let base = pos;
  let text = '';
  let i = first + 1;
  for (;;) {
    if (i >= base + text.length) {
      if (i >= end) return -1;
      base = i;
      text = buf.toString('latin1', base, Math.min(end, base + STRING_WINDOW));
    }
    const at = text.indexOf('"', i - base);
    if (at === -1) {
      i = base + text.length;
      continue;
    }
    const q = base + at;
    if (!isEscaped(buf, pos, q)) return q;
    i = q + 1;
  }
}

/** Whether the quote at `q` is preceded by an odd run of backslashes (not counting bytes before `pos`). */
function isEscaped(buf: Buffer, pos: number, q: number): boolean {
  let slashes = 0;
  for (let j = q - 1; j >= pos && buf[j] === BACKSLASH; j--) slashes++;
  return slashes % 2 === 1;
}
