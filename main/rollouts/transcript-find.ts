import type { TranscriptFindResult, TranscriptItem } from '../../preload/contract/transcript.ts';
import { createSlicer } from '../core/time-slice.ts';
import type { Slicer } from '../core/time-slice.ts';
import { decodeLine, scanRolloutLines } from './read-rollout.ts';
import { PAIR_WINDOW } from './transcript.ts';
import { toTranscriptItem } from './transcript-item.ts';
import { positioned } from './transcript-lines.ts';
import { fullText } from './transcript-text.ts';

/** Lines never drawn (bookkeeping, or duplicates of drawn lines): skipped before parsing. */
const HIDDEN_TYPES = new Set([
  'token_count',
  'turn_context',
  'world_state',
  'session_meta',
  'thread_settings_applied',
  'user_message',
  'agent_message',
  'agent_reasoning',
  'agent_reasoning_raw_content',
  'ghost_snapshot',
]);
const HEAD_TYPE =
  /^\{"timestamp":"[^"]*","type":"([a-z_]+)"(?:,"payload":\{"type":"([a-z_]+)")?|^\{"type":"([a-z_]+)"/;

/** The text a reader sees for an item (what find-in-thread matches against). */
export function searchableText(item: TranscriptItem): string {
  switch (item.kind) {
    case 'message':
    case 'reasoning':
    case 'plan':
      return fullText(item.text);
    case 'compaction':
      return item.text ? fullText(item.text) : '';
    case 'tool_call': {
      const c = item.call;
      const parts = [item.name];
      if (c.tool === 'shell') parts.push(c.command);
      else if (c.tool === 'patch') parts.push(fullText(c.patch));
      else if (c.tool === 'script') parts.push(fullText(c.code));
      else if (c.tool === 'mcp') parts.push(c.server, c.name, c.arguments ?? '');
      else if (c.tool === 'web_search') parts.push(c.query ?? '', c.url ?? '');
      else if (c.tool === 'plan') parts.push(c.explanation ?? '', ...c.steps.map((s) => s.step));
      else if (c.arguments) parts.push(fullText(c.arguments));
      return parts.join('\n');
    }
    case 'tool_output':
      return item.result.output ? fullText(item.result.output) : '';
    case 'error':
      return `${item.message}\n${item.detail ?? ''}`;
    case 'turn_end':
      return item.error ?? '';
    case 'event':
      return item.text ?? '';
    default:
      return '';
  }
}

/**
 * Positions of drawn items whose text contains `query`, case-insensitively, in one time-sliced pass.
 * A tool output folded into its call's card is reported at the call's position.
 */
export async function findInTranscript(
  path: string,
  query: string,
  limit: number,
  slicer: Slicer = createSlicer(),
): Promise<TranscriptFindResult> {
  const needle = query.toLowerCase();
  // Raw JSON escapes quotes, backslashes and control characters: only a plain needle can pre-filter lines.
  const rawFilter = !/["\\]/.test(needle) && ![...needle].some((c) => c.charCodeAt(0) < 0x20);
  const found = new Set<number>();
  const calls = new Map<string, number>();
  let truncated = false;
  const { sink } = positioned((position, buf, start, end) => {
    if (found.size >= limit) {
      truncated = true;
      return;
    }
    const head = HEAD_TYPE.exec(buf.toString('latin1', start, Math.min(end, start + 160)));
    const type = head ? (head[2] ?? head[1] ?? head[3]) : null;
    if (type && HIDDEN_TYPES.has(type)) return;
    const text = decodeLine(buf, start, end);
    const isCall = type === 'function_call' || type === 'custom_tool_call' || type === 'local_shell_call';
    if (rawFilter && !isCall && !text.toLowerCase().includes(needle)) return;
    const item = toTranscriptItem(position, text, end - start);
    if (item.kind === 'tool_call' && item.callId) calls.set(item.callId, position);
    if (item.hidden && item.kind !== 'tool_output') return;
    if (!searchableText(item).toLowerCase().includes(needle)) return;
    const call = item.kind === 'tool_output' && item.callId ? calls.get(item.callId) : undefined;
    found.add(call !== undefined && position - call <= PAIR_WINDOW ? call : position);
  });
  await scanRolloutLines(path, 0, sink, slicer, () => truncated);
  return { query, positions: [...found].sort((a, b) => a - b), truncated };
}
