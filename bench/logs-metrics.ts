import type { LogsOutput } from './phase-logs.ts';
import type { LogsQueryOutput } from './phase-logs-query.ts';
import { limitMetric, ratioMetric, type Metric } from './report.ts';
import { fmt, MB, median } from './stats.ts';

const PAGE_P99_TARGET_MS = 20;

export function logsMetrics(l: LogsOutput): Metric[] {
  const rps = (ms: number): number => l.rows / (ms / 1000);
  const runs = (xs: number[]): string => xs.map((ms) => fmt(rps(ms), 0)).join(' / ');
  const raw = rps(median(l.rawMs));
  const worker = rps(median(l.workerMs));
  const rawTx = rps(median(l.rawAtTxMs));
  const cappedTx = rps(median(l.cappedAtTxMs));
  const w = l.workerRuns;
  const worst = (f: (s: (typeof w)[number]) => number): number => Math.max(...w.map(f));
  const probes = w.map((s) => s.probes).sort((a, b) => b.maxBlockMs - a.maxBlockMs)[0];
  const last = w.at(-1);
  return [
    ratioMetric(
      'logs-writer',
      'log writer with caps enforced (logs worker)',
      'rows/s',
      worker,
      raw,
      'raw batched inserts',
      '>=',
      0.5,
      [
        `${fmt(l.rows, 0)} rows (~${fmt(l.avgRowBytes, 0)} estimated bytes each) across ${l.threads} threads + ${fmt(l.threadless, 0)} threadless, ` +
          `same schema and indexes, fresh DB per run; ${fmt(l.workerRowsKept, 0)} rows kept under the caps (writer on this thread: ${fmt(l.inlineRowsKept, 0)})`,
        `app path: log() on the main thread into LogWriter (queue capacity ${l.capacity}, default) over workerLogSink, until all committed; ` +
          `the producer waited for queue space ${w.map((s) => fmt(s.waits, 0)).join(' / ')} times, dropped ${w.map((s) => s.dropped).join(' / ')}`,
        `worker runs ${runs(l.workerMs)} rows/s; raw (128 rows/tx) runs ${runs(l.rawMs)} rows/s`,
        `worker transactions held ${w.map((s) => fmt(s.txRows, 0)).join(' / ')} rows on average (merge limit ${fmt(l.maxTxRows, 0)}); ` +
          `at ${fmt(median(l.txRows), 0)} rows/tx raw inserts do ${fmt(rawTx, 0)} rows/s (${fmt(rawTx / raw)}x raw at 128: the group commit), ` +
          `the capped inserter on pre-built rows ${fmt(cappedTx, 0)} rows/s (${fmt(cappedTx / rawTx)}x: the caps' cost), ` +
          `so the worker writer = ${fmt(worker / rawTx)}x raw at its own transaction size`,
        ...(l.bigQueue
          ? [
              `not the app's setting (first run only): with a ${fmt(l.bigQueue.capacity, 0)}-row queue the worker writer does ${fmt(rps(l.bigQueue.ms), 0)} rows/s ` +
                `= ${fmt(rps(l.bigQueue.ms) / raw)}x raw, ${fmt(l.bigQueue.txRows, 0)} rows per transaction, dropped ${l.bigQueue.dropped}`,
            ]
          : []),
        `not the target (first run only): the writer on this thread (log 128 + flush, one tx each) ${runs(l.inlineMs)} rows/s = ${fmt(rps(median(l.inlineMs)) / raw)}x raw, ` +
          `main-thread time per flush p50 ${fmt(l.inlineFlushMs.p50, 2)} / p99 ${fmt(l.inlineFlushMs.p99, 2)} / max ${fmt(l.inlineFlushMs.max, 2)} ms; ` +
          `with slackRows ${l.slackRows} (not the seed's exact caps) ${runs(l.slackMs)} rows/s = ${fmt(rps(median(l.slackMs)) / raw)}x raw`,
      ],
    ),
    limitMetric(
      'logs-main-thread',
      `main-thread time per log flush (128-row hand-off to the logs worker), p99 of the worst run (max ${fmt(
        worst((s) => s.handoffMs.max),
        2,
      )} ms)`,
      worst((s) => s.handoffMs.p99),
      'ms',
      8,
      [
        `per hand-off (structured clone + postMessage; wall time, so a descheduled thread or a GC counts), ${last ? fmt(last.handoffs, 0) : 0} per run: ` +
          w
            .map(
              (s) =>
                `p50 ${fmt(s.handoffMs.p50, 3)} / p99 ${fmt(s.handoffMs.p99, 3)} / max ${fmt(s.handoffMs.max, 2)} ms`,
            )
            .join('; '),
        `per log() call: ${w.map((s) => `p50 ${fmt(s.logCallUs.p50, 2)} / p99 ${fmt(s.logCallUs.p99, 2)} / max ${fmt(s.logCallUs.max, 0)} µs`).join('; ')}`,
        `main-thread writer time per row (log + hand-off): ${w.map((s) => fmt(s.mainUsPerRow, 2)).join(' / ')} µs; ` +
          `event-loop utilization while writing (producer loop and row making included) ${w.map((s) => fmt(s.elu * 100, 0)).join(' / ')}%`,
      ],
    ),
    limitMetric(
      'logs-event-loop',
      'longest event-loop block while the logs worker writes',
      probes?.maxBlockMs ?? 0,
      'ms',
      50,
      [
        `setInterval(5 ms) probe max gap ${fmt(probes?.intervalMaxBlockMs ?? 0)} ms; monitorEventLoopDelay max ${fmt(probes?.histogramMaxMs ?? 0)} ms, ` +
          `p99 ${fmt(probes?.histogramP99Ms ?? 0)} ms; GC longest ${fmt(probes?.gcMaxMs ?? 0)} ms (worst run of ${w.length})`,
      ],
    ),
  ];
}

/** perf.md G13: no main-thread task over 50 ms during any background work. */
const HISTOGRAM_BLOCK_TARGET_MS = 50;

export function logsQueryMetrics(q: LogsQueryOutput): Metric[] {
  const c = q.corpus;
  const at = `${fmt(c.rows / 1e6, c.rows % 1e6 ? 1 : 0)}M rows`;
  const corpusNote =
    `${fmt(c.rows, 0)} rows over 10 days: ${fmt(c.threads, 0)} threads, ${fmt(c.threadlessRows, 0)} threadless rows of ${c.processes} processes; ` +
    `DB ${fmt(c.bytes / MB, 0)} MB ${c.generatedMs === null ? '(cached)' : `(generated in ${fmt(c.generatedMs / 1000)} s)`}, ` +
    `page cache warmed by one read at ${fmt(q.warmReadMbPerS, 0)} MB/s; pages of ${q.limit} rows, LogReader's 12 ms work budget`;
  const classes = q.classes.map((k, i): Metric => {
    if (k.calls === 0)
      return {
        key: `logs-query:${k.name}`,
        text: `log page @ ${at}, ${k.name}: not measured, no variant had a full first page`,
        pass: null,
        values: {},
        notes: [],
      };
    const short =
      k.partialCalls > 0
        ? `${k.partialCalls} short at the budget (searchedBackToMs set)`
        : 'none short at the budget';
    const fill = (f: (typeof k.fills)[number]): string =>
      `${f.calls} call${f.calls === 1 ? '' : 's'}, ${fmt(f.ms)} ms` +
      (f.rows >= q.limit
        ? ''
        : f.stopped
          ? ` and still only ${f.rows} rows (stopped at ${q.fillMaxCalls} calls)`
          : ` for all ${f.rows} matching rows`);
    const fills = k.fills.length
      ? [`a full ${q.limit}-row page by following cursors: ${k.fills.map(fill).join('; ')}`]
      : [];
    return {
      key: `logs-query:${k.name}`,
      text: `log page @ ${at}, ${k.name}: p50 ${fmt(k.p50Ms, 2)} ms, p99 ${fmt(k.p99Ms, 2)} ms (target p99 <= ${PAGE_P99_TARGET_MS} ms)`,
      pass: k.p99Ms <= PAGE_P99_TARGET_MS,
      values: {
        p50Ms: k.p50Ms,
        p99Ms: k.p99Ms,
        maxMs: k.maxMs,
        calls: k.calls,
        partialCalls: k.partialCalls,
      },
      notes: [
        ...(i === 0 ? [corpusNote] : []),
        `${k.calls} calls over ${k.variants} variant(s), e.g. ${JSON.stringify(k.example)}; max ${fmt(k.maxMs, 2)} ms; ` +
          `rows/page mean ${fmt(k.meanRows, 0)}, min ${fmt(k.minRows, 0)}; ${short}` +
          (k.exhaustedCalls > 0 ? `, ${k.exhaustedCalls} short because nothing older matches` : ''),
        ...fills,
        ...(k.plan && !k.page2 ? [`plan: ${k.plan}`] : []),
      ],
    };
  });
  const partial = q.classes.filter((k) => k.partialCalls > 0).map((k) => k.name);
  const worstTail = Math.max(...q.tails.map((t) => t.p99Ms));
  const worstSlice = Math.max(...q.histograms.map((h) => h.longestSliceMs));
  return [
    ...classes,
    {
      key: 'logs-query',
      text: `log page @ ${at}, all classes: p50 ${fmt(q.overall.p50Ms, 2)} ms, p99 ${fmt(q.overall.p99Ms, 2)} ms (target p99 <= ${PAGE_P99_TARGET_MS} ms)`,
      pass: q.overall.p99Ms <= PAGE_P99_TARGET_MS,
      values: { ...q.overall },
      notes: [
        `${fmt(q.overall.calls, 0)} calls, max ${fmt(q.overall.maxMs, 2)} ms; ` +
          (partial.length
            ? `pages came back short at the budget for: ${partial.join(', ')}`
            : 'no page came back short'),
      ],
    },
    limitMetric(
      'logs-tail',
      `log tail @ ${at}, worst p99 of ${q.tails.length} kinds`,
      worstTail,
      'ms',
      PAGE_P99_TARGET_MS,
      [
        ...q.tails.map(
          (t) =>
            `${t.name}: p50 ${fmt(t.p50Ms, 3)} / p99 ${fmt(t.p99Ms, 3)} / max ${fmt(t.maxMs, 2)} ms, ${t.rows} rows (${t.calls} calls)`,
        ),
      ],
    ),
    limitMetric(
      'logs-histogram',
      `log histogram @ ${at} (exact, 60 buckets), longest event-loop block`,
      worstSlice,
      'ms',
      HISTOGRAM_BLOCK_TARGET_MS,
      [
        ...q.histograms.map(
          (h) =>
            `${h.name}: ${fmt(h.rows, 0)} rows counted in ${fmt(h.totalMs, 0)} ms, longest block ${fmt(h.longestSliceMs, 1)} ms`,
        ),
        'a slow count is redone at most every 30 s while rows arrive (main/logs/histogram-cache.ts)',
      ],
    ),
    ratioMetric(
      'logs-feedback',
      `feedback log window @ ${at} (seed §4.6 export, p99)`,
      'ms',
      q.feedback.p99Ms,
      q.feedback.ceilingP99Ms,
      'the same rows read as one rowid range',
      '<=',
      3,
      [
        `${q.feedback.threads} threads, ~${fmt(q.feedback.meanRows, 0)} rows / ${fmt(q.feedback.meanBytes / 1024, 0)} KiB each (partition caps bound a thread's window); ` +
          `p50 ${fmt(q.feedback.p50Ms, 2)} ms vs ${fmt(q.feedback.ceilingP50Ms, 2)} ms`,
      ],
    ),
  ];
}
