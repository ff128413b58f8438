import type { TranscriptItem, TranscriptKind } from '../../preload/contract/threads.ts';
import { asObject } from './thread-fold.ts';
import type { JsonObject } from './thread-fold.ts';

/** Per-item text cap: a page stays small however large the pasted text, tool output or image. */
export const MAX_ITEM_TEXT = 32 * 1024;

type ItemFields = Pick<TranscriptItem, 'kind'> & Partial<Omit<TranscriptItem, 'position' | 'bytes' | 'kind'>>;

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function capText(text: string | null): { text: string | null; textTruncated: boolean } {
  if (text === null || text.length <= MAX_ITEM_TEXT) return { text, textTruncated: false };
  let cut = MAX_ITEM_TEXT;
  // Do not split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return { text: text.slice(0, cut), textTruncated: true };
}

/** Text of message content parts; images become a placeholder (their data URLs are never sent). */
function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const parts: string[] = [];
  for (const part of content) {
    const p = asObject(part);
    if (!p) continue;
    if (typeof p.text === 'string') parts.push(p.text);
    else if (p.type === 'input_image' || p.type === 'image' || p.type === 'local_image')
      parts.push('[Image]');
  }
  return parts.join('\n');
}

function messageKind(role: string | null): TranscriptKind {
  if (role === 'user') return 'user_message';
  if (role === 'assistant') return 'assistant_message';
  return 'developer_message';
}

function webSearchText(action: JsonObject | null): string | null {
  if (!action) return null;
  if (typeof action.query === 'string') return action.query;
  if (Array.isArray(action.queries)) return action.queries.filter((q) => typeof q === 'string').join('\n');
  return str(action.url) ?? json(action);
}

function shellText(action: JsonObject | null): string | null {
  if (!action) return null;
  return Array.isArray(action.command) ? action.command.join(' ') : json(action);
}

/** A response item, enveloped (`payload`) or bare (legacy lines). */
function responseItem(p: JsonObject): ItemFields {
  const type = str(p.type);
  const callId = str(p.call_id);
  switch (type) {
    case 'message': {
      const role = str(p.role);
      return { kind: messageKind(role), role, text: contentText(p.content) };
    }
    case 'reasoning': {
      // Only the readable summary: encrypted_content is opaque and large.
      const summary = Array.isArray(p.summary) ? p.summary.map((s) => str(asObject(s)?.text) ?? '') : [];
      return { kind: 'reasoning', text: summary.join('\n\n') };
    }
    case 'function_call':
      return {
        kind: 'tool_call',
        toolName: str(p.name),
        callId,
        text: str(p.arguments) ?? json(p.arguments),
      };
    case 'custom_tool_call':
      return { kind: 'tool_call', toolName: str(p.name), callId, text: str(p.input) ?? json(p.input) };
    case 'local_shell_call':
      return { kind: 'tool_call', toolName: 'local_shell', callId, text: shellText(asObject(p.action)) };
    case 'web_search_call':
      return { kind: 'tool_call', toolName: 'web_search', callId, text: webSearchText(asObject(p.action)) };
    case 'tool_search_call':
      return { kind: 'tool_call', toolName: 'tool_search', callId, text: json(p.arguments) };
    case 'image_generation_call':
      return { kind: 'tool_call', toolName: 'image_generation', text: str(p.revised_prompt) };
    case 'compaction':
    case 'compaction_summary':
    case 'context_compaction':
      return { kind: 'compacted' };
    default:
      break;
  }
  if (type?.endsWith('_output')) {
    const output = p.output !== undefined ? p.output : p.tools;
    return {
      kind: 'tool_output',
      toolName: str(p.name),
      callId,
      text: typeof output === 'string' || Array.isArray(output) ? contentText(output) : json(output),
    };
  }
  return { kind: 'unknown' };
}

function eventItem(p: JsonObject): ItemFields {
  switch (p.type) {
    case 'token_count':
      return { kind: 'token_count', text: json(asObject(p.info)?.total_token_usage ?? null) };
    case 'user_message':
      return { kind: 'event', role: 'user', text: str(p.message) };
    case 'agent_message':
      return { kind: 'event', role: 'assistant', text: str(p.message) };
    case 'agent_reasoning':
    case 'agent_reasoning_raw_content':
      return { kind: 'event', role: 'assistant', text: str(p.text) };
    case 'item_completed': {
      const item = asObject(p.item);
      return { kind: 'event', text: str(item?.text) ?? contentText(item?.content) };
    }
    default:
      return { kind: 'event', text: str(p.message) ?? json(p) };
  }
}

function sessionSummary(p: JsonObject): string {
  const { id, timestamp, cwd, originator, cli_version, source, model_provider, forked_from_id, git } = p;
  return JSON.stringify({
    id,
    timestamp,
    cwd,
    originator,
    cli_version,
    source,
    model_provider,
    forked_from_id,
    git,
  });
}

function turnSummary(p: JsonObject): string {
  const { cwd, model, effort, approval_policy, sandbox_policy } = p;
  return JSON.stringify({ model, effort, cwd, approval_policy, sandbox_policy });
}

function envelopeItem(type: string, p: JsonObject | null): ItemFields {
  const payloadType = str(p?.type);
  if (p === null) return { kind: 'unknown', lineType: type };
  let fields: ItemFields;
  switch (type) {
    case 'session_meta':
      fields = { kind: 'session_meta', text: sessionSummary(p) };
      break;
    case 'turn_context':
      fields = { kind: 'turn_context', text: turnSummary(p) };
      break;
    case 'compacted':
      fields = { kind: 'compacted', text: str(p.message) };
      break;
    case 'response_item':
      fields = responseItem(p);
      break;
    case 'event_msg':
      fields = eventItem(p);
      break;
    default:
      fields = { kind: 'unknown', text: str(p.content) ?? str(p.message) };
  }
  return { ...fields, lineType: type, payloadType };
}

function lineFields(line: JsonObject): ItemFields {
  if (typeof line.type === 'string' && line.payload !== undefined) {
    return { ...envelopeItem(line.type, asObject(line.payload)), timestamp: str(line.timestamp) };
  }
  if (typeof line.type === 'string') {
    return { ...responseItem(line), lineType: line.type, payloadType: line.type };
  }
  if (typeof line.id === 'string' && line.timestamp !== undefined) {
    return { kind: 'session_meta', text: sessionSummary(line) };
  }
  return { kind: 'unknown' };
}

/** Maps one non-blank rollout line (decoded text) to what the transcript view shows. */
export function toTranscriptItem(position: number, text: string, bytes: number): TranscriptItem {
  let fields: ItemFields;
  try {
    const line = asObject(JSON.parse(text));
    fields = line ? lineFields(line) : { kind: 'invalid', text };
  } catch {
    fields = { kind: 'invalid', text };
  }
  return {
    position,
    timestamp: fields.timestamp ?? null,
    kind: fields.kind,
    lineType: fields.lineType ?? null,
    payloadType: fields.payloadType ?? null,
    role: fields.role ?? null,
    ...capText(fields.text ?? null),
    toolName: fields.toolName ?? null,
    callId: fields.callId ?? null,
    bytes,
  };
}
