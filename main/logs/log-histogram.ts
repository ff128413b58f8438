import { LOG_LEVELS, type LogLevelCounts, type LogsHistogram } from '../../preload/contract/logs.ts';
import type { Slicer } from '../core/time-slice.ts';
import { filterConjuncts, joinWhere, splitMs, type ResolvedLogFilter } from './log-filter-sql.ts';
import { answersDirectly, type LogKey, type LogReader } from './log-reader.ts';

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

/** Rows per counting query: the first, and the limits of what the measured rate may choose. */
const FIRST_CHUNK_ROWS = 5_000;
const MIN_CHUNK_ROWS = 1_000;
const MAX_CHUNK_ROWS = 500_000;
/**
 * Each counting query aims at this much of a slice. Small, because a query now and then runs several
 * times slower than the rate measured just before it (20-25 ms stalls seen on a busy 2-core machine):
 * at 6 ms such a stall made blocks of 44-58 ms, at 3 ms 11-32 ms, for the same total time.
 */
const CHUNK_TARGET_MS = 3;

/**
 * Matching rows per (bucket, level) over the filter's range, else the table's, exact. Counted newest
 * first in chunks of a known number of rows (a walk of the time index sized by the rate measured), each
 * a few milliseconds, yielding whenever the slice is spent: millions of rows take seconds but never
 * block the loop for more than a slice.
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
  const direct = answersDirectly(filter, reader.shape);
  const where = joinWhere(filterConjuncts(filter, reader.shape, { indexed: direct }));
  const nanos = reader.shape.nanos;
  const bucketOf = `CAST((ts * 1000 + ${nanos} / 1000000 - ?) / ? AS INTEGER)`;
  const count = (lower: boolean) =>
    reader.db.prepare(
      `SELECT ${bucketOf} AS b, level, count(*) AS n FROM logs
       WHERE (ts, ${nanos}, id) < (?, ?, ?) ${lower ? `AND (ts, ${nanos}, id) >= (?, ?, ?)` : ''}
       AND ${where.sql} GROUP BY b, level`,
    );
  const bounded = count(true);
  const open = count(false);
  const floorTs = splitMs(start)[0];
  let total = 0;
  let upper: LogKey = reader.start(filter);
  let chunk = FIRST_CHUNK_ROWS;
  for (;;) {
    const t0 = performance.now();
    const lower = direct ? null : reader.boundary(upper, chunk);
    const keys = [upper.ts, upper.nanos, upper.id, ...(lower ? [lower.ts, lower.nanos, lower.id] : [])];
    const rows = (lower ? bounded : open).all(start, bucketMs, ...keys, ...where.params) as {
      b: number;
      level: string;
      n: number;
    }[];
    for (const r of rows) {
      const c = counts[r.b];
      if (!c) continue; // outside the range (the filter's own bounds already exclude these)
      if (isLevel(r.level)) c[r.level] += r.n;
      else c.other += r.n;
      total += r.n;
    }
    if (!lower || lower.ts < floorTs) break;
    upper = lower;
    const perRowMs = Math.max(1e-5, (performance.now() - t0) / chunk);
    chunk = Math.round(
      Math.min(chunk * 4, Math.max(MIN_CHUNK_ROWS, CHUNK_TARGET_MS / perRowMs), MAX_CHUNK_ROWS),
    );
    await slicer.maybeYield();
  }
  return { fromMs: start, toMs: start + n * bucketMs, bucketMs, counts, total };
}
