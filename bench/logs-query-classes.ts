import type { ResolvedLogFilter } from '../main/logs/log-filter-sql.ts';
import { filterConjuncts, joinWhere } from '../main/logs/log-filter-sql.ts';
import type { LogReader } from '../main/logs/log-reader.ts';
import { FULL_LOG_SHAPE } from '../main/logs/log-table.ts';
import type { Db } from '../main/state/connection.ts';
import { createRng } from '../main/test-support/synthetic-rollouts.ts';
import { LOG_ABSENT_TEXT, LOG_RARE_WORDS } from './logs-corpus.ts';

export interface ClassSpec {
  name: string;
  variants: ResolvedLogFilter[];
  /** Also measure page 2 (from the cursor that ends a full first page). */
  page2?: boolean;
}

export interface Samples {
  threads: string[];
  /** A thread and up to two threads of the same process running at the same time (sub-agent-like). */
  families: string[][];
  processes: string[];
  /** One-hour ranges that end at a logged row (a user picks a range where the histogram shows rows). */
  hours: { fromMs: number; toMs: number }[];
}

/** Real threads, processes and hours of the corpus, from random rows (half of them in the newest day). */
export function pickSamples(reader: LogReader, seed: number, n: number): Samples {
  const r = createRng(seed ^ 0x9e11);
  const db = reader.db;
  const maxId = reader.range().maxId;
  const rowAt = db.prepare(
    'SELECT id, ts, thread_id AS t, process_uuid AS p FROM logs WHERE id >= ? AND thread_id IS NOT NULL LIMIT 1',
  );
  const near = db
    .prepare(
      `SELECT DISTINCT thread_id FROM logs WHERE id BETWEEN ? AND ? AND process_uuid = ? AND thread_id IS NOT NULL
       AND thread_id != ? LIMIT 2`,
    )
    .pluck();
  const dayRows = Math.round(maxId / 10);
  const rows = Array.from({ length: n }, (_, i) => {
    const id = i % 2 === 0 ? maxId - Math.floor(r() * dayRows) : 1 + Math.floor(r() * (maxId - 1));
    return rowAt.get(id) as { id: number; ts: number; t: string; p: string };
  });
  return {
    threads: rows.map((x) => x.t),
    families: rows.map((x) => [x.t, ...(near.all(x.id - 20_000, x.id + 20_000, x.p, x.t) as string[])]),
    processes: rows.map((x) => x.p),
    hours: rows.map((x) => {
      const toMs = x.ts * 1000 + Math.floor(r() * 1_800_000);
      return { fromMs: toMs - 3_600_000 + 1, toMs };
    }),
  };
}

/** The filter classes of the Logs page, each with its variants (round-robin while timing). */
export function queryClasses(s: Samples): ClassSpec[] {
  const thread = s.threads.map((t): ResolvedLogFilter => ({ threadIds: [t] }));
  const rare = (i: number): string => LOG_RARE_WORDS[i % LOG_RARE_WORDS.length] ?? '';
  return [
    { name: 'no filter', variants: [{}], page2: true },
    { name: 'minLevel WARN', variants: [{ minLevel: 'WARN' }], page2: true },
    { name: 'minLevel ERROR', variants: [{ minLevel: 'ERROR' }] },
    { name: 'one thread', variants: thread, page2: true },
    { name: 'thread + 2 sub-agents', variants: s.families.map((f) => ({ threadIds: f })) },
    {
      name: 'thread + threadless',
      variants: s.threads.map((t) => ({ threadIds: [t], includeThreadless: true })),
    },
    { name: 'threadless rows', variants: [{ includeThreadless: true }] },
    { name: 'process', variants: s.processes.map((p) => ({ process: p })), page2: true },
    {
      name: 'target substring',
      variants: [{ target: 'mcp' }, { target: 'apply_patch' }, { target: 'hyper_util' }],
    },
    {
      name: 'common text',
      variants: [{ text: 'stream' }, { text: 'reasoning' }, { text: 'sandbox' }],
      page2: true,
    },
    { name: 'rare text', variants: LOG_RARE_WORDS.map((w) => ({ text: w })) },
    { name: 'absent text', variants: [{ text: LOG_ABSENT_TEXT }] },
    { name: 'time range 1 h', variants: s.hours, page2: true },
    {
      name: 'WARN + thread',
      variants: s.threads.map((t) => ({ minLevel: 'WARN', threadIds: [t] })),
    },
    {
      name: 'ERROR + process',
      variants: s.processes.map((p) => ({ minLevel: 'ERROR', process: p })),
    },
    {
      name: 'thread + common text',
      variants: s.threads.map((t) => ({ threadIds: [t], text: 'stream' })),
    },
    { name: 'WARN + target', variants: [{ minLevel: 'WARN', target: 'codex_core::exec' }] },
    { name: '1 h + common text', variants: s.hours.map((h) => ({ ...h, text: 'stream' })) },
    { name: '1 h + rare text', variants: s.hours.map((h, i) => ({ ...h, text: rare(i) })) },
  ];
}

/** Records every SQL text the reader prepares, to show the plan SQLite chose for a class's window query. */
export function recordPrepared(db: Db): Set<string> {
  const seen = new Set<string>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    seen.add(sql);
    return prepare(sql);
  }) as Db['prepare'];
  return seen;
}

/** `EXPLAIN QUERY PLAN` of the window query the reader prepared for `f` ('' when not found). */
export function windowPlan(db: Db, seen: ReadonlySet<string>, f: ResolvedLogFilter): string {
  const where = joinWhere(filterConjuncts(f, FULL_LOG_SHAPE)).sql;
  const sql = [...seen].find((s) => s.includes('WHERE ts >= ?') && s.includes(`AND ${where} ORDER BY`));
  if (!sql) return '';
  const nulls = Array.from({ length: sql.split('?').length - 1 }, () => null);
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nulls) as { detail: string }[];
  return rows.map((x) => x.detail).join('; ');
}
