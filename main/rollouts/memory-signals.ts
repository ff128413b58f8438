import { extractCitedThreadIds } from '../memories/memory-usage.ts';
import { matchesAt, matchesWords, wordsOf } from './envelope-skim.ts';
import { parseLine } from './line-bytes.ts';
import { parseTimestampMs } from './rollout-name.ts';
import { asObject } from './thread-fold.ts';
import type { JsonObject } from './thread-fold.ts';
import type { MemorySignals } from './types.ts';

/**
 * What the memories pipeline learns from the lines one extraction pass reads (seed §5.14 usage recording,
 * §5.4 pollution triggers): the thread ids cited by completed assistant messages, and whether an MCP tool
 * call or a web search call happened. Collected per pass, never carried in FoldState, so a resume reports
 * only what the appended lines hold; only newline-terminated lines count (an unterminated one is read
 * again, complete, by the next pass).
 *
 * Lines are told apart from the bytes of their payload head, which the envelope skim has already located
 * for every line: a `web_search_call`, or a `function_call` whose name (or namespace) starts `mcp__`, is
 * polluting as it stands; an assistant `message` is parsed only when its own bytes hold the citation tag.
 * Every other line costs a byte compare or two. (Searching each read block for the marker strings instead
 * was measured: Buffer#indexOf of a long needle runs at ~2 GB/s, four of them cost more than the whole
 * fold; here only assistant text, a few percent of a file, is searched, by `<`.)
 */

const PAYLOAD_TYPE = Buffer.from('{"type":"');
const PAYLOAD_TYPE_WORDS = wordsOf('{"type":"');
/** Payload types with their closing quote (so `function_call_output` is not a `function_call`). */
const MESSAGE = Buffer.from('message"');
const FUNCTION_CALL = Buffer.from('function_call"');
const WEB_SEARCH_CALL = Buffer.from('web_search_call"');
const ID_KEY = Buffer.from(',"id":"');
const ROLE_ASSISTANT = Buffer.from(',"role":"assistant"');
const ROLE_KEY = Buffer.from(',"role":"');
const NAME_KEY = Buffer.from(',"name":"');
const MCP_NAMESPACE = Buffer.from(',"namespace":"mcp__');
const LT = 0x3c;
const CITATION_MARKER = Buffer.from('oai-mem-citation');
const MCP_MARKER = Buffer.from('mcp__');
const WEB_SEARCH_MARKER = Buffer.from('web_search_call');
const MCP_PREFIX = 'mcp__';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Longest payload type / item id read from the bytes; anything longer is left to the parser. */
const MAX_NAME = 128;

export function newMemorySignals(): MemorySignals {
  return { citations: [], polluting: false, pollutingAtMs: null };
}

/** Index of the closing quote of an escape-free string of at most MAX_NAME bytes starting at `pos`, or -1. */
function nameEnd(buf: Buffer, pos: number, end: number): number {
  const limit = Math.min(end, pos + MAX_NAME);
  for (let i = pos; i < limit; i++) {
    const c = buf[i];
    if (c === QUOTE) return i;
    if (c === BACKSLASH) return -1;
  }
  return -1;
}

/** Whether `needle` occurs in `buf[from, to)`. Buffer#indexOf has no end bound, hence the view. */
function contains(buf: Buffer, from: number, to: number, needle: Buffer): boolean {
  return to - from >= needle.length && buf.subarray(from, to).indexOf(needle) !== -1;
}

export const ItemHint = {
  /** Carries no signal. */
  None: 0,
  /** A web search or MCP tool call: polluting, nothing else to read. */
  Polluting: 1,
  /** May carry a signal: parse the line and look (noteParsed). */
  Parse: 2,
} as const;
export type ItemHint = (typeof ItemHint)[keyof typeof ItemHint];

/**
 * Classifies a `response_item` line from its bytes; `cursor` is just past `"payload":` (as the envelope skim
 * leaves it) and `end` the end of the line.
 */
export function responseItemHint(buf: Buffer, cursor: number, end: number): ItemHint {
  const type = cursor + PAYLOAD_TYPE.length;
  // Codex writes the type first; any other layout is left to the parser when it may hold a signal.
  if (!matchesAt(buf, cursor, end, PAYLOAD_TYPE))
    return anyMarker(buf, cursor, end) ? ItemHint.Parse : ItemHint.None;
  // Most items (reasoning, tool outputs) are told apart by their first byte.
  switch (buf[type]) {
    case 0x6d: // m
      return matchesAt(buf, type, end, MESSAGE)
        ? assistantMessageHint(buf, type + MESSAGE.length, end)
        : ItemHint.None;
    case 0x66: // f
      return matchesAt(buf, type, end, FUNCTION_CALL)
        ? functionCallHint(buf, type + FUNCTION_CALL.length, end)
        : ItemHint.None;
    case 0x77: // w
      return matchesAt(buf, type, end, WEB_SEARCH_CALL) ? ItemHint.Polluting : ItemHint.None;
    default:
      return ItemHint.None;
  }
}

/**
 * False when responseItemHint would say None from the first byte of the payload type alone (most items:
 * reasoning, tool outputs), checked with the fold's DataView over `buf`; true means "ask responseItemHint".
 */
export function mayCarrySignal(view: DataView, buf: Buffer, cursor: number, end: number): boolean {
  if (cursor + PAYLOAD_TYPE.length + 1 > end || !matchesWords(view, cursor, PAYLOAD_TYPE_WORDS, 5))
    return true;
  const c = buf[cursor + PAYLOAD_TYPE.length];
  return c === 0x6d || c === 0x66 || c === 0x77;
}

function anyMarker(buf: Buffer, from: number, to: number): boolean {
  return (
    contains(buf, from, to, CITATION_MARKER) ||
    contains(buf, from, to, MCP_MARKER) ||
    contains(buf, from, to, WEB_SEARCH_MARKER)
  );
}

/** Just past the optional `,"id":"…"` member at `p` (items of legacy and newest builds carry one). */
function skipId(buf: Buffer, p: number, end: number): number {
  if (!matchesAt(buf, p, end, ID_KEY)) return p;
  const idEnd = nameEnd(buf, p + ID_KEY.length, end);
  return idEnd >= 0 ? idEnd + 1 : p;
}

/**
 * A message (fields from `p`, just past its type): one whose role is not assistant is ruled out without
 * searching its text, and an assistant's text is searched for the tag's `<` (rare in prose) first.
 */
function assistantMessageHint(buf: Buffer, p: number, end: number): ItemHint {
  p = skipId(buf, p, end);
  if (matchesAt(buf, p, end, ROLE_KEY) && !matchesAt(buf, p, end, ROLE_ASSISTANT)) return ItemHint.None;
  const text = buf.subarray(p, end);
  for (let i = text.indexOf(LT); i !== -1; i = text.indexOf(LT, i + 1)) {
    if (matchesAt(text, i + 1, text.length, CITATION_MARKER)) return ItemHint.Parse;
  }
  return ItemHint.None;
}

/** A function_call (fields from `p`, just past its type): MCP when its name or namespace starts `mcp__`. */
function functionCallHint(buf: Buffer, p: number, end: number): ItemHint {
  p = skipId(buf, p, end);
  if (!matchesAt(buf, p, end, NAME_KEY))
    return contains(buf, p, end, MCP_MARKER) ? ItemHint.Parse : ItemHint.None;
  const name = p + NAME_KEY.length;
  if (matchesAt(buf, name, end, MCP_MARKER)) return ItemHint.Polluting;
  const nameStop = nameEnd(buf, name, end);
  if (nameStop < 0) return contains(buf, name, end, MCP_MARKER) ? ItemHint.Parse : ItemHint.None;
  return matchesAt(buf, nameStop + 1, end, MCP_NAMESPACE) ? ItemHint.Polluting : ItemHint.None;
}

export function notePolluting(signals: MemorySignals, atMs: number | null): void {
  signals.polluting = true;
  if (atMs !== null && (signals.pollutingAtMs === null || atMs > signals.pollutingAtMs))
    signals.pollutingAtMs = atMs;
}

/** Parses `buf[start, end)` and notes its signals; a line that does not parse is ignored here. */
export function noteLine(signals: MemorySignals, buf: Buffer, start: number, end: number): void {
  const line = asObject(parseLine(buf, start, end));
  if (line !== null) noteParsed(signals, line);
}

/** The signals of a parsed envelope line (any kind; most carry none). */
export function noteParsed(signals: MemorySignals, line: JsonObject): void {
  const payload = asObject(line.payload);
  if (payload === null) return;
  if (line.type === 'event_msg') {
    if (payload.type === 'mcp_tool_call_begin' || payload.type === 'mcp_tool_call_end')
      notePolluting(signals, parseTimestampMs(line.timestamp));
    return;
  }
  if (line.type !== 'response_item') return;
  switch (payload.type) {
    case 'message': {
      if (payload.role !== 'assistant') return;
      const ids = extractCitedThreadIds(outputText(payload.content));
      if (ids.length > 0) signals.citations.push({ atMs: parseTimestampMs(line.timestamp), threadIds: ids });
      return;
    }
    case 'function_call':
      if (isMcpName(payload.name) || isMcpName(payload.namespace))
        notePolluting(signals, parseTimestampMs(line.timestamp));
      return;
    case 'web_search_call':
      notePolluting(signals, parseTimestampMs(line.timestamp));
      return;
    default:
      return;
  }
}

function isMcpName(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(MCP_PREFIX);
}

/** The text of an assistant message's `output_text` parts, in order. */
function outputText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    const p = asObject(part);
    if (p?.type === 'output_text' && typeof p.text === 'string') text += p.text;
  }
  return text;
}
