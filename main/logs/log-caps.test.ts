import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../state/connection.ts';
import { applyLogRetention, DEFAULT_LOG_CAPS, partitionUsageFromLogs, type LogCaps } from './log-caps.ts';
import { toLogRow, type LogRow } from './log-entry.ts';
import { LogInserter } from './log-inserter.ts';
import { allLogs, tempLogsDb } from './logs-test-support.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const fresh = (): Db => {
  const t = tempLogsDb();
  cleanups.push(t.cleanup);
  return t.db;
};

/** Deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Spec {
  threadId?: string | null;
  processUuid?: string | null;
  messageBytes?: number;
}

/** Rows with shuffled timestamps (so "newest" is not insertion order) and unique messages `m<i>|pad`. */
function makeRows(n: number, spec: Spec, rand: () => number, from = 0): LogRow[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const pad = spec.messageBytes ? 'x'.repeat(Math.floor(spec.messageBytes * (0.5 + rand()))) : '';
    return toLogRow({
      ts: 1_700_000_000 + Math.floor(rand() * 5_000),
      tsNanos: Math.floor(rand() * 1e9),
      level: 'INFO',
      target: 'threadscope::test',
      message: `m${i}|${pad}`,
      threadId: spec.threadId ?? null,
      processUuid: spec.processUuid ?? null,
    });
  });
}

/** The seed's rule computed independently: newest-first by (ts, nanos, id), keep while within both caps. */
function expectedKept(rows: LogRow[], caps: LogCaps): Set<string> {
  const order = rows.map((r, id) => ({ r, id }));
  order.sort((a, b) => b.r.ts - a.r.ts || b.r.tsNanos - a.r.tsNanos || b.id - a.id);
  const kept = new Set<string>();
  let bytes = 0;
  for (const { r } of order) {
    bytes += r.estimatedBytes;
    if (bytes > caps.maxBytes || kept.size >= caps.maxRows) break;
    kept.add(r.message ?? '');
  }
  return kept;
}

const keptMessages = (db: Db, where: string): Set<string> =>
  new Set(
    (db.prepare(`SELECT message FROM logs WHERE ${where}`).all() as { message: string }[]).map(
      (r) => r.message,
    ),
  );

const expectUsageConsistent = (db: Db): void => {
  const stored = db.prepare('SELECT partition_key, row_count, byte_count FROM log_partition_usage').all() as {
    partition_key: string;
    row_count: number;
    byte_count: number;
  }[];
  const actual = partitionUsageFromLogs(db);
  expect(
    new Map(stored.map((s) => [s.partition_key, { row_count: s.row_count, byte_count: s.byte_count }])),
  ).toEqual(actual);
};

function insertInBatches(db: Db, ins: LogInserter, rows: LogRow[], check: boolean): void {
  for (let i = 0; i < rows.length; i += 128) {
    ins.insert(rows.slice(i, i + 128));
    if (check) expectUsageConsistent(db);
  }
}

describe('per-partition log caps', () => {
  it('keeps exactly the newest 1,000 rows of a thread under a burst of 50,000, counters exact after every batch', () => {
    const db = fresh();
    const rows = makeRows(50_000, { threadId: 'thread-a', processUuid: 'pid:1:u' }, rng(1));
    insertInBatches(db, new LogInserter(db), rows, true);
    const kept = keptMessages(db, "thread_id = 'thread-a'");
    expect(kept.size).toBe(1_000);
    expect(kept).toEqual(expectedKept(rows, DEFAULT_LOG_CAPS));
  });

  it('keeps exactly the newest rows whose bytes fit 10 MiB', () => {
    const db = fresh();
    // ~64 KiB messages: the byte cap (about 160 rows) binds long before the row cap.
    const rows = makeRows(600, { threadId: 'big' }, rng(2), 0).map((r, i) =>
      i % 2 ? r : makeRows(1, { threadId: 'big', messageBytes: 64 * 1024 }, rng(i), i)[0]!,
    );
    insertInBatches(db, new LogInserter(db), rows, true);
    const total = db.prepare("SELECT sum(estimated_bytes) AS b FROM logs WHERE thread_id = 'big'").get() as {
      b: number;
    };
    expect(total.b).toBeLessThanOrEqual(DEFAULT_LOG_CAPS.maxBytes);
    const expected = expectedKept(rows, DEFAULT_LOG_CAPS);
    expect(expected.size).toBeLessThan(600);
    expect(keptMessages(db, "thread_id = 'big'")).toEqual(expected);
  });

  it('applies both caps at once with configured limits over a 50,000-row burst', () => {
    const db = fresh();
    const caps: LogCaps = { maxBytes: 200 * 1024, maxRows: 700 };
    const rows = makeRows(50_000, { threadId: 't', messageBytes: 400 }, rng(3));
    insertInBatches(db, new LogInserter(db, caps), rows, false);
    expectUsageConsistent(db);
    expect(keptMessages(db, "thread_id = 't'")).toEqual(expectedKept(rows, caps));
  });

  it('with slackRows, lets a partition grow to maxRows + slackRows, then prunes back to exactly the newest maxRows', () => {
    const db = fresh();
    const caps: LogCaps = { maxBytes: 10 * 1024 * 1024, maxRows: 100, slackRows: 30 };
    const ins = new LogInserter(db, caps);
    const rows = makeRows(1_000, { threadId: 't' }, rng(7));
    const sizes: number[] = [];
    let prunes = 0;
    for (let i = 0; i < rows.length; i += 10) {
      ins.insert(rows.slice(i, i + 10));
      const size = allLogs(db).length;
      if (size === 100 && (sizes.at(-1) ?? 0) > 100) {
        prunes++;
        expect(keptMessages(db, "thread_id = 't'")).toEqual(expectedKept(rows.slice(0, i + 10), caps));
      }
      sizes.push(size);
      expectUsageConsistent(db);
    }
    expect(Math.max(...sizes)).toBe(130);
    expect(prunes).toBeGreaterThan(20);
  });

  it('deletes a single row larger than the byte cap at once, even the newest', () => {
    const db = fresh();
    const caps: LogCaps = { maxBytes: 1_000, maxRows: 10 };
    const ins = new LogInserter(db, caps);
    ins.insert(makeRows(3, { threadId: 't' }, rng(4)));
    ins.insert(makeRows(1, { threadId: 't', messageBytes: 4_000 }, rng(5), 3));
    expect(allLogs(db)).toEqual([]);
    expectUsageConsistent(db);
  });

  it('caps threadless rows per process and threadless rows without process separately from threads', () => {
    const db = fresh();
    const caps: LogCaps = { maxBytes: 10 * 1024 * 1024, maxRows: 50 };
    const ins = new LogInserter(db, caps);
    const rand = rng(6);
    const parts: Spec[] = [
      { threadId: 'x', processUuid: 'p1' },
      { threadId: 'y', processUuid: 'p1' },
      { processUuid: 'p1' },
      { processUuid: 'p2' },
      {},
    ];
    const byPart = parts.map((p, k) => makeRows(400, p, rand, k * 1_000));
    // Interleave the partitions inside each batch.
    const mixed = byPart[0]!.flatMap((_, i) => byPart.map((rows) => rows[i]!));
    insertInBatches(db, ins, mixed, true);
    const where = [
      "thread_id = 'x'",
      "thread_id = 'y'",
      "thread_id IS NULL AND process_uuid = 'p1'",
      "thread_id IS NULL AND process_uuid = 'p2'",
      'thread_id IS NULL AND process_uuid IS NULL',
    ];
    where.forEach((w, k) => expect(keptMessages(db, w)).toEqual(expectedKept(byPart[k]!, caps)));
    expect(allLogs(db)).toHaveLength(250);
  });
});

describe('log retention', () => {
  it('deletes rows older than the retention window and keeps the counters exact', () => {
    const db = fresh();
    const ins = new LogInserter(db);
    const now = Date.UTC(2026, 0, 20) / 1000;
    const day = 86_400;
    const at = (ts: number, threadId: string | null, message: string): LogRow =>
      toLogRow({ ts, tsNanos: 0, level: 'INFO', target: 't', message, threadId, processUuid: 'p' });
    ins.insert([
      at(now - 11 * day, 'a', 'old-a'),
      at(now - 10 * day - 1, null, 'old-threadless'),
      at(now - 10 * day, 'a', 'edge-a'),
      at(now - day, 'b', 'new-b'),
      at(now, null, 'new-threadless'),
    ]);
    expect(applyLogRetention(db, 10, now * 1000)).toBe(2);
    expect(allLogs(db).map((r) => r.message)).toEqual(['edge-a', 'new-b', 'new-threadless']);
    expectUsageConsistent(db);
    expect(applyLogRetention(db, 0.5, now * 1000)).toBe(2);
    expect(allLogs(db).map((r) => r.message)).toEqual(['new-threadless']);
    expectUsageConsistent(db);
  });
});
