import { describe, expect, it } from 'vitest';
import { noYield } from '../core/time-slice.ts';
import { toLogRow, type LogEntry } from '../logs/log-entry.ts';
import { LogInserter } from '../logs/log-inserter.ts';
import { FULL_LOG_SHAPE } from '../logs/log-table.ts';
import { tempLogsDb } from '../logs/logs-test-support.ts';
import { afterEach } from 'vitest';
import type { Db } from '../state/connection.ts';
import { FEEDBACK_LOG_BUDGET_BYTES, queryFeedbackLogs, renderFeedbackLine } from './feedback-logs.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function db(rows: Partial<LogEntry>[]): Db {
  const t = tempLogsDb();
  cleanups.push(t.cleanup);
  new LogInserter(t.db, null).insert(
    rows.map((r, i) =>
      toLogRow({ ts: i, tsNanos: 0, level: 'INFO', target: 't', message: `m${i}`, ...r } as LogEntry),
    ),
  );
  return t.db;
}

const feedback = async (d: Db, threadId: string, budget?: number): Promise<string> =>
  (await queryFeedbackLogs(d, FULL_LOG_SHAPE, { threadId }, noYield, budget)).toString('utf8');

describe('renderFeedbackLine (seed §4.6 vectors)', () => {
  it('renders UTC time with microseconds, the level right-aligned to 5, and one newline', () => {
    expect(renderFeedbackLine(1, 0, 'INFO', 'alpha')).toBe('1970-01-01T00:00:01.000000Z  INFO alpha\n');
    expect(renderFeedbackLine(2, 0, 'TRACE', 'x')).toBe('1970-01-01T00:00:02.000000Z TRACE x\n');
    expect(renderFeedbackLine(3, 0, 'ERROR', 'y')).toBe('1970-01-01T00:00:03.000000Z ERROR y\n');
    expect(renderFeedbackLine(4, 0, 'WARN', 'z')).toBe('1970-01-01T00:00:04.000000Z  WARN z\n');
    expect(renderFeedbackLine(1_772_359_200, 123_456_789, 'DEBUG', 'has one\n')).toBe(
      '2026-03-01T10:00:00.123456Z DEBUG has one\n',
    );
  });
});

describe('queryFeedbackLogs (seed §4.6)', () => {
  it('exports three INFO rows of a thread oldest first, as the seed vector', async () => {
    const d = db([
      { ts: 3, message: 'gamma', threadId: 'T' },
      { ts: 1, message: 'alpha', threadId: 'T' },
      { ts: 2, message: 'beta', threadId: 'T' },
    ]);
    expect(await feedback(d, 'T')).toBe(
      '1970-01-01T00:00:01.000000Z  INFO alpha\n1970-01-01T00:00:02.000000Z  INFO beta\n1970-01-01T00:00:03.000000Z  INFO gamma\n',
    );
  });

  it("takes threadless rows of the thread's latest process only, never other threads or earlier processes", async () => {
    const d = db([
      { ts: 1, message: 'old process threadless', processUuid: 'P1' },
      { ts: 2, message: 'thread in P1', threadId: 'T', processUuid: 'P1' },
      { ts: 3, message: 'other thread', threadId: 'U', processUuid: 'P2' },
      { ts: 4, message: 'P2 threadless', processUuid: 'P2' },
      { ts: 5, message: 'thread in P2', threadId: 'T', processUuid: 'P2' },
      { ts: 6, message: null, threadId: 'T', processUuid: 'P2' },
      { ts: 7, message: 'threadless, no process' },
      { ts: 8, message: 'thread, no process', threadId: 'T' },
    ]);
    const lines = (await feedback(d, 'T'))
      .trimEnd()
      .split('\n')
      .map((l) => l.slice(34));
    expect(lines).toEqual(['thread in P1', 'P2 threadless', 'thread in P2', 'thread, no process']);
    expect(await feedback(d, 'nobody')).toBe('');
  });

  it('keeps the newest contiguous suffix within the byte budget, ordered by time not by id', async () => {
    const line = renderFeedbackLine(0, 0, 'INFO', 'm0');
    const size = Buffer.byteLength(line);
    // Inserted newest first: ids run against time.
    const d = db(
      Array.from({ length: 10 }, (_, i) => ({ ts: 100 - i, message: `r${100 - i}`, threadId: 'T' })),
    );
    const out = await feedback(d, 'T', size * 3 + 5);
    expect(
      out
        .trimEnd()
        .split('\n')
        .map((l) => l.slice(34)),
    ).toEqual(['r98', 'r99', 'r100']);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(size * 3 + 5);
  });

  it('is empty when the newest line alone exceeds the budget, even with smaller older rows', async () => {
    const d = db([
      { ts: 1, message: 'small', threadId: 'T' },
      { ts: 2, message: 'x'.repeat(200), threadId: 'T' },
    ]);
    expect(await feedback(d, 'T', 100)).toBe('');
    expect(await feedback(d, 'T', 1_000)).toContain('small');
  });

  it('counts the budget in UTF-8 bytes and keeps a mixed thread/threadless suffix', async () => {
    const d = db([
      { ts: 1, message: 'é'.repeat(10), threadId: 'T', processUuid: 'P' },
      { ts: 2, message: 'threadless', processUuid: 'P' },
      { ts: 3, message: 'last', threadId: 'T', processUuid: 'P' },
    ]);
    const two = Buffer.byteLength(
      renderFeedbackLine(2, 0, 'INFO', 'threadless') + renderFeedbackLine(3, 0, 'INFO', 'last'),
    );
    const all = two + Buffer.byteLength(renderFeedbackLine(1, 0, 'INFO', 'é'.repeat(10)));
    expect((await feedback(d, 'T', all - 1)).split('\n').filter(Boolean)).toHaveLength(2);
    expect((await feedback(d, 'T', all)).split('\n').filter(Boolean)).toHaveLength(3);
    expect(FEEDBACK_LOG_BUDGET_BYTES).toBe(10 * 1024 * 1024);
  });

  it("exports an app process's threadless rows for feedback about the app", async () => {
    const d = db([
      { ts: 1, message: 'mine', processUuid: 'P' },
      { ts: 2, message: 'a thread of mine', threadId: 'T', processUuid: 'P' },
      { ts: 3, message: 'someone else', processUuid: 'Q' },
    ]);
    const out = (await queryFeedbackLogs(d, FULL_LOG_SHAPE, { processUuid: 'P' }, noYield)).toString();
    expect(out).toBe('1970-01-01T00:00:01.000000Z  INFO mine\n');
  });

  it('reads each side newest first from its own index (EXPLAIN QUERY PLAN), never sorting', () => {
    const d = db([]);
    const plan = (where: string): string =>
      (
        d
          .prepare(
            `EXPLAIN QUERY PLAN SELECT ts, ts_nanos, level, message, id FROM logs WHERE ${where} AND message IS NOT NULL
             AND (ts, ts_nanos, id) < (?, ?, ?) ORDER BY ts DESC, ts_nanos DESC, id DESC LIMIT ?`,
          )
          .all('x', 1, 0, 0, 10) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('\n');
    const thread = plan('thread_id = ?');
    const threadless = plan('thread_id IS NULL AND process_uuid = ?');
    expect(thread).toContain('idx_logs_thread_id_ts');
    expect(threadless).toContain('idx_logs_process_uuid_threadless_ts');
    expect(thread + threadless).not.toContain('TEMP B-TREE');
  });

  it('pages through a window larger than one read, in order', async () => {
    const rows = Array.from({ length: 9_000 }, (_, i) => ({
      ts: 1_000 + Math.floor(i / 3),
      tsNanos: (i % 3) * 1_000,
      message: `n${i}`,
      ...(i % 2 ? { threadId: 'T', processUuid: 'P' } : { processUuid: 'P' }),
    }));
    const d = db(rows);
    const out = (await feedback(d, 'T')).trimEnd().split('\n');
    expect(out).toHaveLength(9_000);
    expect(out.map((l) => l.slice(34))).toEqual(rows.map((r) => r.message));
  });
});
