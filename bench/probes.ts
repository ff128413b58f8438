import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export interface Gap {
  /** performance.now() when the loop stopped turning, and how long it stayed blocked (beyond the interval). */
  startMs: number;
  blockMs: number;
  /** Garbage-collection time that fell inside the gap. */
  gcMs: number;
}

export interface ProbeResult {
  /** Longest gap beyond the interval seen by the setInterval probe. */
  intervalMaxBlockMs: number;
  /** Max and p99 of perf_hooks' event-loop delay histogram. */
  histogramMaxMs: number;
  histogramP99Ms: number;
  /** The larger of the two maxima: what the main process would have felt. */
  maxBlockMs: number;
  /** The longest gaps, longest first, for attributing them to what the work was doing at the time. */
  topGaps: Gap[];
  gcMaxMs: number;
  gcTotalMs: number;
  sampledPeakRssMb: number;
  /** process.resourceUsage().maxRSS: the kernel's high-water mark for the whole process so far. */
  maxRssMb: number;
  peakRssMb: number;
}

/** Event-loop, GC and RSS probes for the duration of a piece of background work. */
export function startProbes(intervalMs = 5): { stop(): ProbeResult } {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const gcs: { start: number; ms: number }[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const gaps: Gap[] = [];
  let last = performance.now();
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last - intervalMs > 10) gaps.push({ startMs: last, blockMs: now - last - intervalMs, gcMs: 0 });
    last = now;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, intervalMs);
  return {
    stop(): ProbeResult {
      clearInterval(timer);
      histogram.disable();
      gcObserver.disconnect();
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      const maxRssMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
      const histogramMaxMs = histogram.max / 1e6;
      const topGaps = gaps.sort((a, b) => b.blockMs - a.blockMs).slice(0, 5);
      for (const g of topGaps) {
        const end = g.startMs + g.blockMs + intervalMs;
        g.gcMs = gcs.filter((c) => c.start >= g.startMs && c.start < end).reduce((n, c) => n + c.ms, 0);
      }
      const intervalMaxBlockMs = topGaps[0]?.blockMs ?? 0;
      return {
        intervalMaxBlockMs,
        histogramMaxMs,
        histogramP99Ms: histogram.percentile(99) / 1e6,
        maxBlockMs: Math.max(intervalMaxBlockMs, histogramMaxMs),
        topGaps,
        gcMaxMs: Math.max(0, ...gcs.map((c) => c.ms)),
        gcTotalMs: gcs.reduce((n, c) => n + c.ms, 0),
        sampledPeakRssMb: peakRss / 1e6,
        maxRssMb,
        peakRssMb: Math.max(peakRss / 1e6, maxRssMb),
      };
    },
  };
}
