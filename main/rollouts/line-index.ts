import { closeSync, openSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';
import type { Slicer } from '../core/time-slice.ts';
import { CHUNK_SIZE } from './read-rollout.ts';

/** One mark per this many non-blank lines: ~8 KB of numbers for a million-line file. */
export const INDEX_STRIDE = 128;
const MAX_CACHED = 16;
const LF = 0x0a;

/**
 * Sparse index of a plain rollout: the byte offset of every INDEX_STRIDE-th non-blank line, so a page of
 * a 100 MB transcript is read from the nearest mark instead of from the start.
 */
export interface LineIndex {
  size: number;
  mtimeMs: number;
  /** marks[k] = byte offset of non-blank line number k * INDEX_STRIDE. */
  marks: number[];
  /** Non-blank newline-terminated lines. */
  lines: number;
  /** Offset just past the last newline scanned: where an extension continues. */
  scanned: number;
  /** The bytes after the last newline hold a non-blank (unterminated) line. */
  tailLine: boolean;
}

export function indexTotal(index: LineIndex): number {
  return index.lines + (index.tailLine ? 1 : 0);
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/** Newline scan from `index.scanned` to the end of the file, updating `index` in place. */
async function scanInto(fd: number, index: LineIndex, slicer: Slicer): Promise<void> {
  const buf = Buffer.allocUnsafe(CHUNK_SIZE);
  let pos = index.scanned;
  let lineStart = pos;
  let content = false;
  let { lines } = index;
  const { marks } = index;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) break;
    const view = n === buf.length ? buf : buf.subarray(0, n);
    let i = 0;
    for (;;) {
      const nl = view.indexOf(LF, i);
      if (!content) {
        const stop = nl === -1 ? n : nl;
        for (let j = i; j < stop; j++) {
          if (!isSpace(view[j])) {
            content = true;
            break;
          }
        }
      }
      if (nl === -1) break;
      if (content) {
        if (lines % INDEX_STRIDE === 0) marks.push(lineStart);
        lines++;
      }
      lineStart = pos + nl + 1;
      content = false;
      i = nl + 1;
    }
    pos += n;
    await slicer.maybeYield();
  }
  index.lines = lines;
  index.scanned = lineStart;
  index.tailLine = content;
  index.size = pos;
}

function endsWithNewline(fd: number, offset: number): boolean {
  if (offset === 0) return true;
  const one = Buffer.alloc(1);
  return readSync(fd, one, 0, 1, offset - 1) === 1 && one[0] === LF;
}

const cache = new Map<string, LineIndex>();
const building = new Map<string, Promise<LineIndex>>();

/**
 * The index for `path` as of `stat`, from the LRU when size and mtime still match, extended when the file
 * only grew (rollouts are append-only), rebuilt otherwise. Concurrent callers for one path share the work.
 */
export async function getLineIndex(path: string, stat: Stats, slicer: Slicer): Promise<LineIndex> {
  for (;;) {
    const inFlight = building.get(path);
    if (!inFlight) break;
    await inFlight.catch(() => undefined);
  }
  const cached = cache.get(path);
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) {
    cache.delete(path);
    cache.set(path, cached);
    return cached;
  }
  const job = buildIndex(path, stat, cached, slicer);
  building.set(path, job);
  try {
    const index = await job;
    cache.delete(path);
    cache.set(path, index);
    while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
    return index;
  } finally {
    building.delete(path);
  }
}

async function buildIndex(path: string, stat: Stats, cached: LineIndex | undefined, slicer: Slicer) {
  const fd = openSync(path, 'r');
  try {
    const grew = cached !== undefined && stat.size > cached.size && endsWithNewline(fd, cached.scanned);
    const index: LineIndex = grew
      ? { ...cached, marks: cached.marks.slice() }
      : { size: 0, mtimeMs: 0, marks: [], lines: 0, scanned: 0, tailLine: false };
    await scanInto(fd, index, slicer);
    index.mtimeMs = stat.mtimeMs;
    return index;
  } finally {
    closeSync(fd);
  }
}

/** For tests and memory pressure. */
export function clearLineIndexCache(): void {
  cache.clear();
}
