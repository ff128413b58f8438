import { LOG_LEVELS, type LogLevelCounts, type LogsHistogram } from '../../preload/contract/logs.ts';
import type { Slicer } from '../core/time-slice.ts';
import { filterConjuncts, joinWhere, splitMs, type ResolvedLogFilter } from './log-filter-sql.ts';
import type { LogReader } from './log-reader.ts';

/** Bucket widths a person reads at a glance. */
const NICE_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

export const niceBucketMs = (spanMs: number, buckets: number): number => {
  const raw = spanMs / buckets;
  return NICE_MS.find((n) => n >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000;
};

const emptyCounts = (): LogLevelCounts => ({ TRACE: 0, DEBUG: 0, INFO: 0, WARN: 0, ERROR: 0, other: 0 });
const isLevel = (s: string): s is (typeof LOG_LEVELS)[number] =>
  (LOG_LEVELS as readonly string[]).includes(s);

/**
 * Matching rows per (bucket, level) over the filter's range, else the table's. Bucket edges are
 * aligned to the bucket width. Counted one bucket per query over the time index, yielding between
 * queries when the slice is spent, so a large table never blocks the loop for the whole count.
 */
export async function logHistogram(
  reader: LogReader,
  filter: ResolvedLogFilter,
  buckets: number,
  slicer: Slicer,
): Promise<LogsHistogram> {
  const range = reader.range();
  const from = filter.fromMs ?? range.oldestMs;
  const to = filter.toMs ?? range.newestMs;
  if (from === null || to === null || to < from) {
    const now = Date.now();
    return { fromMs: now - 3_600_000, toMs: now, bucketMs: 60_000, counts: [], total: 0 };
  }
  const bucketMs = niceBucketMs(Math.max(1, to - from + 1), buckets);
  const start = Math.floor(from / bucketMs) * bucketMs;
  const n = Math.max(1, Math.ceil((to + 1 - start) / bucketMs));
  const counts = Array.from({ length: n }, emptyCounts);
  // The filter's own range is applied per bucket instead (exact to the millisecond at both ends).
  const where = joinWhere(filterConjuncts(filter, reader.shape));
  const nanos = reader.shape.nanos;
  const count = reader.db.prepare(
    `SELECT level, count(*) AS n FROM logs
     WHERE (ts, ${nanos}) >= (?, ?) AND (ts, ${nanos}) < (?, ?) AND ${where.sql} GROUP BY level`,
  );
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lo = splitMs(start + i * bucketMs);
    const hi = splitMs(start + (i + 1) * bucketMs);
    const c = counts[i] ?? emptyCounts();
    for (const r of count.all(...lo, ...hi, ...where.params) as { level: string; n: number }[]) {
      if (isLevel(r.level)) c[r.level] += r.n;
      else c.other += r.n;
      total += r.n;
    }
    await slicer.maybeYield();
  }
  return { fromMs: start, toMs: start + n * bucketMs, bucketMs, counts, total };
}
