import type { Statement } from 'better-sqlite3';
import type { LogRecord, LogsPage, LogsTail } from '../../preload/contract/logs.ts';
import type { Db } from '../state/connection.ts';
import { filterConjuncts, joinWhere, toMs, type ResolvedLogFilter, type SqlPart } from './log-filter-sql.ts';
import { timeOrder, type LogTableShape } from './log-table.ts';

interface RawRow {
  id: number;
  ts: number;
  ts_nanos: number;
  level: string;
  target: string | null;
  message: string | null;
  module_path: string | null;
  file: string | null;
  line: number | null;
  thread_id: string | null;
  process_uuid: string | null;
}

const toRecord = (r: RawRow): LogRecord => ({
  id: r.id,
  ts: r.ts,
  tsNanos: r.ts_nanos,
  level: r.level,
  target: r.target ?? '',
  message: r.message,
  modulePath: r.module_path,
  file: r.file,
  line: r.line,
  threadId: r.thread_id,
  processUuid: r.process_uuid,
});

/** Keyset position: rows strictly older than `(ts, nanos, id)` come next. */
interface Key {
  ts: number;
  nanos: number;
  id: number;
}

const CURSOR = /^v1:(-?\d+):(-?\d+):(-?\d+)$/;
export const encodeLogCursor = (k: Key): string => `v1:${k.ts}:${k.nanos}:${k.id}`;
export function decodeLogCursor(s: string): Key | null {
  const m = CURSOR.exec(s);
  return m ? { ts: Number(m[1]), nanos: Number(m[2]), id: Number(m[3]) } : null;
}

export class LogCursorError extends Error {}

/** Work budget of one page: a rare filter over millions of rows answers in slices, never in one long block. */
export const PAGE_BUDGET_MS = 12;
const FIRST_WINDOW_S = 60;
const WINDOW_GROWTH = 4;
/** A tail call looks at no more than this many new ids (a long pause catches up over several calls). */
export const TAIL_SCAN_IDS = 50_000;

export interface LogRange {
  maxId: number;
  oldestMs: number | null;
  newestMs: number | null;
}

/**
 * Filtered reads of one `logs` table (ours, or Codex's through its detected shape). Pages walk the time
 * index newest-first in windows that grow ×4 from a minute; each page stops when full, when the range is
 * exhausted, or when its work budget is spent (then `searchedBackToMs` says how far it got and the cursor
 * continues from there). Statements are prepared once per distinct SQL.
 */
export class LogReader {
  private readonly statements = new Map<string, Statement<unknown[]>>();
  readonly db: Db;
  readonly shape: LogTableShape;
  private readonly order: string;

  constructor(db: Db, shape: LogTableShape) {
    this.db = db;
    this.shape = shape;
    this.order = timeOrder(shape, 'DESC');
  }

  private stmt(sql: string): Statement<unknown[]> {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size >= 128) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Highest row id (0 when empty): one B-tree seek. */
  maxId(): number {
    return this.stmt('SELECT coalesce(max(id), 0) FROM logs').pluck().get() as number;
  }

  range(): LogRange {
    const maxId = this.maxId();
    const edge = (dir: 'ASC' | 'DESC'): number | null => {
      const r = this.stmt(
        `SELECT ts, ${this.shape.nanos} AS n FROM logs ${timeOrder(this.shape, dir)} LIMIT 1`,
      ).get() as { ts: number; n: number } | undefined;
      return r ? toMs(r.ts, r.n) : null;
    };
    return { maxId, newestMs: edge('DESC'), oldestMs: edge('ASC') };
  }

  page(filter: ResolvedLogFilter, cursor: string | null, limit: number, budgetMs = PAGE_BUDGET_MS): LogsPage {
    const started = performance.now();
    const where = joinWhere(filterConjuncts(filter, this.shape));
    let upper: Key | null = cursor === null ? null : decodeLogCursor(cursor);
    if (cursor !== null && upper === null) throw new LogCursorError('not a logs cursor');
    const bounds = this.bounds(filter);
    if (!bounds) return { rows: [], nextCursor: null, searchedBackToMs: null };
    upper ??= { ts: bounds.newestTs + 1, nanos: 0, id: 0 };
    const rows: LogRecord[] = [];
    let span = FIRST_WINDOW_S;
    for (;;) {
      const need = limit - rows.length;
      const lo: number = this.shape.tsIndexed ? Math.max(bounds.oldestTs, upper.ts - span) : bounds.oldestTs;
      const got = this.window(where, lo, upper, need);
      for (const r of got) rows.push(toRecord(r));
      const last = got.at(-1);
      if (rows.length >= limit && last) {
        return {
          rows,
          nextCursor: encodeLogCursor({ ts: last.ts, nanos: last.ts_nanos, id: last.id }),
          searchedBackToMs: null,
        };
      }
      if (lo <= bounds.oldestTs) return { rows, nextCursor: null, searchedBackToMs: null };
      // Everything at or after `lo` is done: continue strictly before it.
      upper = { ts: lo, nanos: 0, id: 0 };
      span *= WINDOW_GROWTH;
      if (performance.now() - started >= budgetMs) {
        return { rows, nextCursor: encodeLogCursor(upper), searchedBackToMs: lo * 1000 };
      }
    }
  }

  /** Rows of `[lo, upper)` matching `where`, newest first. */
  private window(where: SqlPart, lo: number, upper: Key, limit: number): RawRow[] {
    const n = this.shape.nanos;
    const sql = `SELECT ${this.shape.select} FROM logs
      WHERE ts >= ? AND (ts, ${n}, id) < (?, ?, ?) AND ${where.sql} ${this.order} LIMIT ?`;
    return this.stmt(sql).all(lo, upper.ts, upper.nanos, upper.id, ...where.params, limit) as RawRow[];
  }

  /** The filter's time range clipped to the table's (whole seconds), or null when nothing can match. */
  private bounds(f: ResolvedLogFilter): { oldestTs: number; newestTs: number } | null {
    const ts = (dir: 'ASC' | 'DESC'): number | null =>
      (this.stmt(`SELECT ts FROM logs ORDER BY ts ${dir} LIMIT 1`).pluck().get() as number | undefined) ??
      null;
    const oldest = ts('ASC');
    const newest = ts('DESC');
    if (oldest === null || newest === null) return null;
    const oldestTs = Math.max(oldest, f.fromMs === undefined ? oldest : Math.floor(f.fromMs / 1000));
    const newestTs = Math.min(newest, f.toMs === undefined ? newest : Math.floor(f.toMs / 1000));
    return oldestTs > newestTs ? null : { oldestTs, newestTs };
  }

  /** Seed §4.5 tailing (`id > after`, ascending), bounded to TAIL_SCAN_IDS ids per call. */
  tail(filter: ResolvedLogFilter, afterId: number, limit: number): LogsTail {
    const where = joinWhere(filterConjuncts(filter, this.shape));
    const maxId = this.maxId();
    const until = Math.min(maxId, afterId + TAIL_SCAN_IDS);
    const got = this.stmt(
      `SELECT ${this.shape.select} FROM logs WHERE id > ? AND id <= ? AND ${where.sql} ORDER BY id ASC LIMIT ?`,
    ).all(afterId, until, ...where.params, limit + 1) as RawRow[];
    const full = got.length > limit;
    const rows = (full ? got.slice(0, limit) : got).map(toRecord);
    const lastId = full ? (rows.at(-1)?.id ?? afterId) : Math.max(afterId, until);
    return { rows, lastId, more: full || until < maxId };
  }
}
