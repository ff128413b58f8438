import type { Statement } from 'better-sqlite3';
import type { Db } from '../state/connection.ts';
import type { LogRow } from './log-entry.ts';

/** Per-partition caps (seed §4.4): a partition keeps its newest rows within both limits. */
export interface LogCaps {
  maxBytes: number;
  maxRows: number;
  /**
   * Hysteresis, off (0) by default: prune a partition only once it holds more than `maxRows + slackRows`
   * rows, then back to exactly `maxRows` — fewer, larger deletes, but readers may then see up to
   * `slackRows` extra old rows. 0 is the seed's exact behaviour. The byte cap is always exact.
   */
  slackRows?: number;
}

export const DEFAULT_LOG_CAPS: LogCaps = { maxBytes: 10 * 1024 * 1024, maxRows: 1_000 };
export const DEFAULT_LOG_RETENTION_DAYS = 10;

/** Seed §4.4 partitions: per thread; threadless rows per process; threadless rows without a process. */
export const partitionKeyOf = (r: Pick<LogRow, 'threadId' | 'processUuid'>): string =>
  r.threadId !== null ? `t:${r.threadId}` : r.processUuid !== null ? `p:${r.processUuid}` : 'n';

/** The same key in SQL, for grouping existing rows. */
const PARTITION_KEY_SQL = `CASE WHEN thread_id IS NOT NULL THEN 't:' || thread_id
  WHEN process_uuid IS NOT NULL THEN 'p:' || process_uuid ELSE 'n' END`;

const OLDEST_FIRST = 'ORDER BY ts ASC, ts_nanos ASC, id ASC';
const PARTITION_WHERE = {
  t: 'thread_id = ?',
  p: 'thread_id IS NULL AND process_uuid = ?',
  n: 'thread_id IS NULL AND process_uuid IS NULL',
} as const;
type Kind = keyof typeof PARTITION_WHERE;

interface Usage {
  row_count: number;
  byte_count: number;
}

/**
 * Enforces the caps inside the caller's insert transaction. Each partition's running row count and bytes
 * live in `log_partition_usage`, so a batch costs one upsert per touched partition; only a partition over
 * a cap is pruned, by deleting its oldest rows up to the boundary (an index walk from the old end that
 * stops there), never a window over the whole partition.
 */
export class LogCapEnforcer {
  private readonly bump;
  private readonly settle;
  private readonly drop;
  private readonly oldest: Record<Kind, Statement<unknown[]>>;
  private readonly deleteOldest: Record<Kind, Statement<unknown[]>>;

  readonly caps: LogCaps;
  private readonly maxRowsBeforePrune: number;

  constructor(db: Db, caps: LogCaps = DEFAULT_LOG_CAPS) {
    this.caps = caps;
    this.maxRowsBeforePrune = caps.maxRows + Math.max(0, caps.slackRows ?? 0);
    this.bump = db.prepare(
      `INSERT INTO log_partition_usage (partition_key, row_count, byte_count) VALUES (?, ?, ?)
       ON CONFLICT (partition_key) DO UPDATE SET row_count = row_count + excluded.row_count,
         byte_count = byte_count + excluded.byte_count
       RETURNING row_count, byte_count`,
    );
    this.settle = db.prepare(
      'UPDATE log_partition_usage SET row_count = ?, byte_count = ? WHERE partition_key = ?',
    );
    this.drop = db.prepare('DELETE FROM log_partition_usage WHERE partition_key = ?');
    const each = (f: (where: string) => string): Record<Kind, Statement<unknown[]>> => ({
      t: db.prepare(f(PARTITION_WHERE.t)),
      p: db.prepare(f(PARTITION_WHERE.p)),
      n: db.prepare(f(PARTITION_WHERE.n)),
    });
    this.oldest = each((w) => `SELECT estimated_bytes AS b FROM logs WHERE ${w} ${OLDEST_FIRST}`);
    this.deleteOldest = each(
      (w) =>
        `DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE ${w} ${OLDEST_FIRST} LIMIT ?) RETURNING estimated_bytes AS b`,
    );
  }

  /** Call inside the transaction that inserted `rows`, after the insert. */
  apply(rows: readonly LogRow[]): void {
    const added = new Map<string, { rows: number; bytes: number; sample: LogRow }>();
    for (const r of rows) {
      const key = partitionKeyOf(r);
      const a = added.get(key);
      if (a) {
        a.rows++;
        a.bytes += r.estimatedBytes;
      } else added.set(key, { rows: 1, bytes: r.estimatedBytes, sample: r });
    }
    for (const [key, a] of added) {
      const u = this.bump.get(key, a.rows, a.bytes) as Usage;
      if (u.row_count > this.maxRowsBeforePrune || u.byte_count > this.caps.maxBytes)
        this.prune(key, a.sample, u);
    }
  }

  private prune(key: string, sample: LogRow, u: Usage): void {
    const kind: Kind = sample.threadId !== null ? 't' : sample.processUuid !== null ? 'p' : 'n';
    const args: unknown[] = kind === 't' ? [sample.threadId] : kind === 'p' ? [sample.processUuid] : [];
    let n = u.row_count - this.caps.maxRows;
    if (u.byte_count > this.caps.maxBytes) {
      // Walk from the oldest row until what remains fits both caps (the newest prefix the seed keeps).
      let rows = u.row_count;
      let bytes = u.byte_count;
      n = 0;
      for (const r of this.oldest[kind].iterate(...args) as Iterable<{ b: number }>) {
        if (rows <= this.caps.maxRows && bytes <= this.caps.maxBytes) break;
        rows--;
        bytes -= r.b;
        n++;
      }
    }
    if (n <= 0) return;
    const deleted = this.deleteOldest[kind].all(...args, n) as { b: number }[];
    const rows = u.row_count - deleted.length;
    const bytes = u.byte_count - deleted.reduce((s, r) => s + r.b, 0);
    if (rows === 0) this.drop.run(key);
    else this.settle.run(rows, bytes, key);
  }
}

/**
 * Retention (seed §4.3, run once at start-up): deletes rows with `ts < cutoffTs` and takes them off the
 * partition usage in the same transaction. Returns the number of rows deleted.
 */
export function pruneOlderThan(db: Db, cutoffTs: number): number {
  return db.transaction(() => {
    const gone = db
      .prepare(
        `SELECT ${PARTITION_KEY_SQL} AS k, count(*) AS n, coalesce(sum(estimated_bytes), 0) AS b
         FROM logs WHERE ts < ? GROUP BY k`,
      )
      .all(cutoffTs) as { k: string; n: number; b: number }[];
    if (gone.length === 0) return 0;
    const deleted = db.prepare('DELETE FROM logs WHERE ts < ?').run(cutoffTs).changes;
    const sub = db.prepare(
      'UPDATE log_partition_usage SET row_count = row_count - ?, byte_count = byte_count - ? WHERE partition_key = ?',
    );
    for (const g of gone) sub.run(g.n, g.b, g.k);
    db.prepare('DELETE FROM log_partition_usage WHERE row_count <= 0').run();
    return deleted;
  })();
}

/** Start-up retention: rows older than `days` (default 10) before `nowMs` are deleted. */
export const applyLogRetention = (db: Db, days = DEFAULT_LOG_RETENTION_DAYS, nowMs = Date.now()): number =>
  pruneOlderThan(db, Math.floor(nowMs / 1000) - Math.round(days * 86_400));

/** Recomputes the usage table from `logs` (for tests and repair). */
export function partitionUsageFromLogs(db: Db): Map<string, Usage> {
  const rows = db
    .prepare(
      `SELECT ${PARTITION_KEY_SQL} AS k, count(*) AS row_count, sum(estimated_bytes) AS byte_count FROM logs GROUP BY k`,
    )
    .all() as (Usage & { k: string })[];
  return new Map(rows.map((r) => [r.k, { row_count: r.row_count, byte_count: r.byte_count }]));
}
