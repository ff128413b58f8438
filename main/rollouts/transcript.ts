import { statSync } from 'node:fs';
import type { TranscriptItem } from '../../preload/contract/transcript.ts';
import { createSlicer } from '../core/time-slice.ts';
import type { Slicer } from '../core/time-slice.ts';
import { getLineIndex, INDEX_STRIDE, indexTotal } from './line-index.ts';
import { decodeLine, isCompressedRollout, scanRolloutLines } from './read-rollout.ts';
import { toTranscriptItem } from './transcript-item.ts';
import { positioned, rawCallId, rawRole } from './transcript-lines.ts';
import { mergeResults } from './transcript-tools.ts';

/**
 * A tool output is drawn inside its call's card when it comes at most this many lines after the call;
 * the page reader looks this far before and after the page to pair across page edges.
 */
export const PAIR_WINDOW = 64;

export interface TranscriptPageResult {
  items: TranscriptItem[];
  /** Position of the first item requested. */
  offset: number;
  /** Non-blank lines in the file (an unterminated last line included). */
  total: number;
  fileSize: number;
}

/** Line totals of `.zst` files, which cannot be indexed by byte offset: lets a later page stop early. */
const compressedTotals = new Map<string, { size: number; mtimeMs: number; total: number }>();

/**
 * Collects the page's items, plus what pairing needs from the lines around it: calls just before the
 * page (by call id, from the raw bytes) and results just after it (parsed only when they match a call).
 */
function pageCollector(offset: number, limit: number, firstPosition: number) {
  const items: TranscriptItem[] = [];
  const before = new Map<string, number>();
  const after: TranscriptItem[] = [];
  const pageEnd = offset + limit;
  const windowEnd = pageEnd + PAIR_WINDOW;
  let openCalls: Set<string> | null = null;
  const { sink, count } = positioned((position, buf, start, end) => {
    if (position < offset - PAIR_WINDOW || position >= windowEnd) return;
    if (position < offset) {
      if (rawRole(buf, start, end) !== 'call') return;
      const id = rawCallId(buf, start, end);
      if (id !== null) before.set(id, position);
    } else if (position < pageEnd) {
      items.push(toTranscriptItem(position, decodeLine(buf, start, end), end - start));
    } else {
      openCalls ??= new Set(items.flatMap((i) => (i.kind === 'tool_call' && i.callId ? [i.callId] : [])));
      if (openCalls.size === 0 || rawRole(buf, start, end) !== 'result') return;
      const id = rawCallId(buf, start, end);
      if (id !== null && openCalls.has(id))
        after.push(toTranscriptItem(position, decodeLine(buf, start, end), end - start));
    }
  }, firstPosition);
  return {
    items,
    sink,
    count,
    full: () => count() >= windowEnd,
    pair: () => pairResults(items, before, after),
  };
}

/** Folds outputs into the card of their call (within PAIR_WINDOW lines) and hides the folded lines. */
function pairResults(items: TranscriptItem[], before: Map<string, number>, after: TranscriptItem[]): void {
  const calls = new Map<string, Extract<TranscriptItem, { kind: 'tool_call' }>>();
  for (const item of [...items, ...after]) {
    if (item.kind === 'tool_call' && item.callId) {
      calls.set(item.callId, item);
      continue;
    }
    if (item.kind !== 'tool_output' || !item.callId) continue;
    const call = calls.get(item.callId);
    const callPosition = call?.position ?? before.get(item.callId);
    if (callPosition === undefined || item.position - callPosition > PAIR_WINDOW) continue;
    if (call) call.result = mergeResults(call.result, item.result);
    item.pairedWith = callPosition;
    item.hidden = true;
  }
}

/**
 * One page of a rollout's transcript by line position. Plain files go through a cached sparse line index,
 * so only the requested lines (and a few around them, for pairing) are read, whatever the file size.
 */
export async function readTranscriptPage(
  path: string,
  offset: number,
  limit: number,
  slicer: Slicer = createSlicer(),
): Promise<TranscriptPageResult> {
  const stat = statSync(path);
  const start = Math.max(0, Math.floor(offset));
  const want = Math.max(0, Math.floor(limit));
  if (isCompressedRollout(path))
    return readCompressedPage(path, start, want, stat.size, stat.mtimeMs, slicer);

  const index = await getLineIndex(path, stat, slicer);
  const total = indexTotal(index);
  const page = { offset: start, total, fileSize: stat.size };
  if (start >= total || want === 0) return { items: [], ...page };
  const mark = Math.floor(Math.max(0, start - PAIR_WINDOW) / INDEX_STRIDE);
  const collector = pageCollector(start, want, mark * INDEX_STRIDE);
  await scanRolloutLines(path, index.marks[mark] ?? 0, collector.sink, slicer, collector.full);
  collector.pair();
  return { items: collector.items, ...page };
}

async function readCompressedPage(
  path: string,
  start: number,
  want: number,
  fileSize: number,
  mtimeMs: number,
  slicer: Slicer,
): Promise<TranscriptPageResult> {
  const known = compressedTotals.get(path);
  const cachedTotal = known && known.size === fileSize && known.mtimeMs === mtimeMs ? known.total : null;
  if (cachedTotal !== null && (start >= cachedTotal || want === 0)) {
    return { items: [], offset: start, total: cachedTotal, fileSize };
  }
  const collector = pageCollector(start, want, 0);
  // Without a cached total the whole stream must be counted; with one, stop once the page is full.
  const stop = cachedTotal !== null ? collector.full : undefined;
  await scanRolloutLines(path, 0, collector.sink, slicer, stop);
  collector.pair();
  const total = cachedTotal ?? collector.count();
  compressedTotals.set(path, { size: fileSize, mtimeMs, total });
  if (compressedTotals.size > 16) compressedTotals.delete(compressedTotals.keys().next().value!);
  return { items: collector.items, offset: start, total, fileSize };
}
