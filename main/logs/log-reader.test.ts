import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../preload/contract/logs.ts';
import type { Db } from '../state/connection.ts';
import { toLogRow, type LogEntry } from './log-entry.ts';
import { filterConjuncts, joinWhere, type ResolvedLogFilter } from './log-filter-sql.ts';
import { LogInserter } from './log-inserter.ts';
import { decodeLogCursor, LogCursorError, LogReader, TAIL_SCAN_IDS } from './log-reader.ts';
import { FULL_LOG_SHAPE } from './log-table.ts';
import { tempLogsDb } from './logs-test-support.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const T0 = 1_800_000_000;
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** 3,000 rows over ~5 days (inserted out of time order), 3 threads + threadless, 2 processes. */
function seeded(): { db: Db; reader: LogReader; rows: LogEntry[] } {
  const t = tempLogsDb();
  cleanups.push(t.cleanup);
  const rows: LogEntry[] = Array.from({ length: 3_000 }, (_, i) => ({
    // Interleaved so id order differs from time order.
    ts: T0 + ((i * 7_919) % 3_000) * 144,
    tsNanos: ((i * 13) % 1_000) * 1_000_000,
    level: LEVELS[i % 5] ?? 'INFO',
    target: i % 10 === 0 ? 'codex_core::exec' : 'threadscope::ingest',
    message: i % 500 === 7 ? `rare Needle_% ${i}` : `row ${i}`,
    modulePath: i % 10 === 0 ? 'codex_core/src/exec.rs' : 'main/ingest/ingest-service.ts',
    threadId: i % 4 === 3 ? null : `thread-${i % 4}`,
    processUuid: i % 2 ? 'pid:1:a' : 'pid:2:b',
  }));
  // No caps: this suite is about reading.
  new LogInserter(t.db, null).insert(rows.map(toLogRow));
  return { db: t.db, reader: new LogReader(t.db, FULL_LOG_SHAPE), rows };
}

const key = (r: { ts: number; tsNanos: number; id?: number }): number => r.ts * 1e9 + r.tsNanos;
const newestFirst = (a: LogRecord, b: LogRecord): number => key(b) - key(a) || b.id - a.id;

/** The expected result by brute force over every row. */
function expected(db: Db, pred: (r: LogRecord) => boolean): LogRecord[] {
  const reader = new LogReader(db, FULL_LOG_SHAPE);
  return reader.tail({}, 0, 100_000).rows.filter(pred).sort(newestFirst);
}

/** Every page until the end, with a small budget so windows and budget cut-offs are exercised. */
function allPages(reader: LogReader, f: ResolvedLogFilter, limit: number, budgetMs = 12): LogRecord[] {
  const out: LogRecord[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10_000; i++) {
    const p = reader.page(f, cursor, limit, budgetMs);
    out.push(...p.rows);
    if (p.rows.length < limit) expect(p.nextCursor === null || p.searchedBackToMs !== null).toBe(true);
    if (!p.nextCursor) return out;
    cursor = p.nextCursor;
  }
  throw new Error('paging did not end');
}

describe('LogReader.page', () => {
  it('pages every row newest first by (ts, ts_nanos, id) with no gaps or repeats', () => {
    const { db, reader } = seeded();
    const want = expected(db, () => true);
    expect(allPages(reader, {}, 200).map((r) => r.id)).toEqual(want.map((r) => r.id));
    // A zero budget still makes progress (one window per call) and ends with the same rows.
    expect(allPages(reader, {}, 200, 0).map((r) => r.id)).toEqual(want.map((r) => r.id));
  });

  it.each<[string, ResolvedLogFilter, (r: LogRecord) => boolean]>([
    ['minimum level', { minLevel: 'WARN' }, (r) => r.level === 'WARN' || r.level === 'ERROR'],
    [
      'thread ids',
      { threadIds: ['thread-1', 'thread-2'] },
      (r) => r.threadId === 'thread-1' || r.threadId === 'thread-2',
    ],
    [
      'thread ids with threadless',
      { threadIds: ['thread-0'], includeThreadless: true },
      (r) => r.threadId === 'thread-0' || r.threadId === null,
    ],
    ['process', { process: 'pid:1:a' }, (r) => r.processUuid === 'pid:1:a'],
    ['threadless only', { includeThreadless: true }, (r) => r.threadId === null],
    [
      'target or module substring, any case',
      { target: 'CODEX_CORE' },
      (r) => r.target === 'codex_core::exec',
    ],
    [
      'text with LIKE wildcards taken literally',
      { text: 'needle_%' },
      (r) => (r.message ?? '').includes('Needle_%'),
    ],
    [
      'time range, inclusive to the millisecond',
      { fromMs: (T0 + 144 * 100) * 1000 + 5, toMs: (T0 + 144 * 900) * 1000 },
      (r) => key(r) >= (T0 + 144 * 100) * 1e9 + 5e6 && key(r) <= (T0 + 144 * 900) * 1e9 + 999_999,
    ],
    [
      'everything at once',
      {
        minLevel: 'DEBUG',
        threadIds: ['thread-0', 'thread-2'],
        process: 'pid:2:b',
        target: 'ingest',
        text: 'row',
      },
      (r) =>
        r.level !== 'TRACE' &&
        (r.threadId === 'thread-0' || r.threadId === 'thread-2') &&
        r.processUuid === 'pid:2:b' &&
        r.target.includes('ingest') &&
        (r.message ?? '').includes('row'),
    ],
  ])('filters by %s exactly like a scan of every row', (_name, filter, pred) => {
    const { db, reader } = seeded();
    const want = expected(db, pred);
    expect(want.length).toBeGreaterThan(0);
    expect(allPages(reader, filter, 50).map((r) => r.id)).toEqual(want.map((r) => r.id));
  });

  it('returns the whole row with its columns mapped', () => {
    const { reader } = seeded();
    const [r] = reader.page({ text: 'rare Needle_% 7' }, null, 1).rows;
    expect(r).toMatchObject({
      message: 'rare Needle_% 7',
      level: 'INFO',
      target: 'threadscope::ingest',
      modulePath: 'main/ingest/ingest-service.ts',
      threadId: null,
      processUuid: 'pid:1:a',
      line: null,
    });
  });

  it('answers an empty table and an empty range with no rows and no cursor', () => {
    const t = tempLogsDb();
    cleanups.push(t.cleanup);
    expect(new LogReader(t.db, FULL_LOG_SHAPE).page({}, null, 10)).toEqual({
      rows: [],
      nextCursor: null,
      searchedBackToMs: null,
    });
    const { reader } = seeded();
    expect(reader.page({ fromMs: (T0 + 10 * 86_400) * 1000 }, null, 10).rows).toEqual([]);
  });

  it('rejects a cursor it did not make', () => {
    const { reader } = seeded();
    expect(() => reader.page({}, 'v0:nonsense', 10)).toThrow(LogCursorError);
    expect(decodeLogCursor('v2:1:2:3:2000')).toEqual({ ts: 1, nanos: 2, id: 3, span: 2000 });
    expect(decodeLogCursor('v2:1:2:3:99999999')).toBeNull(); // a window size no page would choose
  });

  it('walks the time index for windowed filters and the thread index for thread filters (EXPLAIN QUERY PLAN)', () => {
    const { db } = seeded();
    const plan = (filter: ResolvedLogFilter, indexed: boolean): string => {
      const where = joinWhere(filterConjuncts(filter, FULL_LOG_SHAPE, { indexed }));
      const rows = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM logs WHERE (ts, ts_nanos, id) < (?, ?, ?) AND (ts, ts_nanos, id) >= (?, ?, ?)
           AND ${where.sql} ORDER BY ts DESC, ts_nanos DESC, id DESC LIMIT 200`,
        )
        .all(2e9, 0, 0, 0, 0, 0, ...where.params) as { detail: string }[];
      return rows.map((p) => p.detail).join('\n');
    };
    for (const f of [
      { minLevel: 'WARN' },
      { process: 'pid:1:a' },
      { threadIds: ['t'], includeThreadless: true },
    ] as const) {
      const text = plan(f, false);
      expect(text).toContain('idx_logs_ts');
      expect(text).not.toContain('TEMP B-TREE');
    }
    expect(plan({ threadIds: ['thread-1'] }, true)).toContain('idx_logs_thread_id_ts');
  });
});

describe('LogReader.tail', () => {
  it('returns rows after an id in id order, in bounded steps with `more`', () => {
    const { reader } = seeded();
    const first = reader.tail({ minLevel: 'ERROR' }, 2_000, 100);
    expect(first.rows.every((r) => r.id > 2_000 && r.level === 'ERROR')).toBe(true);
    expect(first.rows.map((r) => r.id)).toEqual([...first.rows.map((r) => r.id)].sort((a, b) => a - b));
    expect(first.rows).toHaveLength(100);
    expect(first.more).toBe(true);
    const second = reader.tail({ minLevel: 'ERROR' }, first.lastId, 1_000);
    expect(second.more).toBe(false);
    expect(second.lastId).toBe(3_000);
    expect(first.rows.length + second.rows.length).toBe(200); // every fifth of ids 2001..3000
    expect(reader.tail({}, 3_000, 10)).toEqual({ rows: [], lastId: 3_000, more: false });
  });

  it(`looks at no more than ${TAIL_SCAN_IDS} ids per call, so a long pause catches up in steps`, () => {
    const t = tempLogsDb();
    cleanups.push(t.cleanup);
    const n = TAIL_SCAN_IDS + 10;
    t.db
      .prepare(
        `WITH RECURSIVE k(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM k WHERE v < ${n})
       INSERT INTO logs (ts, ts_nanos, level, target, message) SELECT ${T0}, v, 'INFO', 't', 'm' || v FROM k`,
      )
      .run();
    const reader = new LogReader(t.db, FULL_LOG_SHAPE);
    const step = reader.tail({ text: 'absent' }, 0, 10);
    expect(step).toEqual({ rows: [], lastId: TAIL_SCAN_IDS, more: true });
    expect(reader.tail({ text: 'absent' }, step.lastId, 10)).toEqual({ rows: [], lastId: n, more: false });
  });
});
