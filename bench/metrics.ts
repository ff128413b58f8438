import type { BackfillOutput, RescanOutput } from './phase-ingest.ts';
import type { ListOutput } from './phase-list.ts';
import type { TranscriptIngestOutput, TranscriptOutput } from './phase-transcript.ts';
import { limitMetric, ratioMetric, type Metric } from './report.ts';
import { fmt, MB, median } from './stats.ts';

const mbps = (bytes: number, ms: number): number => bytes / MB / (ms / 1000);

export function backfillMetrics(b: BackfillOutput): Metric[] {
  const s = b.summary;
  const p = b.probes;
  return [
    ratioMetric(
      'backfill',
      'backfill',
      'MB/s',
      mbps(b.bytes, b.backfillMs),
      mbps(b.bytes, median(b.ceilingMs)),
      'ceiling',
      '>=',
      0.25,
      [
        `${fmt(b.bytes / MB)} MB in ${fmt(b.files, 0)} files, ${fmt(b.lines, 0)} lines: start() took ${fmt(b.backfillMs / 1000)} s ` +
          `(before it, createAppCore on a fresh data dir took ${fmt(b.openMs)} ms, synchronously); ${fmt(s.filesIngested, 0)} files ingested, ${fmt(s.threadsUpserted, 0)} threads, ${fmt(s.problems, 0)} problems`,
        `ceiling = readSync 1 MiB + indexOf(10), median of ${b.ceilingMs.length}: ` +
          `${b.ceilingMs.map((ms) => fmt(mbps(b.bytes, ms))).join(' / ')} MB/s; read alone ${fmt(mbps(b.bytes, b.readOnlyMs))} MB/s`,
        ...b.logLines.map((l) => `log: ${l}`),
      ],
    ),
    limitMetric('event-loop', 'longest event-loop block during backfill', p.maxBlockMs, 'ms', 50, [
      `setInterval(5 ms) probe max gap ${fmt(p.intervalMaxBlockMs)} ms; monitorEventLoopDelay max ${fmt(p.histogramMaxMs)} ms, p99 ${fmt(p.histogramP99Ms)} ms`,
      `GC: longest pause ${fmt(p.gcMaxMs)} ms, ${fmt(p.gcTotalMs)} ms in total; longest gaps:`,
      ...b.gapNotes.map((n) => `  ${n}`),
    ]),
    limitMetric('peak-rss', 'peak RSS during backfill', p.peakRssMb, 'MB', 400, [
      `sampled every 5 ms: ${fmt(p.sampledPeakRssMb)} MB; resourceUsage().maxRSS: ${fmt(p.maxRssMb)} MB`,
    ]),
  ];
}

export function rescanMetric(r: RescanOutput): Metric {
  const rescan = median(r.rescanMs);
  return ratioMetric(
    're-scan',
    're-scan (unchanged corpus)',
    'ms',
    rescan,
    median(r.statWalkMs),
    'stat walk',
    '<=',
    3,
    [
      `${fmt(r.files, 0)} files; re-scan runs ${r.rescanMs.map((x) => fmt(x)).join(' / ')} ms (each on a new core; core open ` +
        `${r.openMs.map((x) => fmt(x)).join(' / ')} ms); stat walk runs ${r.statWalkMs.map((x) => fmt(x)).join(' / ')} ms`,
      `last re-scan: ${fmt(r.summary.filesSeen, 0)} seen, ${fmt(r.summary.filesUnchanged, 0)} unchanged, ${fmt(r.summary.filesIngested, 0)} re-read`,
    ],
  );
}

export function listMetrics(l: ListOutput): Metric[] {
  return l.kinds.map((k, i) => ({
    key: `list:${k.name}`,
    text: `thread list @ ${fmt(l.rows, 0)} rows, ${k.name}: p50 ${fmt(k.p50Ms, 3)} ms, p99 ${fmt(k.p99Ms, 3)} ms (target p99 <= ${k.targetP99Ms} ms)`,
    pass: k.p99Ms <= k.targetP99Ms,
    values: { p50Ms: k.p50Ms, p99Ms: k.p99Ms, maxMs: k.maxMs, calls: k.calls, target: k.targetP99Ms },
    notes: [
      `${k.calls} calls, max ${fmt(k.maxMs, 3)} ms, ${k.firstPageRows} rows on the page` +
        (i === 0 ? `; ${fmt(l.rows, 0)} rows inserted in ${fmt(l.fillMs)} ms` : ''),
    ],
  }));
}

export function transcriptMetric(t: TranscriptOutput, ingest: TranscriptIngestOutput): Metric {
  return limitMetric(
    'transcript',
    `first transcript page of a ${fmt(t.fileBytes / MB)} MB rollout (fresh process)`,
    t.firstPageMs,
    'ms',
    150,
    [
      `${t.firstPageItems} items of ${fmt(t.total, 0)} lines; same page again ${fmt(t.secondCallMs)} ms; last page ${fmt(t.lastPageMs)} ms; ` +
        `read+scan of the whole file ${fmt(t.readScanMs)} ms; its ingest ${fmt(ingest.ingestMs)} ms`,
    ],
  );
}
