import { asObject } from './thread-fold.ts';
import type { JsonObject } from './thread-fold.ts';
import { message, usage } from './transcript-fields.ts';
import type { Fields } from './transcript-fields.ts';
import { capHead, eventImages, num, str } from './transcript-text.ts';
import { eventResult, webSearchDetail } from './transcript-tools.ts';

function turnItem(item: JsonObject | null): Fields {
  const type = str(item?.type);
  if (item && type === 'Plan') return { kind: 'plan', text: capHead(str(item.text) ?? '') };
  if (item && type === 'UserMessage') return { ...message('user', item.content, null), injected: false };
  if (item && type === 'AgentMessage') return message('assistant', item.content, item.phase);
  if (item && type === 'Reasoning') {
    const parts = Array.isArray(item.summary_text)
      ? item.summary_text.filter((s) => typeof s === 'string')
      : [];
    return {
      kind: 'reasoning',
      text: capHead(parts.join('\n\n')),
      encrypted: false,
      hidden: parts.length === 0,
    };
  }
  return { kind: 'event', name: `item_completed:${type ?? '?'}`, text: null, hidden: true };
}

/** An `event_msg` payload: what the UI was told (mostly duplicates or bookkeeping, a few cards). */
export function eventItem(p: JsonObject): Fields {
  const type = str(p.type) ?? '';
  switch (type) {
    // Duplicates of response items (Codex writes both); the response item is the one drawn.
    case 'user_message':
      return {
        ...message('user', str(p.message) ?? '', null),
        images: eventImages(p),
        injected: false,
        hidden: true,
      };
    case 'agent_message':
      return { ...message('assistant', str(p.message) ?? '', p.phase), hidden: true };
    case 'agent_reasoning':
    case 'agent_reasoning_raw_content':
      return { kind: 'reasoning', text: capHead(str(p.text) ?? ''), encrypted: false, hidden: true };
    case 'token_count': {
      const info = asObject(p.info);
      return {
        kind: 'token_count',
        last: usage(info?.last_token_usage),
        total: usage(info?.total_token_usage),
        contextWindow: num(info?.model_context_window),
        hidden: true,
      };
    }
    case 'task_started':
    case 'turn_started':
      return { kind: 'turn_start', turnId: str(p.turn_id), mode: str(p.collaboration_mode_kind) };
    case 'task_complete':
    case 'turn_complete': {
      const err =
        p.error === undefined || p.error === null ? null : (str(p.error) ?? JSON.stringify(p.error));
      return {
        kind: 'turn_end',
        status: 'complete',
        reason: null,
        durationMs: num(p.duration_ms),
        error: err,
      };
    }
    case 'turn_aborted':
      return {
        kind: 'turn_end',
        status: 'aborted',
        reason: str(p.reason),
        durationMs: num(p.duration_ms),
        error: null,
      };
    case 'error':
    case 'stream_error': {
      const info = p.codex_error_info ?? p.additional_details;
      const detail = info === undefined || info === null ? null : (str(info) ?? JSON.stringify(info));
      return { kind: 'error', message: str(p.message) ?? type, detail };
    }
    case 'context_compacted':
      return { kind: 'event', name: type, text: 'Context compacted', hidden: true };
    case 'exec_command_end':
    case 'patch_apply_end':
    case 'mcp_tool_call_end': {
      const name =
        type === 'patch_apply_end' ? 'apply_patch' : type === 'exec_command_end' ? 'exec_command' : null;
      const invocation = asObject(p.invocation);
      const mcpName = invocation
        ? `mcp__${str(invocation.server) ?? '?'}__${str(invocation.tool) ?? '?'}`
        : null;
      return {
        kind: 'tool_output',
        name: name ?? mcpName,
        callId: str(p.call_id),
        result: eventResult(p, -1),
        pairedWith: null,
      };
    }
    case 'web_search_end':
      return {
        kind: 'tool_call',
        name: 'web_search',
        callId: str(p.call_id),
        status: 'completed',
        call: webSearchDetail(asObject(p.action), str(p.query)),
        result: null,
      };
    case 'item_completed':
      return turnItem(asObject(p.item));
    case 'thread_rolled_back':
      return { kind: 'event', name: type, text: `Rolled back ${num(p.num_turns) ?? '?'} turn(s)` };
    case 'undo_completed':
      return {
        kind: 'event',
        name: type,
        text: str(p.message) ?? (p.success === false ? 'Undo failed' : 'Undo completed'),
      };
    case 'entered_review_mode':
      return { kind: 'event', name: type, text: str(p.user_facing_hint) ?? 'Review started' };
    case 'exited_review_mode': {
      const review = asObject(p.review_output);
      return { kind: 'event', name: type, text: str(review?.overall_explanation) ?? 'Review finished' };
    }
    default:
      return { kind: 'event', name: type || 'event', text: str(p.message), hidden: true };
  }
}
