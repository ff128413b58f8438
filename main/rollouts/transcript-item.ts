import type { TranscriptItem } from '../../preload/contract/transcript.ts';
import { asObject } from './thread-fold.ts';
import type { JsonObject } from './thread-fold.ts';
import { eventItem } from './transcript-event-item.ts';
import { message } from './transcript-fields.ts';
import type { Fields } from './transcript-fields.ts';
import { capHead, contentParts, oneLine, str } from './transcript-text.ts';
import { callDetail, outputResult, webSearchDetail } from './transcript-tools.ts';

function summaryText(p: JsonObject): string {
  const parts = Array.isArray(p.summary) ? p.summary : [];
  const texts = parts.map((s) => str(asObject(s)?.text) ?? '').filter(Boolean);
  return texts.join('\n\n');
}

/** A response item, enveloped (`payload`) or bare (legacy lines). */
function responseItem(p: JsonObject): Fields {
  const type = str(p.type);
  const callId = str(p.call_id);
  const status = str(p.status);
  switch (type) {
    case 'message':
      return message(p.role, p.content, p.phase);
    case 'reasoning': {
      // Only the readable summary: encrypted_content is opaque and never leaves main.
      const text = summaryText(p);
      return {
        kind: 'reasoning',
        text: capHead(text),
        encrypted: typeof p.encrypted_content === 'string',
        hidden: text === '',
      };
    }
    case 'function_call': {
      const name = str(p.name) ?? 'function';
      const raw = str(p.arguments) ?? (p.arguments === undefined ? null : JSON.stringify(p.arguments));
      return { kind: 'tool_call', name, callId, status, call: callDetail(name, raw, false), result: null };
    }
    case 'custom_tool_call': {
      const name = str(p.name) ?? 'tool';
      return {
        kind: 'tool_call',
        name,
        callId,
        status,
        call: callDetail(name, str(p.input), true),
        result: null,
      };
    }
    case 'local_shell_call': {
      const action = asObject(p.action) ?? {};
      const raw = JSON.stringify(action);
      return {
        kind: 'tool_call',
        name: 'local_shell',
        callId,
        status,
        call: callDetail('local_shell', raw, false),
        result: null,
      };
    }
    case 'web_search_call':
      return {
        kind: 'tool_call',
        name: 'web_search',
        callId,
        status,
        call: webSearchDetail(asObject(p.action)),
        result: null,
      };
    case 'tool_search_call':
      return {
        kind: 'tool_call',
        name: 'tool_search',
        callId,
        status,
        call: callDetail(
          'tool_search',
          p.arguments === undefined ? null : JSON.stringify(p.arguments),
          false,
        ),
        result: null,
      };
    case 'image_generation_call':
      return {
        kind: 'tool_call',
        name: 'image_generation',
        callId: null,
        status,
        call: { tool: 'other', arguments: capHead(str(p.revised_prompt) ?? '') },
        result: null,
      };
    case 'compaction':
    case 'compaction_summary':
    case 'context_compaction':
      // Opaque server-side compaction; the `compacted` line beside it is what the view marks.
      return { kind: 'compaction', text: null, hidden: true };
    case 'ghost_snapshot':
      return { kind: 'event', name: 'ghost_snapshot', text: 'Undo checkpoint', hidden: true };
    case 'agent_message':
      return { ...message('assistant', p.content, null), injected: false };
    default:
      break;
  }
  if (type?.endsWith('_output')) {
    const output = p.output !== undefined ? p.output : p.tools;
    return {
      kind: 'tool_output',
      name: str(p.name),
      callId,
      result: outputResult(output, -1),
      pairedWith: null,
    };
  }
  return { kind: 'unknown', text: type, hidden: true };
}

/** `item_completed` turn items (paginated history writes every item this way). */
function turnContext(p: JsonObject): Fields {
  const sandbox = asObject(p.sandbox_policy);
  return {
    kind: 'turn_context',
    model: str(p.model),
    effort: str(p.effort),
    cwd: str(p.cwd),
    approvalPolicy: str(p.approval_policy) ?? (p.approval_policy ? JSON.stringify(p.approval_policy) : null),
    sandbox: str(sandbox?.type) ?? str(sandbox?.mode) ?? str(p.sandbox_policy),
    hidden: true,
  };
}

function sessionMeta(p: JsonObject): Fields {
  return {
    kind: 'session_meta',
    threadId: str(p.id),
    cwd: str(p.cwd),
    cliVersion: str(p.cli_version),
    originator: str(p.originator),
    forkedFromId: str(p.forked_from_id),
  };
}

function envelopeItem(type: string, p: JsonObject | null): Fields {
  if (p === null) return { kind: 'unknown', text: type, hidden: true };
  switch (type) {
    case 'session_meta':
      return sessionMeta(p);
    case 'turn_context':
      return turnContext(p);
    case 'compacted': {
      const text = str(p.message);
      return { kind: 'compaction', text: text ? capHead(text) : null };
    }
    case 'response_item':
      return responseItem(p);
    case 'event_msg':
      return eventItem(p);
    case 'inter_agent_communication': {
      const { text } = contentParts(p.content);
      const who = [str(p.author), str(p.recipient)].filter(Boolean).join(' → ');
      return { kind: 'event', name: type, text: oneLine(`${who}: ${text}`, 400) };
    }
    default:
      return { kind: 'unknown', text: type, hidden: true };
  }
}

function lineFields(line: JsonObject): { fields: Fields; lineType: string | null; timestamp: string | null } {
  const type = str(line.type);
  if (type !== null && line.payload !== undefined) {
    const payload = asObject(line.payload);
    const fields = envelopeItem(type, payload);
    return {
      fields: { payloadType: str(payload?.type), ...fields },
      lineType: type,
      timestamp: str(line.timestamp),
    };
  }
  if (type !== null)
    return { fields: { payloadType: type, ...responseItem(line) }, lineType: type, timestamp: null };
  if (typeof line.id === 'string' && line.timestamp !== undefined) {
    return { fields: sessionMeta(line), lineType: null, timestamp: str(line.timestamp) };
  }
  if (line.record_type !== undefined) {
    return {
      fields: { kind: 'unknown', text: 'record_type', hidden: true },
      lineType: null,
      timestamp: null,
    };
  }
  return { fields: { kind: 'unknown', text: null, hidden: true }, lineType: null, timestamp: null };
}

/** Maps one non-blank rollout line (decoded text) to what the transcript view shows. */
export function toTranscriptItem(position: number, text: string, bytes: number): TranscriptItem {
  let parsed: { fields: Fields; lineType: string | null; timestamp: string | null };
  try {
    const line = asObject(JSON.parse(text));
    parsed = line
      ? lineFields(line)
      : { fields: { kind: 'invalid', text: capHead(text, 2048).text }, lineType: null, timestamp: null };
  } catch {
    parsed = { fields: { kind: 'invalid', text: capHead(text, 2048).text }, lineType: null, timestamp: null };
  }
  const { fields, lineType, timestamp } = parsed;
  const item = {
    ...fields,
    position,
    timestamp,
    bytes,
    lineType,
    payloadType: fields.payloadType ?? null,
    hidden: fields.hidden ?? false,
  } as TranscriptItem;
  if (item.kind === 'tool_output') item.result = { ...item.result, positions: [position] };
  return item;
}
