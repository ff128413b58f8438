import type { LogRecord } from '../../../preload/contract/index.ts';

type Ordered = Pick<LogRecord, 'id' | 'ts' | 'tsNanos'>;

/** The table's order, the server's: newest first by (ts, ts_nanos, id). Negative when `a` comes first. */
export function newestFirst(a: Ordered, b: Ordered): number {
  return b.ts - a.ts || b.tsNanos - a.tsNanos || b.id - a.id;
}

/**
 * The live rows after a tail page: `incoming` (oldest first, as `logs:tail` returns them) merged into
 * `live` (newest first), without duplicates. Rows usually arrive in time order, so this is a prepend;
 * a late row (an older timestamp committed later) still lands in its place.
 */
export function mergeTail(live: readonly LogRecord[], incoming: readonly LogRecord[]): LogRecord[] {
  if (incoming.length === 0) return live as LogRecord[];
  const seen = new Set(live.map((r) => r.id));
  const fresh: LogRecord[] = [];
  for (const row of incoming) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    fresh.push(row);
  }
  if (fresh.length === 0) return live as LogRecord[];
  fresh.sort(newestFirst);
  return mergeSorted(fresh, live, new Set());
}

/** Two newest-first lists merged into one, skipping ids in `skip` and ids already taken. */
function mergeSorted(a: readonly LogRecord[], b: readonly LogRecord[], skip: Set<number>): LogRecord[] {
  const out: LogRecord[] = [];
  let i = 0;
  let j = 0;
  const take = (row: LogRecord): void => {
    if (skip.has(row.id)) return;
    skip.add(row.id);
    out.push(row);
  };
  while (i < a.length && j < b.length) {
    if (newestFirst(a[i]!, b[j]!) <= 0) take(a[i++]!);
    else take(b[j++]!);
  }
  while (i < a.length) take(a[i++]!);
  while (j < b.length) take(b[j++]!);
  return out;
}

/**
 * What the table shows: the live rows (tailed since the first page was read) over the paged query
 * result. Rows committed between the status read and the query come from both sides: each id once.
 */
export function combineRows(
  live: readonly LogRecord[],
  pages: readonly (readonly LogRecord[])[],
): LogRecord[] {
  return mergeSorted(live, pages.length === 1 ? pages[0]! : pages.flat(), new Set());
}

/**
 * Rows the tail has not fetched yet, as far as the source's max id tells (`logs:appended`): an upper
 * bound when filters hide some of them.
 */
export function pendingCount(latestMaxId: number, cursor: number): number {
  return Math.max(0, latestMaxId - cursor);
}
