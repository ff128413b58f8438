import { statSync } from 'node:fs';
import type {
  OutlineEntry,
  OutlineTurn,
  TokenUsage,
  ToolCallDetail,
  TranscriptItem,
  TranscriptOutline,
} from '../../preload/contract/transcript.ts';
import { createSlicer } from '../core/time-slice.ts';
import type { Slicer } from '../core/time-slice.ts';
import { decodeLine, scanRolloutLines } from './read-rollout.ts';
import { PAIR_WINDOW } from './transcript.ts';
import { toTranscriptItem } from './transcript-item.ts';
import { positioned } from './transcript-lines.ts';
import { oneLine } from './transcript-text.ts';

/** Tool calls listed in the outline (errors, turns and compactions are never cut). */
export const MAX_TOOL_ENTRIES = 5000;
/** Lines above this size are not parsed for the outline (base64 blobs, giant outputs). */
const MAX_PARSED_LINE = 8 * 1024 * 1024;
/** Line types the outline never needs: skipped without parsing. */
const SKIP_TYPES = new Set([
  'reasoning',
  'agent_reasoning',
  'agent_reasoning_raw_content',
  'agent_message',
  'world_state',
  'turn_context',
  'session_meta',
  'thread_settings_applied',
  'ghost_snapshot',
  'inter_agent_communication_metadata',
]);
const HEAD_TYPE =
  /^\{"timestamp":"[^"]*","type":"([a-z_]+)"(?:,"payload":\{"type":"([a-z_]+)")?|^\{"type":"([a-z_]+)"/;
const IDE_MARKER = '## My request for Codex:';

function lineTypeOf(buf: Buffer, start: number, end: number): string | null {
  const head = buf.toString('latin1', start, Math.min(end, start + 160));
  const m = HEAD_TYPE.exec(head);
  return m ? (m[2] ?? m[1] ?? m[3] ?? null) : null;
}

function minus(a: TokenUsage, b: TokenUsage | null): TokenUsage {
  if (!b) return a;
  return {
    input: a.input - b.input,
    cachedInput: a.cachedInput - b.cachedInput,
    output: a.output - b.output,
    reasoningOutput: a.reasoningOutput - b.reasoningOutput,
    total: a.total - b.total,
  };
}

function patchFiles(patch: string): string {
  const files = [...patch.matchAll(/^\*\*\* (?:Update|Add|Delete) File: (.+)$/gm)].map(
    (m) => m[1]!.split(/[\\/]/).at(-1) ?? m[1]!,
  );
  return files.join(', ');
}

/** Outline label and detail for a tool call. */
export function toolSummary(name: string, call: ToolCallDetail): { label: string; detail: string | null } {
  switch (call.tool) {
    case 'shell':
      return { label: name, detail: oneLine(call.command, 100) };
    case 'patch':
      return { label: 'apply_patch', detail: patchFiles(call.patch.text) || null };
    case 'mcp':
      return { label: `${call.server} · ${call.name}`, detail: null };
    case 'web_search':
      return { label: 'web search', detail: call.query ? oneLine(call.query, 100) : (call.url ?? null) };
    case 'script':
      return { label: name, detail: oneLine(call.code.text, 100) };
    case 'plan':
      return { label: 'update_plan', detail: `${call.steps.length} steps` };
    default:
      return { label: name, detail: null };
  }
}

function requestText(text: string): string {
  const at = text.lastIndexOf(IDE_MARKER);
  return oneLine(at === -1 ? text : text.slice(at + IDE_MARKER.length), 140);
}

/** Folds items, in file order, into the outline. */
export function createOutlineBuilder() {
  const turns: OutlineTurn[] = [];
  const entries: OutlineEntry[] = [];
  const counts = { messages: 0, toolCalls: 0, errors: 0, compactions: 0 };
  const openCalls = new Map<string, { entry: OutlineEntry | null; position: number }>();
  let truncated = false;
  let taskEvents = false;
  let lastTotal: TokenUsage | null = null;
  let turnStartTotal: TokenUsage | null = null;
  const current = (): OutlineTurn | null => turns.at(-1) ?? null;

  const startTurn = (item: TranscriptItem): OutlineTurn => {
    const turn: OutlineTurn = {
      index: turns.length,
      position: item.position,
      endPosition: null,
      label: '',
      messagePosition: null,
      status: 'open',
      timestamp: item.timestamp,
      durationMs: null,
      tokens: null,
      toolCalls: 0,
      errors: 0,
    };
    turns.push(turn);
    turnStartTotal = lastTotal;
    return turn;
  };
  const addError = (entry: Omit<OutlineEntry, 'turn' | 'failed'>): void => {
    const turn = current();
    if (turn) turn.errors++;
    counts.errors++;
    entries.push({ ...entry, failed: true, turn: turn?.index ?? null });
  };

  const add = (item: TranscriptItem): void => {
    switch (item.kind) {
      case 'turn_start':
        taskEvents = true;
        startTurn(item);
        return;
      case 'message': {
        if (item.hidden || item.injected || item.role !== 'user') {
          if (!item.hidden && item.role === 'assistant') counts.messages++;
          return;
        }
        counts.messages++;
        let turn = current();
        // With task events a turn starts at `task_started`; without (older files), at each user message.
        if (!turn || !taskEvents || turn.endPosition !== null) turn = startTurn(item);
        if (turn.messagePosition === null) {
          turn.messagePosition = item.position;
          const text = requestText(item.text.text);
          turn.label = text || (item.images.length ? '[Image]' : '(empty message)');
        }
        return;
      }
      case 'turn_end': {
        const turn = current();
        if (turn && turn.endPosition === null) {
          turn.endPosition = item.position;
          turn.status = item.status;
          turn.durationMs = item.durationMs;
        }
        if (item.status === 'aborted') {
          addError({
            position: item.position,
            kind: 'aborted',
            label: `Turn aborted${item.reason ? ` (${item.reason})` : ''}`,
            detail: null,
          });
        } else if (item.error) {
          addError({ position: item.position, kind: 'error', label: oneLine(item.error, 120), detail: null });
        }
        return;
      }
      case 'token_count': {
        if (!item.total) return;
        lastTotal = item.total;
        const turn = current();
        if (turn) turn.tokens = minus(item.total, turnStartTotal);
        return;
      }
      case 'tool_call': {
        counts.toolCalls++;
        const turn = current();
        if (turn) turn.toolCalls++;
        let entry: OutlineEntry | null = null;
        if (counts.toolCalls <= MAX_TOOL_ENTRIES) {
          const { label, detail } = toolSummary(item.name, item.call);
          entry = {
            position: item.position,
            kind: 'tool',
            label,
            detail,
            failed: false,
            turn: turn?.index ?? null,
          };
          entries.push(entry);
        } else truncated = true;
        if (item.callId) openCalls.set(item.callId, { entry, position: item.position });
        return;
      }
      case 'tool_output': {
        const open = item.callId ? openCalls.get(item.callId) : undefined;
        if (item.result.success !== false) return;
        if (open && item.position - open.position <= PAIR_WINDOW) {
          if (open.entry && !open.entry.failed) {
            open.entry.failed = true;
            const turn = current();
            if (turn) turn.errors++;
            counts.errors++;
          }
          return;
        }
        addError({
          position: item.position,
          kind: 'error',
          label: `${item.name ?? 'tool'} failed`,
          detail: null,
        });
        return;
      }
      case 'error':
        addError({
          position: item.position,
          kind: 'error',
          label: oneLine(item.message, 120),
          detail: item.detail,
        });
        return;
      case 'compaction':
        if (item.hidden) return;
        counts.compactions++;
        entries.push({
          position: item.position,
          kind: 'compaction',
          label: 'Context compacted',
          detail: null,
          failed: false,
          turn: current()?.index ?? null,
        });
        return;
      default:
    }
  };

  const finish = (total: number, fileSize: number): TranscriptOutline => {
    for (const t of turns) if (!t.label) t.label = t.messagePosition === null ? '(no user message)' : t.label;
    entries.sort((a, b) => a.position - b.position);
    return { total, fileSize, turns, entries, entriesTruncated: truncated, totalTokens: lastTotal, counts };
  };
  return { add, finish };
}

const cache = new Map<string, { size: number; mtimeMs: number; outline: TranscriptOutline }>();
const building = new Map<string, Promise<TranscriptOutline>>();

/** The outline for `path` if already computed for its current size and mtime. */
export function cachedOutline(path: string): TranscriptOutline | null {
  const hit = cache.get(path);
  if (!hit) return null;
  try {
    const stat = statSync(path);
    return stat.size === hit.size && stat.mtimeMs === hit.mtimeMs ? hit.outline : null;
  } catch {
    return null;
  }
}

/** Index of the turn containing `position`, or null before the first turn. */
export function turnAt(outline: TranscriptOutline, position: number): number | null {
  let lo = 0;
  let hi = outline.turns.length - 1;
  let found: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (outline.turns[mid]!.position <= position) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Turns, tool calls, errors and compactions of a whole rollout: one streaming pass that parses only the
 * lines it needs, time-sliced so main stays responsive on 100 MB files; cached per (path, size, mtime).
 */
export async function readTranscriptOutline(
  path: string,
  slicer: Slicer = createSlicer(),
): Promise<TranscriptOutline> {
  const hit = cachedOutline(path);
  if (hit) return hit;
  const inFlight = building.get(path);
  if (inFlight) return inFlight;
  const job = (async () => {
    const stat = statSync(path);
    const builder = createOutlineBuilder();
    const { sink, count } = positioned((position, buf, start, end) => {
      const type = lineTypeOf(buf, start, end);
      if (type !== null && SKIP_TYPES.has(type)) return;
      if (end - start > MAX_PARSED_LINE) return;
      builder.add(toTranscriptItem(position, decodeLine(buf, start, end), end - start));
    });
    await scanRolloutLines(path, 0, sink, slicer);
    const outline = builder.finish(count(), stat.size);
    cache.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, outline });
    while (cache.size > 8) cache.delete(cache.keys().next().value!);
    return outline;
  })();
  building.set(path, job);
  try {
    return await job;
  } finally {
    building.delete(path);
  }
}
