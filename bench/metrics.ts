import type { BackfillOutput, RescanOutput } from './phase-ingest.ts';
import type { ListOutput } from './phase-list.ts';
import type { RenderOutput, ScrollStats } from './phase-render.ts';
import type { SearchBuildOutput, SearchQueryOutput } from './phase-search.ts';
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

export function searchBuildMetrics(b: SearchBuildOutput): Metric[] {
  const p = b.probes;
  return [
    ratioMetric(
      'search-build',
      'content index build',
      'MB/s',
      mbps(b.bytes, b.buildMs),
      mbps(b.bytes, median(b.ceilingMs)),
      'split + JSON.parse',
      '>=',
      0.5,
      [
        `${fmt(b.bytes / MB)} MB in ${fmt(b.files, 0)} files: ${fmt(b.filesIndexed, 0)} files indexed, ${fmt(b.docs, 0)} documents ` +
          `in ${fmt(b.buildMs / 1000)} s (after a ${fmt(b.backfillMs / 1000)} s metadata backfill); index ${fmt(b.indexBytes / MB)} MB`,
        `ceiling = readSync 1 MiB + split + decode + JSON.parse of every line, median of ${b.ceilingMs.length}: ` +
          `${b.ceilingMs.map((ms) => fmt(mbps(b.bytes, ms))).join(' / ')} MB/s`,
        `peak RSS of the build alone (sampled every 5 ms): ${fmt(p.sampledPeakRssMb)} MB, from ${fmt(b.rssAtBuildStartMb)} MB when it started`,
      ],
    ),
    limitMetric(
      'search-event-loop',
      'longest event-loop block during the index build',
      p.maxBlockMs,
      'ms',
      50,
      [
        `setInterval(5 ms) probe max gap ${fmt(p.intervalMaxBlockMs)} ms; monitorEventLoopDelay max ${fmt(p.histogramMaxMs)} ms, p99 ${fmt(p.histogramP99Ms)} ms; peak RSS ${fmt(p.peakRssMb)} MB (process high-water mark, metadata backfill included); longest gaps:`,
        ...b.gapNotes.map((n) => `  ${n}`),
      ],
    ),
  ];
}

export function searchQueryMetrics(q: SearchQueryOutput): Metric[] {
  return q.kinds.map((k) => ({
    key: `search:${k.name}`,
    text: `content search, ${k.name}: p50 ${fmt(k.p50Ms, 2)} ms, p99 ${fmt(k.p99Ms, 2)} ms (target p99 <= 50 ms)`,
    pass: k.p99Ms <= 50,
    values: { p50Ms: k.p50Ms, p99Ms: k.p99Ms, maxMs: k.maxMs, calls: k.calls, threads: k.threads },
    notes: [
      `${k.calls} calls of e.g. ${JSON.stringify(k.example)}, max ${fmt(k.maxMs, 2)} ms, ${k.threads} threads on page 1`,
    ],
  }));
}

const frameLine = (s: ScrollStats): string =>
  `${fmt(s.frames, 0)} frames: p50 ${fmt(s.p50Ms)} / p95 ${fmt(s.p95Ms)} / p99 ${fmt(s.p99Ms)} / max ${fmt(s.maxMs)} ms, ` +
  `${s.over50} over 50 ms; ${s.longTasks} long tasks, longest ${fmt(s.longestTaskMs)} ms`;

export function renderMetrics(r: RenderOutput): Metric[] {
  if (r.skipped !== null)
    return [
      {
        key: 'render',
        text: `renderer frame time: skipped, ${r.skipped}`,
        pass: null,
        values: {},
        notes: [],
      },
    ];
  const b = r.baseline;
  const scroll = (key: string, label: string, s: ScrollStats, extra: string[]): Metric =>
    limitMetric(key, `longest long task scrolling ${label} (Chromium)`, s.longestTaskMs, 'ms', 50, [
      `${frameLine(s)}; p99 frame ${fmt(s.p99Ms / b.p99Ms)}x the static page's`,
      `by stage (frames, longest frame / task): ${s.stages.map((st) => `${st.name} ${st.frames}, ${fmt(st.maxFrameMs)} / ${fmt(st.longestTaskMs)} ms`).join('; ')}`,
      `at most ${fmt(s.maxDomRows, 0)} rows in the DOM; scrolled to ${fmt(s.maxScrollTop, 0)} of ${fmt(s.scrollHeight, 0)} px ` +
        (s.maxIndex >= 0 ? `(row ${fmt(s.maxIndex, 0)} drawn) ` : '') +
        `(End loop stopped: ${s.endReason}); ${fmt(s.stalledFrames, 0)} fling frames waited for rows`,
      `first rows ${fmt(s.firstRowsMs, 0)} ms after navigation; longest task before scrolling ${fmt(s.loadLongestTaskMs)} ms; container: ${s.container}`,
      ...(s.worstFrame ? [`worst long animation frame: ${s.worstFrame}`] : []),
      ...extra,
    ]);
  return [
    scroll('render:threads', `${fmt(r.threads, 0)} threads`, r.list, [
      `ceiling = same script over a static page with a trivial virtual window of ${fmt(r.rowHeight, 0)} px rows: ${frameLine(b)}, at most ${b.maxDomRows} rows`,
      `${fmt(r.threads, 0)} rows inserted in ${fmt(r.fillMs)} ms; serve shell ready (ingest done) in ${fmt(r.startMs, 0)} ms`,
    ]),
    'error' in r.transcript
      ? {
          key: 'render:transcript',
          text: `renderer frame time, ${fmt(r.transcriptLines, 0)}-line transcript: ERROR ${r.transcript.error}`,
          pass: null,
          values: {},
          notes: [],
        }
      : scroll('render:transcript', `a ${fmt(r.transcriptLines, 0)}-line transcript`, r.transcript, []),
  ];
}
