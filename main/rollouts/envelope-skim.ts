/**
 * Reads the head of an envelope line (`{"timestamp":"…","type":"…","payload":{"type":"…"`) straight from
 * the bytes, so most lines are classified without decoding or parsing them. Only the kinds that can change
 * thread metadata get their own code; everything else is `Other`.
 */
export const LineKind = {
  Other: 0,
  SessionMeta: 1,
  TurnContext: 2,
  EventMsg: 3,
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

const LINE_KINDS: [Buffer, LineKind][] = [
  [Buffer.from('session_meta'), LineKind.SessionMeta],
  [Buffer.from('turn_context'), LineKind.TurnContext],
  [Buffer.from('event_msg'), LineKind.EventMsg],
];
const EVENT_KINDS: [Buffer, EventKind][] = [
  [Buffer.from('token_count'), EventKind.TokenCount],
  [Buffer.from('user_message'), EventKind.UserMessage],
  [Buffer.from('item_completed'), EventKind.ItemCompleted],
  [Buffer.from('thread_settings_applied'), EventKind.ThreadSettingsApplied],
];

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

function lookup<K>(table: [Buffer, K][], buf: Buffer, start: number, end: number, other: K): K {
  const len = end - start;
  for (const [name, kind] of table) if (name.length === len && matchesAt(buf, start, end, name)) return kind;
  return other;
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
  const kind = lookup(LINE_KINDS, buf, p, typeEnd, LineKind.Other);
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
      out.event = lookup(EVENT_KINDS, buf, nameStart, nameEnd, EventKind.Other);
      out.cursor = nameEnd + 1;
    }
  }
  return true;
}

/** Finds the closing quote of the JSON string whose first content byte is at `pos`; -1 if none before `end`. */
export function jsonStringEnd(buf: Buffer, pos: number, end: number): number {
  let i = pos;
  for (;;) {
    const q = buf.indexOf(QUOTE, i);
    if (q === -1 || q >= end) return -1;
    let slashes = 0;
    for (let j = q - 1; j >= pos && buf[j] === BACKSLASH; j--) slashes++;
    if (slashes % 2 === 0) return q;
    i = q + 1;
  }
}
