import {
  EventKind,
  jsonStringEnd,
  LineKind,
  matchesAt,
  skimEnvelope,
  skimTemplate,
  type SkimmedEnvelope,
} from '../rollouts/envelope-skim.ts';
import { NOT_PARSED, parseLine, parseWithoutStrings, readPlainString } from '../rollouts/line-bytes.ts';
import { asObject, type JsonObject } from '../rollouts/thread-fold.ts';
import { SAMPLE_CHARS, sampleStringBytes, sampleText } from './text-sample.ts';

/**
 * What one rollout line contributes to the content index. Only what a person would search for:
 * what the user typed, the assistant's answers, reasoning summaries, tool commands and (sampled)
 * tool outputs. Codex writes much of it twice (a `response_item` and an `event_msg`); exactly one
 * copy is kept: user text from `event_msg user_message` (the response item also carries injected
 * context), everything else from the response item. Encrypted content and images are never read.
 */
export type DocKind = 'user' | 'assistant' | 'reasoning' | 'tool_call' | 'tool_output';

export interface LineDoc {
  kind: DocKind;
  tool: string | null;
  body: string;
}

const TYPE_HEAD = Buffer.from('{"type":"');
const ROLE_KEY = Buffer.from(',"role":"');
const RESPONSE_ITEM_PAYLOAD = Buffer.from('"response_item","payload":');
const ENCRYPTED = Buffer.from('"encrypted_content":"');
const IMAGE_URL = Buffer.from('"image_url":"');
const IMAGE_RESULT = Buffer.from('"result":"');
const OUTPUT_STRING = Buffer.from('"output":"');
const CALL_ID = Buffer.from('"call_id":"');
/** Lines up to this size are parsed whole; longer tool outputs are sampled from their bytes. */
const SMALL_LINE = 4 * SAMPLE_CHARS + 1024;

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Text of message content parts (strings, or arrays of `{text}` parts); images are skipped. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content) {
    const text = str(asObject(part)?.text);
    if (text) parts.push(text);
  }
  return parts.join('\n');
}

/** Legacy files have no user_message events: their user items are used, minus injected context. */
function isInjectedContext(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('<') || t.startsWith('# AGENTS.md instructions');
}

function doc(kind: DocKind, tool: string | null, body: string | null): LineDoc | null {
  if (!body || !/\S/.test(body)) return null;
  return { kind, tool, body };
}

/** The command a tool call ran, in the form people remember it (`rg -n foo src`), else its raw arguments. */
function callText(p: JsonObject, type: string): string | null {
  switch (type) {
    case 'function_call': {
      const args = str(p.arguments);
      if (args === null) return p.arguments === undefined ? null : JSON.stringify(p.arguments);
      try {
        const parsed = asObject(JSON.parse(args));
        const cmd = parsed?.cmd ?? parsed?.command;
        if (typeof cmd === 'string') return cmd;
        if (Array.isArray(cmd)) return cmd.filter((c) => typeof c === 'string').join(' ');
      } catch {
        // Not JSON: index the text as it is.
      }
      return args;
    }
    case 'custom_tool_call':
      return str(p.input);
    case 'local_shell_call': {
      const cmd = asObject(p.action)?.command;
      return Array.isArray(cmd) ? cmd.join(' ') : null;
    }
    case 'web_search_call': {
      const a = asObject(p.action);
      if (!a) return null;
      if (typeof a.query === 'string') return a.query;
      if (Array.isArray(a.queries)) return a.queries.filter((q) => typeof q === 'string').join('\n');
      return str(a.url);
    }
    case 'image_generation_call':
      return str(p.revised_prompt);
    default:
      return p.arguments === undefined ? null : JSON.stringify(p.arguments);
  }
}

const CALL_TOOL: Record<string, string> = {
  local_shell_call: 'local_shell',
  web_search_call: 'web_search',
  tool_search_call: 'tool_search',
  image_generation_call: 'image_generation',
};

// The header Codex puts before a command's output (exit code, timing, chunk id, the command again):
// the same words in every output, so they would match everything and find nothing.
const OUTPUT_HEADER =
  /^(?:(?:Chunk ID: \S+|Wall time: [\d.]+ seconds|Process exited with code -?\d+|Exit code: -?\d+|Original token count: \d+|Total output lines: \d+|Command: [^\n]*)\n)+(?:Output:\n)?/;

export function stripOutputHeader(text: string): string {
  const m = OUTPUT_HEADER.exec(text);
  return m ? text.slice(m[0].length) : text;
}

/** Tool names of calls whose output has not been seen yet (outputs name only their call id). */
export type PendingCalls = Map<string, string>;

function fromResponseItem(p: JsonObject, envelope: boolean, calls: PendingCalls): LineDoc | null {
  const type = str(p.type);
  if (type === null) return null;
  switch (type) {
    case 'message': {
      const role = str(p.role);
      if (role === 'assistant') return doc('assistant', null, contentText(p.content));
      if (role !== 'user' || envelope) return null;
      const text = contentText(p.content);
      return isInjectedContext(text) ? null : doc('user', null, text);
    }
    case 'reasoning': {
      const summary = Array.isArray(p.summary) ? p.summary.map((s) => str(asObject(s)?.text) ?? '') : [];
      return doc('reasoning', null, summary.filter(Boolean).join('\n\n'));
    }
    case 'function_call':
    case 'custom_tool_call':
    case 'local_shell_call':
    case 'web_search_call':
    case 'tool_search_call':
    case 'image_generation_call': {
      const tool = str(p.name) ?? CALL_TOOL[type] ?? type;
      const callId = str(p.call_id);
      if (callId) calls.set(callId, tool);
      const text = callText(p, type);
      return doc('tool_call', tool, text === null ? null : sampleText(text));
    }
    default:
      break;
  }
  if (!type.endsWith('_output')) return null;
  const callId = str(p.call_id);
  const tool = str(p.name) ?? (callId ? (calls.get(callId) ?? null) : null);
  if (callId) calls.delete(callId);
  const output = p.output !== undefined ? p.output : p.tools;
  const text = typeof output === 'string' || Array.isArray(output) ? contentText(output) : null;
  return doc('tool_output', tool, text === null ? null : sampleText(stripOutputHeader(text)));
}

/** A long tool output line, sampled from its bytes; null when its shape needs a full parse. */
function sampledOutput(buf: Buffer, start: number, end: number, calls: PendingCalls): LineDoc | null | false {
  const at = buf.indexOf(OUTPUT_STRING, start);
  if (at === -1 || at >= end) return false;
  const valueStart = at + OUTPUT_STRING.length;
  const valueEnd = jsonStringEnd(buf, valueStart, end);
  if (valueEnd === -1) return false;
  // Everything but the output is small: parse it for the call id and name, with the output blanked.
  let rest: unknown = NOT_PARSED;
  try {
    rest = JSON.parse(
      `${buf.toString('utf8', start, valueStart)}${buf.toString('utf8', valueEnd, end)}`,
    ) as unknown;
  } catch {
    // The call id is then read from the bytes.
  }
  const line = rest === NOT_PARSED ? null : asObject(rest);
  const p = line && asObject(line.payload) ? asObject(line.payload) : line;
  let callId = str(p?.call_id);
  if (callId === null) {
    const c = buf.indexOf(CALL_ID, start);
    callId = c !== -1 && c < end ? readPlainString(buf, c + CALL_ID.length, end) : null;
  }
  const tool = str(p?.name) ?? (callId ? (calls.get(callId) ?? null) : null);
  if (callId) calls.delete(callId);
  const sampled = sampleStringBytes(buf, valueStart, valueEnd);
  return doc('tool_output', tool, sampled === null ? null : stripOutputHeader(sampled));
}

/** Parses the line (big opaque strings blanked) and returns the response item in it. */
function parseItem(
  buf: Buffer,
  start: number,
  end: number,
  envelope: boolean,
  blank: Buffer[],
): JsonObject | null {
  const parsed = blank.length > 0 ? parseWithoutStrings(buf, start, end, blank) : parseLine(buf, start, end);
  if (parsed === NOT_PARSED) return null;
  const line = asObject(parsed);
  return envelope ? asObject(line?.payload) : line;
}

/** The response item at `at` (its `{`), classified from its bytes before anything is parsed. */
function responseItemDoc(
  buf: Buffer,
  start: number,
  end: number,
  at: number,
  envelope: boolean,
  calls: PendingCalls,
): LineDoc | null {
  let type: string | null = null;
  let afterType = -1;
  if (matchesAt(buf, at, end, TYPE_HEAD)) {
    type = readPlainString(buf, at + TYPE_HEAD.length, end);
    if (type !== null) afterType = at + TYPE_HEAD.length + type.length + 1;
  }
  switch (type) {
    case 'reasoning': {
      const p = parseItem(buf, start, end, envelope, [ENCRYPTED]);
      return p ? fromResponseItem(p, envelope, calls) : null;
    }
    case 'message': {
      if (matchesAt(buf, afterType, end, ROLE_KEY)) {
        const role = readPlainString(buf, afterType + ROLE_KEY.length, end);
        if (role === 'developer' || role === 'system' || (role === 'user' && envelope)) return null;
      }
      const p = parseItem(buf, start, end, envelope, end - start > SMALL_LINE ? [IMAGE_URL] : []);
      return p ? fromResponseItem(p, envelope, calls) : null;
    }
    case 'image_generation_call': {
      const p = parseItem(buf, start, end, envelope, [IMAGE_RESULT]);
      return p ? fromResponseItem(p, envelope, calls) : null;
    }
    default:
      break;
  }
  if (type !== null && type.endsWith('_output') && end - start > SMALL_LINE) {
    const sampled = sampledOutput(buf, start, end, calls);
    if (sampled !== false) return sampled;
  }
  if (type === null || type.endsWith('_call') || type.endsWith('_output')) {
    const p = parseItem(buf, start, end, envelope, []);
    return p ? fromResponseItem(p, envelope, calls) : null;
  }
  return null;
}

function userEventDoc(p: JsonObject | null): LineDoc | null {
  if (!p) return null;
  if (p.type === 'user_message') return doc('user', null, str(p.message));
  if (p.type === 'item_completed') {
    const item = asObject(p.item);
    if (item?.type === 'UserMessage') return doc('user', null, contentText(item.content));
  }
  return null;
}

/** Reusable per-reader state: the skim output and a DataView cache. */
export class LineDocReader {
  private readonly env: SkimmedEnvelope = { tsStart: 0, tsEnd: 0, kind: LineKind.Other, event: 0, cursor: 0 };
  private viewOf: Buffer | null = null;
  private view: DataView | null = null;
  readonly calls: PendingCalls;

  constructor(calls: PendingCalls = new Map()) {
    this.calls = calls;
  }

  /** The document of the (trimmed, non-blank) line `buf[start, end)`, or null when it holds nothing to index. */
  read(buf: Buffer, start: number, end: number): LineDoc | null {
    if (buf[start] !== 0x7b) return null;
    if (this.viewOf !== buf) {
      this.viewOf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    }
    const env = this.env;
    const enveloped =
      skimTemplate(buf, this.view as DataView, start, end, env) || skimEnvelope(buf, start, end, env);
    if (!enveloped) return responseItemDoc(buf, start, end, start, false, this.calls);
    switch (env.kind) {
      case LineKind.SessionMeta:
      case LineKind.TurnContext:
        return null;
      case LineKind.EventMsg:
        if (
          env.event !== EventKind.UserMessage &&
          env.event !== EventKind.ItemCompleted &&
          env.event !== EventKind.Unknown
        )
          return null;
        return userEventDoc(asObject(asObject(parseValue(buf, start, end))?.payload));
      default: {
        const cursor = env.cursor;
        if (!matchesAt(buf, cursor - RESPONSE_ITEM_PAYLOAD.length, end, RESPONSE_ITEM_PAYLOAD)) return null;
        return responseItemDoc(buf, start, end, cursor, true, this.calls);
      }
    }
  }
}

function parseValue(buf: Buffer, start: number, end: number): unknown {
  const v = parseLine(buf, start, end);
  return v === NOT_PARSED ? null : v;
}
