import type { LogLevelCounts, LogsHistogram } from '../../../preload/contract/index.ts';

/** Few buckets over a wide chart: bars stay this wide, centred in their slot, instead of becoming slabs. */
export const MAX_BAR_WIDTH = 32;

/** Stacking order, bottom up: the severe levels sit on the baseline, where small counts stay visible. */
export const STACK_ORDER = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'other'] as const;
export type LevelKey = (typeof STACK_ORDER)[number];

export interface Segment {
  level: LevelKey;
  count: number;
  /** Top edge, in px from the chart's top. */
  y: number;
  height: number;
}

export interface Bar {
  index: number;
  x: number;
  width: number;
  startMs: number;
  /** Exclusive. */
  endMs: number;
  total: number;
  counts: LogLevelCounts;
  segments: Segment[];
}

export interface HistogramLayout {
  bars: Bar[];
  /** The value at the chart's top edge (a round number at or above the tallest bar). */
  ceiling: number;
  slot: number;
}

/** The round number (1, 2, 5 × 10ⁿ) at or above `n`: the y axis' top, so its label reads cleanly. */
export function niceCeiling(n: number): number {
  if (!(n > 1)) return 1;
  const exp = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5]) if (m * exp >= n) return m * exp;
  return 10 * exp;
}

/**
 * Bars for a chart `width` × `height` px: one per bucket, stacked by level, linear in the count up to
 * `niceCeiling(max)`. Every non-zero level gets at least 1 px (a single ERROR among thousands of INFO
 * rows must not vanish); a bar never exceeds the chart.
 */
export function layoutHistogram(h: LogsHistogram, width: number, height: number): HistogramLayout {
  const n = h.counts.length;
  const slot = n > 0 ? width / n : width;
  const gap = slot >= 4 ? 1 : 0;
  const barWidth = Math.min(MAX_BAR_WIDTH, Math.max(1, slot - gap));
  const inset = barWidth < slot - gap ? (slot - barWidth) / 2 : 0;
  const max = h.counts.reduce((m, c) => Math.max(m, totalOf(c)), 0);
  const ceiling = niceCeiling(max);
  const scale = height / ceiling;
  const bars = h.counts.map((counts, index): Bar => {
    const segments: Segment[] = [];
    let cumulative = 0;
    let top = 0;
    for (const level of STACK_ORDER) {
      const count = counts[level];
      if (count <= 0) continue;
      cumulative += count;
      const next = Math.min(height, Math.max(Math.round(cumulative * scale), top + 1));
      if (next <= top) continue;
      segments.push({ level, count, y: height - next, height: next - top });
      top = next;
    }
    return {
      index,
      x: index * slot + inset,
      width: barWidth,
      startMs: h.fromMs + index * h.bucketMs,
      endMs: h.fromMs + (index + 1) * h.bucketMs,
      total: cumulative,
      counts,
      segments,
    };
  });
  return { bars, ceiling, slot };
}

export function totalOf(c: LogLevelCounts): number {
  return c.TRACE + c.DEBUG + c.INFO + c.WARN + c.ERROR + c.other;
}

/** The bucket under `x` px (clamped to the chart). */
export function bucketAt(x: number, width: number, buckets: number): number {
  if (buckets <= 0 || width <= 0) return 0;
  return Math.min(buckets - 1, Math.max(0, Math.floor((x / width) * buckets)));
}

/** The inclusive epoch-ms range covering buckets `a`..`b` (either order): what a click or drag selects. */
export function bucketRange(h: LogsHistogram, a: number, b: number): { fromMs: number; toMs: number } {
  const first = Math.min(a, b);
  const last = Math.max(a, b);
  const fromMs = Math.floor(h.fromMs + first * h.bucketMs);
  const toMs = Math.max(fromMs, Math.ceil(h.fromMs + (last + 1) * h.bucketMs) - 1);
  return { fromMs, toMs };
}
