import { statSync } from 'node:fs';
import type { TranscriptItem } from '../../preload/contract/threads.ts';
import { createSlicer } from '../core/time-slice.ts';
import type { Slicer } from '../core/time-slice.ts';
import { getLineIndex, INDEX_STRIDE, indexTotal } from './line-index.ts';
import type { LineSink } from './line-splitter.ts';
import { decodeLine, isCompressedRollout, scanRolloutLines } from './read-rollout.ts';
import { toTranscriptItem } from './transcript-item.ts';

export interface TranscriptPageResult {
  items: TranscriptItem[];
  /** Position of the first item requested. */
  offset: number;
  /** Non-blank lines in the file (an unterminated last line included). */
  total: number;
  fileSize: number;
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** Line totals of `.zst` files, which cannot be indexed by byte offset: lets a later page stop early. */
const compressedTotals = new Map<string, { size: number; mtimeMs: number; total: number }>();

/**
 * Collects the non-blank lines with positions in [offset, offset + limit), counting positions from
 * `firstPosition` for the first line delivered.
 */
function pageCollector(offset: number, limit: number, firstPosition: number) {
  const items: TranscriptItem[] = [];
  let position = firstPosition;
  const sink: LineSink = (buf, start, end) => {
    while (start < end && isSpace(buf[start])) start++;
    while (end > start && isSpace(buf[end - 1])) end--;
    if (start === end) return;
    if (position >= offset && items.length < limit) {
      items.push(toTranscriptItem(position, decodeLine(buf, start, end), end - start));
    }
    position++;
  };
  return { items, sink, count: () => position, full: () => items.length >= limit };
}

/**
 * One page of a rollout's transcript by line position. Plain files go through a cached sparse line index,
 * so only the requested lines are read and parsed, whatever the file size.
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
  const mark = Math.floor(start / INDEX_STRIDE);
  const collector = pageCollector(start, want, mark * INDEX_STRIDE);
  await scanRolloutLines(path, index.marks[mark] ?? 0, collector.sink, slicer, collector.full);
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
  const total = cachedTotal ?? collector.count();
  compressedTotals.set(path, { size: fileSize, mtimeMs, total });
  if (compressedTotals.size > 16) compressedTotals.delete(compressedTotals.keys().next().value!);
  return { items: collector.items, offset: start, total, fileSize };
}
