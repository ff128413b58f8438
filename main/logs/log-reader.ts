import type { Statement } from 'better-sqlite3';
import type { LogRecord, LogsPage, LogsTail } from '../../preload/contract/logs.ts';
import type { Db } from '../state/connection.ts';
import {
  filterConjuncts,
  joinWhere,
  splitMs,
  toMs,
  type ResolvedLogFilter,
  type SqlPart,
} from './log-filter-sql.ts';
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
export interface LogKey {
  ts: number;
  nanos: number;
  id: number;
}

/**
 * A few threads are few rows (partition caps): their index answers directly. Anything else walks the
 * time index in windows (a table without one is read in one go).
 */
export const answersDirectly = (f: ResolvedLogFilter, shape: LogTableShape): boolean =>
  !shape.tsIndexed || ((f.threadIds?.length ?? 0) > 0 && !f.includeThreadless);

/** A cursor also carries the window size that fitted the budget, so the next call starts there. */
const CURSOR = /^v2:(-?\d+):(-?\d+):(-?\d+):(\d+)$/;
export const encodeLogCursor = (k: LogKey & { span: number }): string =>
  `v2:${k.ts}:${k.nanos}:${k.id}:${k.span}`;
export function decodeLogCursor(s: string): (LogKey & { span: number }) | null {
  const m = CURSOR.exec(s);
  if (!m) return null;
  const span = Number(m[4]);
  if (!Number.isSafeInteger(span) || span < MIN_WINDOW_ROWS || span > MAX_WINDOW_ROWS) return null;
  return { ts: Number(m[1]), nanos: Number(m[2]), id: Number(m[3]), span };
}

export class LogCursorError extends Error {}

/** Work budget of one page: a rare filter over millions of rows answers in slices, never in one long block. */
export const PAGE_BUDGET_MS = 12;
/** Rows per window: the first, and the limits of what the measured rate may choose. */
const FIRST_WINDOW_ROWS = 2_000;
const MIN_WINDOW_ROWS = 500;
const MAX_WINDOW_ROWS = 1_000_000;

/** A tail call looks at no more than this many new ids (a long pause catches up over several calls). */
export const TAIL_SCAN_IDS = 20_000;

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
    const at = cursor === null ? null : decodeLogCursor(cursor);
    if (cursor !== null && at === null) throw new LogCursorError('not a logs cursor');
    let upper: LogKey = at ?? this.start(filter);
    // Windows hold a known number of rows, sized to the budget by the rate measured.
    const direct = answersDirectly(filter, this.shape);
    const where = joinWhere(filterConjuncts(filter, this.shape, { indexed: direct }));
    const floor = filter.fromMs === undefined ? -Infinity : splitMs(filter.fromMs)[0];
    const rows: LogRecord[] = [];
    let span = at?.span ?? FIRST_WINDOW_ROWS;
    for (;;) {
      const t0 = performance.now();
      const lower = direct ? null : this.boundary(upper, span);
      const got = this.window(where, upper, lower, limit - rows.length);
      for (const r of got) rows.push(toRecord(r));
      const last = got.at(-1);
      if (rows.length >= limit && last) {
        const next = { ts: last.ts, nanos: last.ts_nanos, id: last.id, span };
        return { rows, nextCursor: encodeLogCursor(next), searchedBackToMs: null };
      }
      if (!lower || lower.ts < floor) return { rows, nextCursor: null, searchedBackToMs: null };
      // Everything from `lower` up is done: continue strictly before it, with a window sized to what
      // is left of the budget at the rate this one ran (grown at most 4x, never below the minimum).
      upper = lower;
      const now = performance.now();
      const perRowMs = Math.max(1e-5, (now - t0) / span);
      const left = started + budgetMs - now;
      span = Math.round(
        Math.min(span * 4, Math.max(MIN_WINDOW_ROWS, (0.8 * left) / perRowMs), MAX_WINDOW_ROWS),
      );
      if (left <= 0) {
        return {
          rows,
          nextCursor: encodeLogCursor({ ...lower, span }),
          searchedBackToMs: toMs(lower.ts, lower.nanos),
        };
      }
    }
  }

  /** Where a page starts: just after the filter's end, or after the newest row. */
  start(f: ResolvedLogFilter): LogKey {
    if (f.toMs !== undefined) {
      const [ts, nanos] = splitMs(f.toMs);
      return { ts, nanos: nanos + 1_000_000, id: 0 };
    }
    const newest = this.stmt(`SELECT ts FROM logs ${this.order} LIMIT 1`).pluck().get() as number | undefined;
    return { ts: (newest ?? 0) + 1, nanos: 0, id: 0 };
  }

  /** The key of the `n`-th row before `upper` (an index-only walk), or null when fewer rows are left. */
  boundary(upper: LogKey, n: number): LogKey | null {
    const r = this.stmt(
      `SELECT ts, ${this.shape.nanos} AS nanos, id FROM logs WHERE (ts, ${this.shape.nanos}, id) < (?, ?, ?)
       ${this.order} LIMIT 1 OFFSET ?`,
    ).get(upper.ts, upper.nanos, upper.id, n - 1) as LogKey | undefined;
    return r ?? null;
  }

  /** Rows in `[lower, upper)` (no lower bound when null) matching `where`, newest first. */
  private window(where: SqlPart, upper: LogKey, lower: LogKey | null, limit: number): RawRow[] {
    const n = this.shape.nanos;
    const low = lower ? `AND (ts, ${n}, id) >= (?, ?, ?)` : '';
    const sql = `SELECT ${this.shape.select} FROM logs
      WHERE (ts, ${n}, id) < (?, ?, ?) ${low} AND ${where.sql} ${this.order} LIMIT ?`;
    const lowArgs = lower ? [lower.ts, lower.nanos, lower.id] : [];
    return this.stmt(sql).all(
      upper.ts,
      upper.nanos,
      upper.id,
      ...lowArgs,
      ...where.params,
      limit,
    ) as RawRow[];
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
