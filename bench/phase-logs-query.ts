import type { ResolvedLogFilter } from '../main/logs/log-filter-sql.ts';
import { createSlicer } from '../main/core/time-slice.ts';
import { FEEDBACK_MMAP_BYTES, queryFeedbackLogs } from '../main/feedback/feedback-logs.ts';
import { noYield } from '../main/core/time-slice.ts';
import { logHistogram } from '../main/logs/log-histogram.ts';
import { LogReader } from '../main/logs/log-reader.ts';
import { FULL_LOG_SHAPE } from '../main/logs/log-table.ts';
import { openLogsDb } from '../main/logs/logs-db.ts';
import { readScan } from './ceilings.ts';
import { ensureLogsCorpus, LOG_RARE_WORDS, type LogsCorpusInfo } from './logs-corpus.ts';
import {
  pickSamples,
  queryClasses,
  recordPrepared,
  windowPlan,
  type ClassSpec,
} from './logs-query-classes.ts';
import { profiled } from './section-profiler.ts';
import { percentile } from './stats.ts';

export interface LogsQueryInput {
  benchDir: string;
  rows: number;
  /** Timed calls per filter class (round-robin over the classes and over each class's variants). */
  calls: number;
  seed: number;
}

export interface LogsQueryClass {
  name: string;
  example: ResolvedLogFilter;
  /** SQLite's plan for the example's window query. */
  plan: string;
  page2: boolean;
  variants: number;
  calls: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Rows per returned page: mean and least. */
  meanRows: number;
  minRows: number;
  /** Calls that came back short with a cursor (the work budget ran out: `searchedBackToMs` set). */
  partialCalls: number;
  /** Calls that came back short because nothing older matched (no cursor). */
  exhaustedCalls: number;
  /**
   * Collecting a full 200-row page by following cursors (first variants only, untimed warm-up): calls,
   * total time, rows found; `stopped` when FILL_MAX_CALLS calls did not get there.
   */
  fills: { calls: number; ms: number; rows: number; stopped: boolean }[];
}

export interface LogsTailKind {
  name: string;
  calls: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rows: number;
}

export interface LogsQueryOutput {
  corpus: Omit<LogsCorpusInfo, 'dir' | 'dbFile'>;
  warmReadMbPerS: number;
  limit: number;
  fillMaxCalls: number;
  classes: LogsQueryClass[];
  overall: { calls: number; p50Ms: number; p99Ms: number; maxMs: number };
  tails: LogsTailKind[];
  histograms: LogsHistogramRun[];
  feedback: FeedbackWindowRun;
}

/** Seed §4.6 export for several threads against reading as many rows as one contiguous rowid range. */
export interface FeedbackWindowRun {
  threads: number;
  meanRows: number;
  meanBytes: number;
  p50Ms: number;
  p99Ms: number;
  ceilingP50Ms: number;
  ceilingP99Ms: number;
}

async function timeFeedbackWindows(
  reader: LogReader,
  threadIds: string[],
  rounds: number,
): Promise<FeedbackWindowRun> {
  const ms: number[] = [];
  const ceiling: number[] = [];
  let rows = 0;
  let bytes = 0;
  const range = reader.db.prepare(
    'SELECT ts, ts_nanos, level, message FROM logs WHERE id > ? ORDER BY id LIMIT ?',
  );
  const maxId = reader.maxId();
  // As the service's feedback connection: the whole file memory-mapped (no read() per scattered page).
  reader.db.pragma(`mmap_size = ${FEEDBACK_MMAP_BYTES}`);
  // Warm the pages both sides read (the page benchmarks warm the whole DB the same way): cold first reads
  // measure the disk, not the query.
  for (const [i, threadId] of threadIds.entries()) {
    const n = (await queryFeedbackLogs(reader.db, reader.shape, { threadId }, noYield))
      .toString('utf8')
      .split('\n').length;
    for (const row of range.iterate(
      Math.floor(((i + 1) * maxId) / (threadIds.length + 2)),
      n,
    ) as IterableIterator<unknown>)
      void row;
  }
  for (let r = 0; r < rounds; r++) {
    for (const [i, threadId] of threadIds.entries()) {
      const t0 = performance.now();
      // noYield: the work the service does between its yields, timed end to end.
      const out = await queryFeedbackLogs(reader.db, reader.shape, { threadId }, noYield);
      ms.push(performance.now() - t0);
      const n = out.length === 0 ? 0 : out.toString('utf8').split('\n').length - 1;
      if (r === 0) {
        rows += n;
        bytes += out.length;
      }
      const start = Math.floor(((i + 1) * maxId) / (threadIds.length + 2));
      const c0 = performance.now();
      let read = 0;
      for (const row of range.iterate(start, n) as IterableIterator<{ message: string | null }>)
        read += row.message?.length ?? 0;
      ceiling.push(performance.now() - c0);
      if (read < 0) throw new Error('unreachable');
    }
  }
  return {
    threads: threadIds.length,
    meanRows: rows / Math.max(1, threadIds.length),
    meanBytes: bytes / Math.max(1, threadIds.length),
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
    ceilingP50Ms: percentile(ceiling, 50),
    ceilingP99Ms: percentile(ceiling, 99),
  };
}

/** One exact 60-bucket histogram over the whole table: total time and the longest stretch between yields. */
export interface LogsHistogramRun {
  name: string;
  totalMs: number;
  longestSliceMs: number;
  rows: number;
}

const HISTOGRAM_FILTERS: { name: string; filter: ResolvedLogFilter }[] = [
  { name: 'no filter', filter: {} },
  { name: 'minLevel WARN', filter: { minLevel: 'WARN' } },
  { name: 'one thread', filter: { threadIds: ['?'] } },
];

/** Runs each histogram the way the service does (8 ms slices), timing the loop's longest block. */
async function timeHistograms(reader: LogReader, threadId: string): Promise<LogsHistogramRun[]> {
  const out: LogsHistogramRun[] = [];
  for (const h of HISTOGRAM_FILTERS) {
    const filter = h.filter.threadIds ? { threadIds: [threadId] } : h.filter;
    let longest = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last - 1);
      last = now;
    }, 1);
    const t0 = performance.now();
    const r = await logHistogram(reader, filter, 60, createSlicer(8));
    const totalMs = performance.now() - t0;
    clearInterval(probe);
    longest = Math.max(longest, performance.now() - last - 1);
    out.push({ name: h.name, totalMs, longestSliceMs: longest, rows: r.total });
  }
  return out;
}

const LIMIT = 200;
/** Variants per class whose full first page is collected (and, for page-2 classes, measured on page 2). */
const FILL_VARIANTS = 2;
const PAGE2_VARIANTS = 4;
/** Collecting a full page stops here: a filter that matches almost nothing would walk the whole DB. */
const FILL_MAX_CALLS = 100;

interface Fill {
  calls: number;
  ms: number;
  rows: number;
  cursor: string | null;
}

/** Follows cursors until LIMIT rows were collected, the filter is exhausted or FILL_MAX_CALLS were made. */
function fillPage(reader: LogReader, f: ResolvedLogFilter): Fill {
  const out: Fill = { calls: 0, ms: 0, rows: 0, cursor: null };
  do {
    const t0 = performance.now();
    const p = reader.page(f, out.cursor, LIMIT - out.rows);
    out.ms += performance.now() - t0;
    out.calls++;
    out.rows += p.rows.length;
    out.cursor = p.nextCursor;
  } while (out.rows < LIMIT && out.cursor !== null && out.calls < FILL_MAX_CALLS);
  return out;
}

const stats = (xs: number[]): { p50Ms: number; p99Ms: number; maxMs: number } => ({
  p50Ms: percentile(xs, 50),
  p99Ms: percentile(xs, 99),
  maxMs: xs.reduce((m, x) => Math.max(m, x), 0),
});

interface Run {
  spec: ClassSpec;
  page2: boolean;
  fills: Fill[];
  /** Per variant: where its timed calls start (page 2: the cursor after a full first page). */
  cursors: (string | null)[];
}

function timeTails(reader: LogReader, calls: number): LogsTailKind[] {
  const maxId = reader.range().maxId;
  const recent = reader.db
    .prepare('SELECT thread_id FROM logs WHERE thread_id IS NOT NULL ORDER BY id DESC LIMIT 1')
    .pluck()
    .get() as string | undefined;
  const kinds: { name: string; filter: ResolvedLogFilter; after: number }[] = [
    { name: 'no filter, 1,000 ids back', filter: {}, after: maxId - 1_000 },
    { name: 'newest thread, 20,000 ids back', filter: { threadIds: [recent ?? ''] }, after: maxId - 20_000 },
    { name: 'rare text, 50,000 ids back', filter: { text: LOG_RARE_WORDS[0] ?? '' }, after: maxId - 50_000 },
  ];
  return kinds.map((t) => {
    const ms: number[] = [];
    let rows = 0;
    for (let c = 0; c < calls; c++) {
      const a = performance.now();
      rows = reader.tail(t.filter, t.after, LIMIT).rows.length;
      ms.push(performance.now() - a);
    }
    return { name: t.name, calls: ms.length, ...stats(ms), rows };
  });
}

/**
 * Filtered newest-first log pages (LogReader.page, limit 200) over a cached multi-million-row logs DB,
 * the way the Logs page asks for them: per filter class p50/p99 of one call, how often a call came back
 * short at its work budget, and how many calls a full page needed. Then `tail` from a recent id.
 */
export async function logsQueryPhase({
  benchDir,
  rows,
  calls,
  seed,
}: LogsQueryInput): Promise<LogsQueryOutput> {
  const corpus = ensureLogsCorpus(benchDir, rows, seed);
  const t0 = performance.now();
  const read = readScan([corpus.dbFile], false);
  const warmReadMbPerS = read.bytes / 1e6 / ((performance.now() - t0) / 1000);
  const db = openLogsDb(corpus.dir);
  const prepared = recordPrepared(db);
  const reader = new LogReader(db, FULL_LOG_SHAPE);
  const specs = queryClasses(pickSamples(reader, seed, 12));

  // Untimed: a full first page of the first variants (also warms each class's statements and pages).
  const runs: Run[] = specs.flatMap((spec) => {
    const fills = spec.variants.slice(0, FILL_VARIANTS).map((f) => fillPage(reader, f));
    const base: Run = { spec, page2: false, fills, cursors: spec.variants.map(() => null) };
    if (!spec.page2) return [base];
    const variants = spec.variants.slice(0, PAGE2_VARIANTS);
    const cursors = variants.map((f, i) => {
      const fill = fills[i] ?? fillPage(reader, f);
      return fill.rows >= LIMIT ? fill.cursor : null; // no full first page: no page 2 to time
    });
    const page2: Run = { spec: { ...spec, variants }, page2: true, fills: [], cursors };
    return [base, page2];
  });
  const samples = runs.map(() => ({ ms: [] as number[], rows: [] as number[], partial: 0, exhausted: 0 }));
  const all: number[] = [];
  await profiled('logs-query', async () => {
    for (let c = 0; c < calls; c++)
      runs.forEach((run, k) => {
        const v = c % run.spec.variants.length;
        const f = run.spec.variants[v] as ResolvedLogFilter;
        const cursor = run.cursors[v] ?? null;
        if (run.page2 && cursor === null) return; // that variant has no page 2
        const a = performance.now();
        const p = reader.page(f, cursor, LIMIT);
        const ms = performance.now() - a;
        const s = samples[k] as (typeof samples)[number];
        s.ms.push(ms);
        all.push(ms);
        s.rows.push(p.rows.length);
        if (p.rows.length < LIMIT && p.nextCursor !== null) s.partial++;
        if (p.rows.length < LIMIT && p.nextCursor === null) s.exhausted++;
      });
  });
  const classes: LogsQueryClass[] = runs.map((run, k) => {
    const s = samples[k] as (typeof samples)[number];
    const example = run.spec.variants[0] ?? {};
    return {
      name: run.page2 ? `${run.spec.name}, page 2` : run.spec.name,
      example,
      plan: windowPlan(db, prepared, example),
      page2: run.page2,
      variants: run.spec.variants.length,
      calls: s.ms.length,
      ...stats(s.ms),
      meanRows: s.rows.reduce((n, x) => n + x, 0) / Math.max(1, s.rows.length),
      minRows: Math.min(...s.rows),
      partialCalls: s.partial,
      exhaustedCalls: s.exhausted,
      fills: run.fills.map((x) => ({
        calls: x.calls,
        ms: x.ms,
        rows: x.rows,
        stopped: x.rows < LIMIT && x.cursor !== null,
      })),
    };
  });
  const tails = timeTails(reader, calls);
  const someThread = reader.page({}, null, 50).rows.find((r) => r.threadId !== null)?.threadId ?? '';
  const histograms = await timeHistograms(reader, someThread);
  // Threads spread over the whole table: the thread of the row at 12 evenly spaced ids.
  const threadAt = reader.db
    .prepare('SELECT thread_id FROM logs WHERE id >= ? AND thread_id IS NOT NULL LIMIT 1')
    .pluck();
  const maxId = reader.maxId();
  const feedbackThreads = [
    ...new Set(
      Array.from({ length: 12 }, (_, i) => threadAt.get(Math.floor(((i + 0.5) * maxId) / 12)) as string),
    ),
  ];
  const feedback = await timeFeedbackWindows(reader, feedbackThreads, calls >= 100 ? 8 : 2);
  db.close();
  return {
    corpus: {
      rows: corpus.rows,
      threads: corpus.threads,
      processes: corpus.processes,
      threadlessRows: corpus.threadlessRows,
      bytes: corpus.bytes,
      generatedMs: corpus.generatedMs,
    },
    warmReadMbPerS,
    limit: LIMIT,
    fillMaxCalls: FILL_MAX_CALLS,
    classes,
    overall: { calls: all.length, ...stats(all) },
    tails,
    histograms,
    feedback,
  };
}
